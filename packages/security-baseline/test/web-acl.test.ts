import {
  App, Aspects, Duration, Fn, Lazy, RemovalPolicy, Stack, Token,
  aws_ec2 as ec2, aws_elasticloadbalancingv2 as elbv2, aws_logs as logs, aws_s3 as s3,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { LogArchive, WebAcl, WebAclProps } from '../src';
import { expectEveryKeyToDenyGrants } from './support/key-policy';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const ALB_ARN = `arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:loadbalancer/app/case-web/50dc6c495c0c9188`;

function newStack(): Stack {
  return new Stack(new App(), 'Ingress', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

function synth(props: WebAclProps = {}): Template {
  const stack = newStack();
  new WebAcl(stack, 'WebAcl', props);
  return Template.fromStack(stack);
}

/** Returns the rules of the only web ACL in the template. */
function rulesOf(template: Template): Array<Record<string, any>> {
  const acls = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  expect(acls).toHaveLength(1);
  return acls[0].Properties.Rules;
}

function logGroupArn(name: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-2:${ACCOUNT}:log-group:${name}`]] };
}

describe('WebAcl defaults', () => {
  test('web ACL is regional and allows by default', () => {
    synth({ webAclName: 'ingress' }).hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: 'ingress',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'ingress', SampledRequestsEnabled: true },
    });
  });

  test('baseline rules run in a fixed order', () => {
    const rules = rulesOf(synth());

    expect(rules.map((rule) => [rule.Name, rule.Priority])).toEqual([
      ['AWSManagedRulesAmazonIpReputationList', 10],
      ['AWSManagedRulesAnonymousIpList', 20],
      ['RateLimitPerClientIp', 30],
      ['AWSManagedRulesCommonRuleSet', 40],
      ['AWSManagedRulesKnownBadInputsRuleSet', 50],
      ['AWSManagedRulesSQLiRuleSet', 60],
    ]);
  });

  test('managed rule groups keep their own actions', () => {
    for (const rule of rulesOf(synth()).filter((r) => r.Statement.ManagedRuleGroupStatement)) {
      expect(rule.OverrideAction).toEqual({ None: {} });
      expect(rule.Statement.ManagedRuleGroupStatement).toEqual({ VendorName: 'AWS', Name: rule.Name });
    }
  });

  test('rate rule blocks each IP over 2000 in 5 minutes', () => {
    const rule = rulesOf(synth()).find((r) => r.Name === 'RateLimitPerClientIp');

    expect(rule).toEqual({
      Name: 'RateLimitPerClientIp',
      Priority: 30,
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 2000, EvaluationWindowSec: 300 } },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'RateLimitPerClientIp', SampledRequestsEnabled: true },
    });
  });

  test('every rule has metrics and sampled requests', () => {
    for (const rule of rulesOf(synth())) {
      expect(rule.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, MetricName: rule.Name, SampledRequestsEnabled: true });
    }
  });

  test('logs go to an encrypted log group', () => {
    const template = synth({ webAclName: 'ingress' });
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];

    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'aws-waf-logs-ingress',
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      RetentionInDays: 365,
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      LogDestinationConfigs: [logGroupArn('aws-waf-logs-ingress')],
    });
  });

  test('logging waits for the log group', () => {
    const template = synth();
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0];

    template.hasResource('AWS::WAFv2::LoggingConfiguration', { DependsOn: [logGroupId] });
  });

  test('logs redact authorization and cookie', () => {
    synth().hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
      LoggingFilter: Match.absent(),
    });
  });

  test('log key rotates and is retained', () => {
    const template = synth();

    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('key policy admits CloudWatch Logs for the log group only', () => {
    synth({ webAclName: 'ingress' }).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowCloudWatchLogsForTheWafLogGroup',
          Effect: 'Allow',
          Principal: { Service: 'logs.eu-west-2.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn('aws-waf-logs-ingress') } },
        }]),
      },
    });
  });

  test('log group is retained with deletion protection', () => {
    synth().hasResource('AWS::Logs::LogGroup', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('default name comes from the construct path', () => {
    const stack = newStack();
    const acl = new WebAcl(stack, 'WebAcl');

    expect(acl.webAclName).toMatch(/^Ingress-WebAcl-[0-9A-F]{8}$/);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `aws-waf-logs-${acl.webAclName}` });
  });

  test('exposes the ARN, ID and log destination', () => {
    const stack = newStack();
    const acl = new WebAcl(stack, 'WebAcl', { webAclName: 'ingress' });
    const template = Template.fromStack(stack);
    const aclId = Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0];

    expect(stack.resolve(acl.webAclArn)).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(stack.resolve(acl.webAclId)).toEqual({ 'Fn::GetAtt': [aclId, 'Id'] });
    expect(stack.resolve(acl.logDestinationArn)).toEqual(logGroupArn('aws-waf-logs-ingress'));
    expect(stack.resolve(acl.logGroup!.logGroupName)).toEqual({ Ref: Object.keys(template.findResources('AWS::Logs::LogGroup'))[0] });
    expect(acl.logEncryptionKey).toBeDefined();
    expect(acl.logBucket).toBeUndefined();
  });

  test('null props mean the defaults', () => {
    const template = synth(null as unknown as WebAclProps);

    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
  });
});

describe('WebAcl overrides', () => {
  test('rate limit and window are applied', () => {
    const rule = rulesOf(synth({ rateLimit: 500, rateLimitWindow: Duration.minutes(1) })).find((r) => r.Name === 'RateLimitPerClientIp');

    expect(rule?.Statement.RateBasedStatement).toEqual({ AggregateKeyType: 'IP', Limit: 500, EvaluationWindowSec: 60 });
  });

  test.each([10, 2_000_000_000])('rate limit %d is accepted', (rateLimit) => {
    expect(() => synth({ rateLimit })).not.toThrow();
  });

  test('token rate limit is accepted', () => {
    const rule = rulesOf(synth({ rateLimit: Token.asNumber(Fn.importValue('RateLimit')) })).find((r) => r.Name === 'RateLimitPerClientIp');

    expect(rule?.Statement.RateBasedStatement.Limit).toEqual({ 'Fn::ImportValue': 'RateLimit' });
  });

  test('log retention is applied', () => {
    synth({ logRetention: logs.RetentionDays.SEVEN_YEARS }).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 2557 });
  });

  test('destroy removes the log group and key', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    template.hasResource('AWS::Logs::LogGroup', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('extra redacted headers follow the defaults', () => {
    synth({ redactedHeaders: ['X-Api-Key', 'Cookie', 'x-api-key'] }).hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
        { SingleHeader: { Name: 'x-api-key' } },
      ],
    });
  });

  test('additional rule groups are added by priority', () => {
    const rules = rulesOf(synth({
      additionalRuleGroups: [
        { name: 'AWSManagedRulesLinuxRuleSet', priority: 70, version: 'Version_2.1' },
        { name: 'AWSManagedRulesAdminProtectionRuleSet', priority: 5 },
      ],
    }));

    expect(rules[0]).toMatchObject({
      Name: 'AWSManagedRulesAdminProtectionRuleSet',
      Priority: 5,
      OverrideAction: { None: {} },
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAdminProtectionRuleSet' } },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'AWSManagedRulesAdminProtectionRuleSet', SampledRequestsEnabled: true },
    });
    expect(rules[rules.length - 1]).toMatchObject({
      Name: 'AWSManagedRulesLinuxRuleSet',
      Priority: 70,
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesLinuxRuleSet', Version: 'Version_2.1' } },
    });
  });

  test('unknown AWS rule group warns', () => {
    const stack = newStack();
    new WebAcl(stack, 'WebAcl', { additionalRuleGroups: [{ name: 'AWSManagedRulesTypo', priority: 70 }] });

    Annotations.fromStack(stack).hasWarning('/Ingress/WebAcl', Match.stringLikeRegexp(
      'The rule group "AWSManagedRulesTypo" in additionalRuleGroups is not one of the AWS managed rule groups that WebAcl knows'
      + '.*set capacityUnits to its WCUs.*webAclUnknownManagedRuleGroup'));
  });

  test('known rule groups up to 1,500 WCUs do not warn', () => {
    const stack = newStack();
    // 1,177 WCUs for the baseline rules, 200 for the Linux rule group and 123 for the partner's: 1,500 in all.
    new WebAcl(stack, 'WebAcl', {
      additionalRuleGroups: [
        { name: 'AWSManagedRulesLinuxRuleSet', priority: 70 },
        { name: 'PartnerRules', vendorName: 'Partner', priority: 90, capacityUnits: 123 },
      ],
    });

    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('capacity over 1,500 WCUs warns', () => {
    const stack = newStack();
    new WebAcl(stack, 'WebAcl', {
      additionalRuleGroups: [
        { name: 'AWSManagedRulesLinuxRuleSet', priority: 70 },
        { name: 'AWSManagedRulesWindowsRuleSet', priority: 80 },
        { name: 'AWSManagedRulesPHPRuleSet', priority: 90 },
        { name: 'PartnerRules', vendorName: 'Partner', priority: 100 },
      ],
    });

    Annotations.fromStack(stack).hasWarning('/Ingress/WebAcl', Match.stringLikeRegexp(
      'The web ACL uses an estimated 1,677 WCUs \\(1,177 for the baseline rules, 500 for additionalRuleGroups\\)\\. '
      + 'AWS WAF charges extra for each web ACL over 1,500 WCUs.*The estimate leaves out PartnerRules.*webAclCapacityAboveIncluded'));
  });

  test('given capacity units count in the estimate', () => {
    const stack = newStack();
    new WebAcl(stack, 'WebAcl', { additionalRuleGroups: [{ name: 'PartnerRules', vendorName: 'Partner', priority: 70, capacityUnits: 400 }] });

    Annotations.fromStack(stack).hasWarning('/Ingress/WebAcl', Match.stringLikeRegexp('estimated 1,577 WCUs'));
  });

  test('counted rules are overridden to count', () => {
    const rules = rulesOf(synth({
      additionalRuleGroups: [{ name: 'AWSManagedRulesLinuxRuleSet', priority: 70 }],
      countedRules: [
        { ruleGroupName: 'AWSManagedRulesCommonRuleSet', ruleName: 'SizeRestrictions_BODY' },
        { ruleGroupName: 'AWSManagedRulesAnonymousIpList', ruleName: 'HostingProviderIPList' },
        { ruleGroupName: 'AWSManagedRulesCommonRuleSet', ruleName: 'NoUserAgent_HEADER' },
        { ruleGroupName: 'AWSManagedRulesLinuxRuleSet', ruleName: 'LFI_URIPATH' },
      ],
    }));
    const overridesOf = (name: string) => rules.find((rule) => rule.Name === name)?.Statement.ManagedRuleGroupStatement.RuleActionOverrides;

    expect(overridesOf('AWSManagedRulesCommonRuleSet')).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
      { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
    ]);
    expect(overridesOf('AWSManagedRulesAnonymousIpList')).toEqual([{ Name: 'HostingProviderIPList', ActionToUse: { Count: {} } }]);
    expect(overridesOf('AWSManagedRulesLinuxRuleSet')).toEqual([{ Name: 'LFI_URIPATH', ActionToUse: { Count: {} } }]);
    expect(overridesOf('AWSManagedRulesSQLiRuleSet')).toBeUndefined();
  });
});

describe('WebAcl log bucket', () => {
  test('logs go to the given bucket', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Logs', 'aws-waf-logs-ingress-111122223333');
    const acl = new WebAcl(stack, 'WebAcl', { logBucket: bucket });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::aws-waf-logs-ingress-111122223333']] }],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(acl.logBucket).toBe(bucket);
    expect(acl.logGroup).toBeUndefined();
    expect(acl.logEncryptionKey).toBeUndefined();
  });

  test('log archive bucket is accepted', () => {
    const stack = newStack();
    const archive = new LogArchive(stack, 'Archive', { bucketName: 'aws-waf-logs-archive-111122223333' });
    new WebAcl(stack, 'WebAcl', { logBucket: archive.bucket });
    const template = Template.fromStack(stack);
    const policyId = Object.keys(template.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: Match.stringLikeRegexp('^ArchiveBucket') } },
    }))[0];

    template.hasResource('AWS::WAFv2::LoggingConfiguration', { DependsOn: [policyId] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('bucket policy without log delivery warns', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Logs', { bucketName: 'aws-waf-logs-ingress', enforceSSL: true });
    new WebAcl(stack, 'WebAcl', { logBucket: bucket });

    Annotations.fromStack(stack).hasWarning('/Ingress/WebAcl', Match.stringLikeRegexp(
      'The policy of logBucket "Ingress/Logs" has no statement that allows delivery\\.logs\\.amazonaws\\.com s3:PutObject'
      + '.*webAclLogBucketPolicy'));
  });

  test('bucket without a policy does not warn', () => {
    const stack = newStack();
    new WebAcl(stack, 'WebAcl', { logBucket: new s3.Bucket(stack, 'Logs', { bucketName: 'aws-waf-logs-ingress' }) });

    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('token bucket name is accepted', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Logs', Fn.importValue('WafLogBucket'));

    expect(() => new WebAcl(stack, 'WebAcl', { logBucket: bucket })).not.toThrow();
  });
});

describe('WebAcl associate', () => {
  test('associates the web ACL with a load balancer', () => {
    const stack = newStack();
    const acl = new WebAcl(stack, 'WebAcl');
    const association = acl.associate('CaseWeb', ALB_ARN);
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: ALB_ARN,
      WebACLArn: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0], 'Arn'] },
    });
    expect(association.node.path).toBe('Ingress/WebAcl/CaseWeb/Resource');
    template.resourceCountIs('AWS::Shield::Protection', 0);
  });

  test('shield advanced protects each load balancer', () => {
    const stack = newStack();
    const acl = new WebAcl(stack, 'WebAcl', { shieldAdvanced: true });
    acl.associate('CaseWeb', ALB_ARN);
    acl.associate('Portal', ALB_ARN.replace('case-web', 'portal'));
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::Shield::Protection', 2);
    template.hasResourceProperties('AWS::Shield::Protection', {
      Name: Match.stringLikeRegexp('^Ingress-WebAcl-CaseWeb-[0-9A-F]{8}$'),
      ResourceArn: ALB_ARN,
    });
  });

  test('other regional resource types are accepted', () => {
    const stack = newStack();
    const acl = new WebAcl(stack, 'WebAcl');
    const arns = [
      'arn:aws:apigateway:eu-west-2::/restapis/a1b2c3d4e5/stages/prod',
      `arn:aws:appsync:eu-west-2:${ACCOUNT}:apis/abcdefghijklmnopqrstuvwxyz`,
      `arn:aws:cognito-idp:eu-west-2:${ACCOUNT}:userpool/eu-west-2_aBcDeFgHi`,
      `arn:aws:apprunner:eu-west-2:${ACCOUNT}:service/case-api/8fe1e10304374e7c80684681ea8fe2f7`,
      `arn:aws:ec2:eu-west-2:${ACCOUNT}:verified-access-instance/vai-0ce000c0b7643abea`,
    ];

    arns.forEach((arn, index) => acl.associate(`Resource${index}`, arn));

    Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACLAssociation', arns.length);
  });

  test('token resource ARN is accepted with shield advanced', () => {
    const stack = newStack();
    const acl = new WebAcl(stack, 'WebAcl', { shieldAdvanced: true });
    acl.associate('CaseWeb', Fn.importValue('CaseWebLoadBalancerArn'));

    Template.fromStack(stack).hasResourceProperties('AWS::Shield::Protection', { ResourceArn: { 'Fn::ImportValue': 'CaseWebLoadBalancerArn' } });
  });
});

describe('WebAcl validation', () => {
  test.each([
    ['', /webAclName "" is empty\. AWS WAF names have 1 to 128 letters, digits, hyphens and underscores/],
    ['case web', /webAclName "case web" contains characters other than letters, digits, hyphens and underscores/],
    ['a'.repeat(129), /webAclName "a{129}" is 129 characters long\. AWS WAF names have 1 to 128/],
    ['Default_Action', /webAclName is "Default_Action", which AWS WAF reserves as a metric name/],
  ])('rejects web ACL name %j', (webAclName, message) => {
    expect(() => synth({ webAclName })).toThrow(message);
  });

  test('rejects a web ACL name that is not a string', () => {
    expect(() => synth({ webAclName: 5 as unknown as string })).toThrow(/webAclName is 5, which is not a string/);
  });

  test.each([9, 2_000_000_001, 100.5, -1])('rejects rate limit %d', (rateLimit) => {
    expect(() => synth({ rateLimit }))
      .toThrow(new RegExp(`rateLimit is ${rateLimit}\\. AWS WAF accepts a whole number of requests from 10 to 2,000,000,000`));
  });

  test('rejects a rate limit that is not a number', () => {
    expect(() => synth({ rateLimit: '2000' as unknown as number })).toThrow(/rateLimit is "2000"\. AWS WAF accepts a whole number/);
  });

  test('rejects a rate window AWS WAF lacks', () => {
    expect(() => synth({ rateLimitWindow: Duration.minutes(3) }))
      .toThrow(/rateLimitWindow is 3 minutes\. AWS WAF counts requests over 1, 2, 5 or 10 minutes/);
  });

  test('rejects a rate window that is not a duration', () => {
    expect(() => synth({ rateLimitWindow: 300 as unknown as Duration })).toThrow(/rateLimitWindow is 300, which is not a literal Duration/);
  });

  test('rejects a token rate window', () => {
    expect(() => synth({ rateLimitWindow: Duration.seconds(Token.asNumber(Fn.importValue('Window'))) }))
      .toThrow(/rateLimitWindow is a token, which is not a literal Duration/);
  });

  test('rejects an unknown log retention', () => {
    expect(() => synth({ logRetention: 42 as logs.RetentionDays })).toThrow(/logRetention is 42, which is not a CloudWatch Logs retention period/);
  });

  test('rejects the snapshot removal policy', () => {
    expect(() => synth({ removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(/removalPolicy is "snapshot", which log groups and KMS keys do not support/);
  });

  test('rejects log group props with a bucket', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Logs', 'aws-waf-logs-ingress');

    expect(() => new WebAcl(stack, 'WebAcl', { logBucket: bucket, logRetention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }))
      .toThrow(/logRetention applies to the default log group, which is not created when logBucket is given.*\n.*removalPolicy applies/);
  });

  test('rejects a bucket without the WAF prefix', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Logs', 'ssd-log-archive');

    expect(() => new WebAcl(stack, 'WebAcl', { logBucket: bucket }))
      .toThrow(/logBucket is the bucket "ssd-log-archive", whose name does not start with "aws-waf-logs-"\. AWS WAF delivers logs only to a bucket whose name starts with "aws-waf-logs-"/);
  });

  test('rejects a new bucket named without the prefix', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Logs', { bucketName: 'ssd-waf-logs' });

    expect(() => new WebAcl(stack, 'WebAcl', { logBucket: bucket })).toThrow(/logBucket is the bucket "ssd-waf-logs", whose name does not start/);
  });

  test('rejects a new bucket with a generated name', () => {
    const stack = newStack();
    new WebAcl(stack, 'WebAcl', { logBucket: new s3.Bucket(stack, 'Logs') });

    expect(() => Template.fromStack(stack))
      .toThrow(/logBucket "Ingress\/Logs" has no bucketName, so CloudFormation generates a name that does not start with "aws-waf-logs-"/);
  });

  test('rejects a bucket name known late without the prefix', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Logs', { bucketName: Lazy.string({ produce: () => 'ssd-waf-logs' }) });
    new WebAcl(stack, 'WebAcl', { logBucket: bucket });

    expect(() => Template.fromStack(stack)).toThrow(/logBucket is the bucket "ssd-waf-logs", whose name does not start with "aws-waf-logs-"/);
  });

  test('rejects a bucket in another account', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Logs', { bucketName: 'aws-waf-logs-archive', account: OTHER_ACCOUNT });

    expect(() => new WebAcl(stack, 'WebAcl', { logBucket: bucket }))
      .toThrow(/logBucket is in account 444455556666, but the web ACL is in 111122223333\. AWS WAF delivers logs only to a bucket in the web ACL's account/);
  });

  test('rejects a bucket ARN string', () => {
    expect(() => synth({ logBucket: 'arn:aws:s3:::aws-waf-logs-x' as unknown as s3.IBucket }))
      .toThrow(/logBucket is "arn:aws:s3:::aws-waf-logs-x", which is not an S3 bucket\. Pass an IBucket/);
  });

  test('rejects an invalid header name', () => {
    expect(() => synth({ redactedHeaders: ['x-api-key: secret'] }))
      .toThrow(/redactedHeaders\[0\] is "x-api-key: secret", which is not an HTTP header name of 1 to 64 characters/);
  });

  test('rejects a header string instead of a list', () => {
    expect(() => synth({ redactedHeaders: 'x-api-key' as unknown as string[] }))
      .toThrow(/redactedHeaders is the string "x-api-key", but a list is expected/);
  });

  test('rejects more headers than AWS WAF redacts', () => {
    const redactedHeaders = Array.from({ length: 99 }, (_, index) => `x-header-${index}`);

    expect(() => synth({ redactedHeaders })).toThrow(/redactedHeaders lists 99 headers\. AWS WAF redacts at most 100 fields/);
  });

  test('rejects a rule group named like a baseline rule', () => {
    expect(() => synth({ additionalRuleGroups: [{ name: 'AWSManagedRulesCommonRuleSet', priority: 70 }] }))
      .toThrow(/additionalRuleGroups\[0\]\.name is "AWSManagedRulesCommonRuleSet", which a baseline rule already uses/);
  });

  test('rejects a priority a baseline rule uses', () => {
    expect(() => synth({ additionalRuleGroups: [{ name: 'AWSManagedRulesLinuxRuleSet', priority: 30 }] }))
      .toThrow(/additionalRuleGroups\[0\]\.priority is 30, which RateLimitPerClientIp already uses/);
  });

  test('rejects repeated rule groups', () => {
    expect(() => synth({
      additionalRuleGroups: [
        { name: 'AWSManagedRulesLinuxRuleSet', priority: 70 },
        { name: 'AWSManagedRulesLinuxRuleSet', priority: 70 },
      ],
    })).toThrow(new RegExp('additionalRuleGroups\\[1\\]\\.name is "AWSManagedRulesLinuxRuleSet", which additionalRuleGroups\\[0\\] already uses'
      + '.*\\n  - additionalRuleGroups\\[1\\]\\.priority is 70, which additionalRuleGroups\\[0\\] already uses'));
  });

  test.each([-1, 1.5, '70'])('rejects priority %j', (priority) => {
    expect(() => synth({ additionalRuleGroups: [{ name: 'AWSManagedRulesLinuxRuleSet', priority: priority as number }] }))
      .toThrow(/additionalRuleGroups\[0\]\.priority is .*\. Give a whole number of 0 or more/);
  });

  test('rejects a rule group that needs configuration', () => {
    expect(() => synth({ additionalRuleGroups: [{ name: 'AWSManagedRulesBotControlRuleSet', priority: 70 }] }))
      .toThrow(/additionalRuleGroups\[0\]\.name is "AWSManagedRulesBotControlRuleSet", which AWS WAF accepts only with a managed rule group configuration/);
  });

  test('rejects an invalid rule group version', () => {
    expect(() => synth({ additionalRuleGroups: [{ name: 'AWSManagedRulesLinuxRuleSet', priority: 70, version: 'version 2' }] }))
      .toThrow(/additionalRuleGroups\[0\]\.version is "version 2", which is not a rule group version/);
  });

  test('rejects an empty vendor name', () => {
    expect(() => synth({ additionalRuleGroups: [{ name: 'AWSManagedRulesLinuxRuleSet', priority: 70, vendorName: ' ' }] }))
      .toThrow(/additionalRuleGroups\[0\]\.vendorName is " "\. Give the vendor name of 1 to 128 characters/);
  });

  test('rejects a rule group that is not an object', () => {
    expect(() => synth({ additionalRuleGroups: ['AWSManagedRulesLinuxRuleSet'] as unknown as [] }))
      .toThrow(/additionalRuleGroups\[0\] is "AWSManagedRulesLinuxRuleSet", which is not a rule group/);
  });

  test('rejects a counted rule of an unknown group', () => {
    expect(() => synth({ countedRules: [{ ruleGroupName: 'AWSManagedRulesLinuxRuleSet', ruleName: 'LFI_URIPATH' }] }))
      .toThrow(/countedRules\[0\]\.ruleGroupName is "AWSManagedRulesLinuxRuleSet", which is not a managed rule group of this web ACL\. Use one of AWSManagedRulesAmazonIpReputationList/);
  });

  test('rejects an invalid counted rule name', () => {
    expect(() => synth({ countedRules: [{ ruleGroupName: 'AWSManagedRulesCommonRuleSet', ruleName: 'Size Restrictions' }] }))
      .toThrow(/countedRules\[0\]\.ruleName "Size Restrictions" contains characters other than letters, digits, hyphens and underscores/);
  });

  test('rejects a repeated counted rule', () => {
    const rule = { ruleGroupName: 'AWSManagedRulesCommonRuleSet', ruleName: 'SizeRestrictions_BODY' };

    expect(() => synth({ countedRules: [rule, rule] }))
      .toThrow(/countedRules\[1\] repeats the rule "SizeRestrictions_BODY" of "AWSManagedRulesCommonRuleSet"\. List each rule once/);
  });

  test('rejects a counted rule that is not an object', () => {
    expect(() => synth({ countedRules: ['SizeRestrictions_BODY'] as unknown as [] }))
      .toThrow(/countedRules\[0\] is "SizeRestrictions_BODY", which is not a counted rule/);
  });

  test('rejects more counted rules than AWS WAF overrides', () => {
    const countedRules = Array.from({ length: 101 }, (_, index) => ({ ruleGroupName: 'AWSManagedRulesCommonRuleSet', ruleName: `Rule${index}` }));

    expect(() => synth({ countedRules }))
      .toThrow(/countedRules lists more than 100 rules of "AWSManagedRulesCommonRuleSet", and AWS WAF overrides at most 100 in a rule group/);
  });

  test.each([
    ['additionalRuleGroups', [, { name: 'AWSManagedRulesLinuxRuleSet', priority: 70 }]],
    ['countedRules', [{ ruleGroupName: 'AWSManagedRulesCommonRuleSet', ruleName: 'SizeRestrictions_BODY' }, ,]],
    ['redactedHeaders', ['x-api-key', , 'x-request-id']],
  ])('rejects an empty slot in %s', (propName, list) => {
    const index = (list as unknown[]).findIndex((_, i) => !(i in (list as unknown[])));
    const props = { [propName]: list } as WebAclProps;

    expect(index).toBeGreaterThanOrEqual(0);
    expect(() => synth(props))
      .toThrow(new RegExp(`^Invalid WebAcl props at Ingress/WebAcl:\\n  - ${propName}\\[${index}\\] is an empty slot in the list`));
  });

  test('empty slots come before other problems', () => {
    expect(() => synth({ webAclName: 'bad name', redactedHeaders: ['bad header', , 'x-api-key'] as string[] }))
      .toThrow(/:\n  - redactedHeaders\[1\] is an empty slot.*\n  - webAclName .*\n  - redactedHeaders\[0\] is "bad header"/);
  });

  test('rejects a name another web ACL in the stack has', () => {
    const stack = newStack();
    new WebAcl(stack, 'Public', { webAclName: 'ingress' });

    expect(() => new WebAcl(stack, 'Partner', { webAclName: 'ingress' })).toThrow(new RegExp(
      '^Invalid WebAcl props at Ingress/Partner:\\n  - webAclName "ingress" is already the name of the web ACL at "Ingress/Public", '
      + 'in the same account 111122223333 and region eu-west-2\\. AWS WAF requires regional web ACL names to be unique .*'
      + 'so give the web ACL at "Ingress/Partner" another name'));
  });

  test('rejects a name used in another stack of the same account and region', () => {
    const app = new App();
    const env = { account: ACCOUNT, region: 'eu-west-2' };
    new WebAcl(new Stack(app, 'First', { env }), 'WebAcl', { webAclName: 'ingress' });

    expect(() => new WebAcl(new Stack(app, 'Second', { env }), 'WebAcl', { webAclName: 'ingress' }))
      .toThrow(/webAclName "ingress" is already the name of the web ACL at "First\/WebAcl"/);
  });

  test('one name in two regions is accepted', () => {
    const app = new App();
    new WebAcl(new Stack(app, 'London', { env: { account: ACCOUNT, region: 'eu-west-2' } }), 'WebAcl', { webAclName: 'ingress' });

    expect(() => new WebAcl(new Stack(app, 'Ireland', { env: { account: ACCOUNT, region: 'eu-west-1' } }), 'WebAcl', { webAclName: 'ingress' }))
      .not.toThrow();
  });

  test('rejects a web ACL over 5,000 WCUs', () => {
    const additionalRuleGroups = [70, 80, 90, 100].map((priority) => ({
      name: `PartnerRules${priority}`, vendorName: 'Partner', priority, capacityUnits: 1000,
    }));

    expect(() => synth({ additionalRuleGroups })).toThrow(new RegExp(
      'additionalRuleGroups bring the estimated capacity of the web ACL to 5,177 WCUs \\(1,177 for the baseline rules, '
      + '4,000 for additionalRuleGroups\\), over the 5,000 WCUs that AWS WAF allows in a web ACL'));
  });

  test.each([0, -1, 1.5, '100'])('rejects capacity units %j', (capacityUnits) => {
    expect(() => synth({ additionalRuleGroups: [{ name: 'PartnerRules', vendorName: 'Partner', priority: 70, capacityUnits: capacityUnits as number }] }))
      .toThrow(/additionalRuleGroups\[0\]\.capacityUnits is .*\. Give the rule group's capacity as a whole number of WCUs of 1 or more/);
  });

  test('rejects shield advanced that is not a boolean', () => {
    expect(() => synth({ shieldAdvanced: 'yes' as unknown as boolean })).toThrow(/shieldAdvanced is "yes", which is not a boolean/);
  });

  test('rejects props that are not an object', () => {
    expect(() => synth('ingress' as unknown as WebAclProps)).toThrow(/props is "ingress"\. Give the props as an object/);
  });

  test('lists every problem in one error', () => {
    expect(() => synth({
      webAclName: '',
      rateLimit: 5,
      redactedHeaders: ['bad header'],
      countedRules: [{ ruleGroupName: 'Unknown', ruleName: 'Rule' }],
    })).toThrow(new RegExp('^Invalid WebAcl props at Ingress/WebAcl:\\n  - webAclName .*\\n  - rateLimit .*\\n'
      + '  - redactedHeaders\\[0\\] .*\\n  - countedRules\\[0\\]\\.ruleGroupName .*$'));
  });
});

describe('WebAcl associate validation', () => {
  function associate(resourceArn: string, props: WebAclProps = {}): () => void {
    const acl = new WebAcl(newStack(), 'WebAcl', props);
    return () => acl.associate('Target', resourceArn);
  }

  test('rejects a string that is not an ARN', () => {
    expect(associate('case-web')).toThrow(/Invalid WebAcl\.associate\(\) arguments for Ingress\/WebAcl\/Target:\n  - resourceArn "case-web" is not an ARN/);
  });

  test('rejects a network load balancer', () => {
    expect(associate(`arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:loadbalancer/net/case-nlb/50dc6c495c0c9188`))
      .toThrow(/is not a resource that a regional web ACL protects: AWS WAF inspects HTTP requests, so it protects Application Load Balancers but not Network or Gateway Load Balancers/);
  });

  test('rejects a target group', () => {
    expect(associate(`arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:targetgroup/case-web/73e2d6bc24d8a067`))
      .toThrow(/it is a listener, target group or Classic Load Balancer, not an Application Load Balancer/);
  });

  test('rejects a CloudFront distribution', () => {
    expect(associate(`arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE`))
      .toThrow(/a CloudFront distribution needs a web ACL of CLOUDFRONT scope, created in us-east-1/);
  });

  test('rejects a resource type AWS WAF does not protect', () => {
    expect(associate(`arn:aws:sqs:eu-west-2:${ACCOUNT}:case-events`))
      .toThrow(/is not a resource that a regional web ACL protects: the AWS WAF AssociateWebACL API does not list sqs resources of this type\. If AWS WAF has added support/);
  });

  test('rejects a resource in another region', () => {
    expect(associate(ALB_ARN.replace('eu-west-2', 'eu-west-1')))
      .toThrow(/is in eu-west-1, but the web ACL is in eu-west-2\. A regional web ACL protects resources in its own region only/);
  });

  test('rejects a resource in another account', () => {
    expect(associate(ALB_ARN.replace(ACCOUNT, OTHER_ACCOUNT)))
      .toThrow(/is in account 444455556666, but the web ACL is in 111122223333\. AWS WAF associates a web ACL only with resources in its own account/);
  });

  test('rejects shield advanced for an API stage', () => {
    expect(associate('arn:aws:apigateway:eu-west-2::/restapis/a1b2c3d4e5/stages/prod', { shieldAdvanced: true }))
      .toThrow(/is an API Gateway REST API stage, which AWS Shield Advanced does not protect/);
  });

  test('rejects a resource associated twice', () => {
    const acl = new WebAcl(newStack(), 'WebAcl');
    acl.associate('CaseWeb', ALB_ARN);

    expect(() => acl.associate('CaseWebAgain', ALB_ARN)).toThrow(/is already associated with this web ACL, by "CaseWeb"\. Associate each resource once/);
  });

  test('rejects a resource another web ACL protects', () => {
    const stack = newStack();
    new WebAcl(stack, 'Public').associate('CaseWeb', ALB_ARN);
    const partner = new WebAcl(stack, 'Partner');

    expect(() => partner.associate('CaseWeb', ALB_ARN)).toThrow(new RegExp(
      'is already associated with the web ACL at "Ingress/Public", by "CaseWeb"\\. A resource can be associated with one web ACL '
      + 'only, so associate it with either "Ingress/Public" or "Ingress/Partner", not both'));
  });

  test('rejects one imported ARN twice', () => {
    const acl = new WebAcl(newStack(), 'WebAcl');
    acl.associate('CaseWeb', Fn.importValue('CaseWebLoadBalancerArn'));

    expect(() => acl.associate('CaseWebAgain', Fn.importValue('CaseWebLoadBalancerArn')))
      .toThrow(/resourceArn \(a token\) is already associated with this web ACL, by "CaseWeb"/);
  });

  test('rejects one load balancer from two stacks', () => {
    const app = new App();
    const env = { account: ACCOUNT, region: 'eu-west-2' };
    const network = new Stack(app, 'Network', { env });
    const vpc = new ec2.Vpc(network, 'Vpc');
    const loadBalancer = new elbv2.ApplicationLoadBalancer(network, 'LoadBalancer', { vpc, internetFacing: true });
    new WebAcl(network, 'WebAcl', { webAclName: 'network' }).associate('LoadBalancer', loadBalancer.loadBalancerArn);
    const other = new WebAcl(new Stack(app, 'Ingress', { env }), 'WebAcl', { webAclName: 'ingress' });

    expect(() => other.associate('LoadBalancer', loadBalancer.loadBalancerArn))
      .toThrow(/is already associated with the web ACL at "Network\/WebAcl", by "LoadBalancer"/);
  });

  test('two imported ARNs are accepted', () => {
    const acl = new WebAcl(newStack(), 'WebAcl');
    acl.associate('CaseWeb', Fn.importValue('CaseWebLoadBalancerArn'));

    expect(() => acl.associate('Portal', Fn.importValue('PortalLoadBalancerArn'))).not.toThrow();
  });

  test.each([
    ['without a name', `arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:loadbalancer/app/`, '"loadbalancer/app/"'],
    ['without an ID', `arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:loadbalancer/app/case-web`, '"loadbalancer/app/case-web"'],
    ['with a name ending in a hyphen', `arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:loadbalancer/app/case-/50dc6c495c0c9188`, '"loadbalancer/app/case-/50dc6c495c0c9188"'],
  ])('rejects a load balancer ARN %s', (_, arn, resource) => {
    expect(associate(arn)).toThrow(new RegExp(`is not a valid ARN of an Application Load Balancer: its resource part ${resource} `
      + 'is not of the form loadbalancer/app/<name>/<16 hexadecimal digits>'));
  });

  test('rejects an ARN with whitespace', () => {
    expect(associate(`${ALB_ARN} `)).toThrow(/resourceArn ".*50dc6c495c0c9188 " contains whitespace, which no ARN has/);
  });

  test('rejects an ARN of another partition', () => {
    expect(associate(ALB_ARN.replace('arn:aws:', 'arn:aws-us-gov:'))).toThrow(new RegExp(
      'is in the partition aws-us-gov, but the web ACL\'s region eu-west-2 is in aws\\. A web ACL protects resources in its own '
      + 'partition only, so pass the ARN of a resource in eu-west-2, which starts with "arn:aws:"'));
  });

  test('rejects an unknown partition without a region', () => {
    const acl = new WebAcl(new Stack(new App(), 'Ingress'), 'WebAcl');

    expect(() => acl.associate('CaseWeb', ALB_ARN.replace('arn:aws:', 'arn:aws-moon:')))
      .toThrow(/has the partition "aws-moon", which is not an AWS partition \(aws, /);
  });

  test('rejects an account ID that is not 12 digits', () => {
    expect(associate(ALB_ARN.replace(ACCOUNT, '1111')))
      .toThrow(/has the account ID "1111", which is not 12 digits/);
  });

  test('rejects an ARN without a region', () => {
    expect(associate(ALB_ARN.replace('eu-west-2', '')))
      .toThrow(/has no region, but the ARN of an Application Load Balancer has one/);
  });

  test('rejects an empty association id', () => {
    const acl = new WebAcl(newStack(), 'WebAcl');

    expect(() => acl.associate('', ALB_ARN))
      .toThrow(/^Invalid WebAcl\.associate\(\) arguments for Ingress\/WebAcl:\n  - id is empty, and only the root construct of an app has an empty ID/);
  });

  test('rejects a reused association id', () => {
    const acl = new WebAcl(newStack(), 'WebAcl');
    acl.associate('CaseWeb', ALB_ARN);

    expect(() => acl.associate('CaseWeb', ALB_ARN.replace('case-web', 'portal')))
      .toThrow(/id "CaseWeb" is already used by the construct at "Ingress\/WebAcl\/CaseWeb"\. Give each association its own construct ID/);
  });

  test('rejects the id of a web ACL part', () => {
    const acl = new WebAcl(newStack(), 'WebAcl');

    expect(() => acl.associate('Resource', ALB_ARN)).toThrow(/id "Resource" is already used by the construct at "Ingress\/WebAcl\/Resource"/);
  });

  test('rejects an association id that is not a string', () => {
    const acl = new WebAcl(newStack(), 'WebAcl');

    expect(() => acl.associate(7 as unknown as string, ALB_ARN)).toThrow(/id is 7, which is not a string/);
  });

  test('rejects an ARN that is not a string', () => {
    expect(associate(42 as unknown as string)).toThrow(/resourceArn is 42, which is not a string/);
  });
});

describe('WebAcl compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    // The feature flags a new CDK app enables, because some change the resources the packs check.
    const stack = new Stack(new App({ context: RECOMMENDED_FEATURE_FLAGS }), 'Ingress', { env: { account: ACCOUNT, region: 'eu-west-2' } });
    const acl = new WebAcl(stack, 'WebAcl', { shieldAdvanced: true });
    acl.associate('CaseWeb', ALB_ARN);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });

  test('no cdk-nag errors with a log bucket', () => {
    const stack = new Stack(new App({ context: RECOMMENDED_FEATURE_FLAGS }), 'Ingress', { env: { account: ACCOUNT, region: 'eu-west-2' } });
    const archive = new LogArchive(stack, 'Archive', { bucketName: 'aws-waf-logs-archive-111122223333' });
    new WebAcl(stack, 'WebAcl', { logBucket: archive.bucket });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});

describe('WebAcl grants', () => {
  test('the log key denies grants that are not for AWS resources', () => {
    expectEveryKeyToDenyGrants(synth(), 1);
  });
});
