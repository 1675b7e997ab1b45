import {
  App,
  CfnParameter,
  Fn,
  Stack,
  aws_autoscaling as autoscaling,
  aws_directconnect as directconnect,
  aws_directoryservice as directoryservice,
  aws_ec2 as ec2,
  aws_elasticloadbalancingv2 as elbv2,
  aws_networkfirewall as networkfirewall,
} from 'aws-cdk-lib';
import { analyse, findingsOf, logicalIdOf, newStack, newVpc } from './helpers';
import { SinglePointOfFailureKind as Kind } from '../../src';
import { analyseTemplate } from '../../src/resilience/analysis';

/** Creates a VPC with two isolated subnet groups, so that two subnets share each zone. */
function twoGroupVpc(stack: Stack): ec2.Vpc {
  return newVpc(stack, {
    natGateways: 0,
    subnetConfiguration: [
      { name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'b', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

describe('NAT gateways', () => {
  test('one NAT gateway for three zones is found on the VPC', () => {
    const stack = newStack();
    const vpc = newVpc(stack, { natGateways: 1 });

    const findings = findingsOf(stack, Kind.SINGLE_NAT_GATEWAY);

    expect(findings.map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, vpc)]);
    expect(findings[0].description).toContain('used by subnets in 3 availability zones');
  });

  test('a VPC with a NAT gateway per zone is not', () => {
    const stack = newStack();
    newVpc(stack, { natGateways: 3 });

    expect(findingsOf(stack, Kind.SINGLE_NAT_GATEWAY)).toEqual([]);
  });

  test('a NAT gateway that serves two zones of three is', () => {
    const stack = newStack();
    newVpc(stack, { natGateways: 2 });

    const findings = findingsOf(stack, Kind.SINGLE_NAT_GATEWAY);

    expect(findings).toHaveLength(1);
    expect(findings[0].description).toContain('subnets in 2 availability zones');
  });

  test('NAT gateways swapped between zones are found: each zone depends on the other zone\'s NAT gateway', () => {
    // GIVEN two zones, each with a public subnet holding a NAT gateway and a private subnet
    const stack = newStack();
    const vpc = new ec2.CfnVPC(stack, 'Network', { cidrBlock: '10.0.0.0/16' });
    const subnet = (id: string, zone: string, cidrBlock: string) =>
      new ec2.CfnSubnet(stack, id, { vpcId: vpc.ref, availabilityZone: zone, cidrBlock });
    const natA = new ec2.CfnNatGateway(stack, 'NatA', { subnetId: subnet('PublicA', 'eu-west-2a', '10.0.0.0/24').ref });
    const natB = new ec2.CfnNatGateway(stack, 'NatB', { subnetId: subnet('PublicB', 'eu-west-2b', '10.0.1.0/24').ref });
    const route = (zone: string, privateSubnet: ec2.CfnSubnet, nat: ec2.CfnNatGateway) => {
      const table = new ec2.CfnRouteTable(stack, `Routes${zone}`, { vpcId: vpc.ref });
      new ec2.CfnSubnetRouteTableAssociation(stack, `Association${zone}`, { subnetId: privateSubnet.ref, routeTableId: table.ref });
      new ec2.CfnRoute(stack, `Route${zone}`, { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.ref });
    };

    // WHEN zone A's private subnet routes to the NAT gateway in zone B, and the reverse
    route('A', subnet('PrivateA', 'eu-west-2a', '10.0.2.0/24'), natB);
    route('B', subnet('PrivateB', 'eu-west-2b', '10.0.3.0/24'), natA);

    // THEN both are found, each naming the zone it depends on
    const descriptions = findingsOf(stack, Kind.SINGLE_NAT_GATEWAY).map((finding) => finding.description).sort();
    expect(descriptions).toEqual([
      expect.stringContaining('Subnets in eu-west-2a send outbound internet traffic through AWS::EC2::NatGateway NatB, which is in eu-west-2b'),
      expect.stringContaining('Subnets in eu-west-2b send outbound internet traffic through AWS::EC2::NatGateway NatA, which is in eu-west-2a'),
    ]);
  });

  test('zones from Fn::GetAZs in a stack without a region are told apart', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 2 });

    expect(findingsOf(stack, Kind.SINGLE_NAT_GATEWAY)[0].description).toContain('subnets in 2 availability zones');
  });
});

describe('Auto Scaling groups', () => {
  function group(stack: Stack, vpc: ec2.Vpc, props: Partial<autoscaling.AutoScalingGroupProps>): autoscaling.AutoScalingGroup {
    return new autoscaling.AutoScalingGroup(stack, 'Group', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      ...props,
    });
  }

  test('a group of at most one instance is a single point of failure', () => {
    const stack = newStack();
    const asg = group(stack, newVpc(stack), { maxCapacity: 1 });

    expect(findingsOf(stack, Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP).map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, asg)]);
  });

  test('a group whose minimum size is 1 is a single point of failure, however large its maximum', () => {
    const stack = newStack();
    const asg = group(stack, newVpc(stack), { minCapacity: 1, maxCapacity: 10 });

    const findings = findingsOf(stack, Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP);

    expect(findings.map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, asg)]);
    expect(findings[0].description).toContain('has a minimum size of 1: it can run with a single instance');
  });

  test('the desired capacity, when given, decides instead of the minimum size', () => {
    const low = newStack();
    group(low, newVpc(low), { minCapacity: 2, desiredCapacity: 2, maxCapacity: 10 });
    (low.node.findAll().find((child) => child instanceof autoscaling.CfnAutoScalingGroup) as autoscaling.CfnAutoScalingGroup)
      .desiredCapacity = '1';
    const high = newStack();
    group(high, newVpc(high), { minCapacity: 1, desiredCapacity: 3, maxCapacity: 10 });

    expect(findingsOf(low, Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP).map((finding) => finding.description))
      .toEqual([expect.stringContaining('has a desired capacity of 1')]);
    expect(findingsOf(high, Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP)).toEqual([]);
  });

  test('a minimum size from a parameter is not judged', () => {
    const stack = newStack();
    const asg = group(stack, newVpc(stack), { maxCapacity: 4 });
    (asg.node.defaultChild as autoscaling.CfnAutoScalingGroup).minSize = new CfnParameter(stack, 'MinSize').valueAsString;

    expect(findingsOf(stack, Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP)).toEqual([]);
  });

  test('a group in one zone is a single point of failure', () => {
    const stack = newStack();
    group(stack, newVpc(stack), { minCapacity: 2, maxCapacity: 4, vpcSubnets: { availabilityZones: ['eu-west-2a'] } });

    const findings = findingsOf(stack, Kind.SINGLE_AZ_AUTO_SCALING_GROUP);

    expect(findings).toHaveLength(1);
    expect(findings[0].description).toContain('(eu-west-2a)');
  });

  test('a group of several instances across zones is not', () => {
    const stack = newStack();
    group(stack, newVpc(stack), { minCapacity: 3, maxCapacity: 6 });

    expect([
      ...findingsOf(stack, Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP),
      ...findingsOf(stack, Kind.SINGLE_AZ_AUTO_SCALING_GROUP),
    ]).toEqual([]);
  });

  test('a maximum size from a parameter is not judged', () => {
    const stack = newStack();
    const asg = group(stack, newVpc(stack), { minCapacity: 2 });
    const maxSize = new CfnParameter(stack, 'MaxSize', { type: 'String' });
    (asg.node.defaultChild as autoscaling.CfnAutoScalingGroup).maxSize = maxSize.valueAsString;

    expect(findingsOf(stack, Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP)).toEqual([]);
  });
});

describe('directories', () => {
  function microsoftAd(stack: Stack, subnetIds: string[]): directoryservice.CfnMicrosoftAD {
    return new directoryservice.CfnMicrosoftAD(stack, 'Directory', {
      name: 'corp.example.gov.uk',
      password: '{{resolve:secretsmanager:directory-admin}}',
      vpcSettings: { vpcId: 'vpc-12345678', subnetIds },
    });
  }

  test('a Managed Microsoft AD in one zone is found', () => {
    const stack = newStack();
    const vpc = twoGroupVpc(stack);
    microsoftAd(stack, [vpc.isolatedSubnets[0].subnetId, vpc.isolatedSubnets[3].subnetId]);

    const findings = findingsOf(stack, Kind.SINGLE_AZ_DIRECTORY);

    expect(findings).toHaveLength(1);
    expect(findings[0].resourceType).toBe('AWS::DirectoryService::MicrosoftAD');
  });

  test('a Managed Microsoft AD across two zones is not', () => {
    const stack = newStack();
    const vpc = twoGroupVpc(stack);
    microsoftAd(stack, [vpc.isolatedSubnets[0].subnetId, vpc.isolatedSubnets[1].subnetId]);

    expect(analyse(stack)).toEqual([]);
  });

  test('subnets from another stack are not judged', () => {
    const stack = newStack();
    microsoftAd(stack, ['subnet-11111111', 'subnet-22222222']);

    expect(analyse(stack)).toEqual([]);
  });

  test('a Simple AD is a single point of failure of its own kind', () => {
    const stack = newStack();
    const vpc = twoGroupVpc(stack);
    new directoryservice.CfnSimpleAD(stack, 'Directory', {
      name: 'corp.example.gov.uk',
      size: 'Small',
      vpcSettings: { vpcId: vpc.vpcId, subnetIds: [vpc.isolatedSubnets[0].subnetId, vpc.isolatedSubnets[1].subnetId] },
    });

    expect(analyse(stack).map((finding) => finding.kind)).toEqual([Kind.SIMPLE_AD_DIRECTORY]);
  });
});

describe('site-to-site VPN', () => {
  function customerGateway(stack: Stack, id: string, bgpAsn: number, ipAddress: string): ec2.CfnCustomerGateway {
    return new ec2.CfnCustomerGateway(stack, id, { bgpAsn, ipAddress, type: 'ipsec.1' });
  }

  function connection(stack: Stack, id: string, gateway: ec2.CfnCustomerGateway): ec2.CfnVPNConnection {
    return new ec2.CfnVPNConnection(stack, id, { customerGatewayId: gateway.ref, transitGatewayId: 'tgw-0123456789abcdef0', type: 'ipsec.1' });
  }

  test('one VPN connection towards a site is a single point of failure', () => {
    const stack = newStack();
    const only = connection(stack, 'Connection', customerGateway(stack, 'Gateway', 65101, '203.0.113.10'));

    const findings = findingsOf(stack, Kind.SINGLE_VPN_CONNECTION);

    expect(findings.map((finding) => finding.logicalId)).toEqual([stack.getLogicalId(only)]);
    expect(findings[0].description).toContain('the on-premises site with BGP ASN 65101');
  });

  test('two VPN connections on one customer gateway are, found on the customer gateway', () => {
    const stack = newStack();
    const gateway = customerGateway(stack, 'Gateway', 65101, '203.0.113.10');
    connection(stack, 'ConnectionA', gateway);
    connection(stack, 'ConnectionB', gateway);

    const findings = analyse(stack);

    expect(findings.map((finding) => [finding.kind, finding.logicalId])).toEqual([[Kind.SINGLE_CUSTOMER_GATEWAY, stack.getLogicalId(gateway)]]);
  });

  test('two VPN connections from two customer gateways at the site are not', () => {
    const stack = newStack();
    connection(stack, 'ConnectionA', customerGateway(stack, 'GatewayA', 65101, '203.0.113.10'));
    connection(stack, 'ConnectionB', customerGateway(stack, 'GatewayB', 65101, '203.0.113.11'));

    expect(analyse(stack)).toEqual([]);
  });

  test('connections to two sites, one each, are two single points of failure', () => {
    const stack = newStack();
    connection(stack, 'ConnectionA', customerGateway(stack, 'GatewayA', 65101, '203.0.113.10'));
    connection(stack, 'ConnectionB', customerGateway(stack, 'GatewayB', 65102, '203.0.113.20'));

    expect(findingsOf(stack, Kind.SINGLE_VPN_CONNECTION)).toHaveLength(2);
  });
});

describe('Direct Connect', () => {
  function virtualInterface(stack: Stack, id: string, gateway: directconnect.CfnDirectConnectGateway, connectionId: string, vlan: number) {
    return new directconnect.CfnTransitVirtualInterface(stack, id, {
      connectionId,
      directConnectGatewayId: gateway.attrDirectConnectGatewayId,
      bgpPeers: [{ addressFamily: 'ipv4', asn: '65101' }],
      virtualInterfaceName: id,
      vlan,
    });
  }

  test('one connection is found on the virtual interface', () => {
    const stack = newStack();
    const gateway = new directconnect.CfnDirectConnectGateway(stack, 'Gateway', { directConnectGatewayName: 'gov' });
    const only = virtualInterface(stack, 'Interface', gateway, 'dxcon-aaaa1111', 101);

    const findings = findingsOf(stack, Kind.SINGLE_DIRECT_CONNECT_CONNECTION);

    expect(findings.map((finding) => finding.logicalId)).toEqual([stack.getLogicalId(only)]);
    expect(findings[0].description).toContain('is the only virtual interface towards the on-premises network from AWS::DirectConnect::DirectConnectGateway');
    expect(findings[0].description).toContain('over Direct Connect connection dxcon-aaaa1111');
    expect(findings[0].description).not.toContain('site-to-site VPN');
  });

  test('two virtual interfaces on one connection are one single point of failure', () => {
    const stack = newStack();
    const gateway = new directconnect.CfnDirectConnectGateway(stack, 'Gateway', { directConnectGatewayName: 'gov' });
    virtualInterface(stack, 'InterfaceA', gateway, 'dxcon-aaaa1111', 101);
    virtualInterface(stack, 'InterfaceB', gateway, 'dxcon-aaaa1111', 102);

    const findings = findingsOf(stack, Kind.SINGLE_DIRECT_CONNECT_CONNECTION);

    expect(findings).toHaveLength(1);
    expect(findings[0].description).toContain('The 2 virtual interfaces InterfaceA, InterfaceB all use one connection');
  });

  test('two virtual interfaces on two connections are not', () => {
    const stack = newStack();
    const gateway = new directconnect.CfnDirectConnectGateway(stack, 'Gateway', { directConnectGatewayName: 'gov' });
    virtualInterface(stack, 'InterfaceA', gateway, 'dxcon-aaaa1111', 101);
    virtualInterface(stack, 'InterfaceB', gateway, 'dxcon-bbbb2222', 102);

    expect(findingsOf(stack, Kind.SINGLE_DIRECT_CONNECT_CONNECTION)).toEqual([]);
  });

  test('a VPN to the same BGP ASN is named as the backup path', () => {
    const stack = newStack();
    const gateway = new directconnect.CfnDirectConnectGateway(stack, 'Gateway', { directConnectGatewayName: 'gov' });
    virtualInterface(stack, 'Interface', gateway, 'dxcon-aaaa1111', 101);
    new ec2.CfnCustomerGateway(stack, 'CustomerGateway', { bgpAsn: 65101, ipAddress: '203.0.113.10', type: 'ipsec.1' });

    expect(findingsOf(stack, Kind.SINGLE_DIRECT_CONNECT_CONNECTION)[0].description)
      .toContain('A site-to-site VPN in the same stack goes to BGP ASN 65101');
  });
});

describe('load balancers and network firewalls', () => {
  test('a network load balancer in one zone is a single point of failure', () => {
    const stack = newStack();
    const loadBalancer = new elbv2.NetworkLoadBalancer(stack, 'LoadBalancer', {
      vpc: newVpc(stack),
      vpcSubnets: { availabilityZones: ['eu-west-2b'] },
    });

    expect(findingsOf(stack, Kind.SINGLE_AZ_LOAD_BALANCER).map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, loadBalancer)]);
  });

  test('a load balancer across zones is not', () => {
    const stack = newStack();
    new elbv2.NetworkLoadBalancer(stack, 'LoadBalancer', { vpc: newVpc(stack) });

    expect(findingsOf(stack, Kind.SINGLE_AZ_LOAD_BALANCER)).toEqual([]);
  });

  test('a load balancer on imported subnets is not judged', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-12345678',
      availabilityZones: ['eu-west-2a'],
      privateSubnetIds: [Fn.importValue('PrivateSubnetA')],
    });
    new elbv2.NetworkLoadBalancer(stack, 'LoadBalancer', { vpc });

    expect(analyse(stack)).toEqual([]);
  });

  function firewall(stack: Stack, subnets: ec2.ISubnet[]): networkfirewall.CfnFirewall {
    return new networkfirewall.CfnFirewall(stack, 'Firewall', {
      firewallName: 'egress',
      firewallPolicyArn: 'arn:aws:network-firewall:eu-west-2:123456789012:firewall-policy/egress',
      vpcId: 'vpc-12345678',
      subnetMappings: subnets.map((subnet) => ({ subnetId: subnet.subnetId })),
    });
  }

  test('a network firewall with one endpoint is a single point of failure', () => {
    const stack = newStack();
    const vpc = twoGroupVpc(stack);
    const single = firewall(stack, [vpc.isolatedSubnets[0]]);

    expect(findingsOf(stack, Kind.SINGLE_AZ_NETWORK_FIREWALL).map((finding) => finding.logicalId)).toEqual([stack.getLogicalId(single)]);
  });

  test('a network firewall with an endpoint per zone is not', () => {
    const stack = newStack();
    const vpc = twoGroupVpc(stack);
    firewall(stack, vpc.isolatedSubnets.slice(0, 3));

    expect(findingsOf(stack, Kind.SINGLE_AZ_NETWORK_FIREWALL)).toEqual([]);
  });
});

describe('templates that cannot be read', () => {
  test.each([
    ['undefined', undefined],
    ['a string', 'not a template'],
    ['Resources as a list', { Resources: [] }],
    ['a resource without a type', { Resources: { A: { Properties: {} } } }],
    ['properties of the wrong shape', {
      Resources: {
        Vpn: { Type: 'AWS::EC2::VPNConnection', Properties: 'broken' },
        Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: { 'Fn::Split': [',', 'a,b'] } } },
        Route: { Type: 'AWS::EC2::Route', Properties: { NatGatewayId: { Ref: 'Missing' }, RouteTableId: 'rtb-1' } },
        Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { NodeGroupConfiguration: [{ ReplicaCount: { Ref: 'X' } }] } },
        Selection: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupSelection: { Resources: 'broken', Conditions: [] } } },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { Tags: { Ref: 'Tags' } } },
      },
    }],
  ])('%s gives findings or none, without an error', (_name, template) => {
    expect(() => analyseTemplate(template, { stackName: 'Broken' })).not.toThrow();
  });
});
