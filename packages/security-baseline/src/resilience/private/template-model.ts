/**
 * A read-only view of one synthesised CloudFormation template, with the lookups that the
 * resilience rules share: following `Ref` and `Fn::GetAtt` to resources in the same
 * template, reading tags, and telling which availability zone a subnet is in.
 *
 * Nothing here resolves a value that CloudFormation resolves at deploy time. A value that
 * cannot be read from the template (a parameter, an import, a literal ID of a resource
 * defined elsewhere) comes back as undefined, and each rule documents what it assumes then.
 */
import { referencedLogicalId } from '../../private/backup-selection';

/** One resource of a template. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** The identity of the template: its stack and where the construct paths come from. */
export interface TemplateSource {
  /** The stack name, as the cloud assembly names the stack artifact. */
  readonly stackName: string;

  /** The path of the template file, when the template was read from a cloud assembly. */
  readonly templatePath?: string;

  /**
   * Construct paths by logical ID, from the assembly's metadata. The `aws:cdk:path` entry of
   * a resource's template metadata takes precedence, when the app wrote one.
   */
  readonly constructPaths?: Record<string, string>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The template of one stack, indexed for the rules. */
export class TemplateModel {
  public readonly resources: TemplateResource[];
  private readonly byId = new Map<string, TemplateResource>();

  constructor(template: unknown, public readonly source: TemplateSource) {
    const resources = isRecord(template) && isRecord(template.Resources) ? template.Resources : {};
    this.resources = [];
    for (const [logicalId, definition] of Object.entries(resources)) {
      if (!isRecord(definition) || typeof definition.Type !== 'string') {
        continue;
      }
      const resource: TemplateResource = {
        logicalId,
        type: definition.Type,
        properties: isRecord(definition.Properties) ? definition.Properties : {},
        metadata: isRecord(definition.Metadata) ? definition.Metadata : {},
      };
      this.resources.push(resource);
      this.byId.set(logicalId, resource);
    }
  }

  public ofType(...types: string[]): TemplateResource[] {
    return this.resources.filter((resource) => types.includes(resource.type));
  }

  public get(logicalId: string | undefined): TemplateResource | undefined {
    return logicalId === undefined ? undefined : this.byId.get(logicalId);
  }

  /** Returns the construct path of a resource, when the template or the assembly records it. */
  public constructPathOf(resource: TemplateResource): string | undefined {
    const fromTemplate = resource.metadata['aws:cdk:path'];
    if (typeof fromTemplate === 'string') {
      return fromTemplate;
    }
    return this.source.constructPaths?.[resource.logicalId];
  }

  /**
   * Returns the resource that a value points to, when it is `{ Ref: id }` or `{ "Fn::GetAtt": [id, ...] }`
   * naming a resource of this template.
   */
  public referenced(value: unknown): TemplateResource | undefined {
    return this.get(referencedLogicalId(value));
  }

  /**
   * Returns the availability zone of a subnet, given the value of a `SubnetId`.
   *
   * Returns undefined when the subnet is not defined in this template or its zone is not
   * written in it (a parameter or an import, for example).
   */
  public zoneOfSubnet(subnetId: unknown): string | undefined {
    const subnet = this.referenced(subnetId);
    if (subnet === undefined || subnet.type !== 'AWS::EC2::Subnet') {
      return undefined;
    }
    return zoneKey(subnet.properties.AvailabilityZone) ?? zoneKey(subnet.properties.AvailabilityZoneId);
  }

  /**
   * Returns the zones of a list of subnets, or undefined when the list or the zone of any
   * subnet in it cannot be seen. A partial list could hide a second zone, so the rules get none.
   */
  public zonesOfSubnets(subnetIds: unknown): Set<string> | undefined {
    if (!Array.isArray(subnetIds) || subnetIds.length === 0) {
      return undefined;
    }
    const zones = new Set<string>();
    for (const subnetId of subnetIds) {
      const zone = this.zoneOfSubnet(subnetId);
      if (zone === undefined) {
        return undefined;
      }
      zones.add(zone);
    }
    return zones;
  }
}

// The resilience rules and the backup selection read references the same way.
export { referencedLogicalId };

/** Tests whether a value mentions a resource through `Ref` or `Fn::GetAtt`, at any depth. */
export function mentions(value: unknown, logicalId: string): boolean {
  if (referencedLogicalId(value) === logicalId) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some((item) => mentions(item, logicalId));
  }
  if (isRecord(value)) {
    return Object.values(value).some((item) => mentions(item, logicalId));
  }
  return false;
}

/**
 * A key that is equal for two values naming the same availability zone.
 *
 * A literal zone name or zone ID is its own key. `{ "Fn::Select": [i, { "Fn::GetAZs": region }] }`,
 * which CDK writes for stacks without a region, keys as the index: we assume that different
 * indexes are different zones, which is true because `Fn::GetAZs` lists each zone once. Any
 * other value (a parameter, an import) gives undefined: the zone cannot be seen.
 */
export function zoneKey(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.length > 0 ? value : undefined;
  }
  if (!isRecord(value) || !Array.isArray(value['Fn::Select'])) {
    return undefined;
  }
  const [index, list] = value['Fn::Select'] as unknown[];
  const position = literalNumber(index);
  if (position === undefined || !Number.isInteger(position) || !isRecord(list) || !('Fn::GetAZs' in list)) {
    return undefined;
  }
  return `zone ${position + 1} of Fn::GetAZs ${JSON.stringify(list['Fn::GetAZs'])}`;
}

/**
 * Returns a key that is equal for two values that CloudFormation resolves to the same thing,
 * for grouping resources by a property such as `TransitGatewayId`: the value's JSON text.
 */
export function valueKey(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

/** Returns the value of a literal boolean property, which CloudFormation also accepts as "true" or "false". */
export function literalBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') {
    return value;
  }
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  return undefined;
}

/** Returns the value of a literal number property, which CloudFormation also accepts as a string such as "2". */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return undefined;
}
