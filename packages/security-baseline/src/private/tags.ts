import { CfnResource, TagManager, Token } from 'aws-cdk-lib';
import { renderedProperties, unrenderedProperty } from './cfn-internals';

/**
 * Characters AWS allows in tag keys and values: letters, digits and spaces representable
 * in UTF-8, and `_ . : / = + - @`. Some services accept more, but this is the common subset.
 *
 * @see https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
 */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;

/** Checks a tag value that the platform requires. Returns one sentence per broken rule. */
export function tagValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.trim().length === 0) {
    problems.push('it is empty');
  }
  if ([...value].length > MAX_TAG_VALUE_LENGTH) {
    problems.push(`it is longer than the ${MAX_TAG_VALUE_LENGTH} characters AWS allows in a tag value`);
  }
  if (!TAG_CHARACTERS.test(value)) {
    problems.push('it contains characters other than letters, digits, spaces and _ . : / = + - @');
  }
  return problems;
}

/** Checks a tag key. Returns one sentence per broken rule. */
export function tagKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key.trim().length === 0) {
    problems.push('it is empty');
  }
  if ([...key].length > MAX_TAG_KEY_LENGTH) {
    problems.push(`it is longer than the ${MAX_TAG_KEY_LENGTH} characters AWS allows in a tag key`);
  }
  if (!TAG_CHARACTERS.test(key)) {
    problems.push('it contains characters other than letters, digits, spaces and _ . : / = + - @');
  }
  if (key.toLowerCase().startsWith('aws:')) {
    problems.push('the prefix "aws:" is reserved for tags that AWS sets');
  }
  return problems;
}

/**
 * CloudFormation types that the tagging standard tags and checks even when a resource of
 * the type is a raw `CfnResource` with no tag manager.
 *
 * aws-cdk-lib's own custom resource providers create their function and role this way,
 * for example the provider behind a VPC's `restrictDefaultSecurityGroup`, so `Tags.of`
 * never reaches them. Every type listed takes `Tags` as a list of `{ Key, Value }`.
 */
export const RAW_TAGGABLE_TYPES: readonly string[] = [
  'AWS::DynamoDB::Table',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::StepFunctions::StateMachine',
];

/**
 * The tags a resource will be deployed with: the value of each key, or undefined for a
 * value known only at deploy time.
 */
export type TagValues = Map<string, string | undefined>;

/** The result of reading a resource's deployed tags. */
export interface TagReading {
  /**
   * `read` when `tags` contains the deployed tags, `unreadable` when a tag key or the whole
   * tag property is known only at deploy time, `notSynthesized` when the resource is left
   * out of the template, and `unsupported` when the resource is a raw `CfnResource` and
   * this aws-cdk-lib version does not let its rendered properties be read.
   */
  readonly status: 'read' | 'unreadable' | 'notSynthesized' | 'unsupported';

  /** The deployed tags, empty unless `status` is `read`. */
  readonly tags: TagValues;
}

/**
 * Reads the tags a resource will be deployed with, from its rendered properties.
 *
 * These include the tags in its tag manager (tag aspects and L1 props), tags in the
 * properties of a raw `CfnResource`, and every override. Call it only once the app's
 * aspects have run, for example from a validation.
 *
 * @param manager the resource's tag manager, or undefined for a raw `CfnResource`
 */
export function readDeployedTags(resource: CfnResource, manager: TagManager | undefined): TagReading {
  const rendered = renderedProperties(resource);
  if (rendered.status === 'notSynthesized') {
    return { status: 'notSynthesized', tags: new Map() };
  }
  if (rendered.status === 'unavailable') {
    return manager === undefined ? { status: 'unsupported', tags: new Map() } : managerTags(resource, manager);
  }

  const tags = parseRenderedTags(rendered.properties[tagPropertyName(manager)]);
  return tags === undefined ? unreadable() : { status: 'read', tags };
}

/** Tests whether an override (`addPropertyOverride`, `addOverride`, `addDeletionOverride`) replaces a resource's tags. */
export function tagsOverridden(resource: CfnResource, manager: TagManager | undefined): boolean {
  return unrenderedProperty(resource, tagPropertyName(manager)).overridden;
}

/**
 * Merges tags into the `Tags` of a raw `CfnResource`, before tokens are resolved.
 *
 * Tags already there stay in their order, and a tag in `tags` replaces one with the same
 * key, as a tag aspect replaces a tag given in L1 props. Returns undefined when the current value
 * cannot be merged, because it or one of its keys is a token, or because it was
 * removed with `addDeletionOverride`.
 */
export function mergeRawTags(resource: CfnResource, tags: Record<string, string>): unknown[] | undefined {
  const current = unrenderedProperty(resource, 'Tags');
  if (!current.available || (current.overridden && current.fromOverrides === undefined)) {
    return undefined;
  }
  const existing = current.overridden ? current.fromOverrides : current.fromProperties;
  if (existing !== undefined && (!Array.isArray(existing) || Token.isUnresolved(existing))) {
    return undefined;
  }

  const merged = new Map<string, unknown>();
  for (const entry of existing ?? []) {
    const key = isRecord(entry) ? entry.Key : undefined;
    if (!isConcreteKey(key)) {
      return undefined;
    }
    merged.set(key, entry);
  }
  // New keys follow in key order, as a tag manager renders them.
  for (const key of Object.keys(tags).sort()) {
    merged.set(key, { Key: key, Value: tags[key] });
  }
  return [...merged.values()];
}

/**
 * Reads a rendered tag property: a list of `{ Key, Value }` entries (with `PropagateAtLaunch`
 * for Auto Scaling groups) or a map of key to value. Returns undefined when a key, or the
 * property itself, is a CloudFormation function such as `Fn::ImportValue`.
 */
function parseRenderedTags(raw: unknown): TagValues | undefined {
  const tags: TagValues = new Map();
  if (raw === undefined || raw === null) {
    return tags;
  }

  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const key = isRecord(entry) ? entry.Key ?? entry.key : undefined;
      if (typeof key !== 'string') {
        return undefined;
      }
      const value = isRecord(entry) ? entry.Value ?? entry.value : undefined;
      tags.set(key, renderedValue(value));
    }
    return tags;
  }

  if (isRecord(raw) && !isIntrinsic(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      tags.set(key, renderedValue(value));
    }
    return tags;
  }
  return undefined;
}

/** A rendered tag value: the string, an empty string for none, or undefined for a CloudFormation function. */
function renderedValue(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

/**
 * Returns the tags in a tag manager, merged over the L1 tag property of resources that
 * implement `ITaggableV2`, whose manager merges that property only when the template is
 * rendered. Used only when the rendered properties cannot be read, so overrides are not seen.
 */
function managerTags(resource: CfnResource, manager: TagManager): TagReading {
  let propertyTags: Record<string, unknown> = {};
  if (TagManager.isTaggableV2(resource)) {
    const raw = (resource as unknown as Record<string, unknown>)[manager.tagPropertyName];
    const parsed = parseL1Tags(raw);
    if (parsed === undefined) {
      return unreadable();
    }
    propertyTags = parsed;
  }

  const tags: TagValues = new Map();
  for (const [key, value] of Object.entries({ ...propertyTags, ...manager.tagValues() })) {
    tags.set(key, isConcreteValue(value) ? String(value ?? '') : undefined);
  }
  return { status: 'read', tags };
}

/** Reads an L1 tag prop: a list of `{ key, value }` entries or a map of key to value. */
function parseL1Tags(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null) {
    return {};
  }
  if (Token.isUnresolved(raw)) {
    return undefined;
  }

  const tags: Record<string, unknown> = {};
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const key = isRecord(entry) ? entry.key ?? entry.Key : undefined;
      if (!isConcreteKey(key)) {
        return undefined;
      }
      tags[key] = isRecord(entry) ? entry.value ?? entry.Value : undefined;
    }
    return tags;
  }
  if (isRecord(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      if (Token.isUnresolved(key)) {
        return undefined;
      }
      tags[key] = value;
    }
    return tags;
  }
  return undefined;
}

function unreadable(): TagReading {
  return { status: 'unreadable', tags: new Map() };
}

function isConcreteKey(key: unknown): key is string {
  return typeof key === 'string' && !Token.isUnresolved(key);
}

function isConcreteValue(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && !Token.isUnresolved(value));
}

/** Tests whether an object is a CloudFormation function, such as `{ "Fn::ImportValue": "x" }` or `{ "Ref": "P" }`. */
function isIntrinsic(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Returns the name of the tag property in the template. It is the L1 prop's name with a
 * capital first letter (tags becomes Tags, userPoolTags becomes UserPoolTags), and `Tags`
 * for a raw `CfnResource`.
 */
function tagPropertyName(manager: TagManager | undefined): string {
  const propName = manager?.tagPropertyName ?? 'tags';
  return propName.charAt(0).toUpperCase() + propName.slice(1);
}
