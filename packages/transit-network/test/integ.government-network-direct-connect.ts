import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { GovernmentNetworkDirectConnect, RoutingDomain, TransitHub } from '../src';

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
