import { CfnResource, TagManager, Token } from 'aws-cdk-lib';

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
 * Returns the tags a taggable L1 resource will be deployed with.
 *
 * These are the tags in its tag manager, which include tag aspects and, for most L1
 * types, the tags given in L1 props. Resources that implement `ITaggableV2` merge their
 * L1 tag property into the manager only when the template is rendered, so for them the
 * manager's tags are merged over that property here.
 *
 * Returns undefined when the tags cannot be read before deployment, because the L1 tag
 * property or a tag key in it is a token.
 *
 * NOTE: tags set through `addPropertyOverride` or `addOverride` are not seen.
 */
export function deployedTags(resource: CfnResource, manager: TagManager): Record<string, string> | undefined {
  let propertyTags: Record<string, string> = {};
  if (TagManager.isTaggableV2(resource)) {
    const raw = (resource as unknown as Record<string, unknown>)[manager.tagPropertyName];
    const parsed = parseTagProperty(raw);
    if (parsed === undefined) {
      return undefined;
    }
    propertyTags = parsed;
  }
  return { ...propertyTags, ...manager.tagValues() };
}

/** Reads an L1 tag property: a list of `{ key, value }` entries or a map of key to value. */
function parseTagProperty(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === null) {
    return {};
  }
  if (Token.isUnresolved(raw)) {
    return undefined;
  }

  const tags: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const entry of raw as Array<Record<string, unknown>>) {
      const key = entry?.key ?? entry?.Key;
      const value = entry?.value ?? entry?.Value;
      if (typeof key !== 'string' || Token.isUnresolved(key)) {
        return undefined;
      }
      tags[key] = String(value ?? '');
    }
    return tags;
  }
  if (typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (Token.isUnresolved(key)) {
        return undefined;
      }
      tags[key] = String(value ?? '');
    }
    return tags;
  }
  return undefined;
}
