import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, RemovalPolicy, Stack, aws_certificatemanager as acm, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { DevOpsVpnEndpoint, VpnAuthentication } from '../src';
import { ignoreCfnLintChecks } from '../src/private/cfn-lint-directives';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'DevOpsVpnInteg');
const vpcCidr = '10.1.0.0/16';

// Stands in for the management VPC. It leaves the default security group as it is and has
// no internet access, so the stack needs no custom resource.
const vpc = new ec2.Vpc(stack, 'Management', {
  ipAddresses: ec2.IpAddresses.cidr(vpcCidr),
  availabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
  natGateways: 0,
  createInternetGateway: false,
  restrictDefaultSecurityGroup: false,
  subnetConfiguration: [{ name: 'application', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
});
// cfn-lint W3010 warns about zones named in a template. They are named so that the subnets
// land in the zones the test expects.
for (const subnet of vpc.isolatedSubnets) {
  ignoreCfnLintChecks(subnet.node.defaultChild as CfnResource, ['W3010']);
}

// NOTE: these ARNs are placeholders, so the snapshot synthesises but a deployment fails.
// A maintainer's real run needs a server certificate and a client CA certificate
// imported into ACM in eu-west-2 (2048-bit RSA keys), with these ARNs replaced.
const serverCertificate = acm.Certificate.fromCertificateArn(stack, 'ServerCertificate',
  'arn:aws:acm:eu-west-2:111111111111:certificate/00000000-0000-0000-0000-000000000001');
const clientCa = acm.Certificate.fromCertificateArn(stack, 'ClientCa',
  'arn:aws:acm:eu-west-2:111111111111:certificate/00000000-0000-0000-0000-000000000002');

const vpn = new DevOpsVpnEndpoint(stack, 'DevOpsVpn', {
  vpc,
  serverCertificate,
  authentication: VpnAuthentication.mutualTls(clientCa),
  clientCidr: '100.64.0.0/22',
});
// The construct retains the connection log and its key, and the test removes them.
vpn.logGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);
vpn.encryptionKey.applyRemovalPolicy(RemovalPolicy.DESTROY);

const test = new IntegTest(app, 'DevOpsVpnTest', { testCases: [stack], regions: ['eu-west-2'] });

// The endpoint routes only the allowed destinations, logs connections and listens on UDP 443.
test.assertions
  .awsApiCall('EC2', 'describeClientVpnEndpoints', { ClientVpnEndpointIds: [vpn.endpoint.endpointId] })
  .expect(ExpectedResult.objectLike({
    ClientVpnEndpoints: [{
      SplitTunnel: true,
      ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: vpn.logGroup.logGroupName },
      TransportProtocol: 'udp',
      VpnPort: 443,
      SessionTimeoutHours: 8,
    }],
  }));

// Users are authorised for the VPC's CIDR block and nothing else.
test.assertions
  .awsApiCall('EC2', 'describeClientVpnAuthorizationRules', { ClientVpnEndpointId: vpn.endpoint.endpointId })
  .expect(ExpectedResult.objectLike({
    AuthorizationRules: [{ DestinationCidr: vpcCidr, AccessAll: true }],
  }));

// CloudWatch Logs accepted the key, which it does only if the key policy lets it.
test.assertions
  .awsApiCall('CloudWatchLogs', 'describeLogGroups', { logGroupNamePrefix: vpn.logGroup.logGroupName })
  .expect(ExpectedResult.objectLike({
    logGroups: [{ kmsKeyId: vpn.encryptionKey.keyArn, retentionInDays: 365 }],
  }));
