import { Annotations, AspectPriority, Aspects, CfnResource, IAspect, TagManager, Tags } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { RawResourceTagger } from './private/raw-resource-tagger';
import { resourceTypeProblem } from './private/resource-types';
import { RAW_TAGGABLE_TYPES, TagValues, readDeployedTags, tagKeyProblems, tagValueProblems, tagsOverridden } from './private/tags';
import { PropsValidator, checkList, isConcreteString, isGiven, show } from './private/validation';

/**
 * The Government Security Classification of the data a resource handles.
 *
 * @see https://www.gov.uk/government/publications/government-security-classifications
 */
export enum DataClassification {
  /** OFFICIAL: routine government business. */
  OFFICIAL = 'OFFICIAL',

  /** OFFICIAL-SENSITIVE: OFFICIAL data that needs extra care over who can see it. */
  OFFICIAL_SENSITIVE = 'OFFICIAL-SENSITIVE',
}

/** The values of the five tags that every taggable resource of the platform carries. */
export interface MandatoryTags {
  /** The cost centre billed for the resource, the value of the `CostCentre` tag. */
  readonly costCentre: string;

  /** The environment, for example `production` or `pre-production`: the value of the `Environment` tag. */
  readonly environment: string;

  /** The service the resource belongs to, for example `lib-case-management`: the value of the `Service` tag. */
  readonly service: string;

  /** The team or mailbox accountable for the resource, the value of the `Owner` tag. */
  readonly owner: string;

  /** The classification of the data the resource handles, the value of the `DataClassification` tag. */
  readonly dataClassification: DataClassification;
}

/** Properties of the tagging standard check. */
export interface TaggingStandardProps {
  /**
   * The tag keys that every taggable resource must carry, with a non-empty value.
   *
   * @default - the five mandatory tags: CostCentre, Environment, Service, Owner and DataClassification
   */
  readonly requiredTagKeys?: string[];

  /**
   * CloudFormation resource types that the check skips, named as CloudFormation names
   * them (`AWS::S3::Bucket`).
   *
   * Use it only for a type whose resources cannot carry the tags, for example one that a
   * tag aspect leaves out through `excludeResourceTypes` because the service rejects one
   * of the values. Billing and security automation do not see resources of these types.
   *
   * @default - no type is exempt
   */
  readonly exemptResourceTypes?: string[];
}

const CLASSIFICATIONS: string[] = Object.values(DataClassification);

/**
 * The standards enforced on each resource. A resource gets one validation, which reports
 * for all of them, so that calling `enforce` on an app and on one of its stacks, or twice
 * on one scope, does not repeat an error line.
 */
const STANDARDS_OF_RESOURCE = new WeakMap<CfnResource, Set<TaggingStandard>>();

/**
 * The platform's tagging standard.
 *
 * Every taggable resource carries five mandatory tags, which feed billing and drive
 * security automation: `CostCentre`, `Environment`, `Service`, `Owner` and `DataClassification`.
 * `applyTags` adds them to every taggable resource under a scope. `enforce` adds this class
 * as an aspect that fails synthesis when a taggable resource lacks one of them, or when
 * `DataClassification` has a value outside `DataClassification`. The error lists every
 * such resource with the tags it lacks.
 */
export class TaggingStandard implements IAspect {
  /** The key of the tag that names the cost centre. */
  public static readonly COST_CENTRE_KEY = 'CostCentre';

  /** The key of the tag that names the environment. */
  public static readonly ENVIRONMENT_KEY = 'Environment';

  /** The key of the tag that names the service. */
  public static readonly SERVICE_KEY = 'Service';

  /** The key of the tag that names the owner. */
  public static readonly OWNER_KEY = 'Owner';

  /** The key of the tag that contains the data classification. */
  public static readonly DATA_CLASSIFICATION_KEY = 'DataClassification';

  /**
   * Adds the five mandatory tags to every taggable resource under `scope`.
   *
   * L1 resources get them through `Tags.of(scope)`. Raw `CfnResource`s of the types that
   * the README lists, such as the function and role of aws-cdk-lib's custom resource
   * providers, have no tag manager, so they get the tags through
   * `addPropertyOverride('Tags', ...)`, merged with the tags they already have.
   *
   * Throws one error listing every invalid value: values must be non-empty, at most
   * 256 characters, and use only letters, digits, spaces and `_ . : / = + - @`.
   */
  public static applyTags(scope: IConstruct, tags: MandatoryTags): void {
    const isScope = Construct.isConstruct(scope);
    const validator = new PropsValidator(`mandatory tags for ${isScope ? scope.node.path || 'the app' : 'an invalid scope'}`);
    if (!isScope) {
      validator.fail(`scope is ${show(scope)}, which is not a construct. `
        + 'Pass the app, stage, stack or construct whose resources get the tags.');
    }
    if (typeof tags !== 'object' || tags === null) {
      validator.fail(`tags is ${show(tags)}. Give the values of the five tags as an object: `
        + '{ costCentre, environment, service, owner, dataClassification }.');
      validator.throwIfInvalid();
    }

    const values: Array<[string, string, unknown]> = [
      ['costCentre', TaggingStandard.COST_CENTRE_KEY, tags.costCentre],
      ['environment', TaggingStandard.ENVIRONMENT_KEY, tags.environment],
      ['service', TaggingStandard.SERVICE_KEY, tags.service],
      ['owner', TaggingStandard.OWNER_KEY, tags.owner],
      ['dataClassification', TaggingStandard.DATA_CLASSIFICATION_KEY, tags.dataClassification],
    ];
    for (const [field, key, value] of values) {
      if (typeof value !== 'string') {
        validator.fail(`tags.${field} is ${show(value)}. Give the value of the ${key} tag as a string.`);
      } else if (isConcreteString(value)) {
        for (const problem of tagValueProblems(value)) {
          validator.fail(`tags.${field} ${show(value)} is not a valid value for the ${key} tag: ${problem}.`);
        }
      }
    }
    const classification: unknown = tags.dataClassification;
    if (isConcreteString(classification) && !CLASSIFICATIONS.includes(classification)) {
      validator.fail(`tags.dataClassification is ${show(classification)}, which is not a data classification. `
        + `Use one of the DataClassification values: ${CLASSIFICATIONS.join(', ')}.`);
    }
    validator.throwIfInvalid();

    const tagValues: Record<string, string> = {};
    for (const [, key, value] of values) {
      Tags.of(scope).add(key, value as string);
      tagValues[key] = value as string;
    }
    Aspects.of(scope).add(new RawResourceTagger(tagValues), { priority: AspectPriority.MUTATING });
  }

  /**
   * Checks every taggable resource under `scope` against the tagging standard when the app
   * is synthesised.
   *
   * The check runs with read-only aspect priority, after the tag aspects, so tags added
   * later in the code still count. It reads each resource's tags as they will appear in
   * the template, so tags that an override removes or changes count as they are deployed.
   * Calling `enforce` more than once on a resource, for example on an app and on one of
   * its stacks, reports each problem once.
   */
  public static enforce(scope: IConstruct, props: TaggingStandardProps = {}): TaggingStandard {
    const validator = new PropsValidator('TaggingStandard.enforce arguments');
    if (!Construct.isConstruct(scope)) {
      validator.fail(`scope is ${show(scope)}, which is not a construct. `
        + 'Pass the app, stage or stack whose resources must carry the tags.');
    }
    validateProps(validator, props);
    validator.throwIfInvalid();

    const standard = new TaggingStandard(props);
    Aspects.of(scope).add(standard, { priority: AspectPriority.READONLY });
    return standard;
  }

  /** The tag keys that every taggable resource must carry. */
  public readonly requiredTagKeys: string[];

  /** The CloudFormation resource types that the check skips. */
  public readonly exemptResourceTypes: string[];

  constructor(props: TaggingStandardProps = {}) {
    const validator = new PropsValidator('TaggingStandard props');
    validateProps(validator, props);
    validator.throwIfInvalid();

    this.requiredTagKeys = [...new Set(props?.requiredTagKeys ?? [
      TaggingStandard.COST_CENTRE_KEY,
      TaggingStandard.ENVIRONMENT_KEY,
      TaggingStandard.SERVICE_KEY,
      TaggingStandard.OWNER_KEY,
      TaggingStandard.DATA_CLASSIFICATION_KEY,
    ])];
    this.exemptResourceTypes = [...(props?.exemptResourceTypes ?? [])];
  }

  /**
   * Registers the check on a taggable resource: an L1 resource with a tag manager, or a
   * raw `CfnResource` of a type that `applyTags` tags. Other constructs are ignored.
   */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || this.exemptResourceTypes.includes(node.cfnResourceType)) {
      return;
    }
    if (TagManager.of(node) === undefined && !RAW_TAGGABLE_TYPES.includes(node.cfnResourceType)) {
      return;
    }

    let standards = STANDARDS_OF_RESOURCE.get(node);
    if (standards === undefined) {
      const registered = new Set<TaggingStandard>();
      STANDARDS_OF_RESOURCE.set(node, registered);
      // Read the tags when the app is validated, not now, so that any change made after this aspect still counts.
      node.node.addValidation({ validate: () => findProblems(node, [...registered]) });
      standards = registered;
    }
    standards.add(this);
  }
}

/** Checks the deployed tags of a resource against every standard enforced on it. */
function findProblems(resource: CfnResource, standards: TaggingStandard[]): string[] {
  const manager = TagManager.of(resource);
  const type = resource.cfnResourceType;
  const reading = readDeployedTags(resource, manager);
  switch (reading.status) {
    case 'notSynthesized':
      return [];
    case 'unsupported':
      Annotations.of(resource).addWarningV2('@ssd-platform/security-baseline:tagsNotCheckable',
        `This ${type} is a raw CfnResource, and the tagging standard cannot read the tags of raw resources `
        + 'with this aws-cdk-lib version. Check its tags in the synthesised template, or exempt the type through exemptResourceTypes.');
      return [];
    case 'unreadable':
      Annotations.of(resource).addWarningV2('@ssd-platform/security-baseline:tagsNotCheckable',
        `The tags of this ${type} are set by a token, so the tagging standard cannot check them `
        + 'before deployment. Give the tags as literal keys, or exempt the type through exemptResourceTypes.');
      return [];
    default:
      break;
  }

  const tags = reading.tags;
  const problems: string[] = [];
  const required = [...new Set(standards.flatMap((standard) => standard.requiredTagKeys))];
  const missing = required.filter((key) => isMissing(tags, key));
  if (missing.length > 0) {
    problems.push(`${type} is missing the mandatory tags ${missing.join(', ')}. ${howToAddTags(resource, manager)}`);
  }

  const classification = tags.get(TaggingStandard.DATA_CLASSIFICATION_KEY);
  if (classification !== undefined && classification.trim().length > 0 && !CLASSIFICATIONS.includes(classification)) {
    problems.push(`${type} has the tag ${TaggingStandard.DATA_CLASSIFICATION_KEY}=${show(classification)}, `
      + `which is not a data classification. Use one of: ${CLASSIFICATIONS.join(', ')}.`);
  }

  for (const key of tags.keys()) {
    if (key.toLowerCase().startsWith('aws:')) {
      problems.push(`${type} has the tag key ${show(key)}, but AWS reserves the prefix "aws:" for the tags it `
        + 'sets and rejects other tags that use it. Remove the tag or rename its key.');
    }
  }
  return problems;
}

/** Tests whether a tag is absent or has an empty value. A value known only at deploy time counts as present. */
function isMissing(tags: TagValues, key: string): boolean {
  if (!tags.has(key)) {
    return true;
  }
  const value = tags.get(key);
  return value !== undefined && value.trim().length === 0;
}

/** Explains how to add tags that a resource lacks. */
function howToAddTags(resource: CfnResource, manager: TagManager | undefined): string {
  if (manager === undefined) {
    return 'It is a raw CfnResource, which Tags.of does not reach, so add them with '
      + 'TaggingStandard.applyTags(scope, tags) on a scope that contains it, or with addPropertyOverride(\'Tags\', [...]).';
  }
  if (tagsOverridden(resource, manager)) {
    return 'An override (addPropertyOverride, addOverride or addDeletionOverride) replaces the tags from its tag manager, '
      + 'so put the tags in the override or remove it.';
  }
  return 'Add them with TaggingStandard.applyTags(scope, tags) or Tags.of(scope).add(key, value).';
}

/** Checks the props of the tagging standard, recording every problem in `validator`. */
function validateProps(validator: PropsValidator, props: TaggingStandardProps | null): void {
  if (!isGiven(props)) {
    return;
  }
  if (typeof props !== 'object') {
    validator.fail(`props is ${show(props)}. Give the props as an object, or omit them to use the defaults.`);
    return;
  }

  const requiredTagKeys = isGiven(props.requiredTagKeys)
    ? checkList(validator, 'requiredTagKeys', props.requiredTagKeys, '["Owner"]')
    : undefined;
  if (requiredTagKeys !== undefined && requiredTagKeys.length === 0) {
    validator.fail('requiredTagKeys is empty, so nothing would be checked. '
      + 'List at least one tag key, or omit requiredTagKeys to require the five mandatory tags.');
  }
  for (const key of requiredTagKeys ?? []) {
    if (typeof key !== 'string') {
      validator.fail(`requiredTagKeys contains ${show(key)}. Give each tag key as a string.`);
    } else if (!isConcreteString(key)) {
      validator.fail('requiredTagKeys contains a token. Give each tag key as a literal string, '
        + 'because the keys are compared with the resources\' tags before deployment.');
    } else {
      for (const problem of tagKeyProblems(key)) {
        validator.fail(`requiredTagKeys contains ${show(key)}, which is not a valid tag key: ${problem}.`);
      }
    }
  }

  const exemptResourceTypes = isGiven(props.exemptResourceTypes)
    ? checkList(validator, 'exemptResourceTypes', props.exemptResourceTypes, '["AWS::S3::Bucket"]')
    : undefined;
  for (const type of exemptResourceTypes ?? []) {
    const problem = typeof type === 'string'
      ? resourceTypeProblem(type)
      : 'which is not a CloudFormation resource type. Give the type as CloudFormation names it, for example AWS::S3::Bucket.';
    if (problem !== undefined) {
      validator.fail(`exemptResourceTypes contains ${show(type)}, ${problem}`);
    }
  }
}
