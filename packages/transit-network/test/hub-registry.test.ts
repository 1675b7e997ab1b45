import { App, Fn, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { EgressDmz, EgressDmzProps, ITransitHub, RoutingDomain, RoutingPolicy, SpokeVpc, TransitHub } from '../src';
import { HubRegistry, validateHubShape } from '../src/private/hub-registry';
import { PropsValidator } from '../src/private/validation';

const ENV = { account: '111111111111', region: 'eu-west-2' };

interface Estate {
  readonly app: App;
  readonly stack: Stack;
  readonly hub: TransitHub;
}

function newEstate(routingPolicy?: RoutingPolicy): Estate {
  const app = new App();
  const stack = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production', routingPolicy });
  return { app, stack, hub };
}

/** Adds a spoke named after its id, in `scope` (the estate's stack unless given). */
interface SpokeOptions {
  readonly domain?: RoutingDomain;
  readonly scope?: Construct;
  readonly hub?: ITransitHub;
}

function addSpoke(estate: Estate, id: string, cidr: string, options: SpokeOptions = {}): SpokeVpc {
  const scope = options.scope ?? estate.stack;
  return new SpokeVpc(scope, id, {
    hub: options.hub ?? estate.hub,
    domain: options.domain ?? RoutingDomain.BUSINESS_APPLICATION,
    vpcName: id.toLowerCase(),
    cidr,
    flowLogBucket: s3.Bucket.fromBucketName(scope, `${id}Logs`, 'example-log-archive'),
    sessionManagerEndpoints: false,
  });
}

function addEgress(estate: Estate, id = 'Egress', overrides: Partial<Omit<EgressDmzProps, 'hub' | 'logBucket'>> = {}): EgressDmz {
  return new EgressDmz(estate.stack, id, {
    hub: estate.hub,
    cidr: '10.0.255.0/24',
    internalCidrs: ['10.0.0.0/12'],
    logBucket: s3.Bucket.fromBucketName(estate.stack, `${id}Logs`, 'example-log-archive'),
    allowedDomains: ['.service.gov.uk'],
    ...overrides,
  });
}

/** Synthesises the app and returns the error it throws, or undefined if it synthesises. */
function synthError(estate: Estate): string | undefined {
  try {
    estate.app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

describe('attachments', () => {
  test('spoke attachment connected again is rejected', () => {
    const estate = newEstate();
    const spoke = addSpoke(estate, 'Casework', '10.1.0.0/16', { domain: RoutingDomain.MANAGEMENT });

    expect(() => estate.hub.connectRemoteAttachment('Again', { attachmentId: spoke.attachmentId, domain: RoutingDomain.SHARED_SERVICES })).toThrow(
      'attachmentId (a token) is already connected to the management domain of transit hub Network/Hub by Network/Casework/HubRouting. '
      + 'A transit gateway attachment can be associated with only one route table, so connect each attachment once.');
  });

  test('egress attachment connected again is rejected', () => {
    const estate = newEstate();
    const egress = addEgress(estate);

    expect(() => estate.hub.connectRemoteAttachment('Again', { attachmentId: egress.attachmentId, domain: RoutingDomain.MANAGEMENT })).toThrow(
      /attachmentId \(a token\) is already connected to the internet-dmz domain of transit hub Network\/Hub by Network\/Egress\/HubRoutes/);
  });
});

describe('egress DMZ', () => {
  test('second egress DMZ on one hub is rejected', () => {
    const estate = newEstate();
    addEgress(estate, 'Egress');

    expect(() => addEgress(estate, 'SecondEgress', { cidr: '10.0.254.0/24' })).toThrow(
      'Invalid EgressDmz props at Network/SecondEgress:\n  - hub Network/Hub already has the egress DMZ Network/Egress. A tier has one egress DMZ');
  });

  test('second egress DMZ names the firewall names that clash', () => {
    const estate = newEstate();
    addEgress(estate, 'Egress');

    expect(() => addEgress(estate, 'SecondEgress', { cidr: '10.0.254.0/24' })).toThrow(
      /its Network Firewall names \(production-egress-firewall and the rest\) must be unique in an account and region/);
  });

  test('egress DMZs on two hubs are accepted', () => {
    const estate = newEstate();
    addEgress(estate);
    const other = new TransitHub(estate.stack, 'OtherHub', { tierName: 'non-production' });

    expect(() => new EgressDmz(estate.stack, 'OtherEgress', {
      hub: other,
      cidr: '10.16.255.0/24',
      internalCidrs: ['10.16.0.0/12'],
      logBucket: s3.Bucket.fromBucketName(estate.stack, 'OtherLogs', 'example-log-archive'),
      allowedDomains: ['.service.gov.uk'],
    })).not.toThrow();
  });
});

describe('routes', () => {
  test('blackhole for a CIDR the egress DMZ blackholes is rejected', () => {
    const estate = newEstate();
    addEgress(estate);

    expect(() => estate.hub.addBlackholeRoute('Drop', RoutingDomain.MANAGEMENT, '10.0.0.0/12')).toThrow(
      'destinationCidr "10.0.0.0/12" already has a blackhole route in the management route table of transit hub Network/Hub, '
      + 'added by Network/Egress/HubRoutes/BlackholeCidr10x0x0x0x12InManagement.');
  });

  test('static default route beside the egress DMZ is rejected', () => {
    const estate = newEstate();
    addEgress(estate);

    expect(() => estate.hub.addStaticRoute('Default', RoutingDomain.SHARED_SERVICES, '0.0.0.0/0', 'tgw-attach-0123456789abcdef0')).toThrow(
      /destinationCidr "0.0.0.0\/0" already has a static route in the shared-services route table of transit hub Network\/Hub, added by Network\/Egress\/HubRoutes\/DefaultRouteInSharedServices/);
  });

  test('egress DMZ after a clashing route is rejected naming it', () => {
    const estate = newEstate();
    estate.hub.addStaticRoute('Default', RoutingDomain.MANAGEMENT, '0.0.0.0/0', 'tgw-attach-0123456789abcdef0');
    estate.hub.addBlackholeRoute('Drop', RoutingDomain.BUSINESS_APPLICATION, '10.0.0.0/12');

    expect(() => addEgress(estate)).toThrow(new RegExp(
      '^Invalid EgressDmz routes in transit hub Network/Hub, added by Network/Egress/HubRoutes:\n'
      + '  - destinationCidr "0\\.0\\.0\\.0/0" already has a static route in the management route table of transit hub Network/Hub, added by Network/Hub/Default\\..*\n'
      + '  - destinationCidr "10\\.0\\.0\\.0/12" already has a blackhole route in the business-application route table of transit hub Network/Hub, added by Network/Hub/Drop\\.'));
  });

  test('egress DMZ rejected for a clash adds no hub route', () => {
    const estate = newEstate();
    estate.hub.addStaticRoute('Default', RoutingDomain.MANAGEMENT, '0.0.0.0/0', 'tgw-attach-0123456789abcdef0');
    expect(() => addEgress(estate)).toThrow();

    expect(estate.stack.node.findChild('Egress').node.findChild('HubRoutes').node.findAll()
      .filter((child) => child.node.id.startsWith('DefaultRoute') || child.node.id.startsWith('Blackhole'))).toEqual([]);
  });

  test('routes in domains the egress DMZ leaves alone are accepted', () => {
    const estate = newEstate();
    addEgress(estate);

    expect(() => estate.hub.addBlackholeRoute('Drop', RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ, '10.0.0.0/12')).not.toThrow();
  });
});

describe('addresses', () => {
  test('valid estate synthesises', () => {
    const estate = newEstate();
    addEgress(estate);
    addSpoke(estate, 'Casework', '10.1.0.0/16');
    addSpoke(estate, 'Payments', '10.2.0.0/16');

    expect(synthError(estate)).toBeUndefined();
  });

  test('two spokes with one CIDR fail synth naming both', () => {
    const estate = newEstate();
    addSpoke(estate, 'Casework', '10.1.0.0/16');
    addSpoke(estate, 'Payments', '10.1.0.0/16');

    expect(() => Template.fromStack(estate.stack)).toThrow(
      '[Network/Hub] VPC casework (10.1.0.0/16, at Network/Casework) and VPC payments (10.1.0.0/16, at Network/Payments) overlap, '
      + 'and both are attached to this transit hub.');
  });

  test('spoke inside another spoke fails synth', () => {
    const estate = newEstate();
    addSpoke(estate, 'Casework', '10.1.0.0/16');
    addSpoke(estate, 'Payments', '10.1.4.0/24');

    expect(synthError(estate)).toMatch(
      /VPC casework \(10\.1\.0\.0\/16, at Network\/Casework\) and VPC payments \(10\.1\.4\.0\/24, at Network\/Payments\) overlap/);
  });

  test('overlapping spokes in other stacks fail synth', () => {
    const estate = newEstate();
    const first = new Stack(estate.app, 'CaseworkVpc', { env: ENV });
    const second = new Stack(estate.app, 'PaymentsVpc', { env: ENV });
    addSpoke(estate, 'Casework', '10.1.0.0/16', { scope: first });
    addSpoke(estate, 'Payments', '10.1.0.0/20', { scope: second });

    expect(synthError(estate)).toMatch(
      /VPC casework \(10\.1\.0\.0\/16, at CaseworkVpc\/Casework\) and VPC payments \(10\.1\.0\.0\/20, at PaymentsVpc\/Payments\) overlap/);
  });

  test('overlapping spokes on an imported hub fail synth', () => {
    const estate = newEstate();
    const hub = TransitHub.fromTransitHubAttributes(estate.stack, 'ImportedHub', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' });
    addSpoke(estate, 'Casework', '10.1.0.0/16', { hub });
    addSpoke(estate, 'Payments', '10.1.0.0/16', { hub });

    expect(synthError(estate)).toMatch(/\[Network\/ImportedHub\] VPC casework \(10\.1\.0\.0\/16, at Network\/Casework\) and VPC payments/);
  });

  test('same CIDR on two hubs is accepted', () => {
    const estate = newEstate();
    const other = new TransitHub(estate.stack, 'OtherHub', { tierName: 'non-production' });
    addSpoke(estate, 'Casework', '10.1.0.0/16');
    addSpoke(estate, 'Payments', '10.1.0.0/16', { hub: other });

    expect(synthError(estate)).toBeUndefined();
  });

  test('spoke equal to an internal range fails synth', () => {
    const estate = newEstate();
    addEgress(estate, 'Egress', { internalCidrs: ['10.0.0.0/16', '10.1.0.0/16'] });
    addSpoke(estate, 'Casework', '10.1.0.0/16');

    expect(synthError(estate)).toMatch(new RegExp(
      'VPC casework \\(10\\.1\\.0\\.0/16, at Network/Casework\\): the egress DMZ Network/Egress has the internal range 10\\.1\\.0\\.0/16, '
      + 'which equals the VPC\'s range\\. Its blackhole route in the management and shared-services route tables beats the route the VPC propagates there'));
  });

  test('spoke created before the egress DMZ is checked too', () => {
    const estate = newEstate();
    addSpoke(estate, 'Casework', '10.1.0.0/16');
    addEgress(estate, 'Egress', { internalCidrs: ['10.0.0.0/16', '10.1.0.0/16'] });

    expect(synthError(estate)).toMatch(/the egress DMZ Network\/Egress has the internal range 10\.1\.0\.0\/16, which equals the VPC's range/);
  });

  test('internal range inside a spoke fails synth', () => {
    const estate = newEstate();
    addEgress(estate, 'Egress', { internalCidrs: ['10.0.0.0/16', '10.1.4.0/24'] });
    addSpoke(estate, 'Casework', '10.1.0.0/16', { domain: RoutingDomain.MANAGEMENT });

    expect(synthError(estate)).toMatch(
      /the egress DMZ Network\/Egress has the internal range 10\.1\.4\.0\/24, which lies inside the VPC's range\. Its blackhole route in the management, business-application and shared-services route tables/);
  });

  test('internal range equal to a spoke no domain reaches is accepted', () => {
    // Only management reaches the internet DMZ, and nothing reaches the business-application domain.
    const routingPolicy = new RoutingPolicy({ connections: [{ domain: RoutingDomain.MANAGEMENT, peer: RoutingDomain.INTERNET_DMZ }] });
    const estate = newEstate(routingPolicy);
    addEgress(estate, 'Egress', { internalCidrs: ['10.0.0.0/16', '10.1.0.0/16'] });
    addSpoke(estate, 'Casework', '10.1.0.0/16');

    expect(synthError(estate)).toBeUndefined();
  });

  test('spoke outside the internal ranges fails synth', () => {
    const estate = newEstate();
    addEgress(estate);
    addSpoke(estate, 'Casework', '192.168.0.0/16');

    expect(synthError(estate)).toMatch(new RegExp(
      'VPC casework \\(192\\.168\\.0\\.0/16, at Network/Casework\\) lies outside every internal range of the egress DMZ Network/Egress \\(10\\.0\\.0\\.0/12\\)\\. '
      + 'The egress VPC has no route back to it'));
  });

  test('a VPC of no domain outside the internal ranges is accepted', () => {
    const estate = newEstate();
    addEgress(estate);
    HubRegistry.of(estate.hub).addVpc({ name: 'production-east-west-inspection', cidr: '192.168.0.0/25', path: 'Network/Inspection' });

    expect(synthError(estate)).toBeUndefined();
  });

  test('a VPC of no domain that overlaps a spoke fails synth', () => {
    const estate = newEstate();
    addSpoke(estate, 'Casework', '10.1.0.0/16');
    HubRegistry.of(estate.hub).addVpc({ name: 'production-east-west-inspection', cidr: '10.1.0.0/24', path: 'Network/Inspection' });

    expect(synthError(estate)).toMatch(/VPC casework \(10\.1\.0\.0\/16, at Network\/Casework\) and VPC production-east-west-inspection \(10\.1\.0\.0\/24, at Network\/Inspection\) overlap/);
  });

  test('spoke outside concrete ranges beside a token range is accepted', () => {
    const estate = newEstate();
    addEgress(estate, 'Egress', { internalCidrs: ['10.0.0.0/12', Fn.importValue('PartnerSupernet')] });
    addSpoke(estate, 'Casework', '192.168.0.0/16');

    expect(synthError(estate)).toBeUndefined();
  });

  test('spoke overlapping the egress VPC fails synth', () => {
    const estate = newEstate();
    addEgress(estate);
    addSpoke(estate, 'Casework', '10.0.255.0/24');

    expect(synthError(estate)).toMatch(
      /VPC casework \(10\.0\.255\.0\/24, at Network\/Casework\) overlaps the egress VPC \(10\.0\.255\.0\/24, at Network\/Egress\)/);
  });

  test('every address problem is reported', () => {
    const estate = newEstate();
    addEgress(estate);
    addSpoke(estate, 'Casework', '192.168.0.0/16');
    addSpoke(estate, 'Payments', '192.168.0.0/16');
    const message = synthError(estate);

    expect(message).toMatch(/VPC casework .* and VPC payments .* overlap/);
    expect(message).toMatch(/VPC casework \(192\.168\.0\.0\/16, at Network\/Casework\) lies outside every internal range/);
    expect(message).toMatch(/VPC payments \(192\.168\.0\.0\/16, at Network\/Payments\) lies outside every internal range/);
  });
});

describe('government ranges', () => {
  test('government range inside a VPC fails synth', () => {
    const estate = newEstate();
    addSpoke(estate, 'Casework', '10.1.0.0/16');
    HubRegistry.of(estate.hub).addGovernmentRoutes({ path: 'Network/Vpn', cidrs: ['10.1.8.0/24'] });

    expect(synthError(estate)).toMatch(new RegExp(
      '\\[Network/Hub\\] The VPN Network/Vpn has a static route to the government range 10\\.1\\.8\\.0/24, which lies inside the range of VPC casework '
      + '\\(10\\.1\\.0\\.0/16, at Network/Casework\\), attached to this transit hub\\. The government network and the VPC would share those addresses\\.'));
  });

  test('government range beside every VPC is accepted', () => {
    const estate = newEstate();
    addSpoke(estate, 'Casework', '10.1.0.0/16');
    HubRegistry.of(estate.hub).addGovernmentRoutes({ path: 'Network/Vpn', cidrs: ['10.200.0.0/16', Fn.importValue('GovernmentRange')] });

    expect(synthError(estate)).toBeUndefined();
  });

  test('government range equal to an advertised prefix fails synth', () => {
    const estate = newEstate();
    HubRegistry.of(estate.hub).addAdvertisedPrefixes({ path: 'Network/Link', domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, prefixes: ['10.0.0.0/16', '10.1.0.0/16'] });
    HubRegistry.of(estate.hub).addGovernmentRoutes({ path: 'Network/Vpn', cidrs: ['10.1.0.0/16'] });

    expect(synthError(estate)).toMatch(
      /The VPN Network\/Vpn has a static route to the government range 10\.1\.0\.0\/16, which equals allowedPrefixes\[1\] \(10\.1\.0\.0\/16\) of the Direct Connect link Network\/Link/);
  });

  test('VPCs overlapping a block are listed without token ones', () => {
    const estate = newEstate();
    const registry = HubRegistry.of(estate.hub);
    registry.addVpc({ name: 'casework', cidr: '10.1.0.0/16', domain: RoutingDomain.BUSINESS_APPLICATION, path: 'Network/Casework' });
    registry.addVpc({ name: 'payments', cidr: '10.2.0.0/16', domain: RoutingDomain.BUSINESS_APPLICATION, path: 'Network/Payments' });
    registry.addVpc({ name: 'imported', cidr: Fn.importValue('ImportedCidr'), path: 'Network/Imported' });

    expect(registry.vpcsOverlapping({ address: 10 * 2 ** 24, prefixLength: 15 }).map((vpc) => vpc.name)).toEqual(['casework']);
  });

  test('customer gateway of the same domain is not reported', () => {
    const registry = HubRegistry.of(newEstate().hub);
    registry.addCustomerGateway({ path: 'Network/Vpn', name: 'gsi-1', domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, ipAddress: '203.0.113.10', asn: 65010 });

    expect(registry.customerGatewayInOtherDomain('203.0.113.10', 65010, RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ)).toBeUndefined();
    expect(registry.customerGatewayInOtherDomain('203.0.113.10', 65010, RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ)?.name).toBe('gsi-1');
  });
});

describe('unconnected domains', () => {
  test('spoke in a domain the policy connects to nothing warns', () => {
    const estate = newEstate(new RoutingPolicy({ connections: [] }));
    addSpoke(estate, 'Casework', '10.1.0.0/16');

    Annotations.fromStack(estate.stack).hasWarning('/Network/Casework/HubRouting', Match.stringLikeRegexp(
      'The attachment is placed in the business-application domain, which the routing policy of transit hub Network/Hub connects to no domain'));
  });

  test('spoke in a self-connected domain raises no routing warning', () => {
    const estate = newEstate(new RoutingPolicy({ connections: [{ domain: RoutingDomain.MANAGEMENT, peer: RoutingDomain.MANAGEMENT }] }));
    addSpoke(estate, 'Directory', '10.1.0.0/16', { domain: RoutingDomain.MANAGEMENT });

    expect(Annotations.fromStack(estate.stack).findWarning('*', Match.stringLikeRegexp('attachmentDomainUnconnected'))).toEqual([]);
  });
});

describe('validateHubShape', () => {
  function problemsFor(hub: unknown): { usable: boolean; message: string } {
    const validator = new PropsValidator('test props');
    const usable = validateHubShape(validator, hub);
    try {
      validator.throwIfInvalid();
    } catch (error) {
      return { usable, message: (error as Error).message };
    }
    return { usable, message: '' };
  }

  test('transit hub is usable', () => {
    expect(problemsFor(newEstate().hub)).toEqual({ usable: true, message: '' });
  });

  test('imported hub is usable', () => {
    const hub = TransitHub.fromTransitHubAttributes(newEstate().stack, 'Imported', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' });

    expect(problemsFor(hub)).toEqual({ usable: true, message: '' });
  });

  test('missing hub is left to the caller', () => {
    expect(problemsFor(undefined)).toEqual({ usable: false, message: '' });
  });

  test('transit gateway ID string is rejected', () => {
    expect(problemsFor('tgw-0123456789abcdef0')).toEqual({
      usable: false,
      message: 'Invalid test props:\n  - hub is "tgw-0123456789abcdef0", which is not a transit hub; '
        + 'pass a TransitHub, or a hub imported with TransitHub.fromTransitHubAttributes.',
    });
  });

  test('plain construct is rejected with what it lacks', () => {
    const { usable, message } = problemsFor(new Construct(newEstate().stack, 'NotAHub'));

    expect(usable).toBe(false);
    expect(message).toContain('hub is the construct Network/NotAHub, which is not a transit hub: its transitGatewayId is undefined, not a string; '
      + 'its tierName is undefined, not a string; its manageRouteTables is undefined, not a boolean; '
      + 'its routingPolicy is undefined, not a RoutingPolicy. To fix, pass a TransitHub');
  });

  test('construct with a hand-made policy is rejected', () => {
    const fake = Object.assign(new Construct(newEstate().stack, 'FakeHub'), {
      transitGatewayId: 'tgw-0123456789abcdef0',
      tierName: 'production',
      manageRouteTables: true,
      routingPolicy: { connections: [] },
    });

    expect(problemsFor(fake).message).toContain('its routingPolicy is {"connections":[]}, not a RoutingPolicy.');
  });
});
