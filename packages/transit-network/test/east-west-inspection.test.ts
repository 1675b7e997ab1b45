import { App, Fn, Stack, Token, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  AllowedFlow, EastWestInspection, EastWestInspectionProps, FlowProtocol, RoutingDomain, RoutingPolicy, SpokeVpc, TransitHub,
} from '../src';
import { INTERNAL, ZONES, cdkNagErrors, endpointIn, errorThrownBy, logArchive, newNetworkStack, subnetsOf } from './support/dmz-fixtures';
import { DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES, keyPolicyStatements } from './support/key-policy';
import { HubRegistry } from '../src/private/hub-registry';

const MANAGEMENT_CIDR = '10.1.0.0/16';
const BUSINESS_CIDR = '10.2.0.0/16';
const MANAGED_GROUPS = [
  'ThreatSignaturesExploitsStrictOrder',
  'ThreatSignaturesScannersStrictOrder',
  'ThreatSignaturesMalwareStrictOrder',
  'ThreatSignaturesBotnetStrictOrder',
  'ThreatSignaturesWebAttacksStrictOrder',
];
const SSH_FLOW: AllowedFlow = {
  name: 'management-to-business-ssh',
  protocol: FlowProtocol.TCP,
  sourceCidrs: [MANAGEMENT_CIDR],
  destinationCidrs: [BUSINESS_CIDR],
  destinationPorts: [22, 443],
};

interface Built {
  readonly stack: Stack;
  readonly hub: TransitHub;
  readonly inspection: EastWestInspection;
  readonly template: Template;
}

type Overrides = Partial<Omit<EastWestInspectionProps, 'hub' | 'logBucket'>>;

function newHub(stack: Stack, routingPolicy: RoutingPolicy = RoutingPolicy.platformDefaultWithInspection()): TransitHub {
  return new TransitHub(stack, 'Hub', { tierName: 'production', routingPolicy });
}

/** Creates the stack, hub and inspection without synthesising, so that more can be added. */
function createInspection(overrides: Overrides = {}, routingPolicy?: RoutingPolicy): Omit<Built, 'template'> {
  const stack = newNetworkStack();
  const hub = newHub(stack, routingPolicy);
  const inspection = new EastWestInspection(stack, 'Inspection', {
    hub,
    cidr: '10.0.254.0/25',
    internalCidrs: INTERNAL,
    logBucket: logArchive(stack),
    allowedFlows: [SSH_FLOW],
    ...overrides,
  });
  return { stack, hub, inspection };
}

function build(overrides: Overrides = {}, routingPolicy?: RoutingPolicy): Built {
  const created = createInspection(overrides, routingPolicy);
  return { ...created, template: Template.fromStack(created.stack) };
}

/**
 * Builds an EastWestInspection with the given props on top of valid ones and returns the
 * error it throws. Pass a function for props that need the stack.
 */
function errorFor(overrides: Record<string, unknown> | ((stack: Stack) => Record<string, unknown>)): string {
  const stack = newNetworkStack();
  const hub = newHub(stack);
  const props = {
    hub,
    cidr: '10.0.254.0/25',
    internalCidrs: INTERNAL,
    logBucket: logArchive(stack),
    allowedFlows: [SSH_FLOW],
    ...(typeof overrides === 'function' ? overrides(stack) : overrides),
  } as unknown as EastWestInspectionProps;
  return errorThrownBy('EastWestInspection', () => new EastWestInspection(stack, 'Inspection', props));
}

/** Returns the error for one allowed flow made from the SSH flow and the given fields. */
function flowErrorFor(fields: Record<string, unknown>): string {
  return errorFor({ allowedFlows: [{ ...SSH_FLOW, ...fields }] });
}

function addSpoke(stack: Stack, hub: TransitHub, id: string, domain: RoutingDomain, cidr: string): SpokeVpc {
  return new SpokeVpc(stack, id, {
    hub,
    domain,
    vpcName: id.toLowerCase(),
    cidr,
    flowLogBucket: s3.Bucket.fromBucketName(stack, `${id}Logs`, 'example-log-archive'),
    sessionManagerEndpoints: false,
  });
}

function firewallPolicy(template: Template): any {
  return Object.values(template.findResources('AWS::NetworkFirewall::FirewallPolicy'))[0].Properties.FirewallPolicy;
}

function flowRuleGroup(template: Template): { logicalId: string; properties: any } {
  const [logicalId, resource] = Object.entries(template.findResources('AWS::NetworkFirewall::RuleGroup'))[0];
  return { logicalId, properties: resource.Properties };
}

function rulesOf(template: Template): string[] {
  return (flowRuleGroup(template).properties.RuleGroup.RulesSource.RulesString as string).split('\n');
}

function managedArn(name: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:network-firewall:eu-west-2:aws-managed:stateful-rulegroup/${name}`]] };
}

function warningsOf(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(`\\[ack: @ssd-platform/transit-network:${id}\\]`))
    .map((warning) => String(warning.entry.data));
}

describe('EastWestInspection VPC', () => {
  test('six /28 isolated subnets across the three zones', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::Subnet', 6);
    for (const zone of ZONES) {
      expect(Object.keys(template.findResources('AWS::EC2::Subnet', { Properties: { AvailabilityZone: zone } }))).toHaveLength(2);
    }
    for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet'))) {
      expect(subnet.Properties.CidrBlock).toMatch(/^10\.0\.254\.\d+\/28$/);
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('no internet gateway and no NAT gateway', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('default security group is restricted', () => {
    const { template } = build();

    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs go to the log bucket', () => {
    const { inspection, template } = build();

    expect(inspection.vpcFlowLogPrefix).toBe('vpc-flow-logs/production/east-west-inspection');
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('example-log-archive/vpc-flow-logs/production/east-west-inspection')])] },
    });
  });

  test('availabilityZones override places the subnets', () => {
    const { template } = build({ availabilityZones: ['eu-west-2c', 'eu-west-2b', 'eu-west-2a'] });

    template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-2c', CidrBlock: '10.0.254.0/28' });
  });
});

describe('EastWestInspection attachment', () => {
  test('attachment uses appliance mode in the transit subnets', () => {
    const { stack, hub, inspection, template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayVpcAttachment', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: stack.resolve(hub.transitGatewayId),
      SubnetIds: subnetsOf(inspection, 'transit').map((subnet) => stack.resolve(subnet.subnetId)),
      Options: { ApplianceModeSupport: 'enable', DnsSupport: 'enable' },
      Tags: [{ Key: 'Name', Value: 'production-east-west-inspection' }],
    });
  });

  test('attachmentId is the attachment', () => {
    const { stack, inspection, template } = build();

    const attachmentId = Object.keys(template.findResources('AWS::EC2::TransitGatewayVpcAttachment'))[0];
    expect(stack.resolve(inspection.attachmentId)).toEqual({ Ref: attachmentId });
  });

  test('route table of its own is associated with the attachment', () => {
    const { stack, hub, inspection, template } = build();

    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTable', {
      TransitGatewayId: stack.resolve(hub.transitGatewayId),
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'production-inspection' }, { Key: 'RoutingDomain', Value: 'inspection' }]),
    });
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: stack.resolve(inspection.attachmentId),
      TransitGatewayRouteTableId: stack.resolve(inspection.routeTableId),
    });
  });

  test('attachment propagates nowhere', () => {
    const { stack, inspection, template } = build();

    const propagations = template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation', {
      Properties: { TransitGatewayAttachmentId: stack.resolve(inspection.attachmentId) },
    });
    expect(Object.keys(propagations)).toEqual([]);
  });

  test('hub records the attachment and route table', () => {
    const { hub, inspection } = build();

    expect(HubRegistry.of(hub).inspection).toEqual({
      path: inspection.node.path,
      attachmentId: inspection.attachmentId,
      routeTableId: inspection.routeTableId,
    });
  });
});

describe('EastWestInspection firewall', () => {
  test('firewall is in the three firewall subnets', () => {
    const { stack, inspection, template } = build();

    template.resourceCountIs('AWS::NetworkFirewall::Firewall', 1);
    template.hasResourceProperties('AWS::NetworkFirewall::Firewall', {
      FirewallName: 'production-east-west-firewall',
      VpcId: stack.resolve(inspection.vpc.vpcId),
      SubnetMappings: subnetsOf(inspection, 'firewall').map((subnet) => ({ SubnetId: stack.resolve(subnet.subnetId) })),
    });
  });

  test('firewall is protected against deletion by default', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::NetworkFirewall::Firewall', { DeleteProtection: true, SubnetChangeProtection: true });
  });

  test('deleteProtection false lifts both protections', () => {
    const { template } = build({ deleteProtection: false });

    template.hasResourceProperties('AWS::NetworkFirewall::Firewall', { DeleteProtection: false, SubnetChangeProtection: false });
  });

  test('firewallArn and firewallPolicyArn are exposed', () => {
    const { stack, inspection, template } = build();

    const firewallId = Object.keys(template.findResources('AWS::NetworkFirewall::Firewall'))[0];
    const policyId = Object.keys(template.findResources('AWS::NetworkFirewall::FirewallPolicy'))[0];
    expect(stack.resolve(inspection.firewallArn)).toEqual({ 'Fn::GetAtt': [firewallId, 'FirewallArn'] });
    expect(stack.resolve(inspection.firewallPolicyArn)).toEqual({ 'Fn::GetAtt': [policyId, 'FirewallPolicyArn'] });
  });

  test('alert and flow logs go to the log bucket', () => {
    const { inspection, template } = build();

    expect(inspection.firewallAlertLogPrefix).toBe('network-firewall/production/east-west-alert');
    expect(inspection.firewallFlowLogPrefix).toBe('network-firewall/production/east-west-flow');
    template.hasResourceProperties('AWS::NetworkFirewall::LoggingConfiguration', {
      LoggingConfiguration: {
        LogDestinationConfigs: [
          { LogType: 'ALERT', LogDestinationType: 'S3', LogDestination: { bucketName: 'example-log-archive', prefix: 'network-firewall/production/east-west-alert' } },
          { LogType: 'FLOW', LogDestinationType: 'S3', LogDestination: { bucketName: 'example-log-archive', prefix: 'network-firewall/production/east-west-flow' } },
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
    const { stack, inspection, template } = build();

    const create = JSON.stringify(stack.resolve(Object.values(template.findResources('Custom::FirewallEncryption'))[0].Properties.Create));
    expect(create).toContain('updateFirewallEncryptionConfiguration');
    expect(create).toContain('CUSTOMER_KMS');
    expect(create).toContain(stack.getLogicalId(inspection.encryptionKey.node.defaultChild as kms.CfnKey));
  });

  test('encryptionKey override is used and no key is created', () => {
    const stack = newNetworkStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555');
    const inspection = new EastWestInspection(stack, 'Inspection', {
      hub: newHub(stack),
      cidr: '10.0.254.0/25',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedFlows: [SSH_FLOW],
      encryptionKey: key,
    });
    const template = Template.fromStack(stack);

    expect(inspection.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 0);
    const create = JSON.stringify(Object.values(template.findResources('Custom::FirewallEncryption'))[0].Properties.Create);
    expect(create).toContain('key/11111111-2222-3333-4444-555555555555');
  });
});

describe('EastWestInspection firewall policy', () => {
  test('stateless engine forwards every packet to the stateful engine', () => {
    const { template } = build();

    expect(firewallPolicy(template).StatelessDefaultActions).toEqual(['aws:forward_to_sfe']);
    expect(firewallPolicy(template).StatelessFragmentDefaultActions).toEqual(['aws:forward_to_sfe']);
  });

  test('stateful engine uses strict order', () => {
    const { template } = build();

    expect(firewallPolicy(template).StatefulEngineOptions).toEqual({ RuleOrder: 'STRICT_ORDER', StreamExceptionPolicy: 'REJECT' });
  });

  test('policy has no stateful default action', () => {
    const { template } = build();

    expect(firewallPolicy(template).StatefulDefaultActions).toBeUndefined();
  });

  test('managed threat signature groups come first, in drop mode', () => {
    const { template } = build();

    const references: any[] = firewallPolicy(template).StatefulRuleGroupReferences;
    expect(references).toEqual([
      ...MANAGED_GROUPS.map((name, index) => ({ ResourceArn: managedArn(name), Priority: (index + 1) * 100 })),
      { ResourceArn: { 'Fn::GetAtt': [flowRuleGroup(template).logicalId, 'RuleGroupArn'] }, Priority: 600 },
    ]);
  });

  test('managedThreatSignatures false leaves the flow rules only', () => {
    const { template } = build({ managedThreatSignatures: false });

    expect(firewallPolicy(template).StatefulRuleGroupReferences).toEqual([
      { ResourceArn: { 'Fn::GetAtt': [flowRuleGroup(template).logicalId, 'RuleGroupArn'] }, Priority: 100 },
    ]);
  });

  test('flow rule group uses strict order', () => {
    const { template } = build();

    template.resourceCountIs('AWS::NetworkFirewall::RuleGroup', 1);
    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroupName: 'production-east-west-flows-100',
      Type: 'STATEFUL',
      Capacity: 100,
      RuleGroup: { StatefulRuleOptions: { RuleOrder: 'STRICT_ORDER' } },
    });
  });

  test('allowed flow is marked once towards the server', () => {
    const { template } = build();

    expect(rulesOf(template)[0]).toBe('alert tcp [10.1.0.0/16] any -> [10.2.0.0/16] [22,443] '
      + '(msg:"East-west flow management-to-business-ssh allowed"; flow:to_server; '
      + 'flowbits:isnotset,east_west_allowed; flowbits:set,east_west_allowed; sid:1001000; rev:1;)');
  });

  test('UDP flow is marked on its destination ports', () => {
    const { template } = build({
      allowedFlows: [{ name: 'dns', protocol: FlowProtocol.UDP, sourceCidrs: [MANAGEMENT_CIDR], destinationCidrs: [BUSINESS_CIDR], destinationPorts: [53] }],
    });

    expect(rulesOf(template)[0]).toBe('alert udp [10.1.0.0/16] any -> [10.2.0.0/16] [53] (msg:"East-west flow dns allowed"; flow:to_server; '
      + 'flowbits:isnotset,east_west_allowed; flowbits:set,east_west_allowed; sid:1001000; rev:1;)');
  });

  test('ICMP flow matches any port', () => {
    const { template } = build({
      allowedFlows: [{ name: 'ping', protocol: FlowProtocol.ICMP, sourceCidrs: [MANAGEMENT_CIDR], destinationCidrs: [BUSINESS_CIDR, '172.16.0.0/16'] }],
    });

    expect(rulesOf(template)[0]).toBe('alert icmp [10.1.0.0/16] any -> [10.2.0.0/16,172.16.0.0/16] any (msg:"East-west flow ping allowed"; flow:to_server; '
      + 'flowbits:isnotset,east_west_allowed; flowbits:set,east_west_allowed; sid:1001000; rev:1;)');
  });

  test('each flow has a sid of its own', () => {
    const { template } = build({
      allowedFlows: [SSH_FLOW, { ...SSH_FLOW, name: 'dns', protocol: FlowProtocol.UDP, destinationPorts: [53] }],
    });

    const sids = rulesOf(template).map((rule) => /sid:(\d+);/.exec(rule)![1]);
    expect(sids).toEqual(['1001000', '1001001', '1000003']);
    expect(rulesOf(template)[1]).toContain('alert udp [10.1.0.0/16] any -> [10.2.0.0/16] [53]');
  });

  test('additional rules come before the allowed flows', () => {
    const rule = 'drop tcp [10.1.5.0/24] any -> any 22 (msg:"No SSH from the build subnet"; sid:42; rev:1;)';
    const { template } = build({ additionalSuricataRules: [`  ${rule} `] });

    expect(rulesOf(template)[0]).toBe(rule);
    expect(rulesOf(template)[1]).toMatch(/^alert tcp \[10\.1\.0\.0\/16\]/);
  });

  test('rules run additional, flows, then closing', () => {
    const additional = 'alert tcp [10.1.0.0/16] any -> [10.2.0.0/16] 8000:8099 (msg:"App ports"; flow:to_server; '
      + 'flowbits:set,east_west_allowed; flowbits:noalert; sid:100002; rev:1;)';
    const { template } = build({
      additionalSuricataRules: [additional],
      allowedFlows: [SSH_FLOW, { name: 'ping', protocol: FlowProtocol.ICMP, sourceCidrs: [MANAGEMENT_CIDR], destinationCidrs: [BUSINESS_CIDR] }],
    });

    expect(rulesOf(template).map((rule) => /sid:(\d+);/.exec(rule)![1])).toEqual(['100002', '1001000', '1001001', '1000003']);
  });

  test('unmarked traffic of any protocol is dropped last', () => {
    const { template } = build();

    expect(rulesOf(template)).toHaveLength(2);
    expect(rulesOf(template)[1]).toBe('drop ip any any -> any any (msg:"East-west traffic that no allowed flow matches"; '
      + 'flowbits:isnotset,east_west_allowed; sid:1000003; rev:1;)');
  });

  test('closing rule tests the flowbit the flows set', () => {
    const { template } = build();
    const [flowRule, closing] = rulesOf(template);

    expect(flowRule).toContain(`flowbits:set,${EastWestInspection.ALLOWED_FLOWBIT};`);
    expect(closing).toContain(`flowbits:isnotset,${EastWestInspection.ALLOWED_FLOWBIT};`);
    expect(EastWestInspection.ALLOWED_FLOWBIT).toBe('east_west_allowed');
  });

  test.each([
    ['drop mode', {}],
    ['passUnmatchedTraffic', { passUnmatchedTraffic: true }],
  ])('no generated rule passes traffic in %s', (_mode, overrides) => {
    const { template } = build({
      ...overrides,
      allowedFlows: [
        SSH_FLOW,
        { name: 'dns', protocol: FlowProtocol.UDP, sourceCidrs: [MANAGEMENT_CIDR], destinationCidrs: [BUSINESS_CIDR], destinationPorts: [53] },
        { name: 'ping', protocol: FlowProtocol.ICMP, sourceCidrs: [MANAGEMENT_CIDR], destinationCidrs: [BUSINESS_CIDR] },
      ],
    });

    const actions = rulesOf(template).map((rule) => rule.split(' ')[0]);
    expect(actions).not.toContain('pass');
    expect(actions.slice(0, 3)).toEqual(['alert', 'alert', 'alert']);
  });

  test('HOME_NET is the internal ranges', () => {
    const { template } = build();

    expect(flowRuleGroup(template).properties.RuleGroup.RuleVariables.IPSets.HOME_NET).toEqual({ Definition: INTERNAL });
    expect(firewallPolicy(template).PolicyVariables.RuleVariables.HOME_NET).toEqual({ Definition: INTERNAL });
  });

  test('HOME_NET adds an inspection cidr outside the internal ranges', () => {
    const { template } = build({ cidr: '192.168.0.0/25' });

    expect(firewallPolicy(template).PolicyVariables.RuleVariables.HOME_NET).toEqual({ Definition: [...INTERNAL, '192.168.0.0/25'] });
  });

  test('capacity is at least twice the rules', () => {
    // 100 flows and the closing rule make 101 rules; twice that is 202, so 400 is reserved.
    const flows = Array.from({ length: 100 }, (_, i) => ({ ...SSH_FLOW, name: `flow-${i}` }));
    const { template } = build({ allowedFlows: flows });

    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', { RuleGroupName: 'production-east-west-flows-400', Capacity: 400 });
  });

  test('passUnmatchedTraffic alerts once per unmatched flow', () => {
    const { template } = build({ passUnmatchedTraffic: true });

    expect(rulesOf(template)).toHaveLength(2);
    expect(rulesOf(template)[1]).toBe('alert ip any any -> any any (msg:"East-west traffic that no allowed flow matches, passed"; '
      + 'flowbits:isnotset,east_west_allowed; flowbits:isnotset,east_west_unmatched; flowbits:set,east_west_unmatched; sid:1000004; rev:1;)');
  });

  test('passUnmatchedTraffic adds no default action', () => {
    const { template } = build({ passUnmatchedTraffic: true });

    expect(firewallPolicy(template).StatefulDefaultActions).toBeUndefined();
  });

  test('rule group description follows the closing action', () => {
    expect(flowRuleGroup(build().template).properties.Description).toBe('Marks the allowed east-west flows and drops the rest');
    expect(flowRuleGroup(build({ passUnmatchedTraffic: true }).template).properties.Description)
      .toBe('Marks the allowed east-west flows and alerts on the rest');
  });
});

describe('EastWestInspection routes', () => {
  test('transit subnets send everything to the firewall endpoint of their zone', () => {
    const { stack, inspection, template } = build();

    for (const subnet of subnetsOf(inspection, 'transit')) {
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: stack.resolve(subnet.routeTable.routeTableId),
        DestinationCidrBlock: '0.0.0.0/0',
        VpcEndpointId: endpointIn(template, subnet.availabilityZone),
      });
    }
  });

  test('firewall subnets send everything to the hub after the attachment', () => {
    const { stack, hub, inspection, template } = build();

    const attachmentId = stack.resolve(inspection.attachmentId).Ref;
    for (const subnet of subnetsOf(inspection, 'firewall')) {
      template.hasResource('AWS::EC2::Route', {
        Properties: {
          RouteTableId: stack.resolve(subnet.routeTable.routeTableId),
          DestinationCidrBlock: '0.0.0.0/0',
          TransitGatewayId: stack.resolve(hub.transitGatewayId),
        },
        DependsOn: [attachmentId],
      });
    }
  });

  test('no other VPC routes', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::Route', 6);
  });

  test('firewallEndpointId picks the zone out of EndpointIds', () => {
    const { stack, inspection, template } = build();

    expect(stack.resolve(inspection.firewallEndpointId('eu-west-2b'))).toEqual(endpointIn(template, 'eu-west-2b'));
  });

  test('firewallEndpointId rejects a zone outside the VPC', () => {
    const { inspection } = build();

    expect(() => inspection.firewallEndpointId('eu-west-1a')).toThrow(/no firewall endpoint in "eu-west-1a"; use one of its zones: eu-west-2a, eu-west-2b, eu-west-2c/);
  });
});

describe('EastWestInspection on the hub', () => {
  function buildEstate(): Built & { management: SpokeVpc; business: SpokeVpc } {
    const created = createInspection();
    const management = addSpoke(created.stack, created.hub, 'Management', RoutingDomain.MANAGEMENT, MANAGEMENT_CIDR);
    const business = addSpoke(created.stack, created.hub, 'Business', RoutingDomain.BUSINESS_APPLICATION, BUSINESS_CIDR);
    return { ...created, management, business, template: Template.fromStack(created.stack) };
  }

  test('business route table sends the management VPC through the inspection', () => {
    const { stack, hub, inspection, template } = buildEstate();

    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION)),
      DestinationCidrBlock: MANAGEMENT_CIDR,
      TransitGatewayAttachmentId: stack.resolve(inspection.attachmentId),
    });
  });

  test('management route table sends the business VPC through the inspection', () => {
    const { stack, hub, inspection, template } = buildEstate();

    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(RoutingDomain.MANAGEMENT)),
      DestinationCidrBlock: BUSINESS_CIDR,
      TransitGatewayAttachmentId: stack.resolve(inspection.attachmentId),
    });
  });

  test('management attachment is not propagated into the business route table', () => {
    const { stack, hub, management, template } = buildEstate();

    const propagations = template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation', {
      Properties: {
        TransitGatewayAttachmentId: stack.resolve(management.attachmentId),
        TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION)),
      },
    });
    expect(Object.keys(propagations)).toEqual([]);
  });

  test('both spokes propagate into the inspection route table', () => {
    const { stack, inspection, management, business, template } = buildEstate();

    for (const spoke of [management, business]) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
        TransitGatewayAttachmentId: stack.resolve(spoke.attachmentId),
        TransitGatewayRouteTableId: stack.resolve(inspection.routeTableId),
      });
    }
  });

  test('remote attachment with cidrs routes through the inspection', () => {
    const { stack, hub, inspection } = createInspection();
    hub.connectRemoteAttachment('SharedServices', {
      attachmentId: 'tgw-attach-0123456789abcdef0',
      domain: RoutingDomain.SHARED_SERVICES,
      cidrs: ['10.3.0.0/16'],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(RoutingDomain.MANAGEMENT)),
      DestinationCidrBlock: '10.3.0.0/16',
      TransitGatewayAttachmentId: stack.resolve(inspection.attachmentId),
    });
  });

  test('spoke in an inspected domain before the inspection is rejected', () => {
    const stack = newNetworkStack();
    const hub = newHub(stack);

    expect(() => addSpoke(stack, hub, 'Management', RoutingDomain.MANAGEMENT, MANAGEMENT_CIDR))
      .toThrow(/inspects traffic between management and .*, but the hub has no EastWestInspection yet.* Create the EastWestInspection on this hub before the VPCs of inspected domains/);
  });

  test('inspection VPC overlapping a spoke fails synth', () => {
    const { stack, hub } = createInspection();
    addSpoke(stack, hub, 'Management', RoutingDomain.MANAGEMENT, '10.0.254.0/24');

    expect(() => Template.fromStack(stack)).toThrow(
      '[Network/Hub] VPC production-east-west-inspection (10.0.254.0/25, at Network/Inspection) and VPC management (10.0.254.0/24, at Network/Management) overlap, '
      + 'and both are attached to this transit hub.');
  });

  test('inspection VPC clear of the spokes synthesises', () => {
    const { stack, hub } = createInspection();
    addSpoke(stack, hub, 'Management', RoutingDomain.MANAGEMENT, MANAGEMENT_CIDR);

    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('second inspection on the hub is rejected', () => {
    const { stack, hub } = createInspection();

    expect(() => new EastWestInspection(stack, 'Second', {
      hub,
      cidr: '10.0.253.0/25',
      internalCidrs: INTERNAL,
      logBucket: s3.Bucket.fromBucketName(stack, 'SecondLogs', 'example-log-archive'),
    })).toThrow(/^Invalid EastWestInspection props at Network\/Second:\n {2}- hub Network\/Hub already has the east-west inspection Network\/Inspection\. .*Remove one of the two\./);
  });
});

describe('EastWestInspection warnings', () => {
  test('passUnmatchedTraffic warns', () => {
    const { stack } = build({ passUnmatchedTraffic: true });

    expect(warningsOf(stack, 'eastWestUnmatchedTrafficPassed')).toEqual([expect.stringMatching(/^passUnmatchedTraffic is on: traffic between inspected domains that no rule allows is logged as an alert and passed/)]);
  });

  test('default configuration does not warn', () => {
    const { stack } = build();

    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('no allowed flows warns', () => {
    const { stack } = build({ allowedFlows: [] });

    expect(warningsOf(stack, 'eastWestNoAllowedFlows')).toEqual([expect.stringMatching(/^allowedFlows is empty, so the firewall drops every connection/)]);
  });

  test('managedThreatSignatures false warns', () => {
    const { stack } = build({ managedThreatSignatures: false });

    expect(warningsOf(stack, 'eastWestThreatSignaturesOff')).toHaveLength(1);
  });

  test('additional pass rule warns', () => {
    const { stack } = build({
      additionalSuricataRules: [
        'drop tcp any any -> any 23 (msg:"Telnet"; sid:100001; rev:1;)',
        'pass tcp [10.1.0.0/16] any -> [10.2.0.0/16] 8000:8099 (msg:"App ports"; sid:100002; rev:1;)',
      ],
    });

    expect(warningsOf(stack, 'eastWestPassRuleSkipsInspection')).toEqual([expect.stringMatching(
      /^additionalSuricataRules\[1\] is a pass rule: Network Firewall stops inspecting each flow it matches.* make it an alert rule with flowbits:set,east_west_allowed;/)]);
  });

  test('additional pass rule without managed groups does not warn', () => {
    const { stack } = build({
      managedThreatSignatures: false,
      additionalSuricataRules: ['pass tcp [10.1.0.0/16] any -> [10.2.0.0/16] 8000:8099 (msg:"App ports"; sid:100002; rev:1;)'],
    });

    expect(warningsOf(stack, 'eastWestPassRuleSkipsInspection')).toEqual([]);
  });

  test.each([
    ['sets the allowed flowbit', 'alert ip any any -> any any (msg:"all"; flowbits:set,east_west_allowed; flowbits:noalert; sid:100;)'],
    ['passes', 'pass tcp any any -> 0.0.0.0/0 443 (msg:"all web"; sid:100;)'],
  ])('additional rule that %s for any to any warns', (_kind, rule) => {
    const { stack } = build({ additionalSuricataRules: [rule] });

    expect(warningsOf(stack, 'eastWestRuleAllowsAnyToAny')).toEqual([expect.stringMatching(
      /^additionalSuricataRules\[0\] allows traffic from any address to any address .*Narrow its source and destination/)]);
  });

  test('additional rule that sets the flowbit between ranges does not warn', () => {
    const { stack } = build({
      additionalSuricataRules: ['alert tcp [10.1.0.0/16] any -> any 8000:8099 (msg:"App"; flow:to_server; flowbits:set,east_west_allowed; flowbits:noalert; sid:100;)'],
    });

    expect(warningsOf(stack, 'eastWestRuleAllowsAnyToAny')).toEqual([]);
  });

  test('policy without inspection warns', () => {
    const { stack } = build({}, RoutingPolicy.platformDefault());

    expect(warningsOf(stack, 'eastWestNothingInspected')).toEqual([expect.stringMatching(/^The routing policy of transit hub Network\/Hub inspects no connection/)]);
  });

  test('flow range outside the internal ranges warns', () => {
    const { stack } = build({ allowedFlows: [{ ...SSH_FLOW, destinationCidrs: ['192.168.10.0/24'] }] });

    expect(warningsOf(stack, 'eastWestFlowOutsideInternalRanges'))
      .toEqual([expect.stringMatching(/^allowedFlows\[0\]\.destinationCidrs\[0\] 192\.168\.10\.0\/24 lies outside every internal range \(10\.0\.0\.0\/12, 172\.16\.0\.0\/16\)/)]);
  });
});

describe('EastWestInspection cdk-nag', () => {
  test('AwsSolutions and NIST 800-53 rev 5 report no errors', () => {
    const errors = cdkNagErrors((stack) => {
      const hub = newHub(stack);
      new EastWestInspection(stack, 'Inspection', {
        hub,
        cidr: '10.0.254.0/25',
        internalCidrs: INTERNAL,
        logBucket: logArchive(stack),
        allowedFlows: [SSH_FLOW],
      });
      addSpoke(stack, hub, 'Management', RoutingDomain.MANAGEMENT, MANAGEMENT_CIDR);
    });

    expect(errors).toEqual([]);
  });
});

describe('EastWestInspection validation', () => {
  test('imported hub is rejected', () => {
    const stack = newNetworkStack();
    const hub = TransitHub.fromTransitHubAttributes(stack, 'Hub', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' });

    expect(() => new EastWestInspection(stack, 'Inspection', {
      hub,
      cidr: '10.0.254.0/25',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
    })).toThrow(/hub is the imported transit hub "tgw-0123456789abcdef0" .*The east-west inspection adds its own route table beside the hub's route tables, so create it in the hub's own account/);
  });

  test('missing hub is rejected', () => {
    expect(errorFor({ hub: undefined })).toMatch(/hub is undefined; pass the TransitHub of the tier/);
  });

  test('missing logBucket is rejected', () => {
    expect(errorFor({ logBucket: undefined })).toMatch(/logBucket is undefined; pass the log archive bucket/);
  });

  test.each([
    ['10.0.254.0', /cidr is "10.0.254.0", which is not an IPv4 CIDR block; use an IPv4 CIDR block from \/16 to \/25/],
    ['10.0.254.1/25', /cidr is "10.0.254.1\/25", which has host bits set; use "10.0.254.0\/25"/],
    ['10.0.254.0/26', /cidr is "10.0.254.0\/26"; .*six subnets of \/28 \(two groups in three zones\), which need at least a \/25/],
    ['10.0.0.0/15', /cidr is "10.0.0.0\/15"; use an IPv4 CIDR block from \/16 to \/25/],
    ['169.254.0.0/25', /cidr is "169.254.0.0\/25", which overlaps 169\.254\.0\.0\/16, the link-local range/],
  ])('cidr %s is rejected', (cidr, message) => {
    expect(errorFor({ cidr })).toMatch(message);
  });

  test('cidr token is rejected', () => {
    const message = errorFor({ cidr: Token.asString({ Ref: 'Cidr' }) });

    expect(message).toMatch(/cidr is a token; pass a literal CIDR block such as "10\.64\.17\.0\/24", from \/16 to \/25, because the subnets are laid out at synth time/);
    expect(message).not.toMatch(/TOKEN/);
  });

  test('internalCidrs with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(errorFor({ internalCidrs: [, '10.0.0.0/12'] })).toMatch(/internalCidrs\[0\] is missing \(the list has a hole\); remove the extra comma/);
  });

  test('empty internalCidrs is rejected', () => {
    expect(errorFor({ internalCidrs: [] })).toMatch(/internalCidrs is \[\]; pass the tier's supernets, the address ranges behind the hub whose traffic the firewall inspects/);
  });

  test.each([
    [['10.0.0.0'], /internalCidrs\[0\] is "10.0.0.0", which is not an IPv4 CIDR block/],
    [['10.0.0.1/12'], /internalCidrs\[0\] is "10.0.0.1\/12", which has host bits set; use "10.0.0.0\/12"/],
    [['10.0.0.0/12', '10.1.0.0/16'], /internalCidrs\[1\] "10.1.0.0\/16" overlaps internalCidrs\[0\] "10.0.0.0\/12"/],
    [['10.0.254.0/26'], /internalCidrs\[0\] "10.0.254.0\/26" is the inspection VPC's cidr "10.0.254.0\/25" or lies inside it/],
    [['8.8.8.0/24'], /internalCidrs\[0\] is "8.8.8.0\/24", which is not a private range\. The firewall counts internal ranges as HOME_NET/],
  ])('internalCidrs %j is rejected', (internalCidrs, message) => {
    expect(errorFor({ internalCidrs })).toMatch(message);
  });

  test('internalCidrs list token is rejected', () => {
    expect(errorFor({ internalCidrs: Token.asList(Fn.importValue('TierSupernets')) }))
      .toMatch(/internalCidrs is a list token; pass a literal list, because the firewall's HOME_NET entries are created for each range at synth time/);
  });

  test('internalCidrs tokens are accepted', () => {
    const { template } = build({ internalCidrs: [Token.asString({ Ref: 'Supernet' })] });

    expect(firewallPolicy(template).PolicyVariables.RuleVariables.HOME_NET).toEqual({ Definition: [{ Ref: 'Supernet' }, '10.0.254.0/25'] });
  });

  test('allowedFlows that is not a list is rejected', () => {
    expect(errorFor({ allowedFlows: SSH_FLOW })).toMatch(/allowedFlows is \{.*\}; pass a literal list of flows/);
  });

  test('allowedFlows with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(errorFor({ allowedFlows: [, SSH_FLOW] })).toMatch(/allowedFlows\[0\] is missing \(the list has a hole\)/);
  });

  test.each([
    // eslint-disable-next-line no-sparse-arrays
    ['sourceCidrs', [, MANAGEMENT_CIDR]],
    // eslint-disable-next-line no-sparse-arrays
    ['destinationCidrs', [BUSINESS_CIDR, , '10.3.0.0/16']],
    // eslint-disable-next-line no-sparse-arrays
    ['destinationPorts', [22, , 443]],
  ])('flow %s with a hole is rejected', (field, value) => {
    const position = value.findIndex((_entry, index) => !(index in value));

    expect(flowErrorFor({ [field]: value })).toMatch(new RegExp(`allowedFlows\\[0\\]\\.${field}\\[${position}\\] is missing \\(the list has a hole\\)`));
  });

  test.each([
    ['sourceCidrs', '0.0.0.0/0', /allowedFlows\[0\]\.sourceCidrs\[0\] is "0\.0\.0\.0\/0", the whole address space, which would allow the flow from every VPC on the hub; list the VPC ranges the flow needs/],
    ['destinationCidrs', '0.0.0.0/0', /allowedFlows\[0\]\.destinationCidrs\[0\] is "0\.0\.0\.0\/0", the whole address space, which would allow the flow to every VPC on the hub/],
    ['destinationCidrs', '8.0.0.0/7', /allowedFlows\[0\]\.destinationCidrs\[0\] is "8\.0\.0\.0\/7", a block larger than a \/8, which would allow the flow to far more than one tier's VPCs/],
  ])('flow %s %s is rejected', (field, cidr, message) => {
    expect(flowErrorFor({ [field]: [cidr] })).toMatch(message);
  });

  test('flow CIDR of /8 is accepted', () => {
    const { template } = build({ allowedFlows: [{ ...SSH_FLOW, sourceCidrs: ['10.0.0.0/8'] }] });

    expect(rulesOf(template)).toContainEqual(expect.stringMatching(/^alert tcp \[10\.0\.0\.0\/8\] any -> /));
  });

  test('allowedFlows entry that is not an object is rejected', () => {
    expect(errorFor({ allowedFlows: ['ssh'] })).toMatch(/allowedFlows\[0\] is "ssh"; pass an object with name, protocol, sourceCidrs, destinationCidrs/);
  });

  test.each([
    ['', /allowedFlows\[0\]\.name is ""; use 1 to 64 letters, digits, dots, underscores and hyphens/],
    ['ssh "admin"', /allowedFlows\[0\]\.name is "ssh \\"admin\\""; use 1 to 64 letters/],
    ['a'.repeat(65), /allowedFlows\[0\]\.name is "a{65}"; use 1 to 64 letters/],
  ])('flow name %j is rejected', (name, message) => {
    expect(flowErrorFor({ name })).toMatch(message);
  });

  test('repeated flow name is rejected', () => {
    expect(errorFor({ allowedFlows: [SSH_FLOW, { ...SSH_FLOW, destinationPorts: [3389] }] }))
      .toMatch(/allowedFlows\[1\]\.name "management-to-business-ssh" repeats allowedFlows\[0\]\.name; give each flow its own name/);
  });

  test.each([
    ['sourceCidrs', [], /allowedFlows\[0\]\.sourceCidrs is \[\]; pass a literal, non-empty list of IPv4 CIDR blocks/],
    ['destinationCidrs', undefined, /allowedFlows\[0\]\.destinationCidrs is undefined; pass a literal, non-empty list of IPv4 CIDR blocks/],
    ['sourceCidrs', ['10.1.0.0'], /allowedFlows\[0\]\.sourceCidrs\[0\] is "10.1.0.0", which is not an IPv4 CIDR block/],
    ['destinationCidrs', ['10.2.0.1/16'], /allowedFlows\[0\]\.destinationCidrs\[0\] is "10.2.0.1\/16", which has host bits set; use "10.2.0.0\/16"/],
    ['destinationCidrs', ['10.2.0.0/16', '10.2.0.0/16'], /allowedFlows\[0\]\.destinationCidrs\[1\] "10.2.0.0\/16" repeats allowedFlows\[0\]\.destinationCidrs\[0\]; list each block once/],
  ])('flow %s %j is rejected', (field, value, message) => {
    expect(flowErrorFor({ [field]: value })).toMatch(message);
  });

  test('flow CIDR tokens are accepted', () => {
    const { template } = build({ allowedFlows: [{ ...SSH_FLOW, sourceCidrs: [Token.asString({ Ref: 'ManagementCidr' })] }] });

    const rules = flowRuleGroup(template).properties.RuleGroup.RulesSource.RulesString;
    expect(rules['Fn::Join'][1]).toContainEqual({ Ref: 'ManagementCidr' });
  });

  test.each([
    [[0], /allowedFlows\[0\]\.destinationPorts\[0\] is 0; use a whole number from 1 to 65535/],
    [[65536], /allowedFlows\[0\]\.destinationPorts\[0\] is 65536; use a whole number from 1 to 65535/],
    [[443.5], /allowedFlows\[0\]\.destinationPorts\[0\] is 443.5; use a whole number from 1 to 65535/],
    [['443'], /allowedFlows\[0\]\.destinationPorts\[0\] is "443"; use a whole number from 1 to 65535/],
    [[443, 443], /allowedFlows\[0\]\.destinationPorts\[1\] 443 repeats allowedFlows\[0\]\.destinationPorts\[0\]; list each port once/],
    [[], /allowedFlows\[0\]\.destinationPorts is \[\]; a TCP flow needs a literal, non-empty list of destination ports/],
    [undefined, /allowedFlows\[0\]\.destinationPorts is undefined; a TCP flow needs a literal, non-empty list of destination ports/],
  ])('destinationPorts %j is rejected', (destinationPorts, message) => {
    expect(flowErrorFor({ destinationPorts })).toMatch(message);
  });

  test('ICMP flow with ports is rejected', () => {
    expect(flowErrorFor({ protocol: FlowProtocol.ICMP, destinationPorts: [8] }))
      .toMatch(/allowedFlows\[0\]\.destinationPorts is \[8\], but ICMP has no ports; leave destinationPorts out for an ICMP flow/);
  });

  test('unknown flow protocol is rejected', () => {
    expect(flowErrorFor({ protocol: 'sctp' })).toMatch(/allowedFlows\[0\]\.protocol is "sctp"; use FlowProtocol\.TCP, FlowProtocol\.UDP or FlowProtocol\.ICMP/);
  });

  test('flow whose rule is too long is rejected', () => {
    const sourceCidrs = Array.from({ length: 600 }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);

    expect(flowErrorFor({ sourceCidrs })).toMatch(/allowedFlows\[0\] makes a Suricata rule of \d+ characters, more than the 8192 that Network Firewall accepts/);
  });

  test.each([
    ['an unknown action', 'allow tcp any any -> any 22 (sid:100; rev:1;)', /it must start with an action \(pass, drop, alert, reject\)/],
    ['a comment', '# drop tcp any any -> any 22 (sid:100; rev:1;)', /it must start with an action/],
    ['no sid', 'drop tcp any any -> any 22 (msg:"No SSH"; rev:1;)', /it has no "sid:<number>;" option/],
    ['no closing', 'drop tcp any any -> any 22 (sid:100; rev:1;', /it must end with ";\)", closing its options/],
    ['two lines', 'drop tcp any any -> any 22 (sid:100;\nrev:1;)', /it spans several lines, so pass each rule as its own entry/],
    ['8,200 characters', `drop tcp any any -> any 22 (msg:"${'x'.repeat(8200)}"; sid:100;)`, /it has 82\d\d characters, more than the 8192 that Network Firewall accepts/],
  ])('additional rule with %s is rejected', (_kind, rule, message) => {
    const error = errorFor({ additionalSuricataRules: [rule] });

    expect(error).toMatch(/additionalSuricataRules\[0\] is ".*/);
    expect(error).toMatch(message);
    expect(error).toMatch(/To fix, write one rule such as/);
  });

  test.each([
    ['two rules on one line', 'drop tcp any any -> any 23 (msg:"a"; sid:100;) pass ip any any -> any any (msg:"b"; sid:101;)',
      /text follows the "\)" that closes its options \("pass ip any any -> any any \(msg:\\"b\\"; sid:101;\)"\), so pass each rule as its own entry/],
    ['a sid inside its message', 'drop tcp any any -> any 23 (msg:"x; sid:5;"; sid:1000003; rev:1;)',
      /a quoted value contains a ";" without a backslash, which Suricata reads as the end of the option/],
    ['a sid inside a content match', 'drop tcp any any -> any 80 (msg:"x"; content:"a;sid:7;"; sid:1000003;)',
      /a quoted value contains a ";" without a backslash/],
    ['";)" inside its message', 'drop tcp any any -> any 23 (msg:"a;)"; sid:100; content:"x";)', /a quoted value contains a ";" without a backslash/],
    ['an unclosed quote', 'drop tcp any any -> any 23 (msg:"x; sid:100;)', /a quoted value has no closing quote/],
    ['two sid options', 'drop tcp any any -> any 23 (msg:"x"; sid:100; sid:1000003;)', /it has 2 sid options \(100, 1000003\), and Suricata accepts one/],
    ['a short header', 'drop tcp any -> any 23 (msg:"x"; sid:100;)', /its header must be "<action> <protocol> <source> <source port> -> <destination> <destination port>"/],
  ])('additional rule with %s is rejected', (_kind, rule, message) => {
    const error = errorFor({ additionalSuricataRules: [rule] });

    expect(error).toMatch(/additionalSuricataRules\[0\] is ".*/);
    expect(error).toMatch(message);
  });

  test.each([
    ['0', /additionalSuricataRules\[0\] has sid "0"; Suricata accepts whole numbers from 1 to 4294967294/],
    ['4294967295', /additionalSuricataRules\[0\] has sid "4294967295"; Suricata accepts whole numbers from 1 to 4294967294/],
    ['99999999999999999999', /additionalSuricataRules\[0\] has sid "99999999999999999999"; Suricata accepts whole numbers from 1 to 4294967294, so use one in that range outside 1000000 to 1999999/],
    ['1e5', /additionalSuricataRules\[0\] has sid "1e5"; Suricata accepts whole numbers/],
  ])('additional rule with sid %s is rejected', (sid, message) => {
    expect(errorFor({ additionalSuricataRules: [`drop tcp any any -> any 23 (msg:"x"; sid:${sid};)`] })).toMatch(message);
  });

  test('additional rule with the largest sid is accepted', () => {
    const rule = 'drop tcp any any -> any 23 (msg:"x"; sid:4294967294;)';

    expect(rulesOf(build({ additionalSuricataRules: [rule] }).template)).toContain(rule);
  });

  test('escaped semicolons and quotes in a message are accepted', () => {
    const rule = 'drop tcp any any -> any 23 (msg:"Telnet\\; not \\"sid:5\\;\\""; sid:100001; rev:1;)';

    expect(rulesOf(build({ additionalSuricataRules: [rule] }).template)).toContain(rule);
  });

  test('sid keyword is matched in any case and spacing', () => {
    const error = errorFor({
      additionalSuricataRules: [
        'drop tcp any any -> any 23 (msg:"Telnet"; SID:100; rev:1;)',
        'drop tcp any any -> any 21 (msg:"FTP"; sid : 100 ; rev:1;)',
      ],
    });

    expect(error).toMatch(/additionalSuricataRules\[1\] has sid 100, like additionalSuricataRules\[0\]/);
  });

  test('additional rule with an undefined variable is rejected', () => {
    expect(errorFor({ additionalSuricataRules: ['drop tcp $FOO_NET any -> any $SSH_PORTS (msg:"x"; sid:100;)'] }))
      .toMatch(/additionalSuricataRules\[0\] uses the variable \$FOO_NET, which the firewall does not define.*Use \$HOME_NET or \$EXTERNAL_NET/);
  });

  test('additional rule with HOME_NET and EXTERNAL_NET is accepted', () => {
    const rule = 'drop tcp $EXTERNAL_NET any -> $HOME_NET 23 (msg:"x"; sid:100;)';

    expect(rulesOf(build({ additionalSuricataRules: [rule] }).template)).toContain(rule);
  });

  test('additionalSuricataRules with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(errorFor({ additionalSuricataRules: [, 'drop tcp any any -> any 23 (msg:"x"; sid:100;)'] }))
      .toMatch(/additionalSuricataRules\[0\] is missing \(the list has a hole\)/);
  });

  test('additional rule that is not a string is rejected', () => {
    expect(errorFor({ additionalSuricataRules: [42] })).toMatch(/additionalSuricataRules\[0\] is 42; write one rule such as/);
  });

  test('repeated sid is rejected', () => {
    const error = errorFor({
      additionalSuricataRules: [
        'drop tcp any any -> any 23 (msg:"Telnet"; sid:100; rev:1;)',
        'drop tcp any any -> any 21 (msg:"FTP"; sid:100; rev:1;)',
      ],
    });

    expect(error).toMatch(/additionalSuricataRules\[1\] has sid 100, like additionalSuricataRules\[0\]; Network Firewall rejects a rule group in which two rules share a sid/);
  });

  test('sid reserved for the generated rules is rejected', () => {
    expect(errorFor({ additionalSuricataRules: ['pass tcp any any -> any 22 (sid:1000001; rev:1;)'] }))
      .toMatch(/additionalSuricataRules\[0\] has sid 1000001, in the range 1000000 to 1999999 that the construct uses/);
  });

  test('rules beyond the policy capacity are rejected', () => {
    const flows = Array.from({ length: 15000 }, (_, i) => ({ ...SSH_FLOW, name: `flow-${i}` }));
    const additionalSuricataRules = Array.from({ length: 400 }, (_, i) => `drop tcp any any -> any 23 (msg:"Telnet"; sid:${i + 1}; rev:1;)`);

    expect(errorFor({ allowedFlows: flows, additionalSuricataRules })).toMatch(
      /allowedFlows \(15000 flows, one rule each\), additionalSuricataRules \(400 rules\) and the closing rule need 15401 rules, more than the 15400 capacity units/);
  });

  test('flows beyond the policy capacity are named', () => {
    const flows = Array.from({ length: 15400 }, (_, i) => ({ ...SSH_FLOW, name: `flow-${i}` }));

    expect(errorFor({ allowedFlows: flows, additionalSuricataRules: [] })).toMatch(
      /allowedFlows has 15400 flows, one rule each, which with the closing rule need 15401 units, more than the 15400 capacity units .*before additionalSuricataRules \(0 rules\) adds any\. Merge flows/);
  });

  test('additional rules beyond the policy capacity are named', () => {
    const additionalSuricataRules = Array.from({ length: 15400 }, (_, i) => `drop tcp any any -> any 23 (sid:${i + 1};)`);
    const message = errorFor({ additionalSuricataRules });

    expect(message).toMatch(
      /additionalSuricataRules has 15400 rules, which with the closing rule need 15401 units, more than the 15400 capacity units .*before allowedFlows \(1 flows\) adds any\. Combine additional rules/);
    expect(message).not.toMatch(/Merge flows/);
  });

  test('flows up to the policy capacity pass the capacity check', () => {
    const flows = Array.from({ length: 15399 }, (_, i) => ({ ...SSH_FLOW, name: `flow-${i}` }));

    expect(errorFor({ allowedFlows: flows })).not.toMatch(/capacity units/);
  });

  test('more flows pass the capacity check without the managed groups', () => {
    const flows = Array.from({ length: 16000 }, (_, i) => ({ ...SSH_FLOW, name: `flow-${i}` }));

    expect(errorFor({ allowedFlows: flows, managedThreatSignatures: false })).not.toMatch(/capacity units/);
  });

  test('capacity goes beyond the managed groups\' share without them', () => {
    const additionalSuricataRules = Array.from({ length: 8000 }, (_, i) => `drop tcp any any -> any 23 (sid:${i + 1};)`);
    const { template } = build({ additionalSuricataRules, managedThreatSignatures: false });

    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', { Capacity: 25600 });
  });

  test('rules larger than the template allows are rejected', () => {
    const flows = Array.from({ length: 2100 }, (_, i) => ({ ...SSH_FLOW, name: `flow-${i}` }));

    expect(errorFor({ allowedFlows: flows })).toMatch(new RegExp(
      'allowedFlows \\(2100 flows, \\d+ bytes of rules\\) and additionalSuricataRules \\(0 rules, 0 bytes\\) make a rule group of \\d+ bytes '
      + 'in the CloudFormation template, more than the 400000 this construct allows, because a template holds at most 1000000 bytes .*'
      + 'Use fewer flows, list wider CIDR blocks that cover several VPCs in one flow, or manage a rule group of this size outside the stack'));
  });

  test('additional rules count towards the template size', () => {
    const additionalSuricataRules = Array.from({ length: 60 }, (_, i) => `drop tcp any any -> any 23 (msg:"${'x'.repeat(7000)}"; sid:${i + 1};)`);

    expect(errorFor({ additionalSuricataRules })).toMatch(/additionalSuricataRules \(60 rules, 42\d{4} bytes\) make a rule group of 42\d{4} bytes/);
  });

  test('rules up to the template size are accepted', () => {
    const flows = Array.from({ length: 1900 }, (_, i) => ({ ...SSH_FLOW, name: `flow-${i}` }));
    const { template } = build({ allowedFlows: flows });

    expect(rulesOf(template)).toHaveLength(1901);
  });

  test.each(['deleteProtection', 'managedThreatSignatures', 'passUnmatchedTraffic'])('%s that is not a boolean is rejected', (name) => {
    expect(errorFor({ [name]: 'false' })).toContain(`${name} is "false"; use true or false, or leave it out for the default.`);
  });

  test('encryptionKey alias is rejected', () => {
    const message = errorFor((stack) => ({ encryptionKey: kms.Alias.fromAliasName(stack, 'Alias', 'alias/east-west-firewall') }));

    expect(message).toMatch(/encryptionKey is the KMS alias "alias\/east-west-firewall"; pass the key itself/);
  });

  test('availabilityZones of another region are rejected', () => {
    expect(errorFor({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }))
      .toMatch(/availabilityZones\[0\] is "eu-west-1a", which is not in the stack's region eu-west-2/);
  });

  test('availabilityZones with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    const message = errorFor({ availabilityZones: [, 'eu-west-2b', 'eu-west-2c'] });

    expect(message).toMatch(/^Invalid EastWestInspection props/);
    expect(message).toMatch(/availabilityZones\[0\] is missing \(the list has a hole\)/);
  });

  test('availabilityZones with an undefined entry is rejected', () => {
    expect(errorFor({ availabilityZones: [undefined, 'eu-west-2b', 'eu-west-2c'] }))
      .toMatch(/availabilityZones\[0\] is undefined, which is not a zone name/);
  });

  test('explicit zones are accepted in a stack without a region', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    new EastWestInspection(stack, 'Inspection', {
      hub: newHub(stack),
      cidr: '10.0.254.0/25',
      internalCidrs: INTERNAL,
      logBucket: logArchive(stack),
      allowedFlows: [SSH_FLOW],
      availabilityZones: ZONES,
    });

    Template.fromStack(stack).resourceCountIs('AWS::EC2::Subnet', 6);
  });

  test('one error lists every problem', () => {
    const message = errorFor({
      cidr: 'nonsense',
      internalCidrs: [],
      logBucket: undefined,
      allowedFlows: [{ ...SSH_FLOW, destinationPorts: [0] }],
      additionalSuricataRules: ['nonsense'],
      passUnmatchedTraffic: 'yes',
    });

    expect(message).toMatch(/^Invalid EastWestInspection props at Network\/Inspection:/);
    expect(message).toMatch(/cidr is "nonsense"/);
    expect(message).toMatch(/internalCidrs is \[\]/);
    expect(message).toMatch(/logBucket is undefined/);
    expect(message).toMatch(/allowedFlows\[0\]\.destinationPorts\[0\] is 0/);
    expect(message).toMatch(/additionalSuricataRules\[0\] is "nonsense"/);
    expect(message).toMatch(/passUnmatchedTraffic is "yes"/);
  });
});
