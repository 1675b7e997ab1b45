import { CfnResourceJson, StackTemplate } from './assembly';

/** A value that cannot be worked out from the assemblies, and why. */
export class Unresolved {
  constructor(public readonly reason: string) {}
}

/** A template value after its intrinsic functions have been evaluated. */
export type Resolved = string | number | boolean | null | undefined | Unresolved | Resolved[] | { [key: string]: Resolved };

/**
 * The kind of thing a resolved string names when it is not a plain literal.
 *
 * - `ref`: a resource, as `Ref` returns it (its ID);
 * - `attribute`: an attribute of a resource that this checker does not work out;
 * - `firewall-endpoint`: the endpoint of a Network Firewall in one availability zone;
 * - `zone`: the availability zone at an index of `Fn::GetAZs` in the stack's region;
 * - `import`: an `Fn::ImportValue` whose export no given assembly has;
 * - `parameter`: a stack parameter whose value is only known at deploy time.
 */
export type PlaceholderKind = 'ref' | 'attribute' | 'firewall-endpoint' | 'zone' | 'import' | 'parameter';

/** The decoded form of a placeholder. */
export interface Placeholder {
  readonly kind: PlaceholderKind;
  /** The stack label, for every kind but `import`. */
  readonly stack?: string;
  /** The logical ID for `ref`, `attribute` and `firewall-endpoint`; the name for `import` and `parameter`. */
  readonly name: string;
  /** The attribute for `attribute`, the zone for `firewall-endpoint`, the index for `zone`. */
  readonly detail?: string;
}

// Resource references travel through Fn::Join, Fn::Split and Fn::Select as strings, so
// that those functions work on them as CloudFormation's do. The brackets and separator
// occur in no logical ID, stack name, zone name or export name, and contain no colon or
// comma, which the firewall endpoint expressions split on.
const OPEN = '\u27e6';
const CLOSE = '\u27e7';
const SEPARATOR = '|';
const PLACEHOLDER = new RegExp(`^${OPEN}([a-z-]+)\\${SEPARATOR}([^${CLOSE}]*)${CLOSE}$`);
const ANY_PLACEHOLDER = new RegExp(`${OPEN}[^${CLOSE}]*${CLOSE}`);

/** Encodes a placeholder as a string. */
export function placeholder(value: Placeholder): string {
  const parts = value.kind === 'import' ? [value.name] : [value.stack ?? '', value.name, ...(value.detail !== undefined ? [value.detail] : [])];
  return `${OPEN}${value.kind}${SEPARATOR}${parts.join(SEPARATOR)}${CLOSE}`;
}

/** Decodes a string that is exactly one placeholder, or returns undefined. */
export function parsePlaceholder(value: unknown): Placeholder | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = PLACEHOLDER.exec(value);
  if (!match) {
    return undefined;
  }
  const kind = match[1] as PlaceholderKind;
  const parts = match[2].split(SEPARATOR);
  if (kind === 'import') {
    return { kind, name: parts.join(SEPARATOR) };
  }
  return { kind, stack: parts[0], name: parts[1] ?? '', detail: parts[2] };
}

/** Tests whether a string contains a placeholder among other text, so that its value is only partly known. */
export function containsPlaceholder(value: string): boolean {
  return ANY_PLACEHOLDER.test(value) && parsePlaceholder(value) === undefined;
}

/** The rule for a `Fn::GetAtt` of a resource type: it resolves like `Ref`, or to one of the resource's properties. */
type AttributeRule = 'ref' | { readonly property: string };

const ATTRIBUTES: Record<string, Record<string, AttributeRule>> = {
  'AWS::EC2::VPC': { VpcId: 'ref', CidrBlock: { property: 'CidrBlock' } },
  'AWS::EC2::Subnet': {
    SubnetId: 'ref',
    VpcId: { property: 'VpcId' },
    AvailabilityZone: { property: 'AvailabilityZone' },
    CidrBlock: { property: 'CidrBlock' },
  },
  'AWS::EC2::RouteTable': { RouteTableId: 'ref' },
  'AWS::EC2::InternetGateway': { InternetGatewayId: 'ref' },
  'AWS::EC2::NatGateway': { NatGatewayId: 'ref' },
  'AWS::EC2::TransitGateway': { Id: 'ref' },
  'AWS::EC2::TransitGatewayRouteTable': { TransitGatewayRouteTableId: 'ref' },
  'AWS::EC2::TransitGatewayVpcAttachment': { Id: 'ref' },
  'AWS::EC2::TransitGatewayAttachment': { Id: 'ref' },
  'AWS::EC2::TransitGatewayPeeringAttachment': { TransitGatewayAttachmentId: 'ref' },
  'AWS::EC2::VPCPeeringConnection': { Id: 'ref' },
  'AWS::EC2::VPCEndpoint': { Id: 'ref' },
  // This package's lookups of the attachments that VPN connections and Direct Connect
  // gateways create: the attribute is the attachment, so the lookup stands for it.
  'Custom::VpnAttachmentLookup': { 'TransitGatewayAttachments.0.TransitGatewayAttachmentId': 'ref' },
  'Custom::DirectConnectGatewayAttachmentLookup': { 'TransitGatewayAttachments.0.TransitGatewayAttachmentId': 'ref' },
};

const FIREWALL = 'AWS::NetworkFirewall::Firewall';
const MAX_DEPTH = 50;

/**
 * Evaluates CloudFormation intrinsic functions over the stacks of one or more assemblies.
 *
 * `Ref` and `Fn::GetAtt` of a resource become placeholders that name the resource.
 * `Fn::ImportValue` is followed to the output of the stack that exports the name.
 * `Fn::Join`, `Fn::Split`, `Fn::Select`, `Fn::Sub` and `Fn::FindInMap` are evaluated.
 * A Network Firewall's `EndpointIds` becomes one `<zone>:<placeholder>` entry per subnet,
 * so that the expressions that pick one zone's endpoint evaluate to that endpoint.
 * Conditions (`Fn::If` and the rest) and `Fn::Cidr` are not evaluated.
 */
export class IntrinsicResolver {
  private readonly stacks = new Map<string, StackTemplate>();
  private readonly exports = new Map<string, Array<{ stack: StackTemplate; value: unknown }>>();

  constructor(stacks: readonly StackTemplate[]) {
    stacks.forEach((stack) => this.stacks.set(stack.label, stack));
    for (const stack of stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        const name = output?.Export?.Name === undefined ? undefined : this.resolve(stack, output.Export.Name);
        if (typeof name === 'string') {
          const entries = this.exports.get(name) ?? [];
          entries.push({ stack, value: output.Value });
          this.exports.set(name, entries);
        }
      }
    }
  }

  /** Returns a resource of a stack, or undefined if there is none. */
  public resource(stackLabel: string, logicalId: string): CfnResourceJson | undefined {
    return this.stacks.get(stackLabel)?.template.Resources?.[logicalId];
  }

  /** Evaluates a template value in the context of a stack. */
  public resolve(stack: StackTemplate, value: unknown, depth: number = 0): Resolved {
    if (depth > MAX_DEPTH) {
      return new Unresolved(`the expression nests deeper than ${MAX_DEPTH} levels`);
    }
    if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return value;
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(stack, item, depth + 1)).filter((item) => item !== undefined);
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return this.resolveFunction(stack, entries[0][0], entries[0][1], depth + 1);
    }
    const result: { [key: string]: Resolved } = {};
    for (const [key, item] of entries) {
      result[key] = this.resolve(stack, item, depth + 1);
    }
    return result;
  }

  private resolveFunction(stack: StackTemplate, name: string, args: unknown, depth: number): Resolved {
    switch (name) {
      case 'Ref':
        return typeof args === 'string' ? this.resolveRef(stack, args, depth) : new Unresolved('Ref takes a name');
      case 'Fn::GetAtt':
        return this.resolveGetAtt(stack, args, depth);
      case 'Fn::ImportValue':
        return this.resolveImport(stack, args, depth);
      case 'Fn::Join':
        return this.resolveJoin(stack, args, depth);
      case 'Fn::Split':
        return this.resolveSplit(stack, args, depth);
      case 'Fn::Select':
        return this.resolveSelect(stack, args, depth);
      case 'Fn::Sub':
        return this.resolveSub(stack, args, depth);
      case 'Fn::FindInMap':
        return this.resolveFindInMap(stack, args, depth);
      default:
        return new Unresolved(`${name} is not evaluated by the segmentation checker`);
    }
  }

  private resolveRef(stack: StackTemplate, name: string, depth: number): Resolved {
    const pseudo = this.pseudoParameter(stack, name);
    if (pseudo !== null) {
      return pseudo;
    }
    const parameter = stack.template.Parameters?.[name];
    if (parameter !== undefined) {
      // An SSM parameter's Default is the parameter's name, not its value.
      const fromSsm = (parameter.Type ?? '').startsWith('AWS::SSM::Parameter::Value');
      return parameter.Default === undefined || fromSsm
        ? placeholder({ kind: 'parameter', stack: stack.label, name })
        : this.resolve(stack, parameter.Default, depth);
    }
    if (stack.template.Resources?.[name] !== undefined) {
      return placeholder({ kind: 'ref', stack: stack.label, name });
    }
    return new Unresolved(`Ref ${name} names nothing in stack ${stack.label}`);
  }

  /** Returns the value of a pseudo parameter, null if `name` is not one, or Unresolved if it is not known. */
  private pseudoParameter(stack: StackTemplate, name: string): Resolved | null {
    switch (name) {
      case 'AWS::Region':
        return stack.region ?? new Unresolved(`stack ${stack.label} has no region`);
      case 'AWS::AccountId':
        return stack.account ?? new Unresolved(`stack ${stack.label} has no account`);
      case 'AWS::StackName':
        return stack.stackName;
      case 'AWS::NoValue':
        return undefined;
      case 'AWS::Partition':
      case 'AWS::URLSuffix':
      case 'AWS::StackId':
      case 'AWS::NotificationARNs':
        return new Unresolved(`${name} is only known at deploy time`);
      default:
        return null;
    }
  }

  private resolveGetAtt(stack: StackTemplate, args: unknown, depth: number): Resolved {
    const parts = typeof args === 'string' ? splitOnce(args, '.') : args;
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string') {
      return new Unresolved('Fn::GetAtt takes a logical ID and an attribute');
    }
    const logicalId = parts[0];
    const attribute = this.resolve(stack, parts[1], depth);
    const resource = stack.template.Resources?.[logicalId];
    if (resource === undefined || typeof attribute !== 'string') {
      return new Unresolved(`Fn::GetAtt ${logicalId}.${String(attribute)} names nothing in stack ${stack.label}`);
    }

    if (resource.Type === FIREWALL && attribute === 'EndpointIds') {
      return this.firewallEndpointIds(stack, logicalId, resource, depth);
    }
    const rule = ATTRIBUTES[resource.Type]?.[attribute];
    if (rule === 'ref') {
      return placeholder({ kind: 'ref', stack: stack.label, name: logicalId });
    }
    if (rule !== undefined) {
      return this.resolve(stack, resource.Properties?.[rule.property], depth);
    }
    return placeholder({ kind: 'attribute', stack: stack.label, name: logicalId, detail: attribute });
  }

  /**
   * Returns a firewall's `EndpointIds`: one `"<zone>:<endpoint>"` entry per subnet of its
   * `SubnetMappings`, the form Network Firewall documents.
   */
  private firewallEndpointIds(stack: StackTemplate, logicalId: string, firewall: CfnResourceJson, depth: number): Resolved {
    const mappings = this.resolve(stack, firewall.Properties?.SubnetMappings, depth);
    if (!Array.isArray(mappings)) {
      return new Unresolved(`the SubnetMappings of firewall ${logicalId} are not a list`);
    }
    const entries: string[] = [];
    for (const mapping of mappings) {
      const subnet = parsePlaceholder((mapping as Record<string, Resolved> | undefined)?.SubnetId);
      const subnetStack = subnet?.kind === 'ref' ? this.stacks.get(subnet.stack!) : undefined;
      const subnetResource = subnetStack?.template.Resources?.[subnet!.name];
      const zone = subnetResource === undefined ? undefined : this.resolve(subnetStack!, subnetResource.Properties?.AvailabilityZone, depth);
      if (typeof zone !== 'string' || ANY_PLACEHOLDER.test(zone)) {
        return new Unresolved(`the availability zone of a subnet of firewall ${logicalId} is not a literal zone name`);
      }
      entries.push(`${zone}:${placeholder({ kind: 'firewall-endpoint', stack: stack.label, name: logicalId, detail: zone })}`);
    }
    return entries;
  }

  private resolveImport(stack: StackTemplate, args: unknown, depth: number): Resolved {
    const name = this.resolve(stack, args, depth);
    if (typeof name !== 'string') {
      return new Unresolved('the name given to Fn::ImportValue is not known');
    }
    const candidates = this.exports.get(name) ?? [];
    // Export names are unique per account and region, so prefer the importing stack's environment.
    const sameEnvironment = candidates.filter((c) => c.stack.account === stack.account && c.stack.region === stack.region);
    const chosen = sameEnvironment.length === 1 ? sameEnvironment : candidates;
    if (chosen.length === 0) {
      return placeholder({ kind: 'import', name });
    }
    if (chosen.length > 1) {
      return new Unresolved(`${chosen.length} stacks export ${name}: ${chosen.map((c) => c.stack.label).join(', ')}`);
    }
    return this.resolve(chosen[0].stack, chosen[0].value, depth);
  }

  private resolveJoin(stack: StackTemplate, args: unknown, depth: number): Resolved {
    if (!Array.isArray(args) || args.length !== 2) {
      return new Unresolved('Fn::Join takes a delimiter and a list');
    }
    const delimiter = this.resolve(stack, args[0], depth);
    const items = this.resolve(stack, args[1], depth);
    if (typeof delimiter !== 'string') {
      return unresolvedFrom(delimiter, 'the delimiter of Fn::Join is not known');
    }
    if (!Array.isArray(items)) {
      return unresolvedFrom(items, 'the list given to Fn::Join is not known');
    }
    const strings: string[] = [];
    for (const item of items) {
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
        return unresolvedFrom(item, 'an item of the list given to Fn::Join is not known');
      }
      strings.push(String(item));
    }
    return strings.join(delimiter);
  }

  private resolveSplit(stack: StackTemplate, args: unknown, depth: number): Resolved {
    if (!Array.isArray(args) || args.length !== 2) {
      return new Unresolved('Fn::Split takes a delimiter and a string');
    }
    const delimiter = this.resolve(stack, args[0], depth);
    const source = this.resolve(stack, args[1], depth);
    if (typeof delimiter !== 'string' || typeof source !== 'string') {
      return unresolvedFrom(typeof delimiter !== 'string' ? delimiter : source, 'the arguments of Fn::Split are not known');
    }
    return source.split(delimiter);
  }

  private resolveSelect(stack: StackTemplate, args: unknown, depth: number): Resolved {
    if (!Array.isArray(args) || args.length !== 2) {
      return new Unresolved('Fn::Select takes an index and a list');
    }
    const index = Number(this.resolve(stack, args[0], depth));
    const listArgument = args[1] as Record<string, unknown> | undefined;
    if (listArgument !== null && typeof listArgument === 'object' && 'Fn::GetAZs' in listArgument && Number.isInteger(index)) {
      // The zone list is only known at deploy time, but the same index names the same zone.
      return placeholder({ kind: 'zone', stack: stack.label, name: stack.region ?? 'unknown-region', detail: String(index) });
    }
    const list = this.resolve(stack, args[1], depth);
    if (!Array.isArray(list)) {
      return unresolvedFrom(list, 'the list given to Fn::Select is not known');
    }
    if (!Number.isInteger(index) || index < 0 || index >= list.length) {
      return new Unresolved(`Fn::Select index ${String(index)} is outside a list of ${list.length}, so the deployment fails`);
    }
    return list[index];
  }

  private resolveSub(stack: StackTemplate, args: unknown, depth: number): Resolved {
    const [text, variables] = Array.isArray(args) ? [args[0], args[1] as Record<string, unknown> | undefined] : [args, undefined];
    if (typeof text !== 'string') {
      return new Unresolved('Fn::Sub takes a string');
    }
    let unresolved: Unresolved | undefined;
    const result = text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) {
        return `\${${name.slice(1)}}`;
      }
      let value: Resolved;
      if (variables !== undefined && name in variables) {
        value = this.resolve(stack, variables[name], depth);
      } else if (name.includes('.')) {
        value = this.resolveGetAtt(stack, name, depth);
      } else {
        value = this.resolveRef(stack, name, depth);
      }
      if (typeof value === 'string' || typeof value === 'number') {
        return String(value);
      }
      unresolved = unresolvedFrom(value, `\${${name}} in Fn::Sub is not known`);
      return whole;
    });
    return unresolved ?? result;
  }

  private resolveFindInMap(stack: StackTemplate, args: unknown, depth: number): Resolved {
    if (!Array.isArray(args) || args.length < 3) {
      return new Unresolved('Fn::FindInMap takes a map name and two keys');
    }
    const keys = args.slice(0, 3).map((arg) => this.resolve(stack, arg, depth));
    if (!keys.every((key) => typeof key === 'string')) {
      return new Unresolved('a key given to Fn::FindInMap is not known');
    }
    const [map, first, second] = keys as string[];
    const value = stack.template.Mappings?.[map]?.[first]?.[second];
    return value === undefined ? new Unresolved(`Fn::FindInMap ${map}.${first}.${second} names nothing`) : this.resolve(stack, value, depth);
  }
}

/** Passes on the reason of an Unresolved value, or gives `reason` for any other value. */
function unresolvedFrom(value: Resolved, reason: string): Unresolved {
  return value instanceof Unresolved ? value : new Unresolved(reason);
}

function splitOnce(text: string, separator: string): string[] {
  const index = text.indexOf(separator);
  return index < 0 ? [text] : [text.slice(0, index), text.slice(index + 1)];
}
