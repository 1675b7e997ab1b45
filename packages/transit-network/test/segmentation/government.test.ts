import { App, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { ENV, NON_PRODUCTION, Tier, buildTier, removeAssemblies, synthesise } from './fixtures';
import { GovernmentNetworkVpn, RoutingDomain, VpnRouting } from '../../src';
import { checkSegmentation } from '../../src/segmentation';
import { renderDot } from '../../src/segmentation/diagram';
import { IntentResult } from '../../src/segmentation/intent-result';
import { pathLines } from '../../src/segmentation/path-text';

afterAll(removeAssemblies);

function intent(results: IntentResult[], name: string): IntentResult {
  return results.find((result) => result.intent === name)!;
}

/** Adds a BGP VPN to the government network in the given domain, in a stack of its own. */
function addVpn(app: App, tier: Tier, domain: RoutingDomain): GovernmentNetworkVpn {
  const side = domain === RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ ? 'Business' : 'Management';
  const stack = new Stack(app, `NonProd-${side}Vpn`, { env: ENV });
  // Management and business traffic come from different government routers.
  const bgpAsn = domain === RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ ? 65010 : 65020;
  return new GovernmentNetworkVpn(stack, 'Vpn', {
    hub: tier.hub,
    domain,
    routing: VpnRouting.BGP,
    customerGateways: [
      { name: 'device-a', ipAddress: '203.0.113.10', bgpAsn },
      { name: 'device-b', ipAddress: '203.0.113.11', bgpAsn },
    ],
  });
}

describe('traffic from the government network', () => {
  test('reaches only the domains connected to its DMZ', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION);
      addVpn(app, tier, RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ);
      addVpn(app, tier, RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ);
    });
    const { results, passed } = checkSegmentation([dir]);

    const government = intent(results, 'governmentNetworkReachesOnlyPolicy');
    expect(passed).toBe(true);
    expect(government.status).toBe('proven');
    expect(government.notes[0]).toBe('4 Direct Connect or VPN attachment(s) in a government-network DMZ domain were checked.');
    expect(government.pathsChecked).toBeGreaterThan(0);
  });

  test('does not apply without a VPN or Direct Connect link', () => {
    const dir = synthesise((app) => buildTier(app, NON_PRODUCTION));
    const { results } = checkSegmentation([dir]);

    expect(intent(results, 'governmentNetworkReachesOnlyPolicy').status).toBe('not-applicable');
  });

  test('a management VPC propagated into the business DMZ is caught with the path', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION);
      addVpn(app, tier, RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ);
      new ec2.CfnTransitGatewayRouteTablePropagation(Stack.of(tier.management), 'LeakToGovernmentBusiness', {
        transitGatewayAttachmentId: tier.management.attachmentId,
        transitGatewayRouteTableId: tier.hub.routeTableId(RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ),
      });
    });
    const { results, model, passed } = checkSegmentation([dir]);

    const government = intent(results, 'governmentNetworkReachesOnlyPolicy');
    expect(passed).toBe(false);
    expect(government.status).toBe('violated');
    expect(government.violations[0].summary).toMatch(
      /^Traffic from the government network over NonProd-BusinessVpn\/Vpn\/device-a\/.* reaches VPC non-production-management .*, but the routing policy does not connect government-network-business-dmz and management$/);
    const lines = pathLines(model, government.violations[0].path).join('\n');
    expect(lines).toMatch(/government-network-business-dmz/);
    expect(lines).toMatch(/delivers the packet in VPC non-production-management/);
  });

  test('the diagram draws the VPN attachments and the network outside AWS', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION);
      addVpn(app, tier, RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ);
    });
    const dot = renderDot(checkSegmentation([dir]).model);

    expect(dot).toMatch(/label="Site-to-Site VPN\\nVpn\/device-a"/);
    expect(dot).toMatch(/"outside-aws" \[.*label="networks outside AWS\\n\(government network\)"/);
  });
});
