import { Annotations, AspectPriority, Aspects, CfnResource, IAspect, TagManager, Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { deployedTags, tagKeyProblems, tagValueProblems } from './private/tags';
import { PropsValidator, isConcreteString, show } from './private/validation';

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
const RESOURCE_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

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
   * Throws one error listing every invalid value: values must be non-empty, at most
   * 256 characters, and use only letters, digits, spaces and `_ . : / = + - @`.
   */
  public static applyTags(scope: IConstruct, tags: MandatoryTags): void {
    const values: Array<[string, string, unknown]> = [
      ['costCentre', TaggingStandard.COST_CENTRE_KEY, tags.costCentre],
      ['environment', TaggingStandard.ENVIRONMENT_KEY, tags.environment],
      ['service', TaggingStandard.SERVICE_KEY, tags.service],
      ['owner', TaggingStandard.OWNER_KEY, tags.owner],
      ['dataClassification', TaggingStandard.DATA_CLASSIFICATION_KEY, tags.dataClassification],
    ];

    const validator = new PropsValidator(`mandatory tags for ${scope.node.path || 'the app'}`);
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

    for (const [, key, value] of values) {
      Tags.of(scope).add(key, value as string);
    }
  }

  /**
   * Checks every taggable resource under `scope` against the tagging standard when the app
   * is synthesised.
   *
   * The check runs with read-only aspect priority, after the tag aspects, so tags added
   * later in the code still count.
   */
  public static enforce(scope: IConstruct, props: TaggingStandardProps = {}): TaggingStandard {
    const standard = new TaggingStandard(props);
    Aspects.of(scope).add(standard, { priority: AspectPriority.READONLY });
    return standard;
  }

  /** The tag keys that every taggable resource must carry. */
  public readonly requiredTagKeys: string[];

  /** The CloudFormation resource types that the check skips. */
  public readonly exemptResourceTypes: string[];

  constructor(props: TaggingStandardProps = {}) {
    validateProps(props);
    this.requiredTagKeys = [...new Set(props.requiredTagKeys ?? [
      TaggingStandard.COST_CENTRE_KEY,
      TaggingStandard.ENVIRONMENT_KEY,
      TaggingStandard.SERVICE_KEY,
      TaggingStandard.OWNER_KEY,
      TaggingStandard.DATA_CLASSIFICATION_KEY,
    ])];
    this.exemptResourceTypes = [...(props.exemptResourceTypes ?? [])];
  }

  /**
   * Registers the check on a taggable L1 resource. Other constructs, and resources that
   * CloudFormation cannot tag, are ignored.
   */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || this.exemptResourceTypes.includes(node.cfnResourceType)) {
      return;
    }
    const manager = TagManager.of(node);
    if (manager === undefined) {
      return;
    }
    if (deployedTags(node, manager) === undefined) {
      Annotations.of(node).addWarningV2('@ssd-platform/security-baseline:tagsNotCheckable',
        `The tags of this ${node.cfnResourceType} are set by a token, so the tagging standard cannot check them `
        + 'before deployment. Give the tags as literal keys, or exempt the type through exemptResourceTypes.');
      return;
    }

    // Read the tags when the app is validated, not now, so that any change made after this aspect still counts.
    node.node.addValidation({ validate: () => this.findProblems(node, manager) });
  }

  private findProblems(resource: CfnResource, manager: TagManager): string[] {
    const tags = deployedTags(resource, manager) ?? {};
    const problems: string[] = [];

    const missing = this.requiredTagKeys.filter((key) => (tags[key] ?? '').trim().length === 0);
    if (missing.length > 0) {
      problems.push(`${resource.cfnResourceType} is missing the mandatory tags ${missing.join(', ')}. `
        + 'Add them with TaggingStandard.applyTags(scope, tags) or Tags.of(scope).add(key, value).');
    }

    const classification = tags[TaggingStandard.DATA_CLASSIFICATION_KEY];
    if (isConcreteString(classification) && classification.trim().length > 0 && !CLASSIFICATIONS.includes(classification)) {
      problems.push(`${resource.cfnResourceType} has the tag ${TaggingStandard.DATA_CLASSIFICATION_KEY}=${show(classification)}, `
        + `which is not a data classification. Use one of: ${CLASSIFICATIONS.join(', ')}.`);
    }
    return problems;
  }
}

/** Checks the props of the tagging standard and throws one error listing every problem. */
function validateProps(props: TaggingStandardProps): void {
  const validator = new PropsValidator('TaggingStandard props');

  if (props.requiredTagKeys !== undefined && props.requiredTagKeys.length === 0) {
    validator.fail('requiredTagKeys is empty, so nothing would be checked. '
      + 'List at least one tag key, or omit requiredTagKeys to require the five mandatory tags.');
  }
  for (const key of props.requiredTagKeys ?? []) {
    if (typeof key !== 'string') {
      validator.fail(`requiredTagKeys contains ${show(key)}. Give each tag key as a string.`);
      continue;
    }
    for (const problem of tagKeyProblems(key)) {
      validator.fail(`requiredTagKeys contains ${show(key)}, which is not a valid tag key: ${problem}.`);
    }
  }

  for (const type of props.exemptResourceTypes ?? []) {
    if (typeof type !== 'string' || !RESOURCE_TYPE.test(type)) {
      validator.fail(`exemptResourceTypes contains ${show(type)}, which is not a CloudFormation resource type. `
        + 'Give the type as CloudFormation names it, for example AWS::S3::Bucket.');
    }
  }

  validator.throwIfInvalid();
}
