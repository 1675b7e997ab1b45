/**
 * Every AWS Control Tower proactive control that the cfn-guard check does not apply, in
 * whole or for some resources, with the reason. tools/cfn-guard.ts reads this file; its
 * test fails when an entry names a control that the bundled rules no longer have.
 *
 * Only two kinds of reason belong here: the control does not fit this platform, or another
 * control covers the same risk. A failure that shows a real weakness is fixed in the
 * construct, never listed here.
 */

/** A cfn-guard rule switched off for every template of the estate. */
export interface DisabledGuardRule {
  /** The AWS Control Tower control id (for example `CT.S3.PR.2`) or the rule name in the guard file. */
  readonly control: string;
  /** The reason the control does not fit this platform, or the other control that covers the same risk. */
  readonly reason: string;
}

/** Accepted failures of one control on some resources only. */
export interface GuardExemption {
  /** The AWS Control Tower control id or the rule name in the guard file. */
  readonly control: string;
  /** Matched against the absolute template path. @default every template */
  readonly templatePattern?: RegExp;
  /** Matched against the resource's logical id; CDK appends an 8-character hash to it. @default every resource */
  readonly logicalIdPattern?: RegExp;
  /** The reason these resources may fail the control. */
  readonly reason: string;
}

export const DISABLED_GUARD_RULES: readonly DisabledGuardRule[] = [
  {
    control: 'CT.S3.PR.4',
    reason: 'The control asks every bucket to publish event notifications, which only helps when something consumes them. The buckets of '
      + 'this platform are log and evidence archives written by AWS services; object-level activity on them is watched by GuardDuty S3 '
      + 'protection (S3_DATA_EVENTS, turned on by DetectiveControls for every account) and by the organisation trail\'s S3 data events '
      + 'on the audit archive. A notification target added only to pass the control would be one more resource to secure with no reader.',
  },
  {
    control: 'CT.GUARDDUTY.PR.1',
    reason: 'The rule reads only the older DataSources.S3Logs property. DetectiveControls turns S3 protection on through the detector\'s '
      + 'Features list (S3_DATA_EVENTS ENABLED), and CloudFormation accepts DataSources or Features on a detector, not both, so the rule '
      + 'fails a detector that has S3 protection. The DetectiveControls unit tests assert that S3_DATA_EVENTS is enabled.',
  },
];

/** CDK adds an 8-character upper-case hexadecimal hash to every logical id. */
const HASH = '[0-9A-F]{8}';

/** The committed integration test snapshots (packages/<package>/test/integ.<name>.ts.snapshot/). */
const INTEG_SNAPSHOT = /\/test\/integ\.[^/]+\.snapshot\//;

/** The stacks that @aws-cdk/integ-tests-alpha adds to run assertions; they contain only its own resources. */
const INTEG_ASSERTION_STACK = /\/test\/integ\.[^/]+\.snapshot\/[^/]*DeployAssert[0-9A-F]{8}\.template\.json$/;

/** Builds one exemption per control for the same resources and reason. */
function exemptFromControls(controls: string[], exemption: Omit<GuardExemption, 'control'>): GuardExemption[] {
  return controls.map((control) => ({ control, ...exemption }));
}

const S3_ACCESS_LOG_BUCKETS = new RegExp(`AccessLogsBucket${HASH}$`);
const ELB_ACCESS_LOG_BUCKETS = new RegExp(`^IngressAccessLogBucket${HASH}$`);
const CRL_BUCKETS = new RegExp(`CrlBucket${HASH}$`);

export const GUARD_EXEMPTIONS: readonly GuardExemption[] = [
  // Functions that aws-cdk-lib adds to run custom resources. The same reasons are recorded
  // as cdk-nag suppressions in each package's private custom resource provider helper.
  {
    control: 'CT.LAMBDA.PR.3',
    logicalIdPattern: new RegExp(`^(AWS679f53fac002430cb0da5b7982bd2287|Custom[A-Za-z0-9]+CustomResourceProviderHandler)${HASH}$`),
    reason: 'These are the handler functions that aws-cdk-lib adds for AwsCustomResource and its own custom resources (default security '
      + 'group lockdown, bucket auto-delete). They run only while CloudFormation deploys the stack, call AWS APIs and hold no data. Most '
      + 'run in accounts without a VPC (management, security); inside a VPC they would need an interface endpoint or NAT for every API they call.',
  },
  {
    control: 'CT.CLOUDWATCH.PR.3',
    logicalIdPattern: new RegExp(`^AWS679f53fac002430cb0da5b7982bd2287LogGroup${HASH}$`),
    reason: 'The log group of the AwsCustomResource handler function records only the AWS API calls it makes during deployment, with no '
      + 'workload data; CloudWatch Logs encrypts it with a service key.',
  },

  // The transit hub accepts attachments from the accounts it is shared with.
  {
    control: 'CT.EC2.PR.6',
    logicalIdPattern: new RegExp(`^Hub${HASH}$`),
    reason: 'TransitHub accepts shared attachments automatically so that spoke accounts can attach without a manual step in the hub '
      + 'account, but it turns off default route table association and propagation: an accepted attachment carries no traffic until '
      + 'the hub account associates it with a routing domain. The RAM share names its principals and admits none outside the organisation.',
  },

  // Log buckets that AWS services write to, where the service limits what the bucket may use.
  ...exemptFromControls(['CT.S3.PR.10'], {
    logicalIdPattern: S3_ACCESS_LOG_BUCKETS,
    reason: 'S3 server access logging delivers only to buckets whose default encryption is SSE-S3, not SSE-KMS.',
  }),
  ...exemptFromControls(['CT.S3.PR.2'], {
    logicalIdPattern: S3_ACCESS_LOG_BUCKETS,
    reason: 'This bucket is the server access logging target of another bucket; logging it would need a further bucket, and so on without end.',
  }),
  ...exemptFromControls(['CT.S3.PR.9'], {
    logicalIdPattern: S3_ACCESS_LOG_BUCKETS,
    reason: 'Amazon S3 does not accept a bucket with Object Lock as the destination of server access logs.',
  }),
  ...exemptFromControls(['CT.S3.PR.10'], {
    logicalIdPattern: ELB_ACCESS_LOG_BUCKETS,
    reason: 'Elastic Load Balancing delivers application load balancer access logs only to buckets encrypted with SSE-S3, not SSE-KMS.',
  }),
  ...exemptFromControls(['CT.S3.PR.2'], {
    logicalIdPattern: ELB_ACCESS_LOG_BUCKETS,
    reason: 'The bucket holds only load balancer access logs; logging requests to it would need a further log bucket, and CloudTrail data '
      + 'events can record reads of these objects instead.',
  }),
  // NOTE: unconfirmed until a test deployment shows whether log delivery works with Object Lock.
  ...exemptFromControls(['CT.S3.PR.9'], {
    logicalIdPattern: ELB_ACCESS_LOG_BUCKETS,
    reason: 'Elastic Load Balancing does not document whether it delivers access logs to a bucket with Object Lock, and S3 rejects an '
      + 'upload to a bucket with default retention unless the request carries a checksum, which the log delivery is not documented to send. '
      + 'The bucket is versioned, so a deleted or overwritten log stays as a noncurrent version until the lifecycle expires it.',
  }),

  // The SocFeed dead-letter queue receives only from EventBridge rules, never from a queue.
  {
    control: 'CT.SQS.PR.1',
    logicalIdPattern: new RegExp(`DeadLetterQueue${HASH}$`),
    templatePattern: /Security-Audit\.template\.json$|SocFeedInteg\.template\.json$/,
    reason: 'The control accepts a queue as a dead-letter queue only when its redrive allow policy names source queues or allows all. '
      + 'The SocFeed dead-letter queue is the target of EventBridge rules and has no source queue; its policy is denyAll, so no queue in the '
      + 'account can redrive into it and have the messages replayed to the SOC. allowAll would pass the control and open that path.',
  },
  // AWS Config delivers to the central config archive, which therefore has no Object Lock.
  {
    control: 'CT.S3.PR.9',
    logicalIdPattern: new RegExp(`^ConfigArchiveBucket${HASH}$`),
    reason: 'AWS Config does not deliver to a bucket with Object Lock enabled (CloudFormation reference of AWS::Config::DeliveryChannel). '
      + 'The bucket is versioned, and its policy denies s3:DeleteObject and s3:DeleteObjectVersion to every principal.',
  },

  // AWS Private CA publishes certificate revocation lists for every relying party.
  ...exemptFromControls(['CT.S3.PR.10'], {
    logicalIdPattern: CRL_BUCKETS,
    reason: 'CRLs are signed lists of revoked serial numbers meant for every relying party; with a KMS key each reader would also need kms:Decrypt.',
  }),
  ...exemptFromControls(['CT.S3.PR.9'], {
    logicalIdPattern: CRL_BUCKETS,
    reason: 'AWS Private CA rewrites each CRL on its schedule and signs it, so relying parties detect a changed CRL; Object Lock would keep '
      + 'every superseded CRL without making the current one more trustworthy. The bucket is versioned.',
  }),

  // Integration tests only: resources that @aws-cdk/integ-tests-alpha adds to run assertions.
  ...exemptFromControls(['CT.LAMBDA.PR.3', 'CT.STEPFUNCTIONS.PR.1', 'CT.STEPFUNCTIONS.PR.2'], {
    templatePattern: INTEG_ASSERTION_STACK,
    reason: 'The assertion stacks of the integration tests hold only the functions and state machines of @aws-cdk/integ-tests-alpha, '
      + 'which call AWS APIs to check the deployed resources and are destroyed with the test.',
  }),

  // Integration tests only: documented relaxations the tests choose so that they can be torn down.
  ...exemptFromControls(['CT.ELASTICLOADBALANCING.PR.5'], {
    templatePattern: INTEG_SNAPSHOT,
    logicalIdPattern: new RegExp(`^(IngressLoadBalancer|VendorLoadBalancer)${HASH}$`),
    reason: 'The integration tests set the documented deletionProtection prop to false so that the test stack can be destroyed; '
      + 'IngressDmz and VendorDeployEndpoint keep deletion protection on by default, as the example apps show.',
  }),

  // Integration tests only: fixtures that stand in for resources the estate provides elsewhere.
  ...exemptFromControls(['CT.S3.PR.2', 'CT.S3.PR.6', 'CT.S3.PR.9', 'CT.S3.PR.10', 'CT.S3.PR.11'], {
    templatePattern: INTEG_SNAPSHOT,
    logicalIdPattern: new RegExp(`^(Logs|AccessLogs|FlowLogs|Archive|DeliveryBucket|DropBucket)${HASH}$`),
    reason: 'Fixture buckets of the integration tests stand in for the LogArchive buckets that the estate passes to these constructs. '
      + 'They live only as long as the test, and the construct under test does not create them.',
  }),
  ...exemptFromControls(['CT.ELASTICLOADBALANCING.PR.1', 'CT.ELASTICLOADBALANCING.PR.4', 'CT.ELASTICLOADBALANCING.PR.5', 'CT.ELASTICLOADBALANCING.PR.6'], {
    templatePattern: /\/integ\.web-acl\.ts\.snapshot\//,
    logicalIdPattern: new RegExp(`^LoadBalancer(Http)?${HASH}$`),
    reason: 'The WebAcl integration test needs a load balancer to associate the web ACL with; the load balancer and its listener are '
      + 'a fixture that stands in for a workload, not part of the construct under test.',
  }),
  ...exemptFromControls(['CT.EC2.PR.11'], {
    templatePattern: /\/integ\.web-acl\.ts\.snapshot\//,
    logicalIdPattern: new RegExp(`^VpcPublicSubnet\\d+Subnet${HASH}$`),
    reason: 'The public subnets belong to the fixture VPC of the WebAcl integration test, which hosts its internet-facing fixture load balancer.',
  }),
  ...exemptFromControls(['CT.SQS.PR.1', 'CT.SQS.PR.2'], {
    templatePattern: /\/integ\.tagging-standard\.ts\.snapshot\//,
    logicalIdPattern: new RegExp(`^Queue${HASH}$`),
    reason: 'The queue of the TaggingStandard integration test is only something to tag; it carries no messages.',
  }),
];
