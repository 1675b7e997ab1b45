import { Annotations, CfnOutput, Tags, Token, aws_ec2 as ec2, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { connectAttachment } from './private/attachment-routing';
import { Ipv4Block, PRIVATE_RANGES, blockSize, contains, formatCidr, hasHostBits, networkOf, overlaps, parseCidr, unusableRangeProblem } from './private/cidr';
import { addAllTrafficFlowLog } from './private/flow-logs';
import { HubRegistry, validateHubShape } from './private/hub-registry';
import { validateBucket, validateHubPlacement } from './private/resource-checks';
import { PropsValidator, describeConstruct, isConcreteString, show } from './private/validation';
import { ignoreNamedZones, ignoreRestrictDefaultSgHandlerDependsOn } from './private/vpc-lint-findings';
import { ZONE_COUNT, resolveAvailabilityZones } from './private/zones';
import { ALL_ROUTING_DOMAINS, RoutingDomain } from './routing-domain';
import type { ITransitHub } from './transit-hub';

/** A further transit hub that a spoke VPC attaches to, for some ranges only. */
export interface AdditionalHubAttachment {
  /** The hub, for example the other tier's hub imported with `TransitHub.fromTransitHubAttributes`. */
  readonly hub: ITransitHub;

  /**
   * The ranges the application and data subnets send to this hub, for example that
   * tier's supernet. Each must be a private IPv4 range (RFC 1918 or 100.64.0.0/10) and
   * must not overlap the VPC or the ranges of another hub.
   */
  readonly routedCidrs: string[];
}

/** Properties of a spoke VPC. */
export interface SpokeVpcProps {
  /**
   * The transit hub of the tier the VPC belongs to.
   *
   * The VPC must be in the hub's region. If the hub was imported from another account
   * (`TransitHub.fromTransitHubAttributes`), the hub's account must connect the
   * attachment to its routing domain with `TransitHub.connectRemoteAttachment`.
   */
  readonly hub: ITransitHub;

  /**
   * The routing domain of the VPC: management, business-application or shared-services.
   *
   * The DMZ domains are rejected: their VPCs need appliance mode and routing of their
   * own, which the DMZ constructs provide.
   */
  readonly domain: RoutingDomain;

  /**
   * The name of the VPC in lower-case kebab case, for example `lib-case-management`.
   *
   * Used in the Name tags of the VPC and its attachment (`<tierName>-<vpcName>`) and in the flow-log prefix.
   * A VPC with `additionalHubs` serves several tiers, so its own Name tag is `vpcName` alone;
   * each attachment's Name tag still starts with its hub's tier.
   */
  readonly vpcName: string;

  /**
   * The IPv4 CIDR block of the VPC, from `/16` to `/24`, for example from `AddressPlan.cidrFor`.
   *
   * A `/24` is the smallest block that holds the three subnet tiers in three zones with
   * subnets big enough to use. The block must be a concrete string, not a token, because
   * the subnets are carved out of it at synth time. Blocks that overlap 0.0.0.0/8,
   * loopback (127.0.0.0/8), link-local (169.254.0.0/16), multicast (224.0.0.0/4) or the
   * reserved 240.0.0.0/4 are rejected.
   */
  readonly cidr: string;

  /**
   * The bucket that receives the VPC's flow logs, usually the log archive bucket.
   *
   * Logs are written under `vpc-flow-logs/<tierName>/<vpcName>/`. The bucket policy (and
   * the key policy, if the bucket uses a KMS key) must let `delivery.logs.amazonaws.com` write there.
   */
  readonly flowLogBucket: s3.IBucket;

  /**
   * The three availability zones of the VPC, for example `["eu-west-2a", "eu-west-2b", "eu-west-2c"]`.
   *
   * In a region listed in this package's table of zone names (eu-west-2), each zone
   * must be one of that region's listed zones.
   *
   * @default - eu-west-2a, eu-west-2b and eu-west-2c in a stack in eu-west-2; a stack
   * with no region or in another region must pass the zones
   */
  readonly availabilityZones?: string[];

  /**
   * The prefix length of each application subnet.
   *
   * @default - a quarter of the VPC in each zone (the VPC's prefix length + 2) for a VPC
   * of /22 or larger; /25 for a /23 VPC; /27 for a /24 VPC
   */
  readonly applicationSubnetMask?: number;

  /**
   * The prefix length of each data subnet.
   *
   * @default - a sixteenth of the VPC in each zone (the VPC's prefix length + 4) for a
   * VPC of /22 or larger; /28 for a /23 or /24 VPC
   */
  readonly dataSubnetMask?: number;

  /**
   * Whether to create the interface endpoints that Session Manager needs in a VPC with no
   * route to the internet.
   *
   * The SSM Agent needs `ssm`, `ssmmessages` and `ec2messages`. Sessions encrypted with a
   * KMS key need `kms`, and session logs sent to CloudWatch Logs need `logs`.
   *
   * The endpoints sit in the application subnets, with private DNS, behind a security
   * group that allows HTTPS (443) from the VPC's CIDR block only. Turn them off where
   * the tier reaches these services through shared endpoints instead.
   *
   * @default true
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-privatelink.html
   */
  readonly sessionManagerEndpoints?: boolean;

  /**
   * Further hubs the VPC attaches to, each carrying only the ranges listed for it.
   *
   * A Shared Services VPC serves Production and Non-Production this way. The VPC does not
   * become a path between the hubs: traffic that arrives from a hub lands in the transit
   * subnets, whose route tables hold only the VPC's local route, so it cannot leave
   * towards another hub. Only the application and data subnets route to the hubs.
   *
   * @default - the VPC attaches to `hub` only
   */
  readonly additionalHubs?: AdditionalHubAttachment[];
}

/** The names of the subnet groups of a spoke VPC, for `vpc.selectSubnets({ subnetGroupName })`. */
const TRANSIT_SUBNETS = 'transit';
const APPLICATION_SUBNETS = 'application';
const DATA_SUBNETS = 'data';

/**
 * A transit gateway attachment takes one subnet in each zone, and AWS recommends a
 * separate small one for it. A /28 is the smallest subnet AWS allows.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-best-design-practices.html
 */
const TRANSIT_SUBNET_MASK = 28;
const MIN_VPC_PREFIX = 16;
const MAX_VPC_PREFIX = 24;
const MIN_SUBNET_PREFIX = 16;
const MAX_SUBNET_PREFIX = 28;
const VPC_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const SPOKE_DOMAINS = [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES];

const SESSION_MANAGER_SERVICES: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [
  ['SsmEndpoint', ec2.InterfaceVpcEndpointAwsService.SSM],
  ['SsmMessagesEndpoint', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES],
  ['Ec2MessagesEndpoint', ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES],
  ['KmsEndpoint', ec2.InterfaceVpcEndpointAwsService.KMS],
  ['LogsEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
];

/**
 * A spoke VPC attached to its tier's transit hub: a management, business-application
 * or shared-services VPC.
 *
 * The VPC spans three availability zones with three tiers of isolated subnets:
 * `transit` (/28, holding only the transit gateway attachment), `application` and
 * `data`. It has no internet gateway and no NAT gateway. The application and data
 * subnets send all traffic that is not local (0.0.0.0/0) to the transit gateway, whose
 * route tables decide where it may go. The default security group is closed, and a
 * flow log records all traffic to the given bucket.
 *
 * On a hub managed in the same account, the attachment is associated with the route
 * table of its routing domain and propagated into the route tables of the domains the
 * hub's policy connects to it.
 */
export class SpokeVpc extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;

  /** The ID of the VPC's transit gateway attachment. */
  public readonly attachmentId: string;

  /** The IDs of the attachments to `additionalHubs`, in the same order. */
  public readonly additionalAttachmentIds: string[];

  /** The routing domain of the VPC. */
  public readonly domain: RoutingDomain;

  /** The IPv4 CIDR block of the VPC. */
  public readonly cidr: string;

  /** The security group of the Session Manager interface endpoints, if they were created. */
  public readonly endpointSecurityGroup?: ec2.ISecurityGroup;

  constructor(scope: Construct, id: string, props: SpokeVpcProps) {
    super(scope, id);
    const { zones, applicationSubnetMask, dataSubnetMask } = validateProps(this, scope, id, props);
    const hub = props.hub;
    const name = `${hub.tierName}-${props.vpcName}`;
    this.domain = props.domain;
    this.cidr = props.cidr;

    const servesSeveralTiers = (props.additionalHubs ?? []).length > 0;
    const vpc = new ec2.Vpc(this, 'Resource', {
      vpcName: servesSeveralTiers ? props.vpcName : name,
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: zones,
      subnetConfiguration: subnetConfiguration(applicationSubnetMask, dataSubnetMask),
      createInternetGateway: false,
      natGateways: 0,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      restrictDefaultSecurityGroup: true,
    });
    this.vpc = vpc;
    acknowledgeCfnLintFindings(vpc);

    const attachment = new ec2.CfnTransitGatewayVpcAttachment(this, 'Attachment', {
      transitGatewayId: hub.transitGatewayId,
      vpcId: vpc.vpcId,
      subnetIds: vpc.selectSubnets({ subnetGroupName: TRANSIT_SUBNETS }).subnetIds,
      // Appliance mode keeps both directions of a flow in one zone. Only inspection and
      // egress VPCs with stateful appliances need it.
      options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
    });
    Tags.of(attachment).add('Name', name);
    this.attachmentId = attachment.ref;

    addDefaultRoutes(vpc, hub.transitGatewayId, attachment);
    // The hub compares the CIDR blocks of all its VPCs and its egress DMZ at synth time.
    HubRegistry.of(hub).addVpc({ name: props.vpcName, cidr: props.cidr, domain: props.domain, path: this.node.path });
    this.connectToHub(hub, this.attachmentId, props, '');

    this.additionalAttachmentIds = (props.additionalHubs ?? []).map((extra, index) =>
      this.attachToAdditionalHub(vpc, extra, `AdditionalHub${index + 1}`, props));

    if (props.sessionManagerEndpoints ?? true) {
      this.endpointSecurityGroup = addSessionManagerEndpoints(this, vpc, props.cidr);
    }

    addAllTrafficFlowLog(vpc, props.flowLogBucket, `vpc-flow-logs/${hub.tierName}/${props.vpcName}`);
    Tags.of(this).add('RoutingDomain', props.domain);
  }

  /**
   * Places the attachment in its routing domain, or, for a hub in another account,
   * warns that the hub's account has to.
   */
  private connectToHub(hub: ITransitHub, attachmentId: string, props: SpokeVpcProps, idPrefix: string): void {
    if (hub.manageRouteTables) {
      connectAttachment(new Construct(this, `${idPrefix}HubRouting`), hub, attachmentId, props.domain, [props.cidr]);
      return;
    }

    const output = new CfnOutput(this, `${idPrefix}AttachmentIdOutput`, {
      description: `Transit gateway attachment of ${props.vpcName} to ${hub.transitGatewayId}, to connect in the hub's account`,
      value: attachmentId,
    });
    Annotations.of(this).addWarningV2('@ssd-platform/transit-network:remoteHubAttachment',
      `The transit gateway attachment of ${props.vpcName} routes nowhere until the account that owns transit gateway `
      + `${hub.transitGatewayId} places it in the ${props.domain} routing domain. After deploying, call `
      + `connectRemoteAttachment(id, { attachmentId, domain: RoutingDomain.${domainMember(props.domain)}, cidrs: ['${props.cidr}'] }) on the TransitHub `
      + `in the hub's account, with the attachment ID from this stack's output ${output.node.path}.`);
  }

  /**
   * Attaches the VPC to a further hub in the same transit subnets, and routes only the
   * given ranges there from the application and data subnets.
   */
  private attachToAdditionalHub(vpc: ec2.Vpc, extra: AdditionalHubAttachment, idPrefix: string, props: SpokeVpcProps): string {
    const attachment = new ec2.CfnTransitGatewayVpcAttachment(this, `${idPrefix}Attachment`, {
      transitGatewayId: extra.hub.transitGatewayId,
      vpcId: vpc.vpcId,
      subnetIds: vpc.selectSubnets({ subnetGroupName: TRANSIT_SUBNETS }).subnetIds,
      options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
    });
    Tags.of(attachment).add('Name', `${extra.hub.tierName}-${props.vpcName}`);

    for (const subnetGroupName of [APPLICATION_SUBNETS, DATA_SUBNETS]) {
      for (const subnet of vpc.selectSubnets({ subnetGroupName }).subnets) {
        for (const cidr of extra.routedCidrs) {
          const route = new ec2.CfnRoute(subnet, `${idPrefix}Route${cidr.replace(/[./]/g, '')}`, {
            routeTableId: subnet.routeTable.routeTableId,
            destinationCidrBlock: cidr,
            transitGatewayId: extra.hub.transitGatewayId,
          });
          route.addDependency(attachment);
        }
      }
    }

    HubRegistry.of(extra.hub).addVpc({ name: props.vpcName, cidr: props.cidr, domain: props.domain, path: this.node.path });
    this.connectToHub(extra.hub, attachment.ref, props, idPrefix);
    return attachment.ref;
  }
}

/**
 * Returns the subnet tiers, largest subnets first. The VPC carves subnets out of its
 * block in this order, each aligned to its own size, so largest-first leaves no gaps
 * and the tiers fit whenever their total size fits.
 */
function subnetConfiguration(applicationSubnetMask: number, dataSubnetMask: number): ec2.SubnetConfiguration[] {
  const tiers: ec2.SubnetConfiguration[] = [
    { name: APPLICATION_SUBNETS, cidrMask: applicationSubnetMask, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    { name: DATA_SUBNETS, cidrMask: dataSubnetMask, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    { name: TRANSIT_SUBNETS, cidrMask: TRANSIT_SUBNET_MASK, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  ];
  // Array.prototype.sort is stable, so equal sizes keep the order above.
  return tiers.sort((a, b) => a.cidrMask! - b.cidrMask!);
}

/**
 * Records in the template the cfn-lint warnings that the VPC causes on purpose, so that
 * the template lints clean.
 */
function acknowledgeCfnLintFindings(vpc: ec2.Vpc): void {
  // W3010 warns about every zone named in a template. The zones are named rather than
  // looked up so that synth needs no AWS credentials, and they are checked against the
  // stack's region.
  ignoreNamedZones(vpc.isolatedSubnets);
  ignoreRestrictDefaultSgHandlerDependsOn(vpc);
}

/**
 * Sends the application and data subnets' non-local traffic to the transit gateway.
 *
 * CloudFormation cannot create a route to a transit gateway before the VPC is attached
 * to it, so each route depends on the attachment.
 */
function addDefaultRoutes(vpc: ec2.Vpc, transitGatewayId: string, attachment: ec2.CfnTransitGatewayVpcAttachment): void {
  for (const subnetGroupName of [APPLICATION_SUBNETS, DATA_SUBNETS]) {
    for (const subnet of vpc.selectSubnets({ subnetGroupName }).subnets) {
      const route = new ec2.CfnRoute(subnet, 'DefaultRoute', {
        routeTableId: subnet.routeTable.routeTableId,
        destinationCidrBlock: '0.0.0.0/0',
        transitGatewayId,
      });
      route.addDependency(attachment);
    }
  }
}

/** Creates the Session Manager interface endpoints and returns their security group. */
function addSessionManagerEndpoints(scope: Construct, vpc: ec2.Vpc, cidr: string): ec2.ISecurityGroup {
  const securityGroup = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc,
    description: 'Session Manager interface endpoints: HTTPS from the VPC only',
    allowAllOutbound: false,
  });
  // The concrete CIDR block, not the VPC's CidrBlock attribute, so that rule checkers can read it.
  securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');

  for (const [id, service] of SESSION_MANAGER_SERVICES) {
    vpc.addInterfaceEndpoint(id, {
      service,
      subnets: { subnetGroupName: APPLICATION_SUBNETS },
      securityGroups: [securityGroup],
      open: false,
      privateDnsEnabled: true,
    });
  }
  return securityGroup;
}

/** The props after validation, with defaults filled in. */
interface ResolvedProps {
  readonly zones: string[];
  readonly applicationSubnetMask: number;
  readonly dataSubnetMask: number;
}

function validateProps(self: Construct, scope: Construct, id: string, props: SpokeVpcProps): ResolvedProps {
  const validator = new PropsValidator(describeConstruct('SpokeVpc', scope, id));
  validateHub(validator, self, props?.hub);

  const domain = props?.domain;
  if (!ALL_ROUTING_DOMAINS.includes(domain)) {
    validator.fail(`domain is ${show(domain)}, which is not a routing domain; use one of: ${SPOKE_DOMAINS.join(', ')}.`);
  } else if (!SPOKE_DOMAINS.includes(domain)) {
    validator.fail(`domain is ${show(domain)}, a DMZ domain: DMZ VPCs need appliance mode and routing of their own, `
      + `so build them with this package's DMZ constructs. A spoke VPC uses one of: ${SPOKE_DOMAINS.join(', ')}.`);
  }

  validator.check(typeof props?.vpcName === 'string' && VPC_NAME.test(props.vpcName),
    `vpcName is ${show(props?.vpcName)}; use 2 to 32 lower-case letters, digits and hyphens starting with a letter, for example "lib-case-management".`);
  validateBucket(validator, 'flowLogBucket', props?.flowLogBucket, 'the bucket that archives VPC flow logs');
  if (props?.sessionManagerEndpoints !== undefined && typeof props.sessionManagerEndpoints !== 'boolean') {
    validator.fail(`sessionManagerEndpoints is ${show(props.sessionManagerEndpoints)}; use true or false, or leave it out to create the endpoints.`);
  }

  const zones = resolveAvailabilityZones(self, validator, props?.availabilityZones);
  const vpcPrefix = validateCidr(validator, props?.cidr);
  validateAdditionalHubs(validator, self, props?.hub, props?.cidr, props?.additionalHubs);
  const masks = validateSubnetMasks(validator, vpcPrefix, props?.applicationSubnetMask, props?.dataSubnetMask);

  validator.throwIfInvalid();
  return { zones, ...masks };
}

function validateHub(validator: PropsValidator, self: Construct, hub: ITransitHub | undefined): void {
  if (hub === undefined || hub === null) {
    validator.fail(`hub is ${show(hub)}; pass the TransitHub of the VPC's tier, or one imported with TransitHub.fromTransitHubAttributes.`);
    return;
  }
  if (!validateHubShape(validator, hub)) {
    return;
  }
  validateHubPlacement(validator, self, hub, 'the VPC', 'share the hub with this account '
    + 'and import it with TransitHub.fromTransitHubAttributes, then connect the attachment in the hub\'s account.');
}

/**
 * Checks the further hubs. Each must be a transit hub in this account and region, other
 * than the main hub and the others, because a VPC attaches to a transit gateway once. Its
 * routed ranges must be private and overlap neither the VPC nor another hub's ranges.
 */
function validateAdditionalHubs(validator: PropsValidator, self: Construct, mainHub: unknown, vpcCidr: unknown, additionalHubs: unknown): void {
  if (additionalHubs === undefined) {
    return;
  }
  if (!Array.isArray(additionalHubs) || Token.isUnresolved(additionalHubs)) {
    validator.fail(`additionalHubs is ${show(additionalHubs)}; pass a list of { hub, routedCidrs }, or leave it out.`);
    return;
  }

  const vpcBlock = isConcreteString(vpcCidr) ? parseCidr(vpcCidr) : undefined;
  const seenGateways = new Set<string>();
  const mainGateway = (mainHub as ITransitHub | undefined)?.transitGatewayId;
  if (typeof mainGateway === 'string') {
    seenGateways.add(mainGateway);
  }
  const routed: Array<{ block: Ipv4Block; where: string }> = [];

  additionalHubs.forEach((extra: AdditionalHubAttachment | undefined, index) => {
    const where = `additionalHubs[${index}]`;
    const hub = extra?.hub;
    if (hub === undefined || hub === null) {
      validator.fail(`${where}.hub is ${show(hub)}; pass the TransitHub to attach to, or one imported with TransitHub.fromTransitHubAttributes.`);
    } else if (validateHubShape(validator, hub, `${where}.hub`)) {
      validateHubPlacement(validator, self, hub, 'the VPC', 'share the hub with this account and import it with TransitHub.fromTransitHubAttributes.', `${where}.hub`);
      if (seenGateways.has(hub.transitGatewayId)) {
        validator.fail(`${where}.hub is transit gateway ${hub.transitGatewayId}, which the VPC already attaches to; a VPC attaches to a transit gateway once.`);
      }
      seenGateways.add(hub.transitGatewayId);
    }

    const cidrs: unknown = extra?.routedCidrs;
    if (!Array.isArray(cidrs) || Token.isUnresolved(cidrs) || cidrs.length === 0) {
      validator.fail(`${where}.routedCidrs is ${show(cidrs)}; list the ranges to send to this hub, for example that tier's supernet "10.72.0.0/14".`);
      return;
    }
    cidrs.forEach((cidr: unknown, cidrIndex) => {
      const path = `${where}.routedCidrs[${cidrIndex}]`;
      const block = isConcreteString(cidr) ? parseCidr(cidr) : undefined;
      if (block === undefined) {
        validator.fail(`${path} is ${show(cidr)}; use a concrete IPv4 CIDR block such as "10.72.0.0/14".`);
        return;
      }
      if (hasHostBits(block)) {
        validator.fail(`${path} is ${show(cidr)}, which has host bits set; use its network address, ${formatCidr(networkOf(block))}.`);
      }
      if (!PRIVATE_RANGES.some((range) => contains(range, block))) {
        validator.fail(`${path} is ${show(cidr)}, which is not a private range (RFC 1918 or 100.64.0.0/10); only the other tier's private ranges are routed to another hub.`);
      }
      if (vpcBlock && overlaps(vpcBlock, block)) {
        validator.fail(`${path} ${cidr} overlaps the VPC's own range ${vpcCidr}.`);
      }
      const clash = routed.find((other) => overlaps(other.block, block));
      if (clash) {
        validator.fail(`${path} ${cidr} overlaps ${clash.where} ${formatCidr(clash.block)}; each range goes to one hub.`);
      }
      routed.push({ block, where: path });
    });
  });
}

/** Checks the CIDR block and returns its prefix length, or undefined if it is unusable. */
function validateCidr(validator: PropsValidator, cidr: unknown): number | undefined {
  const example = 'for example "10.20.0.0/16"';
  if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
    validator.fail(`cidr is a token (${cidr}); pass the CIDR block as a string, ${example}, because the subnets are carved out of it at synth time.`);
    return undefined;
  }
  const block = isConcreteString(cidr) ? parseCidr(cidr) : undefined;
  if (block === undefined) {
    validator.fail(`cidr is ${show(cidr)}; use an IPv4 CIDR block, ${example}.`);
    return undefined;
  }
  const unusable = unusableRangeProblem(block);
  if (unusable) {
    validator.fail(`cidr is ${show(cidr)}, ${unusable}.`);
    return undefined;
  }

  let usable = true;
  if (hasHostBits(block)) {
    validator.fail(`cidr is ${show(cidr)}, which has host bits set; use its network address, ${formatCidr(networkOf(block))}.`);
    usable = false;
  }
  if (block.prefixLength < MIN_VPC_PREFIX || block.prefixLength > MAX_VPC_PREFIX) {
    validator.fail(`cidr is ${show(cidr)}; a spoke VPC's block must be from /${MIN_VPC_PREFIX} (the largest AWS allows) `
      + `to /${MAX_VPC_PREFIX} (the smallest that holds three subnet tiers in ${ZONE_COUNT} zones).`);
    usable = false;
  }
  return usable ? block.prefixLength : undefined;
}

/** Checks the subnet masks, fills in the defaults and checks that every subnet fits in the VPC. */
function validateSubnetMasks(validator: PropsValidator, vpcPrefix: number | undefined, application: unknown, data: unknown): Omit<ResolvedProps, 'zones'> {
  const checkMask = (prop: string, value: unknown): boolean => {
    if (value === undefined) {
      return true;
    }
    const valid = typeof value === 'number' && Number.isInteger(value) && value >= MIN_SUBNET_PREFIX && value <= MAX_SUBNET_PREFIX;
    validator.check(valid, `${prop} is ${show(value)}; use a whole number from ${MIN_SUBNET_PREFIX} to ${MAX_SUBNET_PREFIX}, the subnet sizes AWS allows.`);
    return valid;
  };
  const masksValid = [checkMask('applicationSubnetMask', application), checkMask('dataSubnetMask', data)].every(Boolean);
  if (vpcPrefix === undefined || !masksValid) {
    return { applicationSubnetMask: 0, dataSubnetMask: 0 };
  }

  const defaults = defaultSubnetMasks(vpcPrefix);
  const applicationSubnetMask = (application as number | undefined) ?? defaults.applicationSubnetMask;
  const dataSubnetMask = (data as number | undefined) ?? defaults.dataSubnetMask;
  const needed = ZONE_COUNT * (blockSize(applicationSubnetMask) + blockSize(dataSubnetMask) + blockSize(TRANSIT_SUBNET_MASK));
  const available = blockSize(vpcPrefix);
  validator.check(needed <= available,
    `applicationSubnetMask /${applicationSubnetMask} and dataSubnetMask /${dataSubnetMask} do not fit in a /${vpcPrefix} VPC: `
    + `${ZONE_COUNT} zones of application, data and /${TRANSIT_SUBNET_MASK} transit subnets need ${needed} addresses and the VPC has ${available}. `
    + `Use smaller subnets (larger masks), for example the defaults for a /${vpcPrefix}: /${defaults.applicationSubnetMask} and /${defaults.dataSubnetMask}.`);
  return { applicationSubnetMask, dataSubnetMask };
}

/**
 * Returns the default subnet sizes: a quarter of the VPC per zone for applications and a
 * sixteenth for data. With the transit subnets that fits VPCs down to /22. A /23 or /24
 * VPC gets the largest application subnets that fit beside /28 data subnets.
 */
function defaultSubnetMasks(vpcPrefix: number): Omit<ResolvedProps, 'zones'> {
  if (vpcPrefix <= 22) {
    return { applicationSubnetMask: vpcPrefix + 2, dataSubnetMask: vpcPrefix + 4 };
  }
  return vpcPrefix === 23
    ? { applicationSubnetMask: 25, dataSubnetMask: 28 }
    : { applicationSubnetMask: 27, dataSubnetMask: 28 };
}

/** Returns the enum member name of a routing domain, for example `BUSINESS_APPLICATION`. */
function domainMember(domain: RoutingDomain): string {
  return domain.toUpperCase().replace(/-/g, '_');
}
