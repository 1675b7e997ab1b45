import { parseCidr } from '../../src/private/cidr';
import { AddressSet } from '../../src/segmentation/address-set';
import { CfnResourceJson, StackTemplate } from '../../src/segmentation/assembly';
import { reachableOnlyThrough, tiersIsolated, unreachable } from '../../src/segmentation/intents';
import { NetworkModel } from '../../src/segmentation/model';
import { buildNetworkModel } from '../../src/segmentation/model-builder';
import { TracedPath, traceFromSubnet } from '../../src/segmentation/reachability';

type Resources = Record<string, CfnResourceJson>;

function stack(label: string, resources: Resources, outputs: StackTemplate['template']['Outputs'] = {}): StackTemplate {
  return {
    label,
    stackName: label,
    assemblyDir: '/tmp/none',
    account: '111111111111',
    region: 'eu-west-2',
    template: { Resources: resources, Outputs: outputs },
    constructPaths: new Map(),
  };
}

/** Returns a transit gateway with its defaults off and one route table. */
function hub(): Resources {
  return {
    Tgw: { Type: 'AWS::EC2::TransitGateway', Properties: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' } },
    Rt: { Type: 'AWS::EC2::TransitGatewayRouteTable', Properties: { TransitGatewayId: { Ref: 'Tgw' }, Tags: [{ Key: 'RoutingDomain', Value: 'management' }] } },
  };
}

/**
 * Returns a VPC with one subnet per zone whose route table sends 0.0.0.0/0 to
 * `defaultTarget` (the transit gateway by default). The VPC is attached to
 * `transitGateway`, and the attachment is associated with and propagates into `routeTable`.
 */
function spoke(
  name: string,
  cidr: string,
  zones: string[],
  transitGateway: unknown,
  routeTable?: unknown,
  defaultTarget?: Record<string, unknown>,
): Resources {
  const resources: Resources = {
    [`${name}Vpc`]: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr, Tags: [{ Key: 'Name', Value: name }] } },
  };
  const subnets = zones.map((zone, index) => {
    const subnet = `${name}Subnet${index}`;
    const block = parseCidr(cidr)!;
    const third = (block.address / 256 % 256) + index;
    resources[subnet] = {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: { Ref: `${name}Vpc` }, AvailabilityZone: zone, CidrBlock: cidr.replace(/\.\d+\.0\/\d+$/, `.${third}.0/24`) },
    };
    resources[`${subnet}Rt`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: `${name}Vpc` } } };
    resources[`${subnet}Assoc`] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: subnet }, RouteTableId: { Ref: `${subnet}Rt` } } };
    resources[`${subnet}Default`] = {
      Type: 'AWS::EC2::Route',
      Properties: { RouteTableId: { Ref: `${subnet}Rt` }, DestinationCidrBlock: '0.0.0.0/0', ...(defaultTarget ?? { TransitGatewayId: transitGateway }) },
    };
    return subnet;
  });
  resources[`${name}Attachment`] = {
    Type: 'AWS::EC2::TransitGatewayVpcAttachment',
    Properties: { TransitGatewayId: transitGateway, VpcId: { Ref: `${name}Vpc` }, SubnetIds: subnets.map((subnet) => ({ Ref: subnet })) },
  };
  if (routeTable !== undefined) {
    resources[`${name}Association`] = { Type: 'AWS::EC2::TransitGatewayRouteTableAssociation', Properties: { TransitGatewayAttachmentId: { Ref: `${name}Attachment` }, TransitGatewayRouteTableId: routeTable } };
    resources[`${name}Propagation`] = { Type: 'AWS::EC2::TransitGatewayRouteTablePropagation', Properties: { TransitGatewayAttachmentId: { Ref: `${name}Attachment` }, TransitGatewayRouteTableId: routeTable } };
  }
  return resources;
}

function trace(model: NetworkModel, subnet: string, destination: string): TracedPath[] {
  return traceFromSubnet(model, subnet, destination === 'internet' ? AddressSet.publicInternet() : AddressSet.of([parseCidr(destination)!]));
}

/** Returns a VPC whose subnet A reaches the internet through a NAT gateway in a public subnet. */
function natEstate(): Resources {
  return {
    ...spoke('A', '10.1.0.0/16', ['eu-west-2a'], 'tgw-unused', undefined, { NatGatewayId: { Ref: 'Nat' } }),
    Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'PublicSubnet' } } },
    PublicSubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'AVpc' }, AvailabilityZone: 'eu-west-2a', CidrBlock: '10.1.200.0/24' } },
    PublicRt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'AVpc' } } },
    PublicAssoc: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'PublicSubnet' }, RouteTableId: { Ref: 'PublicRt' } } },
    PublicDefault: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'PublicRt' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } },
    Igw: { Type: 'AWS::EC2::InternetGateway' },
    IgwAttach: { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: { Ref: 'AVpc' }, InternetGatewayId: { Ref: 'Igw' } } },
  };
}

const ZONES = ['eu-west-2a', 'eu-west-2b'];

describe('model', () => {
  test('spokes on one hub reach each other', () => {
    const model = buildNetworkModel([stack('S', { ...hub(), ...spoke('A', '10.1.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }), ...spoke('B', '10.2.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }) })]);

    const paths = trace(model, 'S/ASubnet1', '10.2.0.0/16');
    expect(paths).toHaveLength(1);
    expect(paths[0].outcome).toMatchObject({ kind: 'delivered', vpc: 'S/BVpc' });
    expect(paths[0].hops.map((hop) => hop.kind)).toEqual(['subnet', 'route-table', 'transit-gateway-attachment', 'transit-gateway-route-table', 'transit-gateway-attachment', 'route-table']);
    expect(paths[0].hops[4].zone).toBe('eu-west-2b');
  });

  test('literal transit gateway ID is external', () => {
    const model = buildNetworkModel([stack('S', spoke('A', '10.1.0.0/16', ZONES, 'tgw-0a1b2c3d4e5f67890'))]);

    expect([...model.externals.values()].map((e) => [e.node.logicalId, e.usedAs])).toEqual([['tgw-0a1b2c3d4e5f67890', ['transit gateway']]]);
    expect(model.externals.get('external:tgw-0a1b2c3d4e5f67890')!.usedBy.map((node) => node.logicalId)).toEqual(['AAttachment', 'ASubnet0Default', 'ASubnet1Default']);
    expect(trace(model, 'S/ASubnet0', '10.2.0.0/16')[0].outcome).toMatchObject({ kind: 'external', reason: expect.stringMatching(/tgw-0a1b2c3d4e5f67890 \(external\) is outside the assemblies/) });
  });

  test('binding joins a literal ID to its hub', () => {
    const stacks = [
      stack('Hub', { ...hub(), ...spoke('B', '10.2.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }) }),
      stack('Remote', spoke('A', '10.1.0.0/16', ZONES, 'tgw-0a1b2c3d4e5f67890')),
      stack('Connect', {
        Association: { Type: 'AWS::EC2::TransitGatewayRouteTableAssociation', Properties: { TransitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0', TransitGatewayRouteTableId: { 'Fn::ImportValue': 'Hub:Rt' } } },
      }),
    ];
    stacks[0].template.Outputs!.Rt = { Value: { Ref: 'Rt' }, Export: { Name: 'Hub:Rt' } };

    const unbound = buildNetworkModel(stacks);
    expect(trace(unbound, 'Remote/ASubnet0', '10.2.0.0/16')[0].outcome.kind).toBe('external');

    const model = buildNetworkModel(stacks, { bindings: { 'tgw-0a1b2c3d4e5f67890': 'Hub/Tgw', 'tgw-attach-0123456789abcdef0': 'Remote/AAttachment' } });
    expect(model.externals.size).toBe(0);
    expect(trace(model, 'Remote/ASubnet0', '10.2.0.0/16')[0].outcome).toMatchObject({ kind: 'delivered', vpc: 'Hub/BVpc' });
  });

  test('binding to nothing throws', () => {
    expect(() => buildNetworkModel([stack('S', hub())], { bindings: { 'tgw-1': 'S/Missing', 'tgw-2': 'Nowhere/Hub' } }))
      .toThrow(/Invalid bindings:\n {2}- tgw-1 is bound to S\/Missing, which names no resource of the assemblies.*\n {2}- tgw-2 is bound to Nowhere\/Hub/);
  });

  test('attachment missing a zone drops traffic', () => {
    const resources = { ...hub(), ...spoke('A', '10.1.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }) };
    (resources.AAttachment.Properties as Record<string, unknown>).SubnetIds = [{ Ref: 'ASubnet0' }];
    const model = buildNetworkModel([stack('S', resources)]);

    expect(trace(model, 'S/ASubnet1', '10.9.0.0/16')[0].outcome.reason).toBe('attachment S/AAttachment has no subnet in eu-west-2b, so traffic from that zone cannot reach the transit gateway');
  });

  test('unassociated attachment is dropped', () => {
    const model = buildNetworkModel([stack('S', { ...hub(), ...spoke('A', '10.1.0.0/16', ZONES, { Ref: 'Tgw' }) })]);

    expect(trace(model, 'S/ASubnet0', '10.2.0.0/16')[0].outcome.reason).toMatch(/S\/AAttachment is not associated with a route table of transit gateway S\/Tgw/);
  });

  test('static route beats propagated route', () => {
    const resources: Resources = {
      ...hub(),
      ...spoke('A', '10.1.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }),
      ...spoke('B', '10.2.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }),
      Blackhole: { Type: 'AWS::EC2::TransitGatewayRoute', Properties: { TransitGatewayRouteTableId: { Ref: 'Rt' }, DestinationCidrBlock: '10.2.0.0/16', Blackhole: true } },
    };
    const model = buildNetworkModel([stack('S', resources)]);

    expect(trace(model, 'S/ASubnet0', '10.2.0.0/16')[0].outcome.reason).toBe('blackhole route S/Blackhole drops the packet');
  });

  test('routing loop is stopped', () => {
    const resources: Resources = {
      ...hub(),
      ...spoke('A', '10.1.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }),
      ...spoke('B', '10.2.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }),
      ToB: { Type: 'AWS::EC2::TransitGatewayRoute', Properties: { TransitGatewayRouteTableId: { Ref: 'Rt' }, DestinationCidrBlock: '10.99.0.0/16', TransitGatewayAttachmentId: { Ref: 'BAttachment' } } },
    };
    const model = buildNetworkModel([stack('S', resources)]);

    const paths = trace(model, 'S/ASubnet0', '10.99.0.0/16');
    expect(paths.map((path) => path.outcome.kind)).toEqual(['loop']);
    expect(paths[0].hops.length).toBeLessThan(12);
  });

  test('NAT gateway hands on to its subnet', () => {
    const model = buildNetworkModel([stack('S', natEstate())]);

    const paths = trace(model, 'S/ASubnet0', 'internet');
    expect(paths[0].outcome).toMatchObject({ kind: 'internet', vpc: 'S/AVpc' });
    expect(paths[0].hops.map((hop) => hop.kind)).toEqual(['subnet', 'route-table', 'nat-gateway', 'route-table', 'internet-gateway']);
  });

  test('Gateway Load Balancer endpoint hands on', () => {
    const resources: Resources = {
      ...natEstate(),
      ASubnet0Default: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'ASubnet0Rt' }, DestinationCidrBlock: '0.0.0.0/0', VpcEndpointId: { Ref: 'Inspection' } } },
      Inspection: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'GatewayLoadBalancer', VpcId: { Ref: 'AVpc' }, SubnetIds: [{ Ref: 'PublicSubnet' }] } },
    };
    const model = buildNetworkModel([stack('S', resources)]);

    const paths = trace(model, 'S/ASubnet0', 'internet');
    expect(paths[0].hops.map((hop) => hop.kind)).toEqual(['subnet', 'route-table', 'gateway-load-balancer-endpoint', 'route-table', 'internet-gateway']);
    // The public subnet itself is a source too, and it reaches the gateway directly.
    const result = reachableOnlyThrough(model, 'A', { internet: true }, 'gateway-load-balancer-endpoint');
    expect(result.violations.map((violation) => violation.path.sourceSubnet)).toEqual(['S/PublicSubnet']);
  });

  test('reachableOnlyThrough names the bypass', () => {
    const model = buildNetworkModel([stack('S', natEstate())]);

    const result = reachableOnlyThrough(model, 'A', { internet: true }, 'network-firewall-endpoint');
    expect(result.status).toBe('violated');
    expect(result.violations[0].summary).toBe('VPC A (S/AVpc) (eu-west-2a) reaches the internet without a network-firewall-endpoint, last through S/Igw');
  });

  test('unreachable CIDR counts internet exits', () => {
    const model = buildNetworkModel([stack('S', natEstate())]);

    expect(unreachable(model, 'A', { cidr: '8.8.8.0/24' }).status).toBe('violated');
    expect(unreachable(model, 'A', { cidr: '10.9.0.0/16' }).status).toBe('violated');
    expect(unreachable(model, 'S/AVpc', { vpc: 'A' }).status).toBe('violated');
  });

  test('invalid destination throws', () => {
    const model = buildNetworkModel([stack('S', natEstate())]);

    expect(() => unreachable(model, 'A', { cidr: '10.9.0.0', internet: true })).toThrow(/set exactly one of vpc, cidr or internet/);
    expect(() => unreachable(model, 'A', { cidr: '10.9.0.0' })).toThrow(/The destination CIDR block "10\.9\.0\.0" is invalid/);
  });

  test('subnet without association uses the main route table', () => {
    const model = buildNetworkModel([stack('S', {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } },
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, AvailabilityZone: 'eu-west-2a', CidrBlock: '10.1.0.0/24' } },
    })]);

    const [local] = trace(model, 'S/Subnet', '10.1.0.0/16');
    expect(local.hops[1].node.logicalId).toBe('Vpc main route table');
    expect(local.outcome.kind).toBe('delivered');
    expect(trace(model, 'S/Subnet', 'internet')[0].outcome.kind).toBe('dropped');
  });

  test('peering delivers only in the peer VPC', () => {
    const resources: Resources = {
      ...spoke('A', '10.1.0.0/16', ['eu-west-2a'], 'tgw-unused', undefined, { VpcPeeringConnectionId: { Ref: 'Peering' } }),
      BVpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.2.0.0/16' } },
      Peering: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: { VpcId: { Ref: 'AVpc' }, PeerVpcId: { Ref: 'BVpc' } } },
    };
    const model = buildNetworkModel([stack('S', resources)]);

    const paths = trace(model, 'S/ASubnet0', '10.2.0.0/15');
    expect(paths.map((path) => [path.outcome.kind, path.addresses.describe()])).toEqual([
      ['delivered', '10.2.0.0/16'],
      ['dropped', '10.3.0.0/16'],
    ]);
  });

  test('unmodelled resources are gaps', () => {
    const model = buildNetworkModel([stack('S', {
      ...spoke('A', '10.1.0.0/16', ['eu-west-2a'], 'tgw-unused', undefined, { InstanceId: 'i-0123456789abcdef0' }),
      Vpn: { Type: 'AWS::EC2::VPNConnection', Properties: {} },
      V6: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'ASubnet0Rt' }, DestinationIpv6CidrBlock: '::/0', GatewayId: 'igw-1' } },
      List: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'ASubnet0Rt' }, DestinationPrefixListId: 'pl-1', GatewayId: 'igw-1' } },
    })]);

    expect(model.gaps.map((gap) => `${gap.node?.logicalId}: ${gap.message}`)).toEqual([
      'Vpn: a Site-to-Site VPN connection: routes learnt over it are not modelled',
      'V6: the route\'s destination is an IPv6 block, which the model does not cover, so the route is left out',
      'List: the route\'s destination is a prefix list, which the model does not cover, so the route is left out',
    ]);
    expect(trace(model, 'S/ASubnet0', 'internet')[0].outcome.reason).toBe('the route sends the packet to an EC2 instance (external:i-0123456789abcdef0), which the checker does not follow');
  });

  test('external path makes tiers inconclusive', () => {
    const model = buildNetworkModel([
      stack('Hub', { ...hub(), ...spoke('B', '10.2.0.0/16', ZONES, { Ref: 'Tgw' }, { Ref: 'Rt' }) }),
      stack('Remote', spoke('A', '10.1.0.0/16', ZONES, 'tgw-0a1b2c3d4e5f67890')),
    ]);

    const result = tiersIsolated(model);
    expect(result.status).toBe('inconclusive');
    expect(result.inconclusive[0].summary).toMatch(/^VPC A \(Remote\/AVpc\) \(subnet Remote\/ASubnet0, eu-west-2a\) sends traffic for another tier's VPCs outside the model$/);
  });
});
