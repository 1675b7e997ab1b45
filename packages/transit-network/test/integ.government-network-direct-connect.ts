import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack, aws_iam as iam, aws_secretsmanager as secretsmanager, aws_sns as sns } from 'aws-cdk-lib';
import { GovernmentNetworkDirectConnect, RoutingDomain, TransitHub } from '../src';
import { createCustomerManagedKey } from '../src/private/customer-managed-key';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'GovernmentNetworkDirectConnectInteg');

const hub = new TransitHub(stack, 'Hub', { tierName: 'integ', amazonSideAsn: 64600 });

// The key has only letters and digits, which every router accepts as a BGP MD5 key.
const bgpAuthKey = new secretsmanager.Secret(stack, 'BgpAuthKey', {
  description: 'BGP MD5 key of the integration test Direct Connect link',
  generateSecretString: { excludePunctuation: true, passwordLength: 32 },
  removalPolicy: RemovalPolicy.DESTROY,
});

// Stands in for the network operators' alarm topic. Its key comes from the same helper as
// the package's own keys, and the key and the topic let CloudWatch deliver this account's alarms.
const alarmTopicKey = createCustomerManagedKey(stack, 'AlarmTopicKey', 'Encrypts the alarm topic of the Direct Connect integration test');
alarmTopicKey.applyRemovalPolicy(RemovalPolicy.DESTROY);
const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
alarmTopicKey.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
const alarmTopic = new sns.Topic(stack, 'AlarmTopic', { masterKey: alarmTopicKey, enforceSSL: true });
alarmTopic.addToResourcePolicy(new iam.PolicyStatement({
  principals: [cloudWatch],
  actions: ['sns:Publish'],
  resources: [alarmTopic.topicArn],
  conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
}));

// NOTE: the connection ID and VLAN are placeholders, so the snapshot synthesises but the
// virtual interface cannot be created. A maintainer's real run needs a hosted connection
// accepted in the test account, with the VLAN its partner assigned.
const link = new GovernmentNetworkDirectConnect(stack, 'ManagementLink', {
  hub,
  domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ,
  connectionId: 'dxcon-fgabc123',
  vlan: 101,
  amazonSideAsn: 64700,
  customerAsn: 65010,
  amazonAddress: '192.168.100.1/30',
  customerAddress: '192.168.100.2/30',
  allowedPrefixes: ['10.200.0.0/16'],
  bgpAuthKey,
  alarmTopic,
});

const test = new IntegTest(app, 'GovernmentNetworkDirectConnectTest', { testCases: [stack], regions: ['eu-west-2'] });

// The Direct Connect gateway has the agreed Amazon-side ASN.
test.assertions
  .awsApiCall('DirectConnect', 'describeDirectConnectGateways', { directConnectGatewayId: link.directConnectGatewayId })
  .expect(ExpectedResult.objectLike({
    directConnectGateways: [{
      directConnectGatewayName: 'integ-government-network-management-dmz',
      amazonSideAsn: 64700,
      directConnectGatewayState: 'available',
    }],
  }));

// The association with the hub's transit gateway advertises only the allowed prefixes.
test.assertions
  .awsApiCall('DirectConnect', 'describeDirectConnectGatewayAssociations', {
    directConnectGatewayId: link.directConnectGatewayId,
    associatedGatewayId: hub.transitGatewayId,
  })
  .expect(ExpectedResult.objectLike({
    directConnectGatewayAssociations: [{
      associationState: 'associated',
      allowedPrefixesToDirectConnectGateway: [{ cidr: '10.200.0.0/16' }],
    }],
  }));

// The gateway's attachment is associated with the government-network management DMZ route table.
test.assertions
  .awsApiCall('EC2', 'getTransitGatewayRouteTableAssociations', {
    TransitGatewayRouteTableId: hub.routeTableId(RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ),
    Filters: [{ Name: 'transit-gateway-attachment-id', Values: [link.attachmentId] }],
  })
  .expect(ExpectedResult.objectLike({ Associations: [{ ResourceType: 'direct-connect-gateway', State: 'associated' }] }));

// Both alarms notify the alarm topic when they go into alarm and when they recover.
for (const alarm of [link.bgpStatusAlarm, link.connectionStateAlarm]) {
  test.assertions
    .awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [alarm.alarmName] })
    .expect(ExpectedResult.objectLike({
      MetricAlarms: [{ AlarmActions: [alarmTopic.topicArn], OKActions: [alarmTopic.topicArn] }],
    }));
}
