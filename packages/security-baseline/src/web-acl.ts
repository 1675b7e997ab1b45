import {
  Annotations,
  ArnFormat,
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
import { denyGrantsExceptForAwsResources } from './private/key-policy';
import { show } from './private/validation';
import {
  BASELINE_RULE_GROUPS,
  BUCKET_NAME_FIX,
  LOG_DESTINATION_PREFIX,
  RATE_RULE,
  WebAclSettings,
  bucketResource,
  validateAssociation,
  validateWebAclProps,
} from './private/web-acl-validation';

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

  /**
   * The web ACL capacity units (WCUs) that the rule group uses, as its vendor lists it.
   *
   * The construct estimates the web ACL's capacity from it: it warns above the 1,500 WCUs that
   * the basic web ACL price includes, and fails above the 5,000 WCUs that AWS WAF allows.
   *
   * @default - the capacity that the AWS WAF Developer Guide lists, for the AWS managed rule
   *   groups in the construct's table. Other rule groups are left out of the estimate.
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
   */
  readonly capacityUnits?: number;
}

/** Properties of a web ACL. */
export interface WebAclProps {
  /**
   * The name of the web ACL, which is also the name of its CloudWatch metrics.
   *
   * 1 to 128 letters, digits, hyphens and underscores. AWS WAF reserves the metric
   * names `All` and `Default_Action`. The default log group is named `aws-waf-logs-<name>`.
   * Regional web ACL names are unique in an account and region, so the construct rejects a
   * name that another web ACL of the app has there.
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
   * this construct does not set one. An AWS managed rule group name that the construct does
   * not know gets a warning, and so does a web ACL whose estimated capacity is over the
   * 1,500 WCUs that the basic price includes. An estimate over 5,000 WCUs is rejected.
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

  constructor(scope: Construct, id: string, props: WebAclProps = {}) {
    super(scope, id);
    const settings = validateWebAclProps(scope, id, this, props,
      () => Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }));
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
   * Balancer. A resource can be associated with one web ACL only, so this rejects a resource
   * that a web ACL of the app is already associated with. It compares literal ARNs and
   * resource attributes across the app, and other intrinsic functions within one stack.
   *
   * @param id the construct ID of the association
   * @param resourceArn the ARN of an Application Load Balancer. Regional web ACLs also protect
   *   API Gateway REST API stages, AppSync GraphQL APIs, Cognito user pools, App Runner
   *   services and Verified Access instances.
   * @returns the association resource
   * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
   */
  public associate(id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    validateAssociation(this, id, resourceArn, this.shieldAdvanced);

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

    const key = denyGrantsExceptForAwsResources(new kms.Key(this, 'LogKey', {
      description: `Encrypts the AWS WAF logs of the web ACL ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    }));
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
