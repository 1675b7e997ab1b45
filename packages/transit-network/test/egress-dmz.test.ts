import { App, Fn, Stack, Token, aws_ec2 as ec2, aws_kms as kms } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EgressDmz, EgressDmzProps, RoutingDomain, RoutingPolicy, TransitHub } from '../src';
import { ENV, INTERNAL, ZONES, cdkNagErrors, endpointIn, errorThrownBy, logArchive, newNetworkStack, subnetsOf } from './support/dmz-fixtures';
import { DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES, keyPolicyStatements } from './support/key-policy';

interface Built {
  readonly stack: Stack;
  readonly hub: TransitHub;
  readonly egress: EgressDmz;
  readonly template: Template;
}

type Overrides = Partial<Omit<EgressDmzProps, 'hub' | 'logBucket'>>;

function build(overrides: Overrides = {}, routingPolicy?: RoutingPolicy): Built {
  const stack = newNetworkStack();
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production', routingPolicy });
  const egress = new EgressDmz(stack, 'Egress', {
    hub,
    cidr: '10.0.255.0/24',
    internalCidrs: INTERNAL,
    logBucket: logArchive(stack),
    allowedDomains: ['.service.gov.uk', 'api.example.com'],
    deniedDomains: ['upload.service.gov.uk'],
    ...overrides,
  });
  return { stack, hub, egress, template: Template.fromStack(stack) };
}

/**
 * Builds an EgressDmz with the given props on top of valid ones and returns the error it
 * throws. Pass a function for props that need the stack.
 */
function errorFor(overrides: Record<string, unknown> | ((stack: Stack) => Record<string, unknown>)): string {
  const stack = newNetworkStack();
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
  const props = {
    hub,
    cidr: '10.0.255.0/24',
    internalCidrs: INTERNAL,
    logBucket: logArchive(stack),
    allowedDomains: ['.service.gov.uk'],
    ...(typeof overrides === 'function' ? overrides(stack) : overrides),
  } as unknown as EgressDmzProps;
  return errorThrownBy('EgressDmz', () => new EgressDmz(stack, 'Egress', props));
}

function logicalIdOf(stack: Stack, value: string): string {
  return stack.resolve(value).Ref;
}

function ruleGroupsByType(template: Template): Record<string, { logicalId: string; properties: any }> {
  const groups: Record<string, { logicalId: string; properties: any }> = {};
  for (const [logicalId, resource] of Object.entries(template.findResources('AWS::NetworkFirewall::RuleGroup'))) {
    const source = resource.Properties.RuleGroup.RulesSource;
    const kind = source.RulesSourceList?.GeneratedRulesType ?? 'BASELINE';
    groups[kind] = { logicalId, properties: resource.Properties };
  }
  return groups;
}

function transitGatewayRoutes(template: Template): any[] {
  return Object.values(template.findResources('AWS::EC2::TransitGatewayRoute')).map((resource) => resource.Properties);
}

describe('EgressDmz VPC', () => {
  test('one NAT gateway per zone, in the public subnets', () => {
    const { stack, egress, template } = build();

    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    for (const subnet of subnetsOf(egress, 'public')) {
      template.hasResourceProperties('AWS::EC2::NatGateway', { SubnetId: stack.resolve(subnet.subnetId) });
    }
  });

  test('internet gateway is attached', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 1);
  });

  test('nine /28 subnets across the three zones', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::Subnet', 9);
    for (const zone of ZONES) {
      expect(Object.keys(template.findResources('AWS::EC2::Subnet', { Properties: { AvailabilityZone: zone } }))).toHaveLength(3);
    }
    for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet'))) {
      expect(subnet.Properties.CidrBlock).toMatch(/^10\.0\.255\.\d+\/28$/);
    }
  });

  test('public subnets assign no public addresses', () => {
    const { stack, egress, template } = build();

    for (const subnet of subnetsOf(egress, 'public')) {
      const logicalId = stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet);
      expect(template.toJSON().Resources[logicalId].Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('default security group is restricted', () => {
    const { template } = build();

    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs go to the log bucket', () => {
    const { egress, template } = build();

    expect(egress.vpcFlowLogPrefix).toBe('vpc-flow-logs/production/egress-dmz');
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('example-log-archive/vpc-flow-logs/production/egress-dmz')])] },
    });
  });

  test('availabilityZones override places the subnets', () => {
    const { template } = build({ availabilityZones: ['eu-west-2c', 'eu-west-2b', 'eu-west-2a'] });

    template.resourceCountIs('AWS::EC2::Subnet', 9);
    template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-2c', CidrBlock: '10.0.255.0/28' });
  });
});

describe('EgressDmz attachment', () => {
  test('attachment uses appliance mode in the transit subnets', () => {
    const { stack, egress, hub, template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayVpcAttachment', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: stack.resolve(hub.transitGatewayId),
      SubnetIds: subnetsOf(egress, 'transit').map((subnet) => stack.resolve(subnet.subnetId)),
      Options: { ApplianceModeSupport: 'enable', DnsSupport: 'enable' },
    });
  });

  test('attachmentId is the attachment', () => {
    const { stack, egress, template } = build();

    const attachmentId = Object.keys(template.findResources('AWS::EC2::TransitGatewayVpcAttachment'))[0];
    expect(stack.resolve(egress.attachmentId)).toEqual({ Ref: attachmentId });
  });

  test('attachment is placed in the internet DMZ domain', () => {
    const { stack, egress, hub, template } = build();

    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: stack.resolve(egress.attachmentId),
      TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(RoutingDomain.INTERNET_DMZ)),
    });
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 3);
    for (const domain of [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES]) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
        TransitGatewayAttachmentId: stack.resolve(egress.attachmentId),
        TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(domain)),
      });
    }
  });
});

describe('EgressDmz firewall', () => {
  test('firewall is in the three firewall subnets', () => {
    const { stack, egress, template } = build();

    template.resourceCountIs('AWS::NetworkFirewall::Firewall', 1);
    template.hasResourceProperties('AWS::NetworkFirewall::Firewall', {
      FirewallName: 'production-egress-firewall',
      VpcId: stack.resolve(egress.vpc.vpcId),
      SubnetMappings: subnetsOf(egress, 'firewall').map((subnet) => ({ SubnetId: stack.resolve(subnet.subnetId) })),
    });
  });

  test('firewall is protected against deletion by default', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::NetworkFirewall::Firewall', {
      DeleteProtection: true,
      SubnetChangeProtection: true,
    });
  });

  test('deleteProtection false lifts both protections', () => {
    const { template } = build({ deleteProtection: false });

    template.hasResourceProperties('AWS::NetworkFirewall::Firewall', {
      DeleteProtection: false,
      SubnetChangeProtection: false,
    });
  });

  test('firewallArn and firewallPolicyArn are exposed', () => {
    const { stack, egress, template } = build();

    const firewallId = Object.keys(template.findResources('AWS::NetworkFirewall::Firewall'))[0];
    const policyId = Object.keys(template.findResources('AWS::NetworkFirewall::FirewallPolicy'))[0];
    expect(stack.resolve(egress.firewallArn)).toEqual({ 'Fn::GetAtt': [firewallId, 'FirewallArn'] });
    expect(stack.resolve(egress.firewallPolicyArn)).toEqual({ 'Fn::GetAtt': [policyId, 'FirewallPolicyArn'] });
  });

  test('alert and flow logs go to the log bucket', () => {
    const { egress, template } = build();

    expect(egress.firewallAlertLogPrefix).toBe('network-firewall/production/alert');
    expect(egress.firewallFlowLogPrefix).toBe('network-firewall/production/flow');
    template.hasResourceProperties('AWS::NetworkFirewall::LoggingConfiguration', {
      LoggingConfiguration: {
        LogDestinationConfigs: [
          { LogType: 'ALERT', LogDestinationType: 'S3', LogDestination: { bucketName: 'example-log-archive', prefix: 'network-firewall/production/alert' } },
          { LogType: 'FLOW', LogDestinationType: 'S3', LogDestination: { bucketName: 'example-log-archive', prefix: 'network-firewall/production/flow' } },
        ],
      },
    });
  });

  test('new key lets only AWS services create grants', () => {
    const { template } = build();

    const statements = Object.values(keyPolicyStatements(template));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContainEqual(DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES);
  });

  test('new key rotates and is retained', () => {
    const { template } = build();

    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('key is set on the firewall through the API', () => {
    const { stack, egress, template } = build();

    const create = JSON.stringify(stack.resolve(Object.values(template.findResources('Custom::FirewallEncryption'))[0].Properties.Create));
    expect(create).toContain('updateFirewallEncryptionConfiguration');
    expect(create).toContain('CUSTOMER_KMS');
    expect(create).toContain(stack.getLogicalId(egress.encryptionKey.node.defaultChild as kms.CfnKey));
  });

  test('encryptionKey override is used and no key is created', () => {
    const stack = newNetworkStack();
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555');
    const egress = new EgressDmz(stack, 'Egress', {
      hub,
      cidr: '10.0.255.0/24',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedDomains: ['.service.gov.uk'],
      encryptionKey: key,
    });
    const template = Template.fromStack(stack);

    expect(egress.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 0);
    const create = JSON.stringify(Object.values(template.findResources('Custom::FirewallEncryption'))[0].Properties.Create);
    expect(create).toContain('key/11111111-2222-3333-4444-555555555555');
  });

  test('encryption call may change this firewall only', () => {
    const { stack, egress, template } = build();

    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'network-firewall:UpdateFirewallEncryptionConfiguration',
            Resource: stack.resolve(egress.firewallArn),
          }),
          Match.objectLike({
            Condition: { StringEquals: { 'kms:ViaService': 'network-firewall.eu-west-2.amazonaws.com' } },
          }),
        ]),
      },
    });
  });
});

describe('EgressDmz firewall policy', () => {
  test('stateless engine forwards every packet to the stateful engine', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::NetworkFirewall::FirewallPolicy', {
      FirewallPolicy: {
        StatelessDefaultActions: ['aws:forward_to_sfe'],
        StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
      },
    });
  });

  test('stateful engine uses strict order and drops by default', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::NetworkFirewall::FirewallPolicy', {
      FirewallPolicy: {
        StatefulEngineOptions: { RuleOrder: 'STRICT_ORDER' },
        StatefulDefaultActions: ['aws:drop_established', 'aws:alert_established'],
      },
    });
  });

  test('every rule group uses strict order', () => {
    const { template } = build();

    const groups = template.findResources('AWS::NetworkFirewall::RuleGroup');
    expect(Object.keys(groups)).toHaveLength(3);
    for (const group of Object.values(groups)) {
      expect(group.Properties.Type).toBe('STATEFUL');
      expect(group.Properties.RuleGroup.StatefulRuleOptions).toEqual({ RuleOrder: 'STRICT_ORDER' });
    }
  });

  test('HOME_NET is the internal ranges', () => {
    const { template } = build();

    for (const group of Object.values(ruleGroupsByType(template))) {
      expect(group.properties.RuleGroup.RuleVariables.IPSets.HOME_NET).toEqual({ Definition: INTERNAL });
    }
    template.hasResourceProperties('AWS::NetworkFirewall::FirewallPolicy', {
      FirewallPolicy: { PolicyVariables: { RuleVariables: { HOME_NET: { Definition: INTERNAL } } } },
    });
  });

  test('HOME_NET adds an egress cidr outside the internal ranges', () => {
    const { template } = build({ cidr: '192.168.0.0/24' });

    const allowList = ruleGroupsByType(template).ALLOWLIST;
    expect(allowList.properties.RuleGroup.RuleVariables.IPSets.HOME_NET).toEqual({ Definition: [...INTERNAL, '192.168.0.0/24'] });
  });

  test('baseline rules come first, then the deny list, then the allow list', () => {
    const { template } = build();

    const groups = ruleGroupsByType(template);
    const references: Array<{ ResourceArn: any; Priority: number }> = Object.values(template.findResources('AWS::NetworkFirewall::FirewallPolicy'))[0]
      .Properties.FirewallPolicy.StatefulRuleGroupReferences;
    const priorityOf = (kind: string) => references.find((r) => r.ResourceArn['Fn::GetAtt'][0] === groups[kind].logicalId)!.Priority;
    expect(priorityOf('BASELINE')).toBeLessThan(priorityOf('DENYLIST'));
    expect(priorityOf('DENYLIST')).toBeLessThan(priorityOf('ALLOWLIST'));
  });

  test('allow list holds the allowed domains for HTTPS and HTTP', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroupName: 'production-egress-allowed-domains-100',
      Capacity: 100,
      RuleGroup: {
        RulesSource: {
          RulesSourceList: {
            GeneratedRulesType: 'ALLOWLIST',
            TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
            Targets: ['.service.gov.uk', 'api.example.com'],
          },
        },
      },
    });
  });

  test('deny list holds the denied domains for HTTPS and HTTP', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroupName: 'production-egress-denied-domains-100',
      RuleGroup: {
        RulesSource: {
          RulesSourceList: {
            GeneratedRulesType: 'DENYLIST',
            TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
            Targets: ['upload.service.gov.uk'],
          },
        },
      },
    });
  });

  test('no deny list without denied domains', () => {
    const { template } = build({ deniedDomains: undefined });

    template.resourceCountIs('AWS::NetworkFirewall::RuleGroup', 2);
    expect(ruleGroupsByType(template).DENYLIST).toBeUndefined();
  });

  test('capacity is at least twice the generated rules', () => {
    // 60 domains generate (60 + 1) x 2 = 122 rules; twice that is 244, so 400 is reserved.
    const domains = Array.from({ length: 60 }, (_, i) => `host${i}.example.gov.uk`);
    const { template } = build({ allowedDomains: domains });

    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroupName: 'production-egress-allowed-domains-400',
      Capacity: 400,
    });
  });

  test('baseline rules drop internal traffic and UDP and ICMP', () => {
    const { template } = build();

    const baseline = ruleGroupsByType(template).BASELINE.properties;
    expect(baseline.RuleGroup.RuleVariables.IPSets.INTERNAL_NET).toEqual({ Definition: INTERNAL });
    const rules: string = baseline.RuleGroup.RulesSource.RulesString;
    expect(rules).toContain('drop ip $INTERNAL_NET any -> $INTERNAL_NET any');
    expect(rules).toContain('drop udp $HOME_NET any -> any any');
    expect(rules).toContain('drop icmp $HOME_NET any -> any any');
  });
});

describe('EgressDmz routes', () => {
  test('transit subnets send everything to the firewall endpoint of their zone', () => {
    const { stack, egress, template } = build();

    for (const subnet of subnetsOf(egress, 'transit')) {
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: stack.resolve(subnet.routeTable.routeTableId),
        DestinationCidrBlock: '0.0.0.0/0',
        VpcEndpointId: endpointIn(template, subnet.availabilityZone),
      });
    }
  });

  test('public subnets return internal ranges through the firewall endpoint of their zone', () => {
    const { stack, egress, template } = build();

    for (const subnet of subnetsOf(egress, 'public')) {
      for (const cidr of INTERNAL) {
        template.hasResourceProperties('AWS::EC2::Route', {
          RouteTableId: stack.resolve(subnet.routeTable.routeTableId),
          DestinationCidrBlock: cidr,
          VpcEndpointId: endpointIn(template, subnet.availabilityZone),
        });
      }
    }
  });

  test('firewall subnets send internal ranges to the hub after the attachment', () => {
    const { stack, egress, hub, template } = build();

    const attachmentId = logicalIdOf(stack, egress.attachmentId);
    for (const subnet of subnetsOf(egress, 'firewall')) {
      for (const cidr of INTERNAL) {
        template.hasResource('AWS::EC2::Route', {
          Properties: {
            RouteTableId: stack.resolve(subnet.routeTable.routeTableId),
            DestinationCidrBlock: cidr,
            TransitGatewayId: stack.resolve(hub.transitGatewayId),
          },
          DependsOn: [attachmentId],
        });
      }
    }
  });

  test('firewall subnets send everything else to the NAT gateway of their zone', () => {
    const { stack, egress, template } = build();

    const nats = template.findResources('AWS::EC2::NatGateway');
    for (const subnet of subnetsOf(egress, 'firewall')) {
      const publicSubnet = subnetsOf(egress, 'public').find((s) => s.availabilityZone === subnet.availabilityZone)!;
      const publicSubnetId = JSON.stringify(stack.resolve(publicSubnet.subnetId));
      const natId = Object.keys(nats).find((id) => JSON.stringify(nats[id].Properties.SubnetId) === publicSubnetId);
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: stack.resolve(subnet.routeTable.routeTableId),
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: { Ref: natId },
      });
    }
  });

  test('firewallEndpointId picks the zone out of EndpointIds', () => {
    const { stack, egress, template } = build();

    expect(stack.resolve(egress.firewallEndpointId('eu-west-2b'))).toEqual(endpointIn(template, 'eu-west-2b'));
  });

  test('firewallEndpointId rejects a zone outside the VPC', () => {
    const { egress } = build();

    expect(() => egress.firewallEndpointId('eu-west-1a')).toThrow(/no firewall endpoint in "eu-west-1a"; use one of its zones: eu-west-2a, eu-west-2b, eu-west-2c/);
  });

  test('route IDs follow the CIDR, not its position', () => {
    const first = build();
    const reordered = build({ internalCidrs: [...INTERNAL].reverse() });

    const routeIds = (template: Template) => Object.keys(template.findResources('AWS::EC2::Route')).sort();
    const hubRouteIds = (template: Template) => Object.keys(template.findResources('AWS::EC2::TransitGatewayRoute')).sort();
    expect(routeIds(reordered.template)).toEqual(routeIds(first.template));
    expect(hubRouteIds(reordered.template)).toEqual(hubRouteIds(first.template));
  });
});

describe('EgressDmz hub routes', () => {
  const connected = [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES];

  test('default routes in exactly the domains connected to the internet DMZ', () => {
    const { stack, egress, hub, template } = build();

    const defaultRoutes = transitGatewayRoutes(template).filter((route) => route.DestinationCidrBlock === '0.0.0.0/0');
    expect(defaultRoutes).toHaveLength(connected.length);
    for (const domain of connected) {
      expect(defaultRoutes).toContainEqual({
        DestinationCidrBlock: '0.0.0.0/0',
        TransitGatewayAttachmentId: stack.resolve(egress.attachmentId),
        TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(domain)),
      });
    }
  });

  test('internal ranges are blackholed in the same route tables', () => {
    const { stack, hub, template } = build();

    const blackholes = transitGatewayRoutes(template).filter((route) => route.Blackhole === true);
    expect(blackholes).toHaveLength(connected.length * INTERNAL.length);
    for (const domain of connected) {
      for (const cidr of INTERNAL) {
        expect(blackholes).toContainEqual({
          Blackhole: true,
          DestinationCidrBlock: cidr,
          TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(domain)),
        });
      }
    }
  });

  test('routingPolicy decides which domains get a default route', () => {
    const policy = new RoutingPolicy({
      connections: [
        { domain: RoutingDomain.BUSINESS_APPLICATION, peer: RoutingDomain.INTERNET_DMZ },
      ],
    });
    const { stack, hub, template } = build({}, policy);

    const routeTables = transitGatewayRoutes(template).map((route) => JSON.stringify(route.TransitGatewayRouteTableId));
    expect(new Set(routeTables)).toEqual(new Set([JSON.stringify(stack.resolve(hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION)))]));
  });
});

describe('EgressDmz cdk-nag', () => {
  test('AwsSolutions and NIST 800-53 rev 5 report no errors', () => {
    const errors = cdkNagErrors((stack) => new EgressDmz(stack, 'Egress', {
      hub: new TransitHub(stack, 'Hub', { tierName: 'production' }),
      cidr: '10.0.255.0/24',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedDomains: ['.service.gov.uk'],
    }));

    expect(errors).toEqual([]);
  });
});

describe('EgressDmz validation', () => {
  test('imported hub is rejected', () => {
    const stack = newNetworkStack();
    const hub = TransitHub.fromTransitHubAttributes(stack, 'Hub', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' });

    expect(() => new EgressDmz(stack, 'Egress', {
      hub,
      cidr: '10.0.255.0/24',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedDomains: ['.service.gov.uk'],
    })).toThrow(/hub is the imported transit hub "tgw-0123456789abcdef0" .*create it in the hub's own account/);
  });

  test.each([
    ['a transit gateway ID', 'tgw-0123456789abcdef0', /hub is "tgw-0123456789abcdef0", which is not a transit hub/],
    ['an empty string', '', /hub is "", which is not a transit hub/],
  ])('hub that is %s is rejected', (_kind, hub, message) => {
    expect(errorFor({ hub })).toMatch(message);
  });

  test('missing hub is rejected', () => {
    expect(errorFor({ hub: undefined })).toMatch(/hub is undefined; pass the TransitHub of the tier/);
  });

  test('missing logBucket is rejected', () => {
    expect(errorFor({ logBucket: undefined })).toMatch(/logBucket is undefined; pass the log archive bucket/);
  });

  test.each([
    ['10.0.255.0', /cidr is "10.0.255.0", which is not an IPv4 CIDR block; use an IPv4 CIDR block from \/16 to \/24/],
    ['10.0.255.1/24', /cidr is "10.0.255.1\/24", which has host bits set; use "10.0.255.0\/24"/],
    ['10.0.255.0/25', /cidr is "10.0.255.0\/25"; .*nine subnets of \/28/],
    ['10.0.0.0/15', /cidr is "10.0.0.0\/15"; use an IPv4 CIDR block from \/16 to \/24/],
  ])('cidr %s is rejected', (cidr, message) => {
    expect(errorFor({ cidr })).toMatch(message);
  });

  test('cidr token is rejected', () => {
    expect(errorFor({ cidr: Token.asString({ Ref: 'Cidr' }) })).toMatch(/cidr is a token .*the subnets are laid out at synth time/);
  });

  test('empty internalCidrs is rejected', () => {
    expect(errorFor({ internalCidrs: [] })).toMatch(/internalCidrs is \[\]; pass the tier's supernets/);
  });

  test.each([
    [['10.0.0.0'], /internalCidrs\[0\] is "10.0.0.0", which is not an IPv4 CIDR block/],
    [['10.0.0.1/12'], /internalCidrs\[0\] is "10.0.0.1\/12", which has host bits set; use "10.0.0.0\/12"/],
    [['0.0.0.0/0'], /internalCidrs\[0\] is "0.0.0.0\/0", which is the whole address space/],
    [['10.0.0.0/12', '10.1.0.0/16'], /internalCidrs\[1\] "10.1.0.0\/16" overlaps internalCidrs\[0\] "10.0.0.0\/12"/],
    [['10.0.0.0/12', '10.0.0.0/12'], /internalCidrs\[1\] "10.0.0.0\/12" overlaps internalCidrs\[0\] "10.0.0.0\/12"/],
    [['10.0.255.0/24'], /internalCidrs\[0\] "10.0.255.0\/24" is the egress VPC's cidr "10.0.255.0\/24" or lies inside it/],
    [['10.0.255.128/25'], /internalCidrs\[0\] "10.0.255.128\/25" is the egress VPC's cidr "10.0.255.0\/24" or lies inside it/],
  ])('internalCidrs %j is rejected', (internalCidrs, message) => {
    expect(errorFor({ internalCidrs })).toMatch(message);
  });

  test('egress cidr outside the internal ranges is accepted', () => {
    expect(() => build({ cidr: '192.168.0.0/24' })).not.toThrow();
  });

  test('internalCidrs tokens are accepted', () => {
    const { template } = build({ internalCidrs: [Token.asString({ Ref: 'Supernet' })] });

    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', { Blackhole: true, DestinationCidrBlock: { Ref: 'Supernet' } });
  });

  test('empty allowedDomains is rejected', () => {
    expect(errorFor({ allowedDomains: [] })).toMatch(/allowedDomains is \[\]; pass at least one domain/);
  });

  test.each([
    ['https://www.example.gov.uk', /allowedDomains\[0\] is "https:\/\/www.example.gov.uk"; remove the scheme/],
    ['www.example.gov.uk/path', /allowedDomains\[0\] is "www.example.gov.uk\/path"; remove the path, because domain lists match only/],
    ['*.example.gov.uk', /allowedDomains\[0\] is "\*.example.gov.uk"; Network Firewall domain lists take no "\*" wildcard/],
    ['www.example.gov.uk:443', /allowedDomains\[0\] is "www.example.gov.uk:443"; remove the port, because domain lists match names on any port/],
    ['WWW.Example.gov.uk', /allowedDomains\[0\] is "WWW.Example.gov.uk"; use lower case, "www.example.gov.uk"/],
    ['www.example.gov.uk.', /allowedDomains\[0\] is "www.example.gov.uk."; remove the trailing dot/],
    ['192.0.2.10', /allowedDomains\[0\] is "192.0.2.10"; domain lists match names, not IP addresses/],
    ['localhost', /allowedDomains\[0\] is "localhost"; it has a single label, so it is a bare host name/],
    ['.uk', /allowedDomains\[0\] is ".uk"; it has a single label, .*a whole top-level domain/],
    ['bad_name.example.com', /allowedDomains\[0\] is "bad_name.example.com"; it is not a valid domain name/],
    ['-bad.example.com', /allowedDomains\[0\] is "-bad.example.com"; it is not a valid domain name/],
  ])('allowedDomains entry %s is rejected', (domain, message) => {
    expect(errorFor({ allowedDomains: [domain] })).toMatch(message);
  });

  test('repeated allowedDomains entry is rejected', () => {
    expect(errorFor({ allowedDomains: ['.example.gov.uk', '.example.gov.uk'] }))
      .toMatch(/allowedDomains\[1\] ".example.gov.uk" repeats allowedDomains\[0\]; list each domain once/);
  });

  test('invalid deniedDomains entry is rejected', () => {
    expect(errorFor({ deniedDomains: ['http://bad.example.com'] })).toMatch(/deniedDomains\[0\] is "http:\/\/bad.example.com"; remove the scheme/);
  });

  test('domain both allowed and denied is rejected', () => {
    expect(errorFor({ allowedDomains: ['.example.gov.uk'], deniedDomains: ['.example.gov.uk'] }))
      .toMatch(/deniedDomains\[0\] ".example.gov.uk" is also in allowedDomains; remove it from one of the two lists/);
  });

  test('lists beyond the policy capacity are rejected', () => {
    const domains = Array.from({ length: 7000 }, (_, i) => `host${i}.example.gov.uk`);

    expect(errorFor({ allowedDomains: domains })).toMatch(/allowedDomains \(7000 domains\) and deniedDomains \(0 domains\) need rule groups of 51300 capacity units/);
  });

  test('availabilityZones of another region are rejected', () => {
    expect(errorFor({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }))
      .toMatch(/availabilityZones\[0\] is "eu-west-1a", which is not in the stack's region eu-west-2/);
  });

  test('two availabilityZones are rejected', () => {
    expect(errorFor({ availabilityZones: ['eu-west-2a', 'eu-west-2b'] })).toMatch(/pass 3 distinct zones/);
  });

  test.each([
    ['another region', { account: ENV.account, region: 'us-east-1' }, /hub is in region eu-west-2 but the egress DMZ's stack is in us-east-1; a VPC can attach only to a transit gateway in its own region/],
    ['another account', { account: '222222222222', region: ENV.region }, /hub is in account 111111111111 but the egress DMZ's stack is in 222222222222; the egress DMZ adds default and blackhole routes to the hub's route tables, which only the hub's account can change/],
  ])('hub in %s is rejected', (_where, env, message) => {
    const app = new App();
    const hub = new TransitHub(new Stack(app, 'Hub', { env: ENV }), 'Hub', { tierName: 'production' });
    const stack = new Stack(app, 'Egress', { env });

    expect(() => new EgressDmz(stack, 'Egress', {
      hub,
      cidr: '10.0.255.0/24',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedDomains: ['.service.gov.uk'],
    })).toThrow(message);
  });

  test('hub in another stack of the same environment is accepted', () => {
    const app = new App();
    const hub = new TransitHub(new Stack(app, 'Hub', { env: ENV }), 'Hub', { tierName: 'production' });
    const stack = new Stack(app, 'Egress', { env: ENV });

    new EgressDmz(stack, 'Egress', {
      hub,
      cidr: '10.0.255.0/24',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedDomains: ['.service.gov.uk'],
    });

    Template.fromStack(stack).resourceCountIs('AWS::NetworkFirewall::Firewall', 1);
  });

  test.each([
    ['a bucket name', 'example-log-archive', /logBucket is "example-log-archive", which is not an s3\.IBucket; pass the log archive bucket .* as a bucket object, not its name or ARN/],
    ['an empty object', {}, /logBucket is \{\}, which is not an s3\.IBucket/],
  ])('logBucket that is %s is rejected', (_kind, logBucket, message) => {
    expect(errorFor({ logBucket })).toMatch(message);
  });

  test('encryptionKey ARN string is rejected', () => {
    expect(errorFor({ encryptionKey: 'arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555' }))
      .toMatch(/encryptionKey is "arn:aws:kms:eu-west-2:111111111111:key\/11111111-2222-3333-4444-555555555555", which is not a kms\.IKey; pass a key object, not its ARN or ID/);
  });

  test('encryptionKey in another region is rejected', () => {
    const message = errorFor((stack) => ({
      encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555'),
    }));

    expect(message).toMatch(/encryptionKey is a key in region us-east-1 but the stack is in eu-west-2; AWS services use KMS keys of their own region only/);
  });

  test('encryptionKey alias is rejected', () => {
    const message = errorFor((stack) => ({ encryptionKey: kms.Alias.fromAliasName(stack, 'Alias', 'alias/egress-firewall') }));

    expect(message).toMatch(/encryptionKey is the KMS alias "alias\/egress-firewall"; pass the key itself, .*IAM policies and KMS grants name keys, not aliases/);
  });

  test('encryptionKey created in the same stack is accepted', () => {
    const stack = newNetworkStack();
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
    const key = new kms.Key(stack, 'FirewallKey', { enableKeyRotation: true });

    const egress = new EgressDmz(stack, 'Egress', {
      hub,
      cidr: '10.0.255.0/24',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedDomains: ['.service.gov.uk'],
      encryptionKey: key,
    });

    expect(egress.encryptionKey).toBe(key);
  });

  test.each([
    [['0.0.0.0/1', '128.0.0.0/1'], 0, '0.0.0.0/1'],
    [['10.0.0.0/12', '8.8.8.0/24'], 1, '8.8.8.0/24'],
    [['172.32.0.0/16'], 0, '172.32.0.0/16'],
    [['100.0.0.0/8'], 0, '100.0.0.0/8'],
  ])('public internalCidrs %j are rejected', (internalCidrs, index, cidr) => {
    expect(errorFor({ internalCidrs })).toContain(`internalCidrs[${index}] is "${cidr}", which is not a private range. `
      + 'Internal ranges are blackholed in the hub, so a public range here would cut every VPC off from those internet addresses. '
      + 'Use ranges inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10.');
  });

  test('both halves of the address space are rejected', () => {
    const message = errorFor({ internalCidrs: ['0.0.0.0/1', '128.0.0.0/1'] });

    expect(message).toMatch(/internalCidrs\[0\] is "0\.0\.0\.0\/1", which is not a private range/);
    expect(message).toMatch(/internalCidrs\[1\] is "128\.0\.0\.0\/1", which is not a private range/);
  });

  test('shared address space and all RFC 1918 ranges are accepted as internalCidrs', () => {
    const { template } = build({ internalCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] });

    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', { Blackhole: true, DestinationCidrBlock: '100.64.0.0/10' });
  });

  test('internalCidrs list token is rejected', () => {
    expect(errorFor({ internalCidrs: Token.asList(Fn.importValue('TierSupernets')) }))
      .toMatch(/internalCidrs is a list token; pass a literal list, because a route and a blackhole are created for each range at synth time\. Tokens are accepted as entries/);
  });

  test.each([
    ['169.254.0.0/24', '169\\.254\\.0\\.0\\/16, the link-local range'],
    ['127.0.0.0/24', '127\\.0\\.0\\.0\\/8, the loopback range'],
    ['224.0.0.0/24', '224\\.0\\.0\\.0\\/4, the multicast range'],
  ])('cidr %s in an unusable range is rejected', (cidr, range) => {
    expect(errorFor({ cidr })).toMatch(new RegExp(`cidr is "${cidr.replace(/[./]/g, '\\$&')}", which overlaps ${range}.*No network can route these addresses to a VPC`));
  });

  test.each(['.co.uk', 'co.uk', '.org.uk', '.me.uk', '.ltd.uk', '.plc.uk', '.net.uk'])('allowedDomains public suffix %s is rejected', (domain) => {
    expect(errorFor({ allowedDomains: [domain] })).toContain(`allowedDomains[0] is "${domain}", a public suffix under which anyone can register a domain, `
      + 'so it would allow every site registered under it.');
  });

  test.each(['.gov.uk', '.service.gov.uk', '.example.co.uk', 'www.example.org.uk'])('allowedDomains %s is accepted', (domain) => {
    expect(() => build({ allowedDomains: [domain], deniedDomains: [] })).not.toThrow();
  });

  test('deniedDomains may hold a public suffix', () => {
    const { template } = build({ allowedDomains: ['.service.gov.uk'], deniedDomains: ['.co.uk'] });

    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroup: { RulesSource: { RulesSourceList: Match.objectLike({ Targets: ['.co.uk'], GeneratedRulesType: 'DENYLIST' }) } },
    });
  });

  test('allowedDomains list token is rejected', () => {
    expect(errorFor({ allowedDomains: Token.asList(Fn.importValue('Domains')) }))
      .toMatch(/allowedDomains is a list token; pass a literal list, because the firewall's rule groups are sized and written for each domain at synth time/);
  });

  test('deleteProtection that is not a boolean is rejected', () => {
    expect(errorFor({ deleteProtection: 'false' })).toMatch(/deleteProtection is "false"; use true or false, or leave it out to protect the firewall\./);
  });

  test('zone that eu-west-2 does not have is rejected', () => {
    expect(errorFor({ availabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2d'] }))
      .toMatch(/availabilityZones\[2\] is "eu-west-2d", which is not a zone of eu-west-2; use eu-west-2a, eu-west-2b, eu-west-2c\./);
  });

  test('default zones outside the zone table are rejected', () => {
    const app = new App();
    const stack = new Stack(app, 'Network', { env: { account: ENV.account, region: 'ap-northeast-1' } });
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });

    expect(() => new EgressDmz(stack, 'Egress', {
      hub,
      cidr: '10.0.255.0/24',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedDomains: ['.service.gov.uk'],
    })).toThrow(/availabilityZones is undefined and the stack's region ap-northeast-1 is not in this package's table of zone names/);
  });

  test('explicit zones are accepted in a stack without a region', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });

    new EgressDmz(stack, 'Egress', {
      hub,
      cidr: '10.0.255.0/24',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedDomains: ['.service.gov.uk'],
      availabilityZones: ZONES,
    });

    Template.fromStack(stack).resourceCountIs('AWS::EC2::Subnet', 9);
  });

  test('one error lists every problem', () => {
    const message = errorFor({ cidr: 'nonsense', internalCidrs: [], allowedDomains: [], logBucket: undefined });

    expect(message).toMatch(/^Invalid EgressDmz props at Network\/Egress:/);
    expect(message).toMatch(/cidr is "nonsense"/);
    expect(message).toMatch(/internalCidrs is \[\]/);
    expect(message).toMatch(/allowedDomains is \[\]/);
    expect(message).toMatch(/logBucket is undefined/);
  });
});
