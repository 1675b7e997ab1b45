import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { EgressDmz, TransitHub } from '../src';
import { ignoreRedundantDependsOn, logArchiveStandIn } from './support/integ-fixtures';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'EgressDmzInteg');
const zones = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'];

// Stands in for the log archive, with the grants the log delivery service needs.
const logBucket = logArchiveStandIn(stack);

const hub = new TransitHub(stack, 'Hub', { tierName: 'integ' });
const egress = new EgressDmz(stack, 'Egress', {
  hub,
  cidr: '10.0.255.0/24',
  internalCidrs: ['10.0.0.0/12'],
  logBucket,
  allowedDomains: ['.amazonaws.com', 'www.gov.uk'],
  deniedDomains: ['.example.com'],
  availabilityZones: zones,
  deleteProtection: false,
});

// aws-cdk-lib gives these functions and the state machine of the wait below a DependsOn
// on their role, which their reference to the role already implies (cfn-lint W3005).
ignoreRedundantDependsOn(stack.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider'), 'AWS::Lambda::Function');

const test = new IntegTest(app, 'EgressDmzTest', { testCases: [stack], regions: ['eu-west-2'] });

// The firewall is ready, unprotected as asked, and encrypted with the customer managed key.
const firewall = test.assertions.awsApiCall('NetworkFirewall', 'describeFirewall', { FirewallArn: egress.firewallArn });
firewall.expect(ExpectedResult.objectLike({
  Firewall: {
    DeleteProtection: false,
    SubnetChangeProtection: false,
    EncryptionConfiguration: { Type: 'CUSTOMER_KMS', KeyId: egress.encryptionKey.keyArn },
  },
  FirewallStatus: { Status: 'READY' },
})).waitForAssertions({ totalTimeout: Duration.minutes(10) });
ignoreRedundantDependsOn(firewall, 'AWS::StepFunctions::StateMachine');

// Both directions of a flow stay in one zone.
test.assertions
  .awsApiCall('EC2', 'describeTransitGatewayVpcAttachments', { TransitGatewayAttachmentIds: [egress.attachmentId] })
  .expect(ExpectedResult.objectLike({
    TransitGatewayVpcAttachments: [{ Options: { ApplianceModeSupport: 'enable', DnsSupport: 'enable' } }],
  }));

// The transit subnet of the first zone sends its default route to that zone's firewall
// endpoint, as Network Firewall reports it.
const transitSubnet = egress.vpc.selectSubnets({ subnetGroupName: 'transit', availabilityZones: [zones[0]] }).subnets[0];
const endpointInFirstZone = firewall.getAttString(`FirewallStatus.SyncStates.${zones[0]}.Attachment.EndpointId`);
test.assertions
  .awsApiCall('EC2', 'describeRouteTables', { RouteTableIds: [transitSubnet.routeTable.routeTableId] })
  .expect(ExpectedResult.objectLike({
    RouteTables: [{
      Routes: Match.arrayWith([Match.objectLike({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: endpointInFirstZone })]),
    }],
  }));
