import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack, aws_ec2 as ec2, aws_elasticloadbalancingv2 as elbv2 } from 'aws-cdk-lib';
import { WebAcl } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'WebAclInteg');

// DESTROY lets a maintainer's real run delete the log group and its key with the stack.
const acl = new WebAcl(stack, 'WebAcl', {
  webAclName: 'ssd-integ-web-acl',
  rateLimit: 1000,
  countedRules: [{ ruleGroupName: 'AWSManagedRulesCommonRuleSet', ruleName: 'SizeRestrictions_BODY' }],
  removalPolicy: RemovalPolicy.DESTROY,
});

// A small internet-facing Application Load Balancer to associate the web ACL with. Public
// subnets only, so the test pays for no NAT gateway. The VPC's default security group is
// left as it is, because restricting it adds a custom resource that this test does not need.
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }],
  restrictDefaultSecurityGroup: false,
});
const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', { vpc, internetFacing: true });
loadBalancer.addListener('Http', {
  port: 80,
  defaultAction: elbv2.ListenerAction.fixedResponse(200, { contentType: 'text/plain', messageBody: 'ok' }),
});
acl.associate('LoadBalancer', loadBalancer.loadBalancerArn);

const test = new IntegTest(app, 'WebAclTest', { testCases: [stack], regions: ['eu-west-2'] });

// The web ACL allows by default and runs the baseline rules in order, with the rate limit given.
test.assertions
  .awsApiCall('WAFV2', 'getWebACL', { Name: acl.webAclName, Scope: 'REGIONAL', Id: acl.webAclId })
  .expect(ExpectedResult.objectLike({
    WebACL: {
      DefaultAction: { Allow: {} },
      Rules: [
        { Name: 'AWSManagedRulesAmazonIpReputationList', Priority: 10 },
        { Name: 'AWSManagedRulesAnonymousIpList', Priority: 20 },
        {
          Name: 'RateLimitPerClientIp',
          Priority: 30,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        },
        {
          Name: 'AWSManagedRulesCommonRuleSet',
          Priority: 40,
          Statement: {
            ManagedRuleGroupStatement: {
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            },
          },
        },
        { Name: 'AWSManagedRulesKnownBadInputsRuleSet', Priority: 50 },
        { Name: 'AWSManagedRulesSQLiRuleSet', Priority: 60 },
      ],
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    },
  }));

// Logging goes to the encrypted log group, with the authorization and cookie headers redacted.
test.assertions
  .awsApiCall('WAFV2', 'getLoggingConfiguration', { ResourceArn: acl.webAclArn })
  .expect(ExpectedResult.objectLike({
    LoggingConfiguration: {
      LogDestinationConfigs: [acl.logDestinationArn],
      RedactedFields: Match.arrayWith([
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
      ]),
    },
  }));

// The load balancer is protected by the web ACL.
test.assertions
  .awsApiCall('WAFV2', 'getWebACLForResource', { ResourceArn: loadBalancer.loadBalancerArn })
  .expect(ExpectedResult.objectLike({ WebACL: { Name: acl.webAclName } }));
