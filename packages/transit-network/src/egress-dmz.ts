import {
  CfnResource,
  aws_ec2 as ec2,
  aws_kms as kms,
  aws_networkfirewall as networkfirewall,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { connectAttachment } from './private/attachment-routing';
import { validateEgressDmzProps } from './private/egress-dmz-validation';
import { createEgressFirewallPolicy } from './private/egress-firewall-policy';
import {
  createApplianceModeAttachment, createFirewall, firewallEndpointIdIn, firewallKey, homeNet, subnetInZone, subnetsOfGroup,
} from './private/firewall-vpc';
import { addAllTrafficFlowLog } from './private/flow-logs';
import { HubRegistry, RouteKind } from './private/hub-registry';
import { addNagSuppressions } from './private/nag-suppressions';
import { cidrRouteId } from './private/route-ids';
import { PropsValidator, pascalCase } from './private/validation';
import { ignoreNamedZones, ignoreRestrictDefaultSgHandlerDependsOn } from './private/vpc-lint-findings';
import { RoutingDomain } from './routing-domain';
import { ITransitHub } from './transit-hub';

/** Properties of an egress DMZ. */
export interface EgressDmzProps {
  /**
   * The transit hub of the tier.
   *
   * Its route tables must be managed from here (`manageRouteTables`), because the egress
   * DMZ adds default routes and blackhole routes to them. Pass the `TransitHub` itself,
   * in the hub's own account, not an imported hub.
   */
  readonly hub: ITransitHub;

  /**
   * The CIDR block of the egress VPC, from /16 to /24, for example `10.0.255.0/24`.
   *
   * The VPC has three subnets of /28 in each of its three zones. The block may lie inside
   * one of `internalCidrs` (usual, when it is carved from the tier's supernet) or outside
   * all of them, but no internal range may equal it or lie inside it. Blocks that overlap
   * 0.0.0.0/8, loopback (127.0.0.0/8), link-local (169.254.0.0/16), multicast
   * (224.0.0.0/4) or the reserved 240.0.0.0/4 are rejected.
   */
  readonly cidr: string;

  /**
   * The tier's supernets: the address ranges behind the hub, for example `["10.0.0.0/12"]`.
   *
   * The egress VPC routes them back to the hub, and the firewall inspects traffic from
   * them. They are blackholed in the hub's route tables, so that traffic between VPCs that
   * the routing policy keeps apart is dropped instead of following the default route.
   * Each must be larger than any VPC CIDR inside it, because a blackhole route with the
   * same prefix as a VPC's propagated route takes precedence and would cut that VPC off.
   * List every private range reachable through the hub, the government network's too:
   * traffic to an unlisted range that has no route of its own in a domain's route table
   * follows the default route into the egress VPC. Only private ranges are accepted
   * (inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10), because a
   * blackholed public range would be unreachable from every VPC. The list must be a
   * literal list; its entries may be tokens.
   */
  readonly internalCidrs: string[];

  /**
   * The log archive bucket.
   *
   * The VPC flow logs go under `vpc-flow-logs/<tierName>/egress-dmz/`, and the firewall's
   * alert and flow logs under `network-firewall/<tierName>/alert/` and
   * `network-firewall/<tierName>/flow/`. Its bucket policy (and key policy, if it uses
   * SSE-KMS) must let `delivery.logs.amazonaws.com` write.
   */
  readonly logBucket: s3.IBucket;

  /**
   * The domains that may be reached over HTTPS and HTTP; everything else is dropped.
   *
   * An entry such as `www.example.gov.uk` matches that name only; an entry with a leading
   * dot, such as `.example.gov.uk`, matches the domain and all its subdomains. HTTPS is
   * matched on the TLS server name (SNI), HTTP on the Host header. Use lower case, with no
   * scheme, path, port or `*` wildcard. Public suffixes under which anyone can register a
   * domain, such as `.com` or `.co.uk`, are rejected; `.gov.uk` is accepted.
   *
   * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-domain-names.html
   */
  readonly allowedDomains: string[];

  /**
   * Domains that are blocked even when an entry of `allowedDomains` covers them, in the
   * same form, for example `.uploads.example.gov.uk`.
   *
   * @default - no deny list
   */
  readonly deniedDomains?: string[];

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
   * The customer managed key that encrypts the firewall.
   *
   * It is set through the Network Firewall API after CloudFormation creates the firewall,
   * because CloudFormation has no property for it. The firewall policy and its rule groups
   * stay on an AWS owned key: CloudFormation has no property for them either, and the
   * APIs that could set one rewrite the whole resource. Pass the key itself, in the
   * stack's region, not an alias: the permissions the construct writes name the key.
   *
   * @default - a new key with yearly rotation, retained when the stack is deleted, whose
   * key policy lets only AWS services create grants on it
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Whether the firewall is protected against deletion and against changes to its subnets.
   *
   * Set to false only for environments that are torn down, such as integration tests.
   *
   * @default true
   */
  readonly deleteProtection?: boolean;
}

/** The names of the egress VPC's subnet groups, for `vpc.selectSubnets({ subnetGroupName })`. */
const SUBNET_GROUP = {
  public: 'public',
  firewall: 'firewall',
  transit: 'transit',
};

const ANY_IPV4 = '0.0.0.0/0';

/** A route that the egress DMZ adds to one of the hub's route tables. */
interface HubRoute {
  readonly id: string;
  readonly domain: RoutingDomain;
  readonly destinationCidr: string;
  readonly kind: RouteKind;
}

/**
 * The central egress VPC of a tier's internet DMZ.
 *
 * Every VPC of the tier reaches the internet only through this VPC. Traffic arrives from
 * the transit gateway in the transit subnets, passes the AWS Network Firewall endpoint of
 * the same zone, and leaves through the NAT gateway of that zone. Replies take the same
 * path back, so the firewall inspects both directions. The attachment uses appliance
 * mode, so that the transit gateway keeps both directions of a flow in one zone.
 *
 * The firewall passes HTTPS and HTTP to `allowedDomains` only, blocks `deniedDomains`
 * first, drops traffic between internal ranges and UDP and ICMP to the internet, and
 * drops anything else once its connection is established. Alert and flow logs go to
 * the log archive.
 *
 * In the hub, the egress attachment is placed in the internet DMZ routing domain, and
 * each domain that the routing policy connects to the internet DMZ gets a default route
 * to it.
 *
 * The names of the firewall, its policy and its rule groups start with
 * `<tierName>-egress`, and Network Firewall names are unique in an account and region,
 * so each tier has one egress DMZ there.
 */
export class EgressDmz extends Construct {
  /**
   * The egress VPC.
   *
   * Its subnet groups are `public` (the NAT gateways), `firewall` (the firewall endpoints)
   * and `transit` (the transit gateway attachment).
   */
  public readonly vpc: ec2.IVpc;

  /** The ID of the egress VPC's transit gateway attachment. */
  public readonly attachmentId: string;

  /** The ARN of the firewall. */
  public readonly firewallArn: string;

  /** The ARN of the firewall policy. */
  public readonly firewallPolicyArn: string;

  /** The customer managed key that encrypts the firewall. */
  public readonly encryptionKey: kms.IKey;

  /** The key prefix of the VPC flow logs in the log bucket. */
  public readonly vpcFlowLogPrefix: string;

  /** The key prefix of the firewall's alert logs in the log bucket. */
  public readonly firewallAlertLogPrefix: string;

  /** The key prefix of the firewall's flow logs in the log bucket. */
  public readonly firewallFlowLogPrefix: string;

  private readonly firewall: networkfirewall.CfnFirewall;
  private readonly availabilityZones: string[];

  constructor(scope: Construct, id: string, props: EgressDmzProps) {
    super(scope, id);
    this.availabilityZones = validateEgressDmzProps(scope, id, this, props);

    const hub = props.hub;
    HubRegistry.of(hub).claimEgressDmz({ path: this.node.path, cidr: props.cidr, internalCidrs: props.internalCidrs });
    const namePrefix = `${hub.tierName}-egress`;
    const deleteProtection = props.deleteProtection ?? true;
    this.vpcFlowLogPrefix = `vpc-flow-logs/${hub.tierName}/egress-dmz`;
    this.firewallAlertLogPrefix = `network-firewall/${hub.tierName}/alert`;
    this.firewallFlowLogPrefix = `network-firewall/${hub.tierName}/flow`;

    const vpc = this.createVpc(props.cidr, `${hub.tierName}-egress-dmz`);
    addAllTrafficFlowLog(vpc, props.logBucket, this.vpcFlowLogPrefix);
    this.vpc = vpc;

    this.encryptionKey = firewallKey(this, props.encryptionKey, `Encrypts the egress firewall of the ${hub.tierName} tier`);

    const { policy } = createEgressFirewallPolicy(this, {
      namePrefix,
      internalCidrs: props.internalCidrs,
      homeNet: homeNet(props.internalCidrs, props.cidr),
      allowedDomains: props.allowedDomains,
      deniedDomains: props.deniedDomains ?? [],
    });
    this.firewallPolicyArn = policy.attrFirewallPolicyArn;

    this.firewall = createFirewall(this, {
      namePrefix,
      description: `Egress filtering for the ${hub.tierName} tier`,
      firewallPolicyArn: policy.attrFirewallPolicyArn,
      vpc,
      subnets: this.subnets(SUBNET_GROUP.firewall),
      deleteProtection,
      encryptionKey: this.encryptionKey,
      logBucket: props.logBucket,
      alertLogPrefix: this.firewallAlertLogPrefix,
      flowLogPrefix: this.firewallFlowLogPrefix,
    });
    this.firewallArn = this.firewall.attrFirewallArn;

    const attachment = createApplianceModeAttachment(this, hub.transitGatewayId, vpc, this.subnets(SUBNET_GROUP.transit), `${hub.tierName}-egress-dmz`);
    this.attachmentId = attachment.ref;

    this.addVpcRoutes(hub, attachment, props.internalCidrs);
    this.addHubRoutes(hub, props.internalCidrs);
  }

  /**
   * Returns the ID of the firewall endpoint in an availability zone of the VPC, as a
   * value that resolves at deploy time.
   */
  public firewallEndpointId(availabilityZone: string): string {
    return firewallEndpointIdIn(this, 'egress VPC', this.firewall, this.availabilityZones, availabilityZone);
  }

  private createVpc(cidr: string, name: string): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: name,
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones: this.availabilityZones,
      restrictDefaultSecurityGroup: true,
      natGateways: this.availabilityZones.length,
      natGatewaySubnets: { subnetGroupName: SUBNET_GROUP.public },
      subnetConfiguration: [
        // Only NAT gateways live here, and they have their own Elastic IP addresses.
        { name: SUBNET_GROUP.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28, mapPublicIpOnLaunch: false },
        // PRIVATE_WITH_EGRESS gives each firewall subnet a default route to the NAT gateway of its zone.
        { name: SUBNET_GROUP.firewall, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 28 },
        { name: SUBNET_GROUP.transit, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
      ],
    });

    this.recordDeliberateFindings(vpc);
    return vpc;
  }

  /** Records why parts of the VPC do not meet some cdk-nag rules and cfn-lint checks. */
  private recordDeliberateFindings(vpc: ec2.Vpc): void {
    for (const subnet of vpc.publicSubnets) {
      const defaultRoute = subnet.node.tryFindChild('DefaultRoute');
      if (defaultRoute instanceof CfnResource) {
        addNagSuppressions(defaultRoute, [{
          id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          reason: 'The public subnets of the egress VPC hold only NAT gateways, which reach the internet through this route after the firewall has filtered the traffic.',
        }]);
      }
    }

    // The zones are named instead of looked up with Fn::GetAZs, because the routes find
    // each zone's firewall endpoint by splitting on the zone's name, and Fn::Split takes
    // only a literal delimiter.
    ignoreNamedZones([...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]);
    ignoreRestrictDefaultSgHandlerDependsOn(this);
  }

  /**
   * Routes traffic through the firewall endpoint of its zone in both directions:
   * outbound from the transit subnets to the firewall, and replies from the NAT gateway
   * back to the firewall before they return to the hub.
   */
  private addVpcRoutes(hub: ITransitHub, attachment: ec2.CfnTransitGatewayVpcAttachment, internalCidrs: string[]): void {
    for (const zone of this.availabilityZones) {
      const endpointId = this.firewallEndpointId(zone);

      const transitSubnet = this.subnetInZone(SUBNET_GROUP.transit, zone);
      const firewallSubnet = this.subnetInZone(SUBNET_GROUP.firewall, zone);
      const publicSubnet = this.subnetInZone(SUBNET_GROUP.public, zone);

      new ec2.CfnRoute(transitSubnet, 'DefaultRouteToFirewall', {
        routeTableId: transitSubnet.routeTable.routeTableId,
        destinationCidrBlock: ANY_IPV4,
        vpcEndpointId: endpointId,
      });

      internalCidrs.forEach((cidr, index) => {
        const toHub = new ec2.CfnRoute(firewallSubnet, `${cidrRouteId(cidr, index, 'InternalRange')}ToHub`, {
          routeTableId: firewallSubnet.routeTable.routeTableId,
          destinationCidrBlock: cidr,
          transitGatewayId: hub.transitGatewayId,
        });
        // A route to a transit gateway fails until the VPC is attached to it.
        toHub.addDependency(attachment);

        new ec2.CfnRoute(publicSubnet, `${cidrRouteId(cidr, index, 'InternalRange')}ToFirewall`, {
          routeTableId: publicSubnet.routeTable.routeTableId,
          destinationCidrBlock: cidr,
          vpcEndpointId: endpointId,
        });
      });
    }
  }

  /**
   * Places the attachment in the internet DMZ routing domain, and gives every domain
   * connected to the internet DMZ a default route to it.
   *
   * Throws, before adding any route, if the hub's route tables already have a route to
   * one of the same destinations.
   */
  private addHubRoutes(hub: ITransitHub, internalCidrs: string[]): void {
    const scope = new Construct(this, 'HubRoutes');
    connectAttachment(scope, hub, this.attachmentId, RoutingDomain.INTERNET_DMZ);

    const routes: HubRoute[] = [];
    const domains = hub.routingPolicy.peersOf(RoutingDomain.INTERNET_DMZ).filter((domain) => domain !== RoutingDomain.INTERNET_DMZ);
    for (const domain of domains) {
      routes.push({ id: `DefaultRouteIn${pascalCase(domain)}`, domain, destinationCidr: ANY_IPV4, kind: 'static' });

      // Without these, traffic between two VPCs that the policy keeps apart (two benefit
      // VPCs in the business-application domain, say) would follow the default route into
      // the egress VPC and come back through the hub to the other VPC. Propagated routes
      // to reachable VPCs are more specific, so they still win; the rest is dropped.
      internalCidrs.forEach((cidr, index) => {
        routes.push({ id: `Blackhole${cidrRouteId(cidr, index, 'InternalRange')}In${pascalCase(domain)}`, domain, destinationCidr: cidr, kind: 'blackhole' });
      });
    }

    const registry = HubRegistry.of(hub);
    const validator = new PropsValidator(`EgressDmz routes in transit hub ${hub.node.path}, added by ${scope.node.path}`);
    for (const route of routes) {
      const problem = registry.routeProblem(route.domain, route.destinationCidr);
      if (problem !== undefined) {
        validator.fail(problem);
      }
    }
    validator.throwIfInvalid();

    for (const route of routes) {
      const created = new ec2.CfnTransitGatewayRoute(scope, route.id, {
        transitGatewayRouteTableId: hub.routeTableId(route.domain),
        destinationCidrBlock: route.destinationCidr,
        ...(route.kind === 'static' ? { transitGatewayAttachmentId: this.attachmentId } : { blackhole: true }),
      });
      registry.claimRoute(route.domain, route.destinationCidr, route.kind, created.node.path);
    }
  }

  private subnets(groupName: string): ec2.ISubnet[] {
    return subnetsOfGroup(this.vpc, groupName);
  }

  private subnetInZone(groupName: string, zone: string): ec2.ISubnet {
    return subnetInZone(this, this.vpc, groupName, zone);
  }
}
