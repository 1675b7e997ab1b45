import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack, aws_certificatemanager as acm, aws_wafv2 as wafv2 } from 'aws-cdk-lib';
import { IngressDmz, TransitHub } from '../src';
import { ignoreRedundantDependsOn, logArchiveStandIn, throwawayBucket } from './support/integ-fixtures';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'IngressDmzInteg');

// Stands in for the log archive, with the grants the log delivery service needs for VPC flow logs.
const logBucket = logArchiveStandIn(stack);

// An SSE-S3 access-log bucket that the test can delete; the construct's own bucket is retained.
const accessLogBucket = throwawayBucket(stack, 'AccessLogs');

const webAcl = new wafv2.CfnWebACL(stack, 'WebAcl', {
  scope: 'REGIONAL',
  defaultAction: { allow: {} },
  visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'ingress-dmz-integ', sampledRequestsEnabled: true },
  rules: [{
    name: 'AWSManagedRulesCommonRuleSet',
    priority: 0,
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
    overrideAction: { none: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'common-rule-set', sampledRequestsEnabled: true },
  }],
});

// NOTE: a placeholder ARN keeps the snapshot free of account data. A deployed run needs
// the ARN of a real, issued ACM certificate in eu-west-2 of the test account here,
// because the HTTPS listener fails to create with this placeholder.
const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate',
  'arn:aws:acm:eu-west-2:111111111111:certificate/11111111-2222-3333-4444-555555555555');

const hub = new TransitHub(stack, 'Hub', { tierName: 'integ' });
const ingress = new IngressDmz(stack, 'Ingress', {
  hub,
  cidr: '10.0.254.0/24',
  internalCidrs: ['10.0.0.0/12'],
  logBucket,
  accessLogBucket,
  certificate,
  webAclArn: webAcl.attrArn,
  availabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
  deletionProtection: false,
});

// aws-cdk-lib gives these functions a DependsOn on their role, which their reference to
// the role already implies (cfn-lint W3005).
ignoreRedundantDependsOn(stack.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider'), 'AWS::Lambda::Function');

const test = new IntegTest(app, 'IngressDmzTest', { testCases: [stack], regions: ['eu-west-2'] });

// Access logs are on, to the given bucket and prefix, and the security attributes are set.
// The service is named ELBv2 because integ-tests-alpha derives the IAM action from the
// name. The name ElasticLoadBalancingV2 gives the prefix elasticloadbalancingv2, which
// IAM does not know, where ELBv2 gives the right one, elasticloadbalancing.
test.assertions
  .awsApiCall('ELBv2', 'describeLoadBalancerAttributes', { LoadBalancerArn: ingress.loadBalancer.loadBalancerArn })
  .expect(ExpectedResult.objectLike({
    Attributes: Match.arrayWith([
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: accessLogBucket.bucketName },
      { Key: 'access_logs.s3.prefix', Value: ingress.accessLogPrefix },
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
      { Key: 'deletion_protection.enabled', Value: 'false' },
    ]),
  }));

// The web ACL protects the load balancer.
test.assertions
  .awsApiCall('WAFV2', 'getWebACLForResource', { ResourceArn: ingress.loadBalancer.loadBalancerArn })
  .expect(ExpectedResult.objectLike({ WebACL: { ARN: webAcl.attrArn } }));

// The attachment runs without appliance mode.
test.assertions
  .awsApiCall('EC2', 'describeTransitGatewayVpcAttachments', { TransitGatewayAttachmentIds: [ingress.attachmentId] })
  .expect(ExpectedResult.objectLike({
    TransitGatewayVpcAttachments: [{ Options: { ApplianceModeSupport: 'disable', DnsSupport: 'enable' } }],
  }));
