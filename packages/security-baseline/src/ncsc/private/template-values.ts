import { CfnResource, Stack, TagManager, TagType } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
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

/**
 * The tag property of the data store types whose tags are not in `Tags`, with the shape of
 * that property. A raw `CfnResource` has no tag manager to name the property, so the rules
 * would otherwise read `Tags` and miss the tags it is deployed with.
 */
const RAW_TAG_PROPERTIES: Record<string, { readonly propName: string; readonly tagType: TagType }> = {
  'AWS::EFS::FileSystem': { propName: 'fileSystemTags', tagType: TagType.STANDARD },
  'AWS::Backup::BackupVault': { propName: 'backupVaultTags', tagType: TagType.MAP },
  'AWS::Backup::BackupPlan': { propName: 'backupPlanTags', tagType: TagType.MAP },
};

/** Returns the tags a resource will be deployed with, read as the tagging standard reads them. */
export function tagsOf(node: CfnResource): TagReading {
  const manager = TagManager.of(node);
  const raw = RAW_TAG_PROPERTIES[node.cfnResourceType];
  if (manager !== undefined || raw === undefined) {
    return readDeployedTags(node, manager);
  }
  if (renderedProperties(node).status === 'unavailable') {
    // Without rendered properties a stand-in manager would read as "no tags", which hides the problem.
    return { status: 'unsupported', tags: new Map() };
  }
  // The stand-in manager only names the tag property; the tags are read from the rendered properties.
  const standIn = new TagManager(raw.tagType, node.cfnResourceType, undefined, { tagPropertyName: raw.propName });
  return readDeployedTags(node, standIn);
}

/**
 * The CloudFormation resources of one stack, collected once per synthesis. Rules that look
 * at other resources of the stack (a listener rule's listener, the buckets that send access
 * logs to a bucket) read this index rather than walking the construct tree for every
 * resource, which made the pack quadratic in the size of the stack.
 */
export interface StackIndex {
  /** The stack's resources by resolved logical ID. */
  readonly byLogicalId: Map<string, CfnResource>;
  /** The stack's resources by CloudFormation type. */
  readonly byType: Map<string, CfnResource[]>;
  /** Values that a rule derives from the whole stack, computed once, by the rule's own key. */
  readonly derived: Map<string, unknown>;
}

const STACK_INDEXES = new WeakMap<Stack, StackIndex>();

/**
 * Returns the index of the stack that a resource belongs to, building it on first use.
 * Resources of nested stacks belong to the nested stack, as `Stack.of` returns.
 */
export function stackIndexOf(node: CfnResource): StackIndex {
  const stack = Stack.of(node);
  let index = STACK_INDEXES.get(stack);
  if (index === undefined) {
    index = buildStackIndex(stack);
    STACK_INDEXES.set(stack, index);
  }
  return index;
}

/**
 * Drops the index of a stack, so that the next synthesis reads the resources added since. The
 * pack calls it from a validation on the stack, which runs before the validations of the
 * stack's resources.
 */
export function forgetStackIndex(stack: Stack): void {
  STACK_INDEXES.delete(stack);
}

/** Returns a value derived from the whole stack, computing it once per index. */
export function derivedOnce<T>(index: StackIndex, key: string, compute: () => T): T {
  if (!index.derived.has(key)) {
    index.derived.set(key, compute());
  }
  return index.derived.get(key) as T;
}

function buildStackIndex(stack: Stack): StackIndex {
  const byLogicalId = new Map<string, CfnResource>();
  const byType = new Map<string, CfnResource[]>();
  const visit = (construct: IConstruct): void => {
    for (const child of construct.node.children) {
      // A nested stack's resources belong to the nested stack's own index.
      if (Stack.isStack(child)) {
        continue;
      }
      if (CfnResource.isCfnResource(child)) {
        byLogicalId.set(logicalIdOf(child), child);
        const ofType = byType.get(child.cfnResourceType) ?? [];
        ofType.push(child);
        byType.set(child.cfnResourceType, ofType);
      }
      visit(child);
    }
  };
  visit(stack);
  return { byLogicalId, byType, derived: new Map() };
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
