import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Stack, aws_certificatemanager as acm, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { VendorDeployEndpoint, VendorEnvironment, VendorServiceProtocol } from '../src';
import { ignoreRedundantDependsOn, throwawayBucket } from './support/integ-fixtures';
import { ignoreCfnLintChecks } from '../src/private/cfn-lint-directives';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'VendorDeployEndpointInteg');

// The VPC of the deploy services: one isolated subnet in each of three zones, named so
// that synth needs no zone lookup.
const vpc = new ec2.Vpc(stack, 'Vpc', {
  ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/24'),
  availabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
  natGateways: 0,
  restrictDefaultSecurityGroup: false,
  subnetConfiguration: [{ name: 'deploy', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 26 }],
});
// cfn-lint W3010 warns about every zone named in a template. The zones are named so that
// synth needs no AWS credentials.
for (const subnet of vpc.isolatedSubnets) {
  ignoreCfnLintChecks(subnet.node.defaultChild as CfnResource, ['W3010']);
}

// An SSE-S3 access-log bucket that the test can delete.
const accessLogBucket = throwawayBucket(stack, 'AccessLogs');

// NOTE: a placeholder ARN keeps the snapshot free of account data. A deployed run needs
// the ARN of a real, issued ACM certificate in eu-west-2 of the test account here,
// because the TLS listener fails to create with this placeholder.
const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate',
  'arn:aws:acm:eu-west-2:111111111111:certificate/11111111-2222-3333-4444-555555555555');

// NOTE: 222222222222 is a placeholder for the vendor's account. A deployed run should name an
// account the test controls, because it is the principal the endpoint service admits.
const endpoint = new VendorDeployEndpoint(stack, 'Vendor', {
  vpc,
  vendorName: 'integ-vendor',
  vendorAccountId: '222222222222',
  environment: VendorEnvironment.PRE_PRODUCTION,
  services: [
    { name: 'artefacts', port: 443, targetAddresses: ['10.20.0.10', '10.20.0.74'] },
    { name: 'orchestrator-ssh', port: 2222, targetPort: 22, protocol: VendorServiceProtocol.TCP, targetAddresses: ['10.20.0.138'] },
  ],
  certificate,
  vendorClientCidrs: ['172.31.0.0/16'],
  accessLogBucket,
  deletionProtection: false,
});

// aws-cdk-lib gives these functions a DependsOn on their role, which their reference to
// the role already implies (cfn-lint W3005).
ignoreRedundantDependsOn(stack.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider'), 'AWS::Lambda::Function');

const test = new IntegTest(app, 'VendorDeployEndpointTest', { testCases: [stack], regions: ['eu-west-2'] });

// The endpoint service fronts the load balancer and waits for each connection to be accepted.
test.assertions
  .awsApiCall('EC2', 'describeVpcEndpointServiceConfigurations', { ServiceIds: [endpoint.serviceId] })
  .expect(ExpectedResult.objectLike({
    ServiceConfigurations: [{
      ServiceId: endpoint.serviceId,
      ServiceName: endpoint.serviceName,
      ServiceType: [{ ServiceType: 'Interface' }],
      AcceptanceRequired: true,
      NetworkLoadBalancerArns: [endpoint.loadBalancer.loadBalancerArn],
      SupportedIpAddressTypes: ['ipv4'],
    }],
  }));

// The vendor's account is the only principal allowed to connect.
test.assertions
  .awsApiCall('EC2', 'describeVpcEndpointServicePermissions', { ServiceId: endpoint.serviceId })
  .expect(ExpectedResult.objectLike({
    AllowedPrincipals: [{ Principal: endpoint.allowedPrincipalArn, PrincipalType: 'Account' }],
  }));

// Cross-zone load balancing and access logs are on. The service is named ELBv2 because
// integ-tests-alpha derives the IAM action prefix from the name, and only ELBv2 gives
// the right one, elasticloadbalancing.
test.assertions
  .awsApiCall('ELBv2', 'describeLoadBalancerAttributes', { LoadBalancerArn: endpoint.loadBalancer.loadBalancerArn })
  .expect(ExpectedResult.objectLike({
    Attributes: Match.arrayWith([
      { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: accessLogBucket.bucketName },
      { Key: 'access_logs.s3.prefix', Value: endpoint.accessLogPrefix },
    ]),
  }));
