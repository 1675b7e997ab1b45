import { ArnFormat, Stack, Tags, Token, aws_ec2 as ec2, aws_ram as ram } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { connectAttachment, inspectedPeersOf, missingCidrsProblem, missingInspectionProblem } from './private/attachment-routing';
import { Ipv4Block, formatCidr, hasHostBits, isPrivateBlock, networkOf, overlaps, parseCidr, unusableRangeProblem } from './private/cidr';
import { HubRegistry } from './private/hub-registry';
import { PropsValidator, describeConstruct, pascalCase, show, validateNoHoles, validateTierName } from './private/validation';
import { ALL_ROUTING_DOMAINS, GOVERNMENT_NETWORK_DOMAINS, RoutingDomain } from './routing-domain';
import { RoutingPolicy } from './routing-policy';

/**
 * A transit hub: a transit gateway with one route table per routing domain.
 */
export interface ITransitHub extends IConstruct {
  /** The ID of the transit gateway. */
  readonly transitGatewayId: string;

  /** The tier this hub serves, for example `production` or `non-production`. */
  readonly tierName: string;

  /** The policy of which routing domains may reach which. */
  readonly routingPolicy: RoutingPolicy;

  /**
   * Whether this hub's route tables can be used from here.
   *
   * False for a hub imported from another account: a transit gateway attachment can
   * only be associated and propagated by the account that owns the transit gateway.
   */
  readonly manageRouteTables: boolean;

  /**
   * The ID of the route table of a routing domain.
   *
   * Throws if the route tables cannot be managed from here (see `manageRouteTables`).
   */
  routeTableId(domain: RoutingDomain): string;
}

/** Properties of a transit hub. */
export interface TransitHubProps {
  /**
   * The tier this hub serves, in lower-case kebab case, for example `production`.
   *
   * Used in resource names and tags. Production and Non-Production each have their own hub.
   */
  readonly tierName: string;

  /**
   * The policy of which routing domains may reach which.
   *
   * @default RoutingPolicy.platformDefault()
   */
  readonly routingPolicy?: RoutingPolicy;

  /**
   * The private autonomous system number of the Amazon side of BGP sessions.
   *
   * Give each hub its own ASN so that routes learnt over Direct Connect and VPN stay apart.
   *
   * @default 64512
   */
  readonly amazonSideAsn?: number;

  /**
   * Principals the transit gateway is shared with through AWS RAM: account IDs,
   * organization ARNs or organizational unit ARNs.
   *
   * A shared account can attach its VPCs; the attachment routes nowhere until this
   * hub's account associates it with a routing domain (`connectRemoteAttachment`).
   *
   * @default - the transit gateway is not shared
   */
  readonly sharedWith?: string[];

  /**
   * Whether the RAM share may include principals outside the organization.
   *
   * @default false
   */
  readonly allowExternalPrincipals?: boolean;
}

/** Attributes of a transit hub defined elsewhere, for example in another account. */
export interface TransitHubAttributes {
  /** The ID of the transit gateway, for example `tgw-0123456789abcdef0`. */
  readonly transitGatewayId: string;

  /** The tier the hub serves. */
  readonly tierName: string;

  /**
   * The hub's routing policy.
   *
   * @default RoutingPolicy.platformDefault()
   */
  readonly routingPolicy?: RoutingPolicy;
}

/** Options for connecting an attachment made by another account. */
export interface RemoteAttachmentOptions {
  /** The ID of the transit gateway attachment, for example `tgw-attach-0123456789abcdef0`. */
  readonly attachmentId: string;

  /**
   * The routing domain the attachment belongs to: management, business-application or
   * shared-services.
   *
   * The attachment is a spoke VPC of another account, so the DMZ domains are rejected:
   * their attachments are made by this package's DMZ and government-network constructs.
   */
  readonly domain: RoutingDomain;

  /**
   * The CIDR blocks of the VPC behind the attachment: private ranges from /16 to /28, each
   * listed once, that overlap no VPC already attached to the hub.
   *
   * Required when the routing policy inspects a connection of `domain`: the hub then
   * routes these blocks through the east-west inspection firewall instead of
   * propagating the attachment. When given, the hub also compares them with the ranges
   * of its other VPCs at synth time.
   *
   * @default - none; the attachment is only propagated
   */
  readonly cidrs?: string[];
}

/** The ASN ranges AWS accepts for the Amazon side of a transit gateway. */
const PRIVATE_ASN_16_BIT = { min: 64512, max: 65534 };
const PRIVATE_ASN_32_BIT = { min: 4200000000, max: 4294967294 };
const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const ORGANIZATIONAL_UNIT_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;
const ATTACHMENT_ID = /^tgw-attach-[0-9a-f]{8,17}$/;

/** The domains a remote attachment may be placed in: those of spoke VPCs. */
const REMOTE_DOMAINS = [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES];

/** The VPC block sizes AWS allows, from /16 to /28. */
const VPC_PREFIX = { min: 16, max: 28 };

/**
 * The most IPv4 CIDR blocks a VPC can have, after raising the quota from its default of 5.
 *
 * @see https://docs.aws.amazon.com/general/latest/gr/vpc-service.html
 */
const MAX_VPC_CIDR_BLOCKS = 50;

/**
 * A transit hub for one tier.
 *
 * Creates a transit gateway whose default route table association and propagation are
 * off, so that a new attachment routes nowhere until it is placed in a routing domain.
 * Each routing domain gets its own route table. An attachment is associated with its
 * domain's table and propagated only into the tables of the domains the policy connects
 * to it, so every other pair of domains has no route.
 *
 * The hub keeps track of what this package's constructs connect to it. It rejects an
 * attachment connected twice, a second static or blackhole route to the same CIDR in
 * one route table, and a second EgressDmz. At synth time it reports VPCs attached to it,
 * including the VPCs behind remote attachments, whose CIDR blocks overlap each other or
 * the egress VPC, and VPCs that the egress DMZ's internal ranges do not cover or would
 * blackhole. It also reports static routes of a GovernmentNetworkVpn to government ranges
 * that overlap a VPC or a prefix that a GovernmentNetworkDirectConnect advertises.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
 */
export class TransitHub extends Construct implements ITransitHub {
  /**
   * Imports a hub defined elsewhere. Its route tables cannot be managed from here,
   * so spokes attached to it must be connected by the hub's own account.
   */
  public static fromTransitHubAttributes(scope: Construct, id: string, attrs: TransitHubAttributes): ITransitHub {
    const validator = new PropsValidator(describeConstruct('TransitHub.fromTransitHubAttributes', scope, id));
    validateTransitGatewayId(validator, attrs?.transitGatewayId);
    validateTierName(validator, attrs?.tierName);
    validateRoutingPolicy(validator, attrs?.routingPolicy);
    validator.throwIfInvalid();

    class ImportedTransitHub extends Construct implements ITransitHub {
      public readonly transitGatewayId = attrs.transitGatewayId;
      public readonly tierName = attrs.tierName;
      public readonly routingPolicy = attrs.routingPolicy ?? RoutingPolicy.platformDefault();
      public readonly manageRouteTables = false;

      public routeTableId(domain: RoutingDomain): string {
        throw new Error(`The ${domain} route table of transit gateway ${this.transitGatewayId} (tier ${this.tierName}) is not managed from ${this.node.path}: `
          + 'the hub was imported. Associate the attachment from the hub\'s own account with TransitHub.connectRemoteAttachment().');
      }
    }
    return new ImportedTransitHub(scope, id);
  }

  public readonly transitGatewayId: string;
  public readonly tierName: string;
  public readonly routingPolicy: RoutingPolicy;
  public readonly manageRouteTables = true;

  /** The ARN of the transit gateway. */
  public readonly transitGatewayArn: string;

  /** The RAM share of the transit gateway, if it is shared. */
  public readonly resourceShare?: ram.CfnResourceShare;

  private readonly routeTables = new Map<RoutingDomain, ec2.CfnTransitGatewayRouteTable>();

  constructor(scope: Construct, id: string, props: TransitHubProps) {
    super(scope, id);
    validateProps(scope, id, props);

    this.tierName = props.tierName;
    this.routingPolicy = props.routingPolicy ?? RoutingPolicy.platformDefault();

    const transitGateway = new ec2.CfnTransitGateway(this, 'Resource', {
      description: `Transit hub for the ${props.tierName} tier`,
      amazonSideAsn: props.amazonSideAsn ?? PRIVATE_ASN_16_BIT.min,
      // Attachments route nowhere until they are placed in a routing domain.
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      // Shared accounts attach without a manual acceptance step; the attachment
      // still has no route until this account associates it.
      autoAcceptSharedAttachments: 'enable',
      dnsSupport: 'enable',
      vpnEcmpSupport: 'enable',
      multicastSupport: 'disable',
    });
    Tags.of(transitGateway).add('Name', `${props.tierName}-transit-hub`);
    this.transitGatewayId = transitGateway.ref;
    this.transitGatewayArn = Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'transit-gateway',
      resourceName: transitGateway.ref,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    for (const domain of ALL_ROUTING_DOMAINS) {
      const routeTable = new ec2.CfnTransitGatewayRouteTable(this, `${pascalCase(domain)}RouteTable`, {
        transitGatewayId: this.transitGatewayId,
      });
      Tags.of(routeTable).add('Name', `${props.tierName}-${domain}`);
      Tags.of(routeTable).add('RoutingDomain', domain);
      this.routeTables.set(domain, routeTable);
    }

    if (props.sharedWith && props.sharedWith.length > 0) {
      this.resourceShare = new ram.CfnResourceShare(this, 'Share', {
        name: `${props.tierName}-transit-hub`,
        resourceArns: [this.transitGatewayArn],
        principals: props.sharedWith,
        allowExternalPrincipals: props.allowExternalPrincipals ?? false,
      });
    }
  }

  public routeTableId(domain: RoutingDomain): string {
    const routeTable = this.routeTables.get(domain);
    if (!routeTable) {
      throw new Error(`${this.node.path}: ${show(domain)} is not a routing domain. Use one of: ${ALL_ROUTING_DOMAINS.join(', ')}.`);
    }
    return routeTable.ref;
  }

  /**
   * Places an attachment made by another account (for example a Shared Services VPC)
   * in a routing domain: associates it with the domain's route table and propagates
   * it into the route tables of the domains connected to it.
   *
   * The `cidrs` of the VPC behind the attachment are checked against the VPCs and routes
   * the hub has recorded when this is called, and against the VPCs attached later at synth time.
   * Warns when the policy connects the domain to no domain.
   */
  public connectRemoteAttachment(id: string, options: RemoteAttachmentOptions): void {
    const validator = new PropsValidator(`TransitHub.connectRemoteAttachment options at ${this.node.path}/${id}`);
    validateConstructId(validator, id);
    if (typeof id === 'string' && id.length > 0 && this.node.tryFindChild(id) !== undefined) {
      validator.fail(`id ${show(id)} is already used under the hub; pick another.`);
    }
    const attachmentId: unknown = options?.attachmentId;
    validateAttachmentId(validator, attachmentId);
    const domain = validateRemoteDomain(validator, this, options?.domain);
    validateRemoteCidrs(validator, this, domain, options?.cidrs);
    if (typeof attachmentId === 'string') {
      const problem = HubRegistry.of(this).attachmentProblem(attachmentId);
      if (problem !== undefined) {
        validator.fail(problem);
      }
    }
    validator.throwIfInvalid();

    const scope = new Construct(this, id);
    connectAttachment(scope, this, options.attachmentId, options.domain, options.cidrs);
    // The hub compares the ranges behind the attachment with its other VPCs at synth time.
    for (const cidr of options.cidrs ?? []) {
      HubRegistry.of(this).addVpc({ name: `behind remote attachment ${id}`, cidr, domain: options.domain, path: scope.node.path });
    }
  }

  /**
   * Adds a static route to a domain's route table that sends `destinationCidr` to an attachment.
   *
   * A route table contains one static or blackhole route for each destination CIDR. So a
   * second route to the same CIDR in the same domain is rejected, whichever construct of
   * this package added the first; the egress DMZ, for example, adds a default route and blackholes.
   */
  public addStaticRoute(id: string, domain: RoutingDomain, destinationCidr: string, attachmentId: string): ec2.CfnTransitGatewayRoute {
    const validator = new PropsValidator(`TransitHub.addStaticRoute arguments at ${this.node.path}/${id}`);
    validateConstructId(validator, id);
    validateDomain(validator, domain);
    validateDestinationCidr(validator, destinationCidr);
    validateAttachmentId(validator, attachmentId);
    this.validateRouteIsNew(validator, domain, destinationCidr);
    validator.throwIfInvalid();

    const route = new ec2.CfnTransitGatewayRoute(this, id, {
      transitGatewayRouteTableId: this.routeTableId(domain),
      destinationCidrBlock: destinationCidr,
      transitGatewayAttachmentId: attachmentId,
    });
    HubRegistry.of(this).claimRoute(domain, destinationCidr, 'static', route.node.path);
    return route;
  }

  /**
   * Adds a blackhole route to a domain's route table, so that traffic to
   * `destinationCidr` is dropped even if a more general route would carry it.
   *
   * A second route to the same CIDR in the same domain is rejected, as for `addStaticRoute`.
   */
  public addBlackholeRoute(id: string, domain: RoutingDomain, destinationCidr: string): ec2.CfnTransitGatewayRoute {
    const validator = new PropsValidator(`TransitHub.addBlackholeRoute arguments at ${this.node.path}/${id}`);
    validateConstructId(validator, id);
    validateDomain(validator, domain);
    validateDestinationCidr(validator, destinationCidr);
    this.validateRouteIsNew(validator, domain, destinationCidr);
    validator.throwIfInvalid();

    const route = new ec2.CfnTransitGatewayRoute(this, id, {
      transitGatewayRouteTableId: this.routeTableId(domain),
      destinationCidrBlock: destinationCidr,
      blackhole: true,
    });
    HubRegistry.of(this).claimRoute(domain, destinationCidr, 'blackhole', route.node.path);
    return route;
  }

  /** Records a problem if the domain's route table already has a route to `destinationCidr`. */
  private validateRouteIsNew(validator: PropsValidator, domain: RoutingDomain, destinationCidr: string): void {
    if (!ALL_ROUTING_DOMAINS.includes(domain) || typeof destinationCidr !== 'string') {
      return;
    }
    const problem = HubRegistry.of(this).routeProblem(domain, destinationCidr);
    if (problem !== undefined) {
      validator.fail(problem);
    }
  }
}

function validateProps(scope: Construct, id: string, props: TransitHubProps): void {
  const validator = new PropsValidator(describeConstruct('TransitHub', scope, id));
  validateTierName(validator, props?.tierName);
  validateRoutingPolicy(validator, props?.routingPolicy);

  const asn = props?.amazonSideAsn;
  if (asn !== undefined && !Token.isUnresolved(asn)) {
    const inRange = (range: { min: number; max: number }) => Number.isInteger(asn) && asn >= range.min && asn <= range.max;
    validator.check(inRange(PRIVATE_ASN_16_BIT) || inRange(PRIVATE_ASN_32_BIT),
      `amazonSideAsn is ${show(asn)}; use a private ASN from ${PRIVATE_ASN_16_BIT.min} to ${PRIVATE_ASN_16_BIT.max} or from ${PRIVATE_ASN_32_BIT.min} to ${PRIVATE_ASN_32_BIT.max}.`);
  }

  const sharedWith: unknown = props?.sharedWith;
  const principalHelp = 'use a 12-digit account ID, an organization ARN (arn:aws:organizations::<management account>:organization/o-<id>) '
    + 'or an organizational unit ARN (arn:aws:organizations::<management account>:ou/o-<id>/ou-<id>).';
  if (sharedWith !== undefined && !Array.isArray(sharedWith)) {
    validator.fail(`sharedWith is ${show(sharedWith)}; pass a list of principals: ${principalHelp}`);
  } else {
    (sharedWith as unknown[] | undefined ?? []).forEach((principal, index) => {
      if (typeof principal === 'string' && Token.isUnresolved(principal)) {
        return;
      }
      const valid = typeof principal === 'string'
        && (ACCOUNT_ID.test(principal) || ORGANIZATION_ARN.test(principal) || ORGANIZATIONAL_UNIT_ARN.test(principal));
      validator.check(valid, `sharedWith[${index}] is ${show(principal)}; ${principalHelp}`);
    });
  }
  validator.throwIfInvalid();
}

function validateTransitGatewayId(validator: PropsValidator, transitGatewayId: unknown): void {
  if (typeof transitGatewayId === 'string' && Token.isUnresolved(transitGatewayId)) {
    return;
  }
  validator.check(typeof transitGatewayId === 'string' && /^tgw-[0-9a-f]{8,17}$/.test(transitGatewayId),
    `transitGatewayId is ${show(transitGatewayId)}; expected a transit gateway ID such as tgw-0123456789abcdef0.`);
}

/** Records a problem unless `routingPolicy` is left out or is a RoutingPolicy. */
function validateRoutingPolicy(validator: PropsValidator, routingPolicy: unknown): void {
  if (routingPolicy === undefined || routingPolicy === null || routingPolicy instanceof RoutingPolicy) {
    return;
  }
  validator.fail(`routingPolicy is ${show(routingPolicy)}, which is not a RoutingPolicy; pass RoutingPolicy.platformDefault() or `
    + 'new RoutingPolicy({ connections: [...] }), or leave it out for the platform default. A RoutingPolicy is required because '
    + 'it checks its connections, for example that the internet DMZ has no route to the government-network DMZ.');
}

/** Records a problem unless `id` can name a construct. */
function validateConstructId(validator: PropsValidator, id: unknown): void {
  validator.check(typeof id === 'string' && id.length > 0,
    `id is ${show(id)}; pass a non-empty string, the construct ID of the new resources, for example "SharedServices".`);
}

function validateAttachmentId(validator: PropsValidator, attachmentId: unknown): void {
  if (typeof attachmentId === 'string' && Token.isUnresolved(attachmentId)) {
    return;
  }
  validator.check(typeof attachmentId === 'string' && ATTACHMENT_ID.test(attachmentId),
    `attachmentId is ${show(attachmentId)}; expected a transit gateway attachment ID such as tgw-attach-0123456789abcdef0.`);
}

function validateDomain(validator: PropsValidator, domain: unknown): void {
  validator.check(ALL_ROUTING_DOMAINS.includes(domain as RoutingDomain),
    `domain is ${show(domain)}; use one of: ${ALL_ROUTING_DOMAINS.join(', ')}.`);
}

/**
 * Checks the domain of a remote attachment, and returns it if the attachment can be placed
 * there, so that the checks of its CIDR blocks can read the domain's peers.
 */
function validateRemoteDomain(validator: PropsValidator, hub: TransitHub, domain: unknown): RoutingDomain | undefined {
  const choices = `use one of: ${REMOTE_DOMAINS.join(', ')}`;
  if (!ALL_ROUTING_DOMAINS.includes(domain as RoutingDomain)) {
    validator.fail(`domain is ${show(domain)}, which is not a routing domain; ${choices}.`);
    return undefined;
  }
  if (!REMOTE_DOMAINS.includes(domain as RoutingDomain)) {
    const holds = GOVERNMENT_NETWORK_DOMAINS.includes(domain as RoutingDomain)
      ? 'it contains only the Direct Connect and VPN attachments that GovernmentNetworkDirectConnect and GovernmentNetworkVpn place there'
      : 'its VPCs need appliance mode and routing of their own, so EgressDmz and IngressDmz build them in the hub\'s account';
    validator.fail(`domain is ${show(domain)}, a DMZ domain: ${holds}. A remote attachment is a spoke VPC of another account, so ${choices}.`);
    return undefined;
  }

  const problem = missingInspectionProblem(hub, domain as RoutingDomain);
  if (problem !== undefined) {
    validator.fail(`domain is ${show(domain)}; ${problem}`);
    return undefined;
  }
  return domain as RoutingDomain;
}

/**
 * Checks the CIDR blocks of the VPC behind a remote attachment: that they are given when
 * the domain is inspected, that each is a private VPC block listed once, and that none
 * clashes with what the hub has recorded so far. A block that overlaps a VPC attached to
 * the hub would be unreachable; a block with a route in a peer domain's table would be
 * cut off there by that route, or, where the hub routes it to the inspection, clash with it.
 * VPCs attached later are compared at synth time.
 */
function validateRemoteCidrs(validator: PropsValidator, hub: TransitHub, domain: RoutingDomain | undefined, cidrs: unknown): void {
  const isEmptyList = Array.isArray(cidrs) && !Token.isUnresolved(cidrs) && cidrs.length === 0;
  if (cidrs === undefined || isEmptyList) {
    const problem = domain === undefined ? undefined : missingCidrsProblem(hub, domain, undefined);
    if (problem !== undefined) {
      validator.fail(`cidrs is ${show(cidrs)}; ${problem}`);
    }
    return;
  }
  if (Array.isArray(cidrs) && Token.isUnresolved(cidrs)) {
    validator.fail('cidrs is a list token; pass a literal list, so that each block can be checked and routed before deployment. '
      + 'Tokens are accepted as entries, for example [Fn.importValue(\'SharedServicesVpcCidr\')].');
    return;
  }
  if (!Array.isArray(cidrs)) {
    validator.fail(`cidrs is ${show(cidrs)}; pass a list of the CIDR blocks of the VPC behind the attachment, for example ["10.80.0.0/20"].`);
    return;
  }
  if (!validateNoHoles(validator, 'cidrs', cidrs)) {
    return;
  }
  if (cidrs.length > MAX_VPC_CIDR_BLOCKS) {
    validator.fail(`cidrs has ${cidrs.length} entries; a VPC has at most ${MAX_VPC_CIDR_BLOCKS} IPv4 CIDR blocks, so list only the blocks of the VPC behind the attachment.`);
  }

  const listed: Array<{ readonly key: string; readonly block?: Ipv4Block; readonly index: number }> = [];
  cidrs.forEach((cidr: unknown, index) => {
    const prop = `cidrs[${index}]`;
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      const same = listed.find((other) => other.key === cidr);
      validator.check(same === undefined, `${prop} is the same token as cidrs[${same?.index}]; list each block once.`);
      listed.push({ key: cidr, index });
      return;
    }
    const block = validateRemoteCidr(validator, prop, cidr);
    if (block === undefined) {
      return;
    }
    const clash = listed.find((other) => other.block !== undefined && overlaps(other.block, block));
    if (clash !== undefined) {
      const relation = clash.block!.prefixLength === block.prefixLength ? 'is the same block as' : 'overlaps';
      validator.fail(`${prop} is ${show(cidr)}, which ${relation} cidrs[${clash.index}] (${formatCidr(clash.block!)}). `
        + 'The blocks of a VPC cannot overlap, so list each block once.');
      return;
    }
    listed.push({ key: formatCidr(block), block, index });
    if (domain !== undefined) {
      validateRemoteCidrAgainstHub(validator, hub, domain, prop, cidr as string, block);
    }
  });
}

/** Checks one CIDR block of a remote attachment and returns it, or undefined if it cannot be a VPC block. */
function validateRemoteCidr(validator: PropsValidator, prop: string, cidr: unknown): Ipv4Block | undefined {
  const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
  if (block === undefined) {
    validator.fail(`${prop} is ${show(cidr)}; expected an IPv4 CIDR block such as 10.64.0.0/14.`);
    return undefined;
  }
  if (block.prefixLength === 0) {
    validator.fail(`${prop} is ${show(cidr)}, the default route. The hub would send all traffic of the domains connected to the attachment's `
      + 'domain to it, so list only the blocks of the VPC behind the attachment.');
    return undefined;
  }
  const unusable = unusableRangeProblem(block);
  if (unusable !== undefined) {
    validator.fail(`${prop} is ${show(cidr)}, ${unusable}.`);
    return undefined;
  }
  if (hasHostBits(block)) {
    validator.fail(`${prop} ${cidr} has host bits set; use ${formatCidr(networkOf(block))}.`);
    return undefined;
  }
  if (!isPrivateBlock(block)) {
    validator.fail(`${prop} is ${show(cidr)}, which is not a private range. A VPC behind an attachment uses 10.0.0.0/8, 172.16.0.0/12, `
      + '192.168.0.0/16 or 100.64.0.0/10, and the hub would send traffic for a public range to that VPC instead of the internet.');
    return undefined;
  }
  if (block.prefixLength < VPC_PREFIX.min || block.prefixLength > VPC_PREFIX.max) {
    validator.fail(`${prop} is ${show(cidr)}; a VPC block is from /${VPC_PREFIX.min} to /${VPC_PREFIX.max}, the sizes AWS allows, so list the blocks of `
      + 'the VPC behind the attachment, not a supernet that contains it.');
    return undefined;
  }
  return block;
}

/** Records a problem if a block of a remote attachment overlaps a VPC on the hub, or has a route in a peer domain's table. */
function validateRemoteCidrAgainstHub(
  validator: PropsValidator, hub: TransitHub, domain: RoutingDomain, prop: string, cidr: string, block: Ipv4Block,
): void {
  const registry = HubRegistry.of(hub);
  const overlapping = registry.vpcsOverlapping(block);
  for (const vpc of overlapping) {
    validator.fail(`${prop} is ${show(cidr)}, which overlaps VPC ${vpc.name} (${vpc.cidr}, at ${vpc.path}), attached to transit hub ${hub.node.path}. `
      + 'A transit gateway does not propagate the range of a VPC that overlaps one already attached, so one of the two would be unreachable. '
      + 'Pass the blocks of the VPC behind the attachment, and give each VPC a range of its own.');
  }
  if (overlapping.length > 0) {
    return;
  }

  const inspectedPeers = inspectedPeersOf(hub, domain);
  for (const peer of hub.routingPolicy.peersOf(domain)) {
    const existing = registry.routeTo(peer, cidr);
    if (existing === undefined) {
      continue;
    }
    const effect = inspectedPeers.includes(peer)
      ? 'The hub would add a static route there to send the block through the inspection firewall, and a route table contains one static or '
        + 'blackhole route for each destination.'
      : `That route beats the route the attachment propagates, so the ${peer} domain could not reach the block.`;
    validator.fail(`${prop} is ${show(cidr)}, the destination of the ${existing.kind} route in the ${peer} route table of transit hub ${hub.node.path}, `
      + `added by ${existing.path}. ${effect} The attachment's range overlaps another range routed in the ${peer} domain; `
      + 'pass the blocks of the VPC behind the attachment, and give each VPC a range of its own.');
  }
}

function validateDestinationCidr(validator: PropsValidator, destinationCidr: unknown, name: string = 'destinationCidr'): void {
  if (typeof destinationCidr === 'string' && Token.isUnresolved(destinationCidr)) {
    return;
  }
  const block = typeof destinationCidr === 'string' ? parseCidr(destinationCidr) : undefined;
  if (!block) {
    validator.fail(`${name} is ${show(destinationCidr)}; expected an IPv4 CIDR block such as 10.64.0.0/14.`);
  } else if (hasHostBits(block)) {
    validator.fail(`${name} ${destinationCidr} has host bits set; use ${formatCidr(networkOf(block))}.`);
  }
}
