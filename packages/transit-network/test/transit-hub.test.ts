import { App, Fn, Stack, Token, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RemoteAttachmentOptions, RoutingDomain, RoutingPolicy, SpokeVpc, TransitHub, TransitHubAttributes, TransitHubProps } from '../src';
import { HubRegistry } from '../src/private/hub-registry';
import { ALL_ROUTING_DOMAINS } from '../src/routing-domain';

function newStack(): Stack {
  return new Stack(new App(), 'Network', { env: { account: '111111111111', region: 'eu-west-2' } });
}

function newHub(props: Partial<TransitHubProps> = {}): { stack: Stack; hub: TransitHub } {
  const stack = newStack();
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production', ...props });
  return { stack, hub };
}

/** Resolves the route table ID of a domain to the `{ Ref }` that the template contains. */
function routeTableRef(stack: Stack, hub: TransitHub, domain: RoutingDomain): unknown {
  return stack.resolve(hub.routeTableId(domain));
}

const ATTACHMENT_ID = 'tgw-attach-0123456789abcdef0';
const OTHER_ATTACHMENT_ID = 'tgw-attach-0123456789abcdef1';
const INSPECTION = { path: 'Network/Inspection', attachmentId: 'tgw-attach-0aaaaaaaaaaaaaaaa', routeTableId: 'tgw-rtb-0aaaaaaaaaaaaaaaa' };

/** Returns a hub whose policy inspects management, business applications and shared services, with its inspection recorded. */
function newInspectedHub(): { stack: Stack; hub: TransitHub } {
  const built = newHub({ routingPolicy: RoutingPolicy.platformDefaultWithInspection() });
  HubRegistry.of(built.hub).claimInspection(INSPECTION);
  return built;
}

/** Adds a spoke VPC to the hub's stack. */
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

/** Connects a remote attachment with the given options overriding the defaults, and returns the error it throws. */
function remoteError(hub: TransitHub, overrides: Partial<Record<keyof RemoteAttachmentOptions, unknown>>, id = 'Remote'): string {
  try {
    hub.connectRemoteAttachment(id, { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, ...overrides } as RemoteAttachmentOptions);
  } catch (error) {
    expect(error).not.toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('connectRemoteAttachment accepted the options');
}

/** Synthesises the app of `stack` and returns the error it throws, or undefined if it synthesises. */
function synthError(stack: Stack): string | undefined {
  try {
    App.of(stack)!.synth();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

describe('transit gateway', () => {
  test('default association and propagation are disabled', () => {
    const { stack } = newHub();

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', {
      DefaultRouteTableAssociation: 'disable',
      DefaultRouteTablePropagation: 'disable',
    });
  });

  test('shared attachments are accepted automatically', () => {
    const { stack } = newHub();

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', {
      AutoAcceptSharedAttachments: 'enable',
    });
  });

  test('ASN defaults to 64512', () => {
    const { stack } = newHub();

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', { AmazonSideAsn: 64512 });
  });

  test('ASN can be overridden', () => {
    const { stack } = newHub({ amazonSideAsn: 65001 });

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', { AmazonSideAsn: 65001 });
  });

  test('32-bit private ASN is accepted', () => {
    const { stack } = newHub({ amazonSideAsn: 4200000000 });

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', { AmazonSideAsn: 4200000000 });
  });

  test('ASN from a token is accepted', () => {
    expect(() => newHub({ amazonSideAsn: Token.asNumber({ Ref: 'Asn' }) })).not.toThrow();
  });

  test('transit gateway is named after the tier', () => {
    const { stack } = newHub();

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGateway', {
      Description: 'Transit hub for the production tier',
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'production-transit-hub' }]),
    });
  });

  test('transit gateway is the Resource child', () => {
    const { hub } = newHub();

    expect(hub.node.defaultChild).toBe(hub.node.findChild('Resource'));
  });

  test('transit gateway ARN is built from its ID', () => {
    const { stack, hub } = newHub();

    expect(stack.resolve(hub.transitGatewayArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-2:111111111111:transit-gateway/', stack.resolve(hub.transitGatewayId)]],
    });
  });

  test('hub manages its own route tables', () => {
    expect(newHub().hub.manageRouteTables).toBe(true);
  });

  test('routing policy defaults to the platform default', () => {
    expect(newHub().hub.routingPolicy.connections).toEqual(RoutingPolicy.platformDefault().connections);
  });

  test('mutating the policy afterwards changes no propagation', () => {
    const policy = RoutingPolicy.platformDefault();
    const { stack, hub } = newHub({ routingPolicy: policy });
    policy.connections.push({ domain: RoutingDomain.SHARED_SERVICES, peer: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ });
    (policy.connections[0] as { domain: RoutingDomain }).domain = RoutingDomain.SHARED_SERVICES;
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES });
    const template = Template.fromStack(stack);
    const targets = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation'))
      .map((resource) => resource.Properties.TransitGatewayRouteTableId);

    expect(targets).toEqual(RoutingPolicy.platformDefault().peersOf(RoutingDomain.SHARED_SERVICES)
      .map((peer) => routeTableRef(stack, hub, peer)));
    expect(targets).not.toContainEqual(routeTableRef(stack, hub, RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ));
  });
});

describe('route tables', () => {
  test('one route table for each of the six domains', () => {
    const { stack } = newHub();

    Template.fromStack(stack).resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 6);
  });

  test.each(ALL_ROUTING_DOMAINS)('%s route table is tagged with its domain', (domain) => {
    const { stack, hub } = newHub();
    const template = Template.fromStack(stack);
    const logicalId = (routeTableRef(stack, hub, domain) as { Ref: string }).Ref;

    expect(template.toJSON().Resources[logicalId]).toMatchObject({
      Type: 'AWS::EC2::TransitGatewayRouteTable',
      Properties: {
        TransitGatewayId: stack.resolve(hub.transitGatewayId),
        Tags: expect.arrayContaining([
          { Key: 'RoutingDomain', Value: domain },
          { Key: 'Name', Value: `production-${domain}` },
        ]),
      },
    });
  });

  test('route table of an unknown domain is rejected', () => {
    const { hub } = newHub();

    expect(() => hub.routeTableId('database' as RoutingDomain)).toThrow(
      'Network/Hub: "database" is not a routing domain. Use one of: management, business-application, shared-services, internet-dmz, government-network-management-dmz, government-network-business-dmz.');
  });
});

describe('RAM share', () => {
  test('no share without sharedWith', () => {
    const { stack, hub } = newHub();

    Template.fromStack(stack).resourceCountIs('AWS::RAM::ResourceShare', 0);
    expect(hub.resourceShare).toBeUndefined();
  });

  test('no share for an empty sharedWith', () => {
    const { stack } = newHub({ sharedWith: [] });

    Template.fromStack(stack).resourceCountIs('AWS::RAM::ResourceShare', 0);
  });

  test('share lists the principals and the transit gateway', () => {
    const organization = 'arn:aws:organizations::111111111111:organization/o-abcdefghij';
    const { stack, hub } = newHub({ sharedWith: ['222222222222', organization] });

    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'production-transit-hub',
      Principals: ['222222222222', organization],
      ResourceArns: [stack.resolve(hub.transitGatewayArn)],
    });
  });

  test('external principals are not allowed by default', () => {
    const { stack } = newHub({ sharedWith: ['222222222222'] });

    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', { AllowExternalPrincipals: false });
  });

  test('external principals can be allowed', () => {
    const { stack } = newHub({ sharedWith: ['222222222222'], allowExternalPrincipals: true });

    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', { AllowExternalPrincipals: true });
  });

  test('organizational unit ARN is accepted', () => {
    const ou = 'arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefgh34';

    expect(() => newHub({ sharedWith: [ou] })).not.toThrow();
  });
});

describe('validation', () => {
  test.each(['Production', 'p', '-production', 'production-', 'a'.repeat(33)])('invalid tierName %j', (tierName) => {
    expect(() => newHub({ tierName })).toThrow(
      `tierName is "${tierName}"; use 2 to 32 lower-case letters, digits and hyphens starting with a letter, for example "non-production".`);
  });

  test('missing tierName', () => {
    expect(() => new TransitHub(newStack(), 'Hub', {} as TransitHubProps)).toThrow(/tierName is undefined; use 2 to 32 lower-case letters/);
  });

  test.each([64511, 65535, 4199999999, 4294967295, 64512.5, 0])('ASN %d outside private ranges', (amazonSideAsn) => {
    expect(() => newHub({ amazonSideAsn })).toThrow(
      `amazonSideAsn is ${amazonSideAsn}; use a private ASN from 64512 to 65534 or from 4200000000 to 4294967294.`);
  });

  test.each([
    '22222222222',
    'arn:aws:iam::222222222222:root',
    'arn:aws:organizations::111111111111:organization/o-ABC',
    'arn:aws:organizations::111111111111:ou/o-abcdefghij',
    'arn:aws:organizations::111111111111:organization/o-abcdefghij/ou-ab12-abcdefgh',
  ])('bad RAM principal %j', (principal) => {
    expect(() => newHub({ sharedWith: [principal] })).toThrow(
      `sharedWith[0] is "${principal}"; use a 12-digit account ID, an organization ARN`);
  });

  test('RAM principal that is not a string', () => {
    expect(() => newHub({ sharedWith: ['222222222222', 222222222222 as unknown as string] })).toThrow(
      'sharedWith[1] is 222222222222; use a 12-digit account ID, an organization ARN');
  });

  test('sharedWith that is not a list', () => {
    expect(() => newHub({ sharedWith: '222222222222' as unknown as string[] })).toThrow(
      'sharedWith is "222222222222"; pass a list of principals');
  });

  test('organizational unit ARN is accepted', () => {
    expect(() => newHub({ sharedWith: ['arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh'] })).not.toThrow();
  });

  test('RAM principal from a token is accepted', () => {
    expect(() => newHub({ sharedWith: [Token.asString({ Ref: 'Account' })] })).not.toThrow();
  });

  test('routing policy that is a plain object is rejected', () => {
    const routingPolicy = { connections: [], connects: () => true, peersOf: () => ALL_ROUTING_DOMAINS } as unknown as RoutingPolicy;

    expect(() => newHub({ routingPolicy })).toThrow(
      'routingPolicy is {"connections":[],"connects":"(a function)","peersOf":"(a function)"}, which is not a RoutingPolicy; '
      + 'pass RoutingPolicy.platformDefault() or new RoutingPolicy({ connections: [...] }), or leave it out for the platform default.');
  });

  test('routing policy that is a string is rejected', () => {
    expect(() => newHub({ routingPolicy: 'default' as unknown as RoutingPolicy })).toThrow(
      /routingPolicy is "default", which is not a RoutingPolicy/);
  });

  test('every problem is listed in one error', () => {
    expect(() => newHub({ tierName: 'Production', amazonSideAsn: 1, sharedWith: ['x'] })).toThrow(
      /^Invalid TransitHub props at Network\/Hub:\n {2}- tierName is "Production".*\n {2}- amazonSideAsn is 1.*\n {2}- sharedWith\[0\] is "x"/);
  });
});

describe('connectRemoteAttachment', () => {
  test('management attachment propagates to every peer', () => {
    const { stack, hub } = newHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT });
    const template = Template.fromStack(stack);
    const peers = RoutingPolicy.platformDefault().peersOf(RoutingDomain.MANAGEMENT);

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: ATTACHMENT_ID,
      TransitGatewayRouteTableId: routeTableRef(stack, hub, RoutingDomain.MANAGEMENT),
    });
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', peers.length);
    for (const peer of peers) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
        TransitGatewayAttachmentId: ATTACHMENT_ID,
        TransitGatewayRouteTableId: routeTableRef(stack, hub, peer),
      });
    }
  });

  test('business applications stay isolated', () => {
    const { stack, hub } = newHub();
    hub.connectRemoteAttachment('Lib', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.BUSINESS_APPLICATION });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 4);
    const targets = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation'))
      .map((resource) => resource.Properties.TransitGatewayRouteTableId);
    expect(targets).not.toContainEqual(routeTableRef(stack, hub, RoutingDomain.BUSINESS_APPLICATION));
  });

  test('custom policy decides the propagations', () => {
    const routingPolicy = new RoutingPolicy({ connections: [{ domain: RoutingDomain.SHARED_SERVICES, peer: RoutingDomain.MANAGEMENT }] });
    const { stack, hub } = newHub({ routingPolicy });
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: routeTableRef(stack, hub, RoutingDomain.MANAGEMENT),
    });
  });

  test('malformed attachment ID is rejected', () => {
    const { hub } = newHub();

    expect(() => hub.connectRemoteAttachment('Bad', { attachmentId: 'tgw-0123456789abcdef0', domain: RoutingDomain.MANAGEMENT })).toThrow(
      'attachmentId is "tgw-0123456789abcdef0"; expected a transit gateway attachment ID such as tgw-attach-0123456789abcdef0.');
  });

  test('an inspected domain routes the given ranges through the inspection', () => {
    const { stack, hub } = newHub({ routingPolicy: RoutingPolicy.platformDefaultWithInspection() });
    HubRegistry.of(hub).claimInspection({ path: 'Network/Inspection', attachmentId: 'tgw-attach-0aaaaaaaaaaaaaaaa', routeTableId: 'tgw-rtb-0aaaaaaaaaaaaaaaa' });
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: ['10.80.0.0/20'] });
    const template = Template.fromStack(stack);

    for (const peer of [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES]) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
        TransitGatewayRouteTableId: routeTableRef(stack, hub, peer),
        DestinationCidrBlock: '10.80.0.0/20',
        TransitGatewayAttachmentId: 'tgw-attach-0aaaaaaaaaaaaaaaa',
      });
    }
    const propagatedTables = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation'))
      .map((propagation) => propagation.Properties.TransitGatewayRouteTableId);
    expect(propagatedTables).toEqual(expect.arrayContaining(['tgw-rtb-0aaaaaaaaaaaaaaaa', routeTableRef(stack, hub, RoutingDomain.INTERNET_DMZ)]));
    expect(propagatedTables).not.toContainEqual(routeTableRef(stack, hub, RoutingDomain.MANAGEMENT));
  });

  test('an inspected domain without the ranges is rejected', () => {
    const { hub } = newHub({ routingPolicy: RoutingPolicy.platformDefaultWithInspection() });
    HubRegistry.of(hub).claimInspection({ path: 'Network/Inspection', attachmentId: 'tgw-attach-0aaaaaaaaaaaaaaaa', routeTableId: 'tgw-rtb-0aaaaaaaaaaaaaaaa' });

    expect(() => hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES })).toThrow(
      'cidrs is undefined; the routing policy of transit hub Network/Hub inspects traffic between shared-services and management, '
      + 'shared-services and business-application, shared-services and shared-services, so the hub routes the ranges of the VPC behind the '
      + 'attachment through the firewall, and none were given. Pass the CIDR blocks of the VPC behind the attachment.');
  });

  test('an inspected domain with empty cidrs is rejected', () => {
    const { hub } = newInspectedHub();

    expect(() => hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: [] }))
      .toThrow(/^Invalid TransitHub.connectRemoteAttachment options at Network\/Hub\/SharedServices:\n {2}- cidrs is \[\]; the routing policy of transit hub Network\/Hub inspects/);
  });

  test('an inspected domain on a hub without inspection is rejected', () => {
    const { hub } = newHub({ routingPolicy: RoutingPolicy.platformDefaultWithInspection() });

    expect(() => hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: ['10.80.0.0/20'] }))
      .toThrow(/^Invalid TransitHub.connectRemoteAttachment options at Network\/Hub\/SharedServices:\n {2}- domain is "shared-services"; the routing policy .* but the hub has no EastWestInspection yet, so the attachment could only be routed around the firewall/);
  });

  test('malformed cidrs are rejected', () => {
    const { hub } = newHub();

    expect(() => hub.connectRemoteAttachment('Bad', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT, cidrs: ['10.80.0.1/20', 'ten'] })).toThrow(
      /cidrs\[0\] 10\.80\.0\.1\/20 has host bits set; use 10\.80\.0\.0\/20\.[\s\S]*cidrs\[1\] is "ten"; expected an IPv4 CIDR block/);
  });

  test('cidrs that are not a list are rejected', () => {
    const { hub } = newHub();

    expect(() => hub.connectRemoteAttachment('Bad', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT, cidrs: '10.80.0.0/20' as unknown as string[] }))
      .toThrow('cidrs is "10.80.0.0/20"; pass a list of the CIDR blocks of the VPC behind the attachment, for example ["10.80.0.0/20"].');
  });

  test('unknown domain is rejected', () => {
    const { hub } = newHub();

    expect(() => hub.connectRemoteAttachment('Bad', { attachmentId: ATTACHMENT_ID, domain: 'database' as RoutingDomain })).toThrow(
      'domain is "database", which is not a routing domain; use one of: management, business-application, shared-services.');
  });

  test('errors name the path of the connection', () => {
    const { hub } = newHub();

    expect(() => hub.connectRemoteAttachment('Bad', { attachmentId: 'x', domain: RoutingDomain.MANAGEMENT })).toThrow(
      /^Invalid TransitHub.connectRemoteAttachment options at Network\/Hub\/Bad:/);
  });

  test('missing options are rejected', () => {
    const { hub } = newHub();

    expect(() => hub.connectRemoteAttachment('Bad', undefined as unknown as RemoteAttachmentOptions)).toThrow(
      'attachmentId is undefined; expected a transit gateway attachment ID');
  });

  test('attachment ID that is not a string is rejected', () => {
    const { stack, hub } = newHub();

    expect(() => hub.connectRemoteAttachment('Bad', { attachmentId: 42 as unknown as string, domain: RoutingDomain.MANAGEMENT })).toThrow(
      'attachmentId is 42; expected a transit gateway attachment ID');
    expect(stack.node.tryFindChild('Hub')!.node.tryFindChild('Bad')).toBeUndefined();
  });

  test('same attachment in two domains is rejected', () => {
    const { hub } = newHub();
    hub.connectRemoteAttachment('First', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT });

    expect(() => hub.connectRemoteAttachment('Second', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES })).toThrow(
      `attachmentId "${ATTACHMENT_ID}" is already connected to the management domain of transit hub Network/Hub by Network/Hub/First. `
      + 'A transit gateway attachment can be associated with only one route table');
  });

  test('same attachment token twice is rejected', () => {
    const { hub } = newHub();
    const attachmentId = Fn.importValue('SharedServicesAttachmentId');
    hub.connectRemoteAttachment('First', { attachmentId, domain: RoutingDomain.MANAGEMENT });

    expect(() => hub.connectRemoteAttachment('Second', { attachmentId, domain: RoutingDomain.SHARED_SERVICES })).toThrow(
      'attachmentId (a token) is already connected to the management domain of transit hub Network/Hub by Network/Hub/First.');
  });

  test('rejected attachment leaves no resources', () => {
    const { stack, hub } = newHub();
    hub.connectRemoteAttachment('First', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT });
    expect(() => hub.connectRemoteAttachment('Second', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT })).toThrow();

    expect(hub.node.tryFindChild('Second')).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 1);
  });

  test('id that is not a string is rejected before any resource', () => {
    const { hub } = newHub();

    expect(() => hub.connectRemoteAttachment(5 as unknown as string, { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT })).toThrow(
      'id is 5; pass a non-empty string, the construct ID of the new resources, for example "SharedServices".');
    expect(hub.node.children.map((child) => child.node.id)).not.toContain('5');
  });

  test('empty id is rejected', () => {
    const { hub } = newHub();

    expect(() => hub.connectRemoteAttachment('', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT })).toThrow(
      'id is ""; pass a non-empty string');
  });

  test('attachment ID from a token is accepted', () => {
    const { stack, hub } = newHub();
    hub.connectRemoteAttachment('Imported', { attachmentId: Token.asString({ Ref: 'AttachmentId' }), domain: RoutingDomain.SHARED_SERVICES });

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: { Ref: 'AttachmentId' },
    });
  });
});

describe('connectRemoteAttachment domain', () => {
  test.each([
    [RoutingDomain.INTERNET_DMZ, /domain is "internet-dmz", a DMZ domain: its VPCs need appliance mode and routing of their own, so EgressDmz and IngressDmz build them/],
    [RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, /domain is "government-network-management-dmz", a DMZ domain: it contains only the Direct Connect and VPN attachments/],
    [RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ, /domain is "government-network-business-dmz", a DMZ domain/],
  ])('%s is rejected', (domain, message) => {
    const { hub } = newHub();
    const error = remoteError(hub, { domain, cidrs: ['10.80.0.0/16'] });

    expect(error).toMatch(message);
    expect(error).toMatch(/A remote attachment is a spoke VPC of another account, so use one of: management, business-application, shared-services\./);
  });

  test('domain the policy connects to nothing warns', () => {
    const routingPolicy = new RoutingPolicy({ connections: [{ domain: RoutingDomain.MANAGEMENT, peer: RoutingDomain.SHARED_SERVICES }] });
    const { stack, hub } = newHub({ routingPolicy });
    hub.connectRemoteAttachment('Lib', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.BUSINESS_APPLICATION });

    Annotations.fromStack(stack).hasWarning('/Network/Hub/Lib', Match.stringLikeRegexp(
      'The attachment is placed in the business-application domain, which the routing policy of transit hub Network/Hub connects to no domain, '
      + 'so nothing routes to or from it\\..*attachmentDomainUnconnected'));
  });

  test('connected domain raises no routing warning', () => {
    const { stack, hub } = newHub();
    hub.connectRemoteAttachment('Lib', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.BUSINESS_APPLICATION });

    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('attachmentDomainUnconnected'))).toEqual([]);
  });
});

describe('connectRemoteAttachment id', () => {
  test('id used twice is rejected', () => {
    const { hub } = newHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES });

    expect(remoteError(hub, { attachmentId: OTHER_ATTACHMENT_ID }, 'SharedServices')).toBe(
      'Invalid TransitHub.connectRemoteAttachment options at Network/Hub/SharedServices:\n  - id "SharedServices" is already used under the hub; pick another.');
  });

  test('id of a hub route table is rejected', () => {
    const { hub } = newHub();

    expect(remoteError(hub, {}, 'ManagementRouteTable')).toMatch(/id "ManagementRouteTable" is already used under the hub; pick another\./);
  });
});

describe('connectRemoteAttachment cidrs', () => {
  test('default route is rejected', () => {
    const { hub } = newInspectedHub();

    expect(remoteError(hub, { cidrs: ['0.0.0.0/0'] })).toMatch(
      /cidrs\[0\] is "0\.0\.0\.0\/0", the default route\. The hub would send all traffic of the domains connected to the attachment's domain to it/);
  });

  test('public range is rejected', () => {
    const { hub } = newInspectedHub();

    expect(remoteError(hub, { cidrs: ['8.8.8.0/24'] })).toMatch(
      /cidrs\[0\] is "8\.8\.8\.0\/24", which is not a private range\. A VPC behind an attachment uses 10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16 or 100\.64\.0\.0\/10/);
  });

  test('multicast and loopback ranges are rejected', () => {
    const { hub } = newInspectedHub();
    const error = remoteError(hub, { cidrs: ['224.0.0.0/4', '127.0.0.0/8'] });

    expect(error).toMatch(/cidrs\[0\] is "224\.0\.0\.0\/4", which overlaps 224\.0\.0\.0\/4, the multicast range/);
    expect(error).toMatch(/cidrs\[1\] is "127\.0\.0\.0\/8", which overlaps 127\.0\.0\.0\/8, the loopback range/);
  });

  test('block larger than /16 is rejected', () => {
    const { hub } = newHub();

    expect(remoteError(hub, { cidrs: ['10.0.0.0/8'] })).toMatch(
      /cidrs\[0\] is "10\.0\.0\.0\/8"; a VPC block is from \/16 to \/28, the sizes AWS allows, so list the blocks of the VPC behind the attachment, not a supernet/);
  });

  test('block smaller than /28 is rejected', () => {
    const { hub } = newHub();

    expect(remoteError(hub, { cidrs: ['10.80.0.0/29'] })).toMatch(/cidrs\[0\] is "10\.80\.0\.0\/29"; a VPC block is from \/16 to \/28/);
  });

  test('/16 and /28 blocks are accepted', () => {
    const { stack, hub } = newInspectedHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: ['10.80.0.0/16', '10.81.0.0/28'] });

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayRoute', { DestinationCidrBlock: '10.81.0.0/28' });
  });

  test('repeated block is rejected', () => {
    const { hub } = newHub();

    expect(remoteError(hub, { cidrs: ['10.80.0.0/20', '10.80.0.0/20'] })).toMatch(
      /cidrs\[1\] is "10\.80\.0\.0\/20", which is the same block as cidrs\[0\] \(10\.80\.0\.0\/20\)\. The blocks of a VPC cannot overlap, so list each block once\./);
  });

  test('repeated block on an inspected hub names cidrs, not a route', () => {
    const { hub } = newInspectedHub();
    const error = remoteError(hub, { cidrs: ['10.80.0.0/20', '10.80.0.0/20'] });

    expect(error).toMatch(/^Invalid TransitHub.connectRemoteAttachment options at Network\/Hub\/Remote:\n {2}- cidrs\[1\] is "10\.80\.0\.0\/20", which is the same block as cidrs\[0\]/);
    expect(error).not.toMatch(/destinationCidr/);
  });

  test('overlapping blocks are rejected', () => {
    const { hub } = newHub();

    expect(remoteError(hub, { cidrs: ['10.80.0.0/16', '10.80.16.0/20'] })).toMatch(
      /cidrs\[1\] is "10\.80\.16\.0\/20", which overlaps cidrs\[0\] \(10\.80\.0\.0\/16\)/);
  });

  test('list token is rejected', () => {
    const { hub } = newInspectedHub();

    expect(remoteError(hub, { cidrs: Token.asList(Fn.split(',', Fn.importValue('SharedServicesCidrs'))) })).toMatch(
      /cidrs is a list token; pass a literal list, so that each block can be checked and routed before deployment\./);
  });

  test('list with a hole is rejected', () => {
    const { hub } = newInspectedHub();
    // eslint-disable-next-line no-sparse-arrays
    const cidrs = [, '10.80.0.0/16'];

    expect(remoteError(hub, { cidrs })).toMatch(/cidrs\[0\] is missing \(the list has a hole\); remove the extra comma or give the entry\./);
  });

  test('more than 50 blocks are rejected', () => {
    const { hub } = newHub();
    const cidrs = Array.from({ length: 51 }, (_, index) => `10.${100 + Math.floor(index / 16)}.${(index % 16) * 16}.0/20`);

    expect(remoteError(hub, { cidrs })).toMatch(/cidrs has 51 entries; a VPC has at most 50 IPv4 CIDR blocks/);
  });

  test('token block is routed unchecked', () => {
    const { stack, hub } = newInspectedHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: [Fn.importValue('SharedServicesCidr')] });

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      DestinationCidrBlock: { 'Fn::ImportValue': 'SharedServicesCidr' },
    });
  });

  test('same token block twice is rejected', () => {
    const { hub } = newHub();
    const cidr = Fn.importValue('SharedServicesCidr');

    expect(remoteError(hub, { cidrs: [cidr, cidr] })).toMatch(/cidrs\[1\] is the same token as cidrs\[0\]; list each block once\./);
  });
});

describe('connectRemoteAttachment addresses', () => {
  test('block overlapping an attached spoke is rejected', () => {
    const { stack, hub } = newHub();
    addSpoke(stack, hub, 'Casework', RoutingDomain.MANAGEMENT, '10.1.0.0/16');

    expect(remoteError(hub, { cidrs: ['10.1.0.0/16'] })).toMatch(
      /cidrs\[0\] is "10\.1\.0\.0\/16", which overlaps VPC casework \(10\.1\.0\.0\/16, at Network\/Casework\), attached to transit hub Network\/Hub\. A transit gateway does not propagate the range of a VPC that overlaps one already attached/);
  });

  test('block overlapping the inspection VPC is rejected', () => {
    const { hub } = newInspectedHub();
    HubRegistry.of(hub).addVpc({ name: 'production-east-west-inspection', cidr: '10.0.254.0/25', path: 'Network/Inspection' });

    expect(remoteError(hub, { cidrs: ['10.0.254.0/24'] })).toMatch(
      /cidrs\[0\] is "10\.0\.254\.0\/24", which overlaps VPC production-east-west-inspection \(10\.0\.254\.0\/25, at Network\/Inspection\)/);
  });

  test('block overlapping another remote attachment is rejected', () => {
    const { hub } = newInspectedHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.MANAGEMENT, cidrs: ['10.80.0.0/16'] });

    expect(remoteError(hub, { attachmentId: OTHER_ATTACHMENT_ID, cidrs: ['10.80.16.0/20'] })).toMatch(
      /cidrs\[0\] is "10\.80\.16\.0\/20", which overlaps VPC behind remote attachment SharedServices \(10\.80\.0\.0\/16, at Network\/Hub\/SharedServices\)/);
  });

  test('block with a route in an inspected peer table is rejected', () => {
    const { hub } = newInspectedHub();
    hub.addBlackholeRoute('Drop', RoutingDomain.MANAGEMENT, '10.80.0.0/16');

    expect(remoteError(hub, { cidrs: ['10.80.0.0/16'] })).toMatch(new RegExp(
      'cidrs\\[0\\] is "10\\.80\\.0\\.0/16", the destination of the blackhole route in the management route table of transit hub Network/Hub, added by '
      + 'Network/Hub/Drop\\. The hub would add a static route there to send the block through the inspection firewall.* '
      + 'The attachment\'s range overlaps another range routed in the management domain'));
  });

  test('block with a route in a propagated peer table is rejected', () => {
    const { hub } = newHub();
    hub.addStaticRoute('ToPartner', RoutingDomain.MANAGEMENT, '10.80.0.0/16', OTHER_ATTACHMENT_ID);

    expect(remoteError(hub, { cidrs: ['10.80.0.0/16'] })).toMatch(
      /the destination of the static route in the management route table .* That route beats the route the attachment propagates, so the management domain could not reach the block\./);
  });

  test('route in a domain that is not a peer is accepted', () => {
    const { hub } = newHub();
    hub.addBlackholeRoute('Drop', RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ, '10.80.0.0/16');

    expect(() => hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: ['10.80.0.0/16'] }))
      .not.toThrow();
  });

  test('spoke attached later that overlaps the blocks fails synth', () => {
    const { stack, hub } = newHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: ['10.80.0.0/16'] });
    addSpoke(stack, hub, 'Casework', RoutingDomain.MANAGEMENT, '10.80.0.0/20');

    expect(synthError(stack)).toMatch(
      /VPC behind remote attachment SharedServices \(10\.80\.0\.0\/16, at Network\/Hub\/SharedServices\) and VPC casework \(10\.80\.0\.0\/20, at Network\/Casework\) overlap/);
  });

  test('inspection VPC recorded later that overlaps the blocks fails synth', () => {
    const { stack, hub } = newHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: ['10.80.0.0/16'] });
    HubRegistry.of(hub).addVpc({ name: 'production-east-west-inspection', cidr: '10.80.0.0/25', path: 'Network/Inspection' });

    expect(synthError(stack)).toMatch(/VPC behind remote attachment SharedServices .* and VPC production-east-west-inspection \(10\.80\.0\.0\/25, at Network\/Inspection\) overlap/);
  });

  test('rejected attachment records no blocks', () => {
    const { stack, hub } = newHub();
    remoteError(hub, { attachmentId: 'not-an-attachment', cidrs: ['10.80.0.0/16'] });
    addSpoke(stack, hub, 'Casework', RoutingDomain.MANAGEMENT, '10.80.0.0/16');

    expect(synthError(stack)).toBeUndefined();
  });

  test('spoke with a remote attachment\'s range names the clashing route', () => {
    const { stack, hub } = newInspectedHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: ['10.80.0.0/16'] });

    expect(() => addSpoke(stack, hub, 'Casework', RoutingDomain.BUSINESS_APPLICATION, '10.80.0.0/16')).toThrow(new RegExp(
      '^Invalid inspected routes of the attachment connected by Network/Casework/HubRouting:\\n'
      + ' {2}- the attachment\'s range 10\\.80\\.0\\.0/16 clashes with the static route to it in the management route table of transit hub Network/Hub, '
      + 'added by Network/Hub/SharedServices/InspectedRouteInManagementCidr10x80x0x0x16\\. .*so the attachment\'s range overlaps another range '
      + 'routed in the management domain\\.'));
  });

  test('spoke rejected for a clashing route adds no resources', () => {
    const { stack, hub } = newInspectedHub();
    hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES, cidrs: ['10.80.0.0/16'] });
    expect(() => addSpoke(stack, hub, 'Casework', RoutingDomain.BUSINESS_APPLICATION, '10.80.0.0/16')).toThrow();

    const routing = stack.node.findChild('Casework').node.findChild('HubRouting');
    expect(routing.node.children).toEqual([]);
  });
});

describe('routes', () => {
  test('blackhole route drops traffic in the domain route table', () => {
    const { stack, hub } = newHub();
    hub.addBlackholeRoute('DropNonProduction', RoutingDomain.MANAGEMENT, '10.68.0.0/14');

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      TransitGatewayRouteTableId: routeTableRef(stack, hub, RoutingDomain.MANAGEMENT),
      DestinationCidrBlock: '10.68.0.0/14',
      Blackhole: true,
      TransitGatewayAttachmentId: Match.absent(),
    });
  });

  test('static route sends traffic to the attachment', () => {
    const { stack, hub } = newHub();
    hub.addStaticRoute('DefaultToEgress', RoutingDomain.BUSINESS_APPLICATION, '0.0.0.0/0', ATTACHMENT_ID);

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      TransitGatewayRouteTableId: routeTableRef(stack, hub, RoutingDomain.BUSINESS_APPLICATION),
      DestinationCidrBlock: '0.0.0.0/0',
      TransitGatewayAttachmentId: ATTACHMENT_ID,
      Blackhole: Match.absent(),
    });
  });

  test('malformed destination CIDR is rejected', () => {
    const { hub } = newHub();

    expect(() => hub.addBlackholeRoute('Drop', RoutingDomain.MANAGEMENT, '10.0.0.0/33')).toThrow(
      'destinationCidr is "10.0.0.0/33"; expected an IPv4 CIDR block such as 10.64.0.0/14.');
  });

  test('destination CIDR with host bits is rejected', () => {
    const { hub } = newHub();

    expect(() => hub.addStaticRoute('Route', RoutingDomain.MANAGEMENT, '10.64.1.0/14', ATTACHMENT_ID)).toThrow(
      'destinationCidr 10.64.1.0/14 has host bits set; use 10.64.0.0/14.');
  });

  test('static route to a malformed attachment is rejected', () => {
    const { hub } = newHub();

    expect(() => hub.addStaticRoute('Route', RoutingDomain.MANAGEMENT, '0.0.0.0/0', 'vpc-123')).toThrow(
      'attachmentId is "vpc-123"; expected a transit gateway attachment ID');
  });

  test('route to an unknown domain is rejected', () => {
    const { hub } = newHub();

    expect(() => hub.addBlackholeRoute('Drop', 'database' as RoutingDomain, '10.0.0.0/8')).toThrow(
      'domain is "database"; use one of: management, business-application, shared-services, internet-dmz, government-network-management-dmz, government-network-business-dmz.');
  });

  test('second static route to one CIDR is rejected', () => {
    const { hub } = newHub();
    hub.addStaticRoute('First', RoutingDomain.MANAGEMENT, '10.0.0.0/16', ATTACHMENT_ID);

    expect(() => hub.addStaticRoute('Second', RoutingDomain.MANAGEMENT, '10.0.0.0/16', 'tgw-attach-0123456789abcdef1')).toThrow(
      'destinationCidr "10.0.0.0/16" already has a static route in the management route table of transit hub Network/Hub, added by Network/Hub/First. '
      + 'A route table can contain only one static or blackhole route for each destination CIDR, so keep one of the two.');
  });

  test('blackhole to a CIDR with a static route is rejected', () => {
    const { hub } = newHub();
    hub.addStaticRoute('Static', RoutingDomain.MANAGEMENT, '10.0.0.0/16', ATTACHMENT_ID);

    expect(() => hub.addBlackholeRoute('Drop', RoutingDomain.MANAGEMENT, '10.0.0.0/16')).toThrow(
      /^Invalid TransitHub.addBlackholeRoute arguments at Network\/Hub\/Drop:\n {2}- destinationCidr "10.0.0.0\/16" already has a static route in the management route table/);
  });

  test('static route to a blackholed CIDR is rejected', () => {
    const { hub } = newHub();
    hub.addBlackholeRoute('Drop', RoutingDomain.MANAGEMENT, '10.0.0.0/16');

    expect(() => hub.addStaticRoute('Static', RoutingDomain.MANAGEMENT, '10.0.0.0/16', ATTACHMENT_ID)).toThrow(
      /destinationCidr "10.0.0.0\/16" already has a blackhole route in the management route table of transit hub Network\/Hub, added by Network\/Hub\/Drop/);
  });

  test('same CIDR in two domains is accepted', () => {
    const { stack, hub } = newHub();
    hub.addBlackholeRoute('DropInManagement', RoutingDomain.MANAGEMENT, '10.0.0.0/16');
    hub.addBlackholeRoute('DropInSharedServices', RoutingDomain.SHARED_SERVICES, '10.0.0.0/16');

    Template.fromStack(stack).resourceCountIs('AWS::EC2::TransitGatewayRoute', 2);
  });

  test('same token CIDR twice is rejected', () => {
    const { hub } = newHub();
    const destinationCidr = Fn.importValue('PartnerCidr');
    hub.addBlackholeRoute('First', RoutingDomain.MANAGEMENT, destinationCidr);

    expect(() => hub.addBlackholeRoute('Second', RoutingDomain.MANAGEMENT, destinationCidr)).toThrow(
      'destinationCidr (a token) already has a blackhole route in the management route table');
  });

  test('rejected route leaves no resource', () => {
    const { stack, hub } = newHub();
    hub.addBlackholeRoute('First', RoutingDomain.MANAGEMENT, '10.0.0.0/16');
    expect(() => hub.addBlackholeRoute('Second', RoutingDomain.MANAGEMENT, '10.0.0.0/16')).toThrow();

    Template.fromStack(stack).resourceCountIs('AWS::EC2::TransitGatewayRoute', 1);
  });

  test.each([
    ['addStaticRoute', (hub: TransitHub) => hub.addStaticRoute(7 as unknown as string, RoutingDomain.MANAGEMENT, '10.0.0.0/16', ATTACHMENT_ID)],
    ['addBlackholeRoute', (hub: TransitHub) => hub.addBlackholeRoute(7 as unknown as string, RoutingDomain.MANAGEMENT, '10.0.0.0/16')],
  ])('%s rejects an id that is not a string', (_method, addRoute) => {
    const { hub } = newHub();

    expect(() => addRoute(hub)).toThrow('id is 7; pass a non-empty string');
  });
});

describe('fromTransitHubAttributes', () => {
  test('missing attributes are rejected', () => {
    expect(() => TransitHub.fromTransitHubAttributes(newStack(), 'Hub', undefined as unknown as TransitHubAttributes)).toThrow(
      /transitGatewayId is undefined; expected a transit gateway ID/);
  });

  test('imported hub keeps its attributes', () => {
    const hub = TransitHub.fromTransitHubAttributes(newStack(), 'Hub', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' });

    expect(hub.transitGatewayId).toBe('tgw-0123456789abcdef0');
    expect(hub.tierName).toBe('production');
    expect(hub.manageRouteTables).toBe(false);
    expect(hub.routingPolicy.connections).toEqual(RoutingPolicy.platformDefault().connections);
  });

  test('imported hub keeps a given policy', () => {
    const routingPolicy = new RoutingPolicy({ connections: [] });
    const hub = TransitHub.fromTransitHubAttributes(newStack(), 'Hub', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production', routingPolicy });

    expect(hub.routingPolicy).toBe(routingPolicy);
  });

  test('transit gateway ID from a token is accepted', () => {
    expect(() => TransitHub.fromTransitHubAttributes(newStack(), 'Hub', {
      transitGatewayId: Token.asString({ 'Fn::ImportValue': 'HubId' }),
      tierName: 'production',
    })).not.toThrow();
  });

  test('routing policy that is not a RoutingPolicy is rejected', () => {
    expect(() => TransitHub.fromTransitHubAttributes(newStack(), 'Hub', {
      transitGatewayId: 'tgw-0123456789abcdef0',
      tierName: 'production',
      routingPolicy: { connections: [] } as unknown as RoutingPolicy,
    })).toThrow(/^Invalid TransitHub.fromTransitHubAttributes props at Network\/Hub:\n {2}- routingPolicy is \{"connections":\[\]\}, which is not a RoutingPolicy/);
  });

  test('malformed transit gateway ID is rejected', () => {
    expect(() => TransitHub.fromTransitHubAttributes(newStack(), 'Hub', { transitGatewayId: 'tgw-attach-0123456789abcdef0', tierName: 'production' }))
      .toThrow('transitGatewayId is "tgw-attach-0123456789abcdef0"; expected a transit gateway ID such as tgw-0123456789abcdef0.');
  });

  test('invalid tierName is rejected', () => {
    expect(() => TransitHub.fromTransitHubAttributes(newStack(), 'Hub', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'Prod' }))
      .toThrow(/tierName is "Prod"; use 2 to 32 lower-case letters/);
  });

  test('every problem is listed in one error', () => {
    expect(() => TransitHub.fromTransitHubAttributes(newStack(), 'Hub', { transitGatewayId: undefined as unknown as string, tierName: '' }))
      .toThrow(/^Invalid TransitHub.fromTransitHubAttributes props at Network\/Hub:\n {2}- transitGatewayId is undefined.*\n {2}- tierName is ""/);
  });

  test('route table of an imported hub cannot be used', () => {
    const hub = TransitHub.fromTransitHubAttributes(newStack(), 'Hub', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' });

    expect(() => hub.routeTableId(RoutingDomain.MANAGEMENT)).toThrow(
      'The management route table of transit gateway tgw-0123456789abcdef0 (tier production) is not managed from Network/Hub: the hub was imported. '
      + 'Associate the attachment from the hub\'s own account with TransitHub.connectRemoteAttachment().');
  });
});
