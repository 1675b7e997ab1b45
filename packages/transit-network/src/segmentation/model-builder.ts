import { CfnResourceJson, StackTemplate } from './assembly';
import { IntrinsicResolver, Placeholder, Resolved, Unresolved, containsPlaceholder, parsePlaceholder } from './intrinsics';
import { ExternalModel, NetworkModel, NodeKind, NodeRef, emptyModel } from './model';
import { addTransitResources, linkTransitResources } from './transit-resources';
import { addVpcResources, linkVpcResources } from './vpc-resources';
import { Ipv4Block, parseCidr } from '../private/cidr';

/** Options for building the model. */
export interface ModelOptions {
  /**
   * Values that name a resource of the assemblies although the templates cannot show it,
   * such as a transit gateway ID copied from one account's output into another
   * account's configuration. Keys are the literal values (or an export name); values
   * name the resource as `<stack>/<logical ID>` or by construct path.
   */
  readonly bindings?: Readonly<Record<string, string>>;
}

/** The node kind of each resource type the model reads. */
const KIND_BY_TYPE: Record<string, NodeKind> = {
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::RouteTable': 'route-table',
  'AWS::EC2::Route': 'route',
  'AWS::EC2::TransitGateway': 'transit-gateway',
  'AWS::EC2::TransitGatewayRouteTable': 'transit-gateway-route-table',
  'AWS::EC2::TransitGatewayVpcAttachment': 'transit-gateway-attachment',
  'AWS::EC2::TransitGatewayAttachment': 'transit-gateway-attachment',
  'AWS::EC2::TransitGatewayPeeringAttachment': 'transit-gateway-attachment',
  'AWS::EC2::TransitGatewayRoute': 'transit-gateway-route',
  'AWS::EC2::TransitGatewayRouteTableAssociation': 'association',
  'AWS::EC2::TransitGatewayRouteTablePropagation': 'propagation',
  'AWS::EC2::InternetGateway': 'internet-gateway',
  'AWS::EC2::NatGateway': 'nat-gateway',
  'AWS::NetworkFirewall::Firewall': 'network-firewall',
  'AWS::EC2::VPCPeeringConnection': 'vpc-peering-connection',
};

/** A resource being read, with its stack. */
export interface ResourceContext {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly resource: CfnResourceJson;
  readonly node: NodeRef;
}

/** The target of a property that names a resource. */
export type Reference =
  | { readonly kind: 'resource'; readonly key: string; readonly type: string }
  | { readonly kind: 'external'; readonly key: string }
  | { readonly kind: 'firewall-endpoint'; readonly firewall: string; readonly zone: string }
  | { readonly kind: 'none' };

/**
 * Builds the network model of the given stacks. Throws if a binding names no resource.
 */
export function buildNetworkModel(stacks: readonly StackTemplate[], options: ModelOptions = {}): NetworkModel {
  const builder = new ModelBuilder(stacks, options);
  builder.forEachResource((context) => {
    addVpcResources(builder, context);
    addTransitResources(builder, context);
  });
  builder.forEachResource((context) => {
    linkVpcResources(builder, context);
    linkTransitResources(builder, context);
  });
  builder.finish();
  builder.noteConditions();
  return builder.model;
}

/**
 * The state of one model build: the model so far, intrinsic resolution, the bindings
 * and the record of external values and gaps.
 */
export class ModelBuilder {
  public readonly model: NetworkModel = emptyModel();
  public readonly resolver: IntrinsicResolver;
  private readonly bindings = new Map<string, string>();
  private readonly stacksByLabel = new Map<string, StackTemplate>();
  private readonly finishers: Array<() => void> = [];

  constructor(private readonly stacks: readonly StackTemplate[], options: ModelOptions) {
    this.resolver = new IntrinsicResolver(stacks);
    stacks.forEach((stack) => this.stacksByLabel.set(stack.label, stack));
    this.resolveBindings(options.bindings ?? {});
  }

  /** Calls `visit` for every resource of every stack, in template order. */
  public forEachResource(visit: (context: ResourceContext) => void): void {
    for (const stack of this.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        if (resource === null || typeof resource !== 'object' || typeof resource.Type !== 'string') {
          continue;
        }
        visit({ stack, logicalId, resource, node: this.nodeOf(stack, logicalId, KIND_BY_TYPE[resource.Type] ?? 'resource') });
      }
    }
  }

  /** Records a gap for each modelled resource that is created only when a condition holds. */
  public noteConditions(): void {
    for (const stack of this.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        const kind = KIND_BY_TYPE[resource?.Type];
        if (kind !== undefined && typeof resource.Condition === 'string') {
          this.gap(this.nodeOf(stack, logicalId, kind), `it is created only when condition ${resource.Condition} is true; the model assumes it is created`);
        }
      }
    }
  }

  /** Registers work that needs every resource linked first. */
  public afterLinking(finisher: () => void): void {
    this.finishers.push(finisher);
  }

  /** Runs the work registered with `afterLinking`. */
  public finish(): void {
    this.finishers.forEach((finisher) => finisher());
  }

  /** Returns the node of a resource, with its construct path and Name tag. */
  public nodeOf(stack: StackTemplate, logicalId: string, kind: NodeKind): NodeRef {
    const resource = stack.template.Resources?.[logicalId];
    const name = resource === undefined ? undefined : this.tag(stack, resource, 'Name');
    return {
      key: resourceKey(stack.label, logicalId),
      kind,
      stack: stack.label,
      logicalId,
      constructPath: stack.constructPaths.get(logicalId),
      name,
    };
  }

  /** Returns the node of a resource named by key, or undefined if the key names no resource. */
  public nodeOfKey(key: string, kind: NodeKind): NodeRef | undefined {
    const slash = key.indexOf('/');
    const stack = this.stacksByLabel.get(key.slice(0, slash));
    return stack?.template.Resources?.[key.slice(slash + 1)] === undefined ? undefined : this.nodeOf(stack, key.slice(slash + 1), kind);
  }

  /** Returns the value of a tag of a resource, if it is a string. */
  public tag(stack: StackTemplate, resource: CfnResourceJson, key: string): string | undefined {
    const tags = resource.Properties?.Tags;
    if (!Array.isArray(tags)) {
      return undefined;
    }
    const found = tags.find((entry) => (entry as Record<string, unknown>)?.Key === key) as Record<string, unknown> | undefined;
    const value = found === undefined ? undefined : this.resolver.resolve(stack, found.Value);
    return typeof value === 'string' ? value : undefined;
  }

  /** Evaluates a property of the resource being read. */
  public property(context: ResourceContext, name: string): Resolved {
    return this.resolver.resolve(context.stack, context.resource.Properties?.[name]);
  }

  /** Reads an IPv4 CIDR block property, recording a gap when it is present but unreadable. */
  public cidrProperty(context: ResourceContext, name: string): Ipv4Block | undefined {
    const value = this.property(context, name);
    if (value === undefined) {
      return undefined;
    }
    const block = typeof value === 'string' ? parseCidr(value) : undefined;
    if (block === undefined) {
      this.gap(context.node, `${name} is ${describeValue(value)}, which is not an IPv4 CIDR block the checker can read`);
    }
    return block;
  }

  /**
   * Works out what a property names: a resource of the assemblies, an external value, or
   * nothing. `usedAs` is what the value should be, such as `transit gateway`, for the
   * report of external values.
   */
  public reference(context: ResourceContext, value: unknown, usedAs: string): Reference {
    const resolved = this.resolver.resolve(context.stack, value);
    return this.referenceOf(context, resolved, usedAs);
  }

  /** Works out what an already evaluated value names. */
  public referenceOf(context: ResourceContext, resolved: Resolved, usedAs: string): Reference {
    if (resolved === undefined || resolved === null) {
      return { kind: 'none' };
    }
    if (resolved instanceof Unresolved) {
      this.gap(context.node, `the ${usedAs} it names cannot be worked out: ${resolved.reason}`);
      return { kind: 'none' };
    }
    if (typeof resolved !== 'string') {
      this.gap(context.node, `the ${usedAs} it names is ${describeValue(resolved)}, not an ID`);
      return { kind: 'none' };
    }

    const found = parsePlaceholder(resolved);
    if (found?.kind === 'ref') {
      const key = resourceKey(found.stack!, found.name);
      return { kind: 'resource', key, type: this.resolver.resource(found.stack!, found.name)?.Type ?? '' };
    }
    if (found?.kind === 'firewall-endpoint') {
      return { kind: 'firewall-endpoint', firewall: resourceKey(found.stack!, found.name), zone: found.detail ?? '' };
    }
    if (containsPlaceholder(resolved)) {
      this.gap(context.node, `the ${usedAs} it names is only partly known: ${describeValue(resolved)}`);
      return { kind: 'none' };
    }

    const literal = found === undefined ? resolved : externalText(found);
    const bound = this.bindings.get(found?.kind === 'import' ? found.name : resolved) ?? this.bindings.get(literal);
    if (bound !== undefined) {
      const [stack, logicalId] = splitKey(bound);
      return { kind: 'resource', key: bound, type: this.resolver.resource(stack, logicalId)?.Type ?? '' };
    }
    return { kind: 'external', key: this.external(literal, usedAs, context.node) };
  }

  /** Records an external value and returns its key. */
  public external(value: string, usedAs: string, usedBy: NodeRef): string {
    const key = `external:${value}`;
    const existing: ExternalModel = this.model.externals.get(key)
      ?? { node: { key, kind: 'external', logicalId: value }, usedAs: [], usedBy: [] };
    if (!existing.usedAs.includes(usedAs)) {
      existing.usedAs.push(usedAs);
    }
    if (!existing.usedBy.some((node) => node.key === usedBy.key)) {
      existing.usedBy.push(usedBy);
    }
    this.model.externals.set(key, existing);
    return key;
  }

  /** Records something the model cannot follow. */
  public gap(node: NodeRef | undefined, message: string): void {
    this.model.gaps.push({ node, message });
  }

  /** Reads a list of references, such as SubnetIds, keeping the resources of the expected type. */
  public referenceList(context: ResourceContext, name: string, usedAs: string): Reference[] {
    const value = this.property(context, name);
    if (value === undefined) {
      return [];
    }
    if (!Array.isArray(value)) {
      this.gap(context.node, `${name} is ${describeValue(value)}, not a list the checker can read`);
      return [];
    }
    return value.map((item) => this.referenceOf(context, item, usedAs));
  }

  private resolveBindings(bindings: Readonly<Record<string, string>>): void {
    const problems: string[] = [];
    for (const [value, target] of Object.entries(bindings)) {
      const key = this.findResource(target);
      if (key === undefined) {
        problems.push(`${value} is bound to ${target}, which names no resource of the assemblies; `
          + 'name the resource as <stack>/<logical ID> or by its construct path, such as NonProduction-TransitHub/Hub');
      } else {
        this.bindings.set(value, key);
      }
    }
    if (problems.length > 0) {
      throw new Error(`Invalid bindings:\n  - ${problems.join('\n  - ')}`);
    }
  }

  /** Finds a resource by `<stack>/<logical ID>`, by construct path, or by the path of its parent construct. */
  private findResource(target: string): string | undefined {
    const [stackLabel, logicalId] = splitKey(target);
    if (this.stacksByLabel.get(stackLabel)?.template.Resources?.[logicalId] !== undefined) {
      return target;
    }
    for (const candidate of [target, `${target}/Resource`]) {
      for (const stack of this.stacks) {
        for (const [id, path] of stack.constructPaths) {
          if (path === candidate && stack.template.Resources?.[id] !== undefined) {
            return resourceKey(stack.label, id);
          }
        }
      }
    }
    return undefined;
  }
}

/** Returns the key of a resource. */
export function resourceKey(stackLabel: string, logicalId: string): string {
  return `${stackLabel}/${logicalId}`;
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return slash < 0 ? [key, ''] : [key.slice(0, slash), key.slice(slash + 1)];
}

/** Names a value from outside the assemblies for a report. */
function externalText(found: Placeholder): string {
  switch (found.kind) {
    case 'import':
      return `Fn::ImportValue ${found.name}`;
    case 'parameter':
      return `parameter ${found.name} of stack ${found.stack}`;
    case 'attribute':
      return `${found.detail} of ${found.stack}/${found.name}`;
    default:
      return `availability zone ${found.detail} of ${found.name}`;
  }
}

/** Describes a value for a message, cutting long ones. */
export function describeValue(value: Resolved): string {
  if (value instanceof Unresolved) {
    return `unknown (${value.reason})`;
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
