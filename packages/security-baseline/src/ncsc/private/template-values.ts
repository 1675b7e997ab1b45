import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { renderedProperties } from '../../private/cfn-internals';
import { TagReading, readDeployedTags } from '../../private/tags';

/**
 * Helpers that let the NCSC rules read a resource as it will appear in the template.
 *
 * The rules read rendered properties rather than L1 props, so that raw `CfnResource`s,
 * property overrides and escape hatches count as they are deployed.
 *
 * `NcscChecks` runs its rules from a validation, after every aspect has run, so the
 * rendered properties include the tags that tag aspects add, and resolving them cannot
 * fix a `Lazy` value before the construct that produces it is complete.
 */

/** Returns a resource's rendered properties, or undefined when the resource is left out of the template. */
export function propertiesOf(node: CfnResource): Record<string, unknown> | undefined {
  const rendered = renderedProperties(node);
  if (rendered.status === 'notSynthesized') {
    return undefined;
  }
  if (rendered.status === 'unavailable') {
    // cdk-nag reports a thrown error as a validation failure of the rule, which is the
    // honest outcome when the check cannot read the resource at all.
    throw new Error(`The properties of ${node.node.path} cannot be read with this version of aws-cdk-lib.`);
  }
  return rendered.properties;
}

/** Returns the tags a resource will be deployed with, read as the tagging standard reads them. */
export function tagsOf(node: CfnResource): TagReading {
  return readDeployedTags(node, TagManager.of(node));
}

/** Returns the resource's logical ID in its stack, resolved. */
export function logicalIdOf(node: CfnResource): string {
  return String(Stack.of(node).resolve(node.logicalId));
}

/** Reads a nested value, for example `valueAt(props, 'BucketEncryption', 'ServerSideEncryptionConfiguration')`. */
export function valueAt(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current) || isIntrinsic(current)) {
      return undefined;
    }
    current = current[key];
  }
  return current;
}

/** Tests whether a rendered value is a CloudFormation function such as `{ "Ref": "P" }` or `{ "Fn::GetAtt": [...] }`. */
export function isIntrinsic(value: unknown): boolean {
  if (!isRecord(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** True for a rendered boolean `true`, including the string form that raw resources may use. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Returns a rendered whole number, or undefined when the value is absent, a CloudFormation function or not a number. */
export function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

/** Returns a rendered list, or undefined when the value is absent or not a list (for example a CloudFormation function). */
export function listAt(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
