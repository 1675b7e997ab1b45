import { CfnResource, Stack } from 'aws-cdk-lib';

/**
 * Reads of CfnResource members that aws-cdk-lib does not make public.
 *
 * NOTE: `_toCloudFormation` is marked internal, `cfnProperties` is protected and
 * `rawOverrides` is private. Their use here was checked against aws-cdk-lib 2.257.0.
 * A later release may rename or reshape them. Each function then reports the members
 * as unavailable instead of failing, and test/private/cfn-internals.test.ts fails, so
 * that a dependency upgrade shows the break.
 */

/** The outcome of rendering a resource's CloudFormation properties. */
export interface RenderedProperties {
  /**
   * `rendered` when `properties` contains the rendered properties, `notSynthesized` when the
   * resource is left out of the template, and `unavailable` when this aws-cdk-lib
   * version does not offer the internal members used.
   */
  readonly status: 'rendered' | 'notSynthesized' | 'unavailable';

  /** The resource's properties as they will appear in the template, tokens resolved. */
  readonly properties: Record<string, unknown>;
}

interface CfnResourceInternals {
  _toCloudFormation?: () => unknown;
  cfnProperties?: unknown;
  rawOverrides?: unknown;
}

/**
 * Renders the properties of a resource as they will appear in the template.
 *
 * The result includes the tags from the resource's tag manager and its L1 props, and the
 * changes made by `addPropertyOverride`, `addOverride` and `addDeletionOverride`.
 * Call it only once the app's aspects have run, for example from a validation: it
 * resolves every token in the properties, and `Lazy` values that cache their first
 * result would otherwise keep a value computed too early.
 */
export function renderedProperties(resource: CfnResource): RenderedProperties {
  const internals = resource as unknown as CfnResourceInternals;
  if (typeof internals._toCloudFormation !== 'function') {
    return { status: 'unavailable', properties: {} };
  }

  // _toCloudFormation returns { Resources: { [logicalId]: definition } }, or {} for a
  // resource that is left out of the template.
  const rendered = Stack.of(resource).resolve(internals._toCloudFormation.call(resource)) as unknown;
  if (rendered === undefined || (isRecord(rendered) && Object.keys(rendered).length === 0)) {
    return { status: 'notSynthesized', properties: {} };
  }
  const resources = isRecord(rendered) ? rendered.Resources : undefined;
  const definitions = isRecord(resources) ? Object.values(resources) : [];
  if (definitions.length !== 1 || !isRecord(definitions[0])) {
    return { status: 'unavailable', properties: {} };
  }

  const properties = definitions[0].Properties;
  return { status: 'rendered', properties: isRecord(properties) ? properties : {} };
}

/** The values of one property of a raw CfnResource, before tokens are resolved. */
export interface UnrenderedProperty {
  /** False when this aws-cdk-lib version does not offer the internal members used. */
  readonly available: boolean;

  /** The value given in the resource's `properties`, or undefined. */
  readonly fromProperties: unknown;

  /**
   * True when `addPropertyOverride`, `addOverride` or `addDeletionOverride` has set the
   * property. The override then replaces the value from `properties`.
   */
  readonly overridden: boolean;

  /** The value of the override, or undefined when there is none or it deletes the property. */
  readonly fromOverrides: unknown;
}

/**
 * Reads one property of a raw CfnResource, as given when it was created and as overridden
 * since, without resolving tokens.
 *
 * Safe to call from an aspect, because nothing is resolved. The property name is the one
 * CloudFormation uses, for example `Tags`.
 */
export function unrenderedProperty(resource: CfnResource, propertyName: string): UnrenderedProperty {
  const internals = resource as unknown as CfnResourceInternals;
  const properties = internals.cfnProperties;
  const overrides = internals.rawOverrides;
  if (!isRecord(properties) || !isRecord(overrides)) {
    return { available: false, fromProperties: undefined, overridden: false, fromOverrides: undefined };
  }

  const propertyOverrides = isRecord(overrides.Properties) ? overrides.Properties : {};
  return {
    available: true,
    fromProperties: properties[propertyName],
    overridden: propertyName in propertyOverrides,
    fromOverrides: propertyOverrides[propertyName],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
