import {
  Annotations,
  ArnFormat,
  CfnResource,
  Duration,
  Names,
  RemovalPolicy,
  Stack,
  Token,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_s3 as s3,
  aws_shield as shield,
  aws_wafv2 as wafv2,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show, showDuration } from './private/validation';

/** A rule of a managed rule group whose action the web ACL overrides to Count. */
export interface CountedRule {
  /**
   * The name of the managed rule group that contains the rule, as the web ACL uses it,
   * for example `AWSManagedRulesCommonRuleSet`.
   */
  readonly ruleGroupName: string;

  /** The name of the rule in that group, for example `SizeRestrictions_BODY`. */
  readonly ruleName: string;
}

/** A managed rule group that the web ACL evaluates in addition to its baseline rules. */
export interface ManagedRuleGroup {
  /**
   * The name of the managed rule group, for example `AWSManagedRulesLinuxRuleSet`.
   *
   * The web ACL's rule for the group has the same name, and so does its CloudWatch metric.
   */
  readonly name: string;

  /**
   * The vendor of the rule group. Rule groups sold by AWS Marketplace sellers need a
   * subscription in the account.
   *
   * @default 'AWS'
   */
  readonly vendorName?: string;

  /**
   * The version of the rule group to pin.
   *
   * @default - the vendor's default version, which the vendor updates
   */
  readonly version?: string;

  /**
   * The priority of the rule group in the web ACL. AWS WAF evaluates rules from the lowest
   * priority up. The baseline rules use 10, 20, 30, 40, 50 and 60, so choose another
   * non-negative whole number, for example 70 to evaluate the group last.
   */
  readonly priority: number;
}

/** Properties of a web ACL. */
export interface WebAclProps {
  /**
   * The name of the web ACL, which is also the name of its CloudWatch metrics.
   *
   * 1 to 128 letters, digits, hyphens and underscores. AWS WAF reserves the metric
   * names `All` and `Default_Action`. The default log group is named `aws-waf-logs-<name>`.
   *
   * @default - a name unique in the stack, derived from the construct path
   */
  readonly webAclName?: string;

  /**
   * The number of requests one client IP address may send in `rateLimitWindow` before
   * AWS WAF blocks its further requests, until its rate falls below the limit again.
   *
   * From 10 to 2,000,000,000. Clients behind one NAT gateway or proxy share an address,
   * so raise the limit if the service has many users behind one address. The rule's
   * CloudWatch metric shows how often it blocks.
   *
   * @default 2000
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
   */
  readonly rateLimit?: number;

  /**
   * The period over which AWS WAF counts each client's requests for `rateLimit`.
   *
   * AWS WAF accepts 1, 2, 5 or 10 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;

  /**
   * An S3 bucket to deliver the web ACL's logs to, instead of a CloudWatch Logs log group.
   *
   * AWS WAF requires the bucket's name to start with `aws-waf-logs-`, and the bucket to be
   * in the web ACL's account. The bucket policy must let `delivery.logs.amazonaws.com`
   * write, and a KMS key that encrypts the bucket must let it generate data keys:
   * `LogArchive` does both for the accounts in its `logSourceAccounts`.
   *
   * @default - a CloudWatch Logs log group named `aws-waf-logs-<webAclName>`, encrypted with a new customer managed key
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html
   */
  readonly logBucket?: s3.IBucket;

  /**
   * How long the log group keeps log events. Only for the default log group: with
   * `logBucket`, the bucket's lifecycle rules decide.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The removal policy of the default log group and of its KMS key.
   *
   * Unless it is `DESTROY`, the log group also has deletion protection on, so every attempt
   * to delete it fails until deletion protection is turned off.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Request headers whose values AWS WAF replaces with `REDACTED` in its logs, in
   * addition to `authorization` and `cookie`, which are always redacted.
   *
   * @default - only `authorization` and `cookie`
   */
  readonly redactedHeaders?: string[];

  /**
   * Managed rule groups to evaluate in addition to the baseline rules.
   *
   * Groups that need a managed rule group configuration (Bot Control, account takeover
   * prevention, account creation fraud prevention and anti-DDoS) are rejected, because
   * this construct does not set one.
   *
   * @default - none
   */
  readonly additionalRuleGroups?: ManagedRuleGroup[];

  /**
   * Rules of the managed rule groups whose action is overridden to Count, so that AWS WAF
   * counts and logs their matches but does not block. Use it for rules that block
   * legitimate traffic, for example `SizeRestrictions_BODY` of
   * `AWSManagedRulesCommonRuleSet` for uploads larger than 8 KB.
   *
   * @default - every rule keeps the action its rule group gives it
   */
  readonly countedRules?: CountedRule[];

  /**
   * Whether `associate()` also protects each associated resource with AWS Shield Advanced.
   *
   * Shield Advanced is a paid subscription (a monthly fee with a one-year commitment, see
   * AWS Shield pricing). It must be active in the account before deployment, or creating
   * the protection fails.
   * Among the resources a regional web ACL protects, it protects only Application Load Balancers.
   *
   * @default false
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/ddos-advanced-summary.html
   */
  readonly shieldAdvanced?: boolean;
}

/** The AWS managed rule groups every web ACL evaluates, with their priorities. */
const BASELINE_RULE_GROUPS: ReadonlyArray<{ readonly name: string; readonly priority: number }> = [
  { name: 'AWSManagedRulesAmazonIpReputationList', priority: 10 },
  { name: 'AWSManagedRulesAnonymousIpList', priority: 20 },
  { name: 'AWSManagedRulesCommonRuleSet', priority: 40 },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', priority: 50 },
  { name: 'AWSManagedRulesSQLiRuleSet', priority: 60 },
];

/**
 * The rate-based rule. Rules that judge the client address come before the rules that
 * inspect the request, and AWS WAF stops at the first rule that blocks, so requests from
 * listed addresses do not count towards a client's rate.
 */
const RATE_RULE = { name: 'RateLimitPerClientIp', priority: 30 };

/**
 * AWS managed rule groups that AWS WAF accepts only with a managed rule group
 * configuration, such as the Bot Control inspection level or the login path.
 */
const CONFIGURED_RULE_GROUPS = [
  'AWSManagedRulesBotControlRuleSet',
  'AWSManagedRulesATPRuleSet',
  'AWSManagedRulesACFPRuleSet',
  'AWSManagedRulesAntiDDoSRuleSet',
];

const ALWAYS_REDACTED_HEADERS = ['authorization', 'cookie'];
const LOG_DESTINATION_PREFIX = 'aws-waf-logs-';
const BUCKET_NAME_FIX = `AWS WAF delivers logs only to a bucket whose name starts with "${LOG_DESTINATION_PREFIX}", `
  + 'so give the bucket such a name, or omit logBucket to log to CloudWatch Logs.';

/** The limits AWS WAF sets on a rate-based rule, and on a logging configuration. */
const MIN_RATE_LIMIT = 10;
const MAX_RATE_LIMIT = 2_000_000_000;
const RATE_WINDOWS_SECONDS = [60, 120, 300, 600];
const MAX_REDACTED_FIELDS = 100;
const MAX_RULE_ACTION_OVERRIDES = 100;

/** The pattern AWS WAF applies to the names of web ACLs, rules and rule groups. */
const ENTITY_NAME = /^[0-9A-Za-z_-]{1,128}$/;
/** Metric names that AWS WAF reserves for its own metrics. */
const RESERVED_METRIC_NAMES = ['All', 'Default_Action'];
const VERSION_NAME = /^[\w#:.\-/]{1,64}$/;
/** The characters of an HTTP header name (a token in RFC 9110), to at most the 64 that AWS WAF allows. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

const DEFAULT_RATE_LIMIT = 2000;
const DEFAULT_RATE_WINDOW = Duration.minutes(5);
const DEFAULT_RETENTION = logs.RetentionDays.ONE_YEAR;
const REMOVAL_POLICIES: string[] = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** The props after defaults, as the construct uses them. */
interface WebAclSettings {
  readonly webAclName: string;
  readonly rateLimit: number;
  readonly rateWindowSeconds: number;
  readonly logBucket?: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly redactedHeaders: string[];
  readonly additionalRuleGroups: ManagedRuleGroup[];
  readonly countedRules: CountedRule[];
  readonly shieldAdvanced: boolean;
}

/**
 * An AWS WAF web ACL of regional scope, for internet-facing Application Load Balancers.
 *
 * It allows requests by default and blocks those that its rules match:
 *
 * - the AWS managed rule groups for Amazon IP reputation, anonymous IP addresses, the
 *   core rule set (OWASP Top 10 risks), known bad inputs and SQL injection;
 * - a rate-based rule that blocks each client IP address over `rateLimit`.
 *
 * Each rule publishes CloudWatch metrics and keeps sampled requests. The web ACL logs
 * every request, with the `authorization` and `cookie` headers redacted, to a CloudWatch
 * Logs log group encrypted with a customer managed key, or to `logBucket`.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 */
export class WebAcl extends Construct {
  /** The ARN of the web ACL. */
  public readonly webAclArn: string;

  /** The ID that AWS WAF gives the web ACL. */
  public readonly webAclId: string;

  /** The name of the web ACL. */
  public readonly webAclName: string;

  /** The ARN that the web ACL's logging configuration delivers logs to: the log group or the bucket. */
  public readonly logDestinationArn: string;

  /** The log group that receives the logs, unless `logBucket` was given. */
  public readonly logGroup?: logs.ILogGroup;

  /** The KMS key that encrypts the log group, unless `logBucket` was given. */
  public readonly logEncryptionKey?: kms.IKey;

  /** The bucket that receives the logs, when `logBucket` was given. */
  public readonly logBucket?: s3.IBucket;

  private readonly shieldAdvanced: boolean;
  /** The construct ID of each association, by resource ARN. */
  private readonly associations = new Map<string, string>();

  constructor(scope: Construct, id: string, props: WebAclProps = {}) {
    super(scope, id);
    const settings = validateProps(scope, id, props, () => Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }));
    this.webAclName = settings.webAclName;
    this.shieldAdvanced = settings.shieldAdvanced;

    const webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      name: settings.webAclName,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(settings.webAclName),
      rules: buildRules(settings),
    });
    this.webAclArn = webAcl.attrArn;
    this.webAclId = webAcl.attrId;

    let destination: Construct;
    if (settings.logBucket !== undefined) {
      this.logBucket = settings.logBucket;
      this.logDestinationArn = settings.logBucket.bucketArn;
      destination = settings.logBucket.policy ?? settings.logBucket;
      this.node.addValidation({ validate: () => this.validateLogBucket(settings.logBucket!) });
    } else {
      const created = this.createLogGroup(settings);
      this.logGroup = created.logGroup;
      this.logEncryptionKey = created.key;
      this.logDestinationArn = created.arn;
      destination = created.logGroup;
    }

    // The log group's ARN is built from its name, not referenced, so the dependency is
    // explicit. For a bucket, the bucket policy must exist first: AWS WAF would otherwise
    // add its own statement, which the next update of the policy would remove.
    // The L1 types SingleHeader as JSON, so its key is written as CloudFormation spells it.
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [this.logDestinationArn],
      redactedFields: settings.redactedHeaders.map((name) => ({ singleHeader: { Name: name } })),
    });
    logging.node.addDependency(destination);
  }

  /**
   * Associates the web ACL with a regional resource, so that AWS WAF inspects its requests.
   *
   * The resource must be in the web ACL's account and region. With `shieldAdvanced`, this
   * also protects the resource with AWS Shield Advanced, which needs an Application Load
   * Balancer. A resource can be associated with one web ACL only.
   *
   * @param id the construct ID of the association
   * @param resourceArn the ARN of an Application Load Balancer. Regional web ACLs also protect
   *   API Gateway REST API stages, AppSync GraphQL APIs, Cognito user pools, App Runner
   *   services and Verified Access instances.
   * @returns the association resource
   * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
   */
  public associate(id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    const validator = new PropsValidator(`WebAcl.associate() arguments for ${this.node.path}/${id}`);
    if (!isConcreteString(resourceArn)) {
      if (typeof resourceArn !== 'string') {
        validator.fail(`resourceArn is ${show(resourceArn)}, which is not a string. Pass the ARN of the resource to protect, `
          + 'for example loadBalancer.loadBalancerArn.');
      }
    } else {
      for (const problem of associationProblems(resourceArn, Stack.of(this), this.shieldAdvanced)) {
        validator.fail(problem);
      }
    }
    const previous = typeof resourceArn === 'string' ? this.associations.get(resourceArn) : undefined;
    if (previous !== undefined) {
      validator.fail(`resourceArn ${isConcreteString(resourceArn) ? show(resourceArn) : '(a token)'} is already associated `
        + `with this web ACL, by "${previous}". Associate each resource once.`);
    }
    validator.throwIfInvalid();
    this.associations.set(resourceArn, id);

    const scope = new Construct(this, id);
    const association = new wafv2.CfnWebACLAssociation(scope, 'Resource', { resourceArn, webAclArn: this.webAclArn });
    if (this.shieldAdvanced) {
      new shield.CfnProtection(scope, 'ShieldProtection', {
        name: Names.uniqueResourceName(scope, { maxLength: 128, separator: '-' }),
        resourceArn,
      });
    }
    return association;
  }

  /** Creates the KMS key and the log group, and lets CloudWatch Logs use the key for this log group only. */
  private createLogGroup(settings: WebAclSettings): { logGroup: logs.LogGroup; key: kms.Key; arn: string } {
    const stack = Stack.of(this);
    const logGroupName = `${LOG_DESTINATION_PREFIX}${settings.webAclName}`;
    // WAF takes the log group's ARN without the ":*" suffix that LogGroup.logGroupArn has.
    const arn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const key = new kms.Key(this, 'LogKey', {
      description: `Encrypts the AWS WAF logs of the web ACL ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsForTheWafLogGroup',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arn } },
    }));

    // NOTE: AWS WAF adds the log group resource policy that lets delivery.logs.amazonaws.com
    // write when it enables logging. It does so with the permissions of the deploying role,
    // which needs logs:CreateLogDelivery, logs:PutResourcePolicy,
    // logs:DescribeResourcePolicies and logs:DescribeLogGroups.
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: key,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
      deletionProtectionEnabled: settings.removalPolicy !== RemovalPolicy.DESTROY,
    });
    return { logGroup, key, arn };
  }

  /**
   * Checks what can be known of the log bucket only once the app is complete.
   *
   * The name of a bucket defined in this app may be a token that resolves only now. When it
   * resolves to nothing, CloudFormation generates a name, which never has the prefix AWS WAF
   * requires. A bucket policy defined in this app without a statement for the log delivery
   * service gets a warning: AWS WAF adds the statement when logging starts, but the next
   * deployment of the bucket policy removes it and log delivery stops.
   */
  private validateLogBucket(bucket: s3.IBucket): string[] {
    const errors: string[] = [];
    const resource = bucketResource(bucket);
    if (resource !== undefined && Token.isUnresolved(resource.bucketName)) {
      const name: unknown = Stack.of(resource).resolve(resource.bucketName);
      if (name === undefined) {
        errors.push(`logBucket ${show(bucket.node.path)} has no bucketName, so CloudFormation generates a name that does `
          + `not start with "${LOG_DESTINATION_PREFIX}". ${BUCKET_NAME_FIX}`);
      } else if (typeof name === 'string' && !name.startsWith(LOG_DESTINATION_PREFIX)) {
        errors.push(`logBucket is the bucket ${show(name)}, whose name does not start with "${LOG_DESTINATION_PREFIX}". ${BUCKET_NAME_FIX}`);
      }
    }

    if (bucket.policy !== undefined && !allowsLogDelivery(bucket.policy)) {
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:webAclLogBucketPolicy',
        `The policy of logBucket ${show(bucket.node.path)} has no statement that allows delivery.logs.amazonaws.com `
        + 's3:PutObject. AWS WAF adds one when logging starts, but the next deployment of the bucket policy removes it '
        + 'and log delivery stops. Add the statement to the bucket policy, or use LogArchive, which adds it.');
    }
    return errors;
  }
}

/** Builds the web ACL's rules: the baseline rule groups, the rate-based rule and the additional rule groups. */
function buildRules(settings: WebAclSettings): wafv2.CfnWebACL.RuleProperty[] {
  const managedGroups = [
    ...BASELINE_RULE_GROUPS.map((group) => ({ ...group, vendorName: 'AWS', version: undefined as string | undefined })),
    ...settings.additionalRuleGroups.map((group) => ({ ...group, vendorName: group.vendorName ?? 'AWS' })),
  ];
  const rules: wafv2.CfnWebACL.RuleProperty[] = managedGroups.map((group) => {
    const counted = settings.countedRules.filter((rule) => rule.ruleGroupName === group.name);
    return {
      name: group.name,
      priority: group.priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: group.vendorName,
          name: group.name,
          version: group.version,
          ruleActionOverrides: counted.length === 0
            ? undefined
            : counted.map((rule) => ({ name: rule.ruleName, actionToUse: { count: {} } })),
        },
      },
      visibilityConfig: visibility(group.name),
    };
  });

  rules.push({
    name: RATE_RULE.name,
    priority: RATE_RULE.priority,
    action: { block: {} },
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'IP',
        limit: settings.rateLimit,
        evaluationWindowSec: settings.rateWindowSeconds,
      },
    },
    visibilityConfig: visibility(RATE_RULE.name),
  });
  return rules.sort((a, b) => (a.priority as number) - (b.priority as number));
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/** Tests whether a bucket policy has a statement that lets the log delivery service put objects. */
function allowsLogDelivery(policy: s3.BucketPolicy): boolean {
  const document = Stack.of(policy).resolve(policy.document.toJSON()) as { Statement?: unknown[] } | undefined;
  return (document?.Statement ?? []).some((statement) => {
    const fields = (typeof statement === 'object' && statement !== null ? statement : {}) as Record<string, unknown>;
    const principal = fields.Principal as Record<string, unknown> | undefined;
    const services = [principal?.Service].flat();
    const actions = [fields.Action].flat();
    return fields.Effect === 'Allow'
      && services.includes('delivery.logs.amazonaws.com')
      && actions.some((action) => action === 's3:PutObject' || action === 's3:*' || action === '*');
  });
}

/**
 * Checks a concrete resource ARN for `associate()`.
 *
 * @returns one sentence per problem, naming the ARN and the fix
 */
function associationProblems(resourceArn: string, stack: Stack, shieldAdvanced: boolean): string[] {
  const match = /^arn:[^:]+:([^:]+):([^:]*):([^:]*):(.+)$/.exec(resourceArn);
  if (match === null) {
    return [`resourceArn ${show(resourceArn)} is not an ARN. Pass the ARN of the resource to protect, for example `
      + 'arn:aws:elasticloadbalancing:eu-west-2:111122223333:loadbalancer/app/my-alb/50dc6c495c0c9188.'];
  }
  const [, service, region, account, resource] = match;
  const problems: string[] = [];

  const resourceType = regionalResourceType(service, resource);
  if (resourceType === undefined) {
    problems.push(`resourceArn ${show(resourceArn)} is not a resource that a regional web ACL protects: `
      + `${unsupportedReason(service, resource)} Pass the ARN of an Application Load Balancer, an API Gateway REST API stage, `
      + 'an AppSync GraphQL API, a Cognito user pool, an App Runner service or a Verified Access instance.');
  } else if (shieldAdvanced && resourceType !== APPLICATION_LOAD_BALANCER) {
    problems.push(`resourceArn ${show(resourceArn)} is ${resourceType}, which AWS Shield Advanced does not protect. `
      + 'With shieldAdvanced, associate only Application Load Balancers, or turn shieldAdvanced off for this web ACL.');
  }
  if (region !== '' && isConcreteString(stack.region) && region !== stack.region) {
    problems.push(`resourceArn ${show(resourceArn)} is in ${region}, but the web ACL is in ${stack.region}. `
      + `A regional web ACL protects resources in its own region only, so create a web ACL in ${region} for it.`);
  }
  if (account !== '' && isConcreteString(stack.account) && account !== stack.account) {
    problems.push(`resourceArn ${show(resourceArn)} is in account ${account}, but the web ACL is in ${stack.account}. `
      + `AWS WAF associates a web ACL only with resources in its own account, so create a web ACL in ${account}.`);
  }
  return problems;
}

const APPLICATION_LOAD_BALANCER = 'an Application Load Balancer';

/** Names the type of a resource that a regional web ACL protects, with its article, or returns undefined. */
function regionalResourceType(service: string, resource: string): string | undefined {
  if (service === 'elasticloadbalancing' && resource.startsWith('loadbalancer/app/')) {
    return APPLICATION_LOAD_BALANCER;
  }
  const types: Record<string, [RegExp, string]> = {
    'apigateway': [/^\/restapis\/[^/]+\/stages\/[^/]+$/, 'an API Gateway REST API stage'],
    'appsync': [/^apis\//, 'an AppSync GraphQL API'],
    'cognito-idp': [/^userpool\//, 'a Cognito user pool'],
    'apprunner': [/^service\//, 'an App Runner service'],
    'ec2': [/^verified-access-instance\//, 'a Verified Access instance'],
  };
  const type = types[service];
  return type !== undefined && type[0].test(resource) ? type[1] : undefined;
}

/** Explains why a resource cannot be associated with a regional web ACL, for the common mistakes. */
function unsupportedReason(service: string, resource: string): string {
  if (service === 'elasticloadbalancing' && /^loadbalancer\/(net|gwy)\//.test(resource)) {
    return 'AWS WAF inspects HTTP requests, so it protects Application Load Balancers but not Network or Gateway Load Balancers.';
  }
  if (service === 'elasticloadbalancing') {
    return 'it is a listener, target group or Classic Load Balancer, not an Application Load Balancer.';
  }
  if (service === 'cloudfront') {
    return 'a CloudFront distribution needs a web ACL of CLOUDFRONT scope, created in us-east-1.';
  }
  return `the AWS WAF AssociateWebACL API does not list ${service} resources of this type. If AWS WAF has added `
    + 'support for the type since, create a wafv2.CfnWebACLAssociation with webAclArn instead.';
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
function validateProps(scope: Construct, id: string, rawProps: WebAclProps | null, defaultName: () => string): WebAclSettings {
  const validator = new PropsValidator(describeConstruct('WebAcl', scope, id));
  if (isGiven(rawProps) && typeof rawProps !== 'object') {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object, or omit them to use the defaults.`);
    validator.throwIfInvalid();
  }
  const props: WebAclProps = rawProps ?? {};

  const webAclName = isGiven(props.webAclName) ? props.webAclName : defaultName();
  checkEntityName(validator, 'webAclName', webAclName, 'omit webAclName to use a name derived from the construct path');
  checkRateLimit(validator, props.rateLimit);
  const rateWindowSeconds = checkRateWindow(validator, props.rateLimitWindow);
  checkLogDestination(validator, props, Stack.of(scope));
  const redactedHeaders = checkRedactedHeaders(validator, props.redactedHeaders);
  const additionalRuleGroups = checkAdditionalRuleGroups(validator, props.additionalRuleGroups);
  const countedRules = checkCountedRules(validator, props.countedRules, additionalRuleGroups);
  if (isGiven(props.shieldAdvanced) && typeof props.shieldAdvanced !== 'boolean') {
    validator.fail(`shieldAdvanced is ${show(props.shieldAdvanced)}, which is not a boolean. Give true or false.`);
  }

  validator.throwIfInvalid();
  return {
    webAclName,
    rateLimit: props.rateLimit ?? DEFAULT_RATE_LIMIT,
    rateWindowSeconds,
    logBucket: props.logBucket ?? undefined,
    logRetention: props.logRetention ?? DEFAULT_RETENTION,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    redactedHeaders,
    additionalRuleGroups,
    countedRules,
    shieldAdvanced: props.shieldAdvanced ?? false,
  };
}

/** Records a problem unless a name follows the AWS WAF naming rules and is not a reserved metric name. */
function checkEntityName(validator: PropsValidator, propName: string, name: unknown, alternative: string): void {
  if (typeof name !== 'string') {
    validator.fail(`${propName} is ${show(name)}, which is not a string. Give a name of 1 to 128 letters, digits, `
      + `hyphens and underscores, or ${alternative}.`);
  } else if (isConcreteString(name) && !ENTITY_NAME.test(name)) {
    const reason = name.length === 0 ? 'is empty'
      : name.length > 128 ? `is ${name.length} characters long`
        : 'contains characters other than letters, digits, hyphens and underscores';
    validator.fail(`${propName} ${show(name)} ${reason}. AWS WAF names have 1 to 128 letters, digits, hyphens and `
      + `underscores, so choose such a name, or ${alternative}.`);
  } else if (isConcreteString(name) && RESERVED_METRIC_NAMES.includes(name)) {
    validator.fail(`${propName} is ${show(name)}, which AWS WAF reserves as a metric name. Choose another name, or ${alternative}.`);
  }
}

/** Records a problem unless the rate limit is a whole number in the range AWS WAF accepts, or a token. */
function checkRateLimit(validator: PropsValidator, rateLimit: unknown): void {
  if (!isGiven(rateLimit) || Token.isUnresolved(rateLimit)) {
    return;
  }
  if (typeof rateLimit !== 'number' || !Number.isInteger(rateLimit) || rateLimit < MIN_RATE_LIMIT || rateLimit > MAX_RATE_LIMIT) {
    validator.fail(`rateLimit is ${show(rateLimit)}. AWS WAF accepts a whole number of requests from `
      + `${MIN_RATE_LIMIT} to ${MAX_RATE_LIMIT.toLocaleString('en-GB')}, so give one, for example ${DEFAULT_RATE_LIMIT}, `
      + `or omit rateLimit for ${DEFAULT_RATE_LIMIT}.`);
  }
}

/** Records a problem unless the window is one AWS WAF accepts, and returns it in seconds. */
function checkRateWindow(validator: PropsValidator, window: unknown): number {
  const defaultSeconds = DEFAULT_RATE_WINDOW.toSeconds();
  if (!isGiven(window)) {
    return defaultSeconds;
  }
  if (!(window instanceof Duration) || window.isUnresolved()) {
    validator.fail(`rateLimitWindow is ${window instanceof Duration ? 'a token' : show(window)}, which is not a literal `
      + 'Duration. Give Duration.minutes(1), (2), (5) or (10), or omit rateLimitWindow for 5 minutes.');
    return defaultSeconds;
  }
  const seconds = window.toSeconds({ integral: false });
  if (!RATE_WINDOWS_SECONDS.includes(seconds)) {
    validator.fail(`rateLimitWindow is ${showDuration(window)}. AWS WAF counts requests over 1, 2, 5 or 10 minutes, `
      + 'so give Duration.minutes(1), (2), (5) or (10), or omit rateLimitWindow for 5 minutes.');
  }
  return seconds;
}

/** Checks the log bucket, or the props of the default log group. */
function checkLogDestination(validator: PropsValidator, props: WebAclProps, stack: Stack): void {
  if (isGiven(props.logRetention) && !Object.values(logs.RetentionDays).includes(props.logRetention)) {
    validator.fail(`logRetention is ${show(props.logRetention)}, which is not a CloudWatch Logs retention period. `
      + 'Use a logs.RetentionDays value, for example logs.RetentionDays.ONE_YEAR.');
  }
  if (isGiven(props.removalPolicy) && !REMOVAL_POLICIES.includes(props.removalPolicy)) {
    validator.fail(`removalPolicy is ${show(props.removalPolicy)}, which log groups and KMS keys do not support. `
      + 'Use RemovalPolicy.RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY.');
  }

  const bucket = props.logBucket;
  if (!isGiven(bucket)) {
    return;
  }
  for (const propName of ['logRetention', 'removalPolicy'] as const) {
    if (isGiven(props[propName])) {
      validator.fail(`${propName} applies to the default log group, which is not created when logBucket is given. `
        + `Remove ${propName}, and set the bucket's own lifecycle rules and removal policy instead.`);
    }
  }

  const candidate = bucket as unknown as Record<string, unknown>;
  if (typeof bucket !== 'object' || typeof candidate.bucketArn !== 'string' || typeof candidate.bucketName !== 'string') {
    validator.fail(`logBucket is ${show(bucket)}, which is not an S3 bucket. Pass an IBucket, for example `
      + 's3.Bucket.fromBucketName(this, \'WafLogs\', \'aws-waf-logs-example\').');
    return;
  }
  const name = physicalBucketName(bucket);
  if (name !== undefined && !name.startsWith(LOG_DESTINATION_PREFIX)) {
    validator.fail(`logBucket is the bucket ${show(name)}, whose name does not start with "${LOG_DESTINATION_PREFIX}". ${BUCKET_NAME_FIX}`);
  }

  const bucketAccount = bucket.env?.account;
  if (isConcreteString(bucketAccount) && isConcreteString(stack.account) && bucketAccount !== stack.account) {
    validator.fail(`logBucket is in account ${bucketAccount}, but the web ACL is in ${stack.account}. AWS WAF delivers `
      + 'logs only to a bucket in the web ACL\'s account, so use a bucket in this account (S3 replication can copy the '
      + 'logs to a central archive), or omit logBucket to log to CloudWatch Logs.');
  }
}

/** Returns a bucket's name when it is a literal now, or undefined when it is a token. */
function physicalBucketName(bucket: s3.IBucket): string | undefined {
  if (isConcreteString(bucket.bucketName)) {
    return bucket.bucketName;
  }
  // A bucket defined in this app refers to its name with a token, but its L1 holds the name given.
  const name = bucketResource(bucket)?.bucketName;
  return isConcreteString(name) ? name : undefined;
}

/** Returns the L1 of a bucket defined in this app, or undefined for an imported bucket. */
function bucketResource(bucket: s3.IBucket): s3.CfnBucket | undefined {
  const resource = bucket.node.defaultChild;
  return CfnResource.isCfnResource(resource) && resource.cfnResourceType === 'AWS::S3::Bucket' ? resource as s3.CfnBucket : undefined;
}

/** Checks the extra headers to redact and returns every header to redact, lower case and without repeats. */
function checkRedactedHeaders(validator: PropsValidator, value: unknown): string[] {
  if (!isGiven(value)) {
    return [...ALWAYS_REDACTED_HEADERS];
  }
  const headers = checkList(validator, 'redactedHeaders', value, '["x-api-key"]') ?? [];
  headers.forEach((header, index) => {
    if (isConcreteString(header) && !HEADER_NAME.test(header)) {
      validator.fail(`redactedHeaders[${index}] is ${show(header)}, which is not an HTTP header name of 1 to 64 characters. `
        + 'Give the header name alone, without a colon or value, for example "x-api-key".');
    } else if (typeof header !== 'string') {
      validator.fail(`redactedHeaders[${index}] is ${show(header)}, which is not a string. Give a header name, for example "x-api-key".`);
    }
  });

  const names = [...ALWAYS_REDACTED_HEADERS, ...headers.filter((header): header is string => typeof header === 'string')];
  const unique = [...new Set(names.map((name) => (Token.isUnresolved(name) ? name : name.toLowerCase())))];
  if (unique.length > MAX_REDACTED_FIELDS) {
    validator.fail(`redactedHeaders lists ${unique.length - ALWAYS_REDACTED_HEADERS.length} headers. AWS WAF redacts at most `
      + `${MAX_REDACTED_FIELDS} fields, two of them authorization and cookie, so list at most ${MAX_REDACTED_FIELDS - 2}.`);
  }
  return unique;
}

/** Checks the additional rule groups, including their names and priorities against the baseline rules. */
function checkAdditionalRuleGroups(validator: PropsValidator, value: unknown): ManagedRuleGroup[] {
  if (!isGiven(value)) {
    return [];
  }
  const groups = checkList(validator, 'additionalRuleGroups', value, '[{ name: "AWSManagedRulesLinuxRuleSet", priority: 70 }]') ?? [];
  const names = new Map<string, string>([...BASELINE_RULE_GROUPS, RATE_RULE].map((rule) => [rule.name, 'a baseline rule']));
  const priorities = new Map<number, string>([...BASELINE_RULE_GROUPS, RATE_RULE].map((rule) => [rule.priority, rule.name]));

  groups.forEach((entry, index) => {
    const path = `additionalRuleGroups[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      validator.fail(`${path} is ${show(entry)}, which is not a rule group. Give an object such as { name: "AWSManagedRulesLinuxRuleSet", priority: 70 }.`);
      return;
    }
    const group = entry as ManagedRuleGroup;
    checkEntityName(validator, `${path}.name`, group.name, 'remove the rule group');
    if (isConcreteString(group.name) && CONFIGURED_RULE_GROUPS.includes(group.name) && (group.vendorName ?? 'AWS') === 'AWS') {
      validator.fail(`${path}.name is ${show(group.name)}, which AWS WAF accepts only with a managed rule group configuration `
        + 'that this construct does not set. Remove it, and add the rule group to the CfnWebACL with its configuration.');
    }
    if (isConcreteString(group.name) && names.has(group.name)) {
      validator.fail(`${path}.name is ${show(group.name)}, which ${names.get(group.name)} already uses. `
        + 'Rule names must be unique in a web ACL, so remove the repeated rule group.');
    } else if (isConcreteString(group.name)) {
      names.set(group.name, path);
    }

    if (isGiven(group.vendorName) && !(isConcreteString(group.vendorName) && /\S/.test(group.vendorName) && group.vendorName.length <= 128)) {
      validator.fail(`${path}.vendorName is ${show(group.vendorName)}. Give the vendor name of 1 to 128 characters, for example "AWS".`);
    }
    if (isGiven(group.version) && !(isConcreteString(group.version) && VERSION_NAME.test(group.version))) {
      validator.fail(`${path}.version is ${show(group.version)}, which is not a rule group version. Give the version name `
        + 'AWS WAF lists, for example "Version_1.0", or omit version to use the default version.');
    }

    if (typeof group.priority !== 'number' || !Number.isInteger(group.priority) || group.priority < 0) {
      validator.fail(`${path}.priority is ${show(group.priority)}. Give a whole number of 0 or more, for example 70.`);
    } else if (priorities.has(group.priority)) {
      validator.fail(`${path}.priority is ${group.priority}, which ${priorities.get(group.priority)} already uses. `
        + 'Each rule in a web ACL needs its own priority, and the baseline rules use 10 to 60, so choose another, for example 70.');
    } else {
      priorities.set(group.priority, path);
    }
  });
  return groups as ManagedRuleGroup[];
}

/** Checks that each counted rule names a managed rule group of the web ACL, once. */
function checkCountedRules(validator: PropsValidator, value: unknown, additional: ManagedRuleGroup[]): CountedRule[] {
  if (!isGiven(value)) {
    return [];
  }
  const rules = checkList(validator, 'countedRules', value, '[{ ruleGroupName: "AWSManagedRulesCommonRuleSet", ruleName: "SizeRestrictions_BODY" }]') ?? [];
  const groupNames = [...BASELINE_RULE_GROUPS.map((group) => group.name), ...additional.map((group) => group.name)];
  const seen = new Set<string>();
  const perGroup = new Map<string, number>();

  rules.forEach((entry, index) => {
    const path = `countedRules[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      validator.fail(`${path} is ${show(entry)}, which is not a counted rule. Give an object such as `
        + '{ ruleGroupName: "AWSManagedRulesCommonRuleSet", ruleName: "SizeRestrictions_BODY" }.');
      return;
    }
    const rule = entry as CountedRule;
    if (isConcreteString(rule.ruleGroupName) && !groupNames.includes(rule.ruleGroupName)) {
      validator.fail(`${path}.ruleGroupName is ${show(rule.ruleGroupName)}, which is not a managed rule group of this web ACL. `
        + `Use one of ${groupNames.join(', ')}.`);
    } else if (!isConcreteString(rule.ruleGroupName)) {
      validator.fail(`${path}.ruleGroupName is ${show(rule.ruleGroupName)}. Give the name of a managed rule group of this web ACL as a literal string.`);
    }
    checkEntityName(validator, `${path}.ruleName`, rule.ruleName, 'remove the counted rule');

    const key = `${rule.ruleGroupName}/${rule.ruleName}`;
    if (seen.has(key)) {
      validator.fail(`${path} repeats the rule ${show(rule.ruleName)} of ${show(rule.ruleGroupName)}. List each rule once.`);
    }
    seen.add(key);
    const count = (perGroup.get(String(rule.ruleGroupName)) ?? 0) + 1;
    perGroup.set(String(rule.ruleGroupName), count);
    if (count === MAX_RULE_ACTION_OVERRIDES + 1) {
      validator.fail(`countedRules lists more than ${MAX_RULE_ACTION_OVERRIDES} rules of ${show(rule.ruleGroupName)}, `
        + `and AWS WAF overrides at most ${MAX_RULE_ACTION_OVERRIDES} in a rule group. List fewer.`);
    }
  });
  return rules as CountedRule[];
}
