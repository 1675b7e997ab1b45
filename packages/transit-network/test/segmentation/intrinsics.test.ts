import { CfnTemplateJson, StackTemplate } from '../../src/segmentation/assembly';
import { IntrinsicResolver, Unresolved, parsePlaceholder } from '../../src/segmentation/intrinsics';

function stack(label: string, template: CfnTemplateJson, account = '111111111111'): StackTemplate {
  return { label, stackName: label, assemblyDir: '/tmp/none', account, region: 'eu-west-2', template, constructPaths: new Map() };
}

const HUB = stack('Hub', {
  Resources: { Gateway: { Type: 'AWS::EC2::TransitGateway' } },
  Outputs: {
    GatewayExport: { Value: { Ref: 'Gateway' }, Export: { Name: 'Hub:GatewayId' } },
  },
});

const EGRESS = stack('Egress', {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.64.16.0/24' } },
    SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { AvailabilityZone: 'eu-west-2a', VpcId: { Ref: 'Vpc' } } },
    SubnetB: { Type: 'AWS::EC2::Subnet', Properties: { AvailabilityZone: 'eu-west-2b', VpcId: { Ref: 'Vpc' } } },
    Firewall: {
      Type: 'AWS::NetworkFirewall::Firewall',
      Properties: { VpcId: { Ref: 'Vpc' }, SubnetMappings: [{ SubnetId: { Ref: 'SubnetA' } }, { SubnetId: { Ref: 'SubnetB' } }] },
    },
  },
  Parameters: {
    Literal: { Type: 'String', Default: 'tgw-0123456789abcdef0' },
    FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/platform/tgw-id' },
  },
  Mappings: { Ids: { 'eu-west-2': { Gateway: 'tgw-0fedcba9876543210' } } },
});

const resolver = new IntrinsicResolver([HUB, EGRESS]);

/** Returns the expression the egress DMZ writes to pick one zone's firewall endpoint. */
function endpointInZone(zone: string): unknown {
  return {
    'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::Select': [1, { 'Fn::Split': [`${zone}:`, { 'Fn::Join': [',', { 'Fn::GetAtt': ['Firewall', 'EndpointIds'] }] }] }] }] }],
  };
}

describe('IntrinsicResolver', () => {
  test('Ref names the resource', () => {
    expect(parsePlaceholder(resolver.resolve(EGRESS, { Ref: 'Vpc' }))).toEqual({ kind: 'ref', stack: 'Egress', name: 'Vpc', detail: undefined });
  });

  test('GetAtt of an ID attribute is a Ref', () => {
    expect(parsePlaceholder(resolver.resolve(HUB, { 'Fn::GetAtt': ['Gateway', 'Id'] }))).toMatchObject({ kind: 'ref', name: 'Gateway' });
  });

  test('GetAtt reads a property', () => {
    expect(resolver.resolve(EGRESS, { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] })).toBe('10.64.16.0/24');
    expect(resolver.resolve(EGRESS, { 'Fn::GetAtt': 'SubnetB.AvailabilityZone' })).toBe('eu-west-2b');
  });

  test('other attributes stay symbolic', () => {
    expect(parsePlaceholder(resolver.resolve(EGRESS, { 'Fn::GetAtt': ['Firewall', 'FirewallArn'] }))).toMatchObject({ kind: 'attribute', detail: 'FirewallArn' });
  });

  test('ImportValue follows the export', () => {
    expect(parsePlaceholder(resolver.resolve(EGRESS, { 'Fn::ImportValue': 'Hub:GatewayId' }))).toMatchObject({ kind: 'ref', stack: 'Hub', name: 'Gateway' });
  });

  test('unknown import becomes external', () => {
    expect(parsePlaceholder(resolver.resolve(EGRESS, { 'Fn::ImportValue': 'Elsewhere:Id' }))).toEqual({ kind: 'import', name: 'Elsewhere:Id' });
  });

  test('firewall endpoint of a zone', () => {
    expect(parsePlaceholder(resolver.resolve(EGRESS, endpointInZone('eu-west-2b')))).toEqual({ kind: 'firewall-endpoint', stack: 'Egress', name: 'Firewall', detail: 'eu-west-2b' });
  });

  test('endpoint of a missing zone is unresolved', () => {
    const value = resolver.resolve(EGRESS, endpointInZone('eu-west-2c'));
    expect(value).toBeInstanceOf(Unresolved);
    expect((value as Unresolved).reason).toMatch(/Fn::Select index 1 is outside a list of 1/);
  });

  test('Join, Split and Select on literals', () => {
    expect(resolver.resolve(EGRESS, { 'Fn::Join': ['-', ['a', 'b', 3]] })).toBe('a-b-3');
    expect(resolver.resolve(EGRESS, { 'Fn::Select': [2, { 'Fn::Split': [',', 'x,y,z'] }] })).toBe('z');
  });

  test('Sub with unknown name is unresolved', () => {
    expect(resolver.resolve(EGRESS, { 'Fn::Sub': '${AWS::Region}-${Name}' })).toBeInstanceOf(Unresolved);
  });

  test('Sub replaces names and variables', () => {
    expect(resolver.resolve(EGRESS, { 'Fn::Sub': ['${AWS::Region}/${Name}/${!Kept}', { Name: 'x' }] })).toBe('eu-west-2/x/${Kept}');
    expect(resolver.resolve(EGRESS, { 'Fn::Sub': '${Vpc.CidrBlock}' })).toBe('10.64.16.0/24');
  });

  test('parameters resolve to defaults', () => {
    expect(resolver.resolve(EGRESS, { Ref: 'Literal' })).toBe('tgw-0123456789abcdef0');
    expect(parsePlaceholder(resolver.resolve(EGRESS, { Ref: 'FromSsm' }))).toMatchObject({ kind: 'parameter', name: 'FromSsm' });
  });

  test('FindInMap reads the mapping', () => {
    expect(resolver.resolve(EGRESS, { 'Fn::FindInMap': ['Ids', { Ref: 'AWS::Region' }, 'Gateway'] })).toBe('tgw-0fedcba9876543210');
  });

  test('GetAZs index becomes a zone placeholder', () => {
    expect(parsePlaceholder(resolver.resolve(EGRESS, { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }))).toEqual({ kind: 'zone', stack: 'Egress', name: 'eu-west-2', detail: '1' });
  });

  test('conditions are not evaluated', () => {
    const value = resolver.resolve(EGRESS, { 'Fn::If': ['IsProd', 'a', 'b'] });
    expect((value as Unresolved).reason).toBe('Fn::If is not evaluated by the segmentation checker');
  });

  test('NoValue drops the item', () => {
    expect(resolver.resolve(EGRESS, ['a', { Ref: 'AWS::NoValue' }])).toEqual(['a']);
  });

  test('two exports of one name are ambiguous', () => {
    const twin = stack('Twin', { Resources: { Gateway: { Type: 'AWS::EC2::TransitGateway' } }, Outputs: { E: { Value: { Ref: 'Gateway' }, Export: { Name: 'Hub:GatewayId' } } } }, '222222222222');
    const value = new IntrinsicResolver([HUB, twin, stack('Importer', {}, '333333333333')]).resolve(stack('Importer', {}, '333333333333'), { 'Fn::ImportValue': 'Hub:GatewayId' });
    expect((value as Unresolved).reason).toMatch(/2 stacks export Hub:GatewayId: Hub, Twin/);
  });

  test('same environment wins an export clash', () => {
    const twin = stack('Twin', { Resources: { Gateway: { Type: 'AWS::EC2::TransitGateway' } }, Outputs: { E: { Value: { Ref: 'Gateway' }, Export: { Name: 'Hub:GatewayId' } } } }, '222222222222');
    const importer = stack('Importer', {}, '222222222222');
    expect(parsePlaceholder(new IntrinsicResolver([HUB, twin, importer]).resolve(importer, { 'Fn::ImportValue': 'Hub:GatewayId' }))).toMatchObject({ stack: 'Twin' });
  });
});
