import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { GovernmentNetworkVpn, RoutingDomain, TransitHub, VpnRouting } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'GovernmentNetworkVpnInteg');

const hub = new TransitHub(stack, 'Hub', { tierName: 'integ', amazonSideAsn: 64600 });

// NOTE: these addresses come from 203.0.113.0/24, a range reserved for documentation, so
// the snapshot synthesises but the tunnels never come up. A maintainer's real run needs
// the public addresses and ASNs of real devices that accept IKEv2 from AWS.
const vpn = new GovernmentNetworkVpn(stack, 'GovernmentVpn', {
  hub,
  domain: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ,
  routing: VpnRouting.BGP,
  customerGateways: [
    { name: 'integ-device-1', ipAddress: '203.0.113.10', bgpAsn: 65010 },
    { name: 'integ-device-2', ipAddress: '203.0.113.20', bgpAsn: 65010 },
  ],
});
// The construct retains the tunnel log and its key, and the test removes them.
vpn.logGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);
vpn.encryptionKey.applyRemovalPolicy(RemovalPolicy.DESTROY);

const test = new IntegTest(app, 'GovernmentNetworkVpnTest', { testCases: [stack], regions: ['eu-west-2'] });

// Both tunnels of the deployed connection accept IKEv2 only and log to the log group.
const ikev2Tunnel = {
  IkeVersions: [{ Value: 'ikev2' }],
  Phase1DHGroupNumbers: [{ Value: 20 }, { Value: 21 }],
  LogOptions: { CloudWatchLogOptions: { LogEnabled: true, LogOutputFormat: 'json' } },
};
test.assertions
  .awsApiCall('EC2', 'describeVpnConnections', { VpnConnectionIds: [vpn.vpnConnectionIds[0]] })
  .expect(ExpectedResult.objectLike({
    VpnConnections: [{
      TransitGatewayId: hub.transitGatewayId,
      Options: { StaticRoutesOnly: false, TunnelOptions: [ikev2Tunnel, ikev2Tunnel] },
    }],
  }));

// The first attachment is associated with the government-network business DMZ route table.
test.assertions
  .awsApiCall('EC2', 'getTransitGatewayRouteTableAssociations', {
    TransitGatewayRouteTableId: hub.routeTableId(RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ),
    Filters: [{ Name: 'transit-gateway-attachment-id', Values: [vpn.attachmentIds[0]] }],
  })
  .expect(ExpectedResult.objectLike({ Associations: [{ ResourceType: 'vpn', State: 'associated' }] }));
