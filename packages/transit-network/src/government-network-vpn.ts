import { Annotations, Token, aws_ec2 as ec2, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { connectAttachment } from './private/attachment-routing';
import { formatCidr, parseCidr } from './private/cidr';
import { EncryptedLogGroup, createEncryptedLogGroup } from './private/encrypted-log-group';
import { HubRegistry } from './private/hub-registry';
import { cidrRouteId } from './private/route-ids';
import { PropsValidator, pascalCase } from './private/validation';
import { lookUpVpnAttachmentId } from './private/vpn-attachment-lookup';
import { TUNNEL_CRYPTOGRAPHY } from './private/vpn-tunnel';
import { DEFAULT_STATIC_ROUTING_ASN, splitAsn, validateGovernmentNetworkVpnProps } from './private/vpn-validation';
import { RoutingDomain } from './routing-domain';
import type { ITransitHub } from './transit-hub';

/** The source of the government network's address ranges in the transit gateway: BGP or a static list. */
export enum VpnRouting {
  /**
   * Dynamic routing: the government devices advertise their ranges over BGP, and the
   * transit gateway spreads traffic over every tunnel that is up, because the hub has
   * VPN ECMP support on.
   */
  BGP = 'bgp',

  /**
   * Static routing: the government ranges are given as `staticRoutes`, and the transit
   * gateway sends them to the first customer gateway's VPN connection only.
   */
  STATIC = 'static',
}

/** A government-side VPN device, which AWS calls a customer gateway. */
export interface CustomerGatewaySpec {
  /**
   * The device's name, in lower-case kebab case, unique in this VPN, for example
   * `gsi-london-1`.
   *
   * Used in construct IDs, Name tags and the customer gateway's device name (with the tier
   * and domain in front), so renaming a device replaces its VPN connection.
   */
  readonly name: string;

  /**
   * The static public IPv4 address of the device's outside interface, or of the NAT device
   * in front of it.
   */
  readonly ipAddress: string;

  /**
   * The BGP autonomous system number of the device, public or private, from 1 to
   * 4294967294.
   *
   * Required with `VpnRouting.BGP`, because it must match the device's own configuration.
   * AWS reserves 7224 in every region, and 9059, 10124 and 17943 in eu-west-1,
   * ap-northeast-1 and ap-southeast-1. It must differ from the hub's Amazon-side ASN.
   *
   * @default - 65000 with `VpnRouting.STATIC`, which AWS records but never uses
   * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html
   */
  readonly bgpAsn?: number;
}

/** Properties of the VPN to the government network. */
export interface GovernmentNetworkVpnProps {
  /**
   * The transit hub of the tier, in this stack's account and region.
   *
   * The VPN attachments are placed in one of its government-network DMZ routing domains,
   * which only the hub's own account can do.
   */
  readonly hub: ITransitHub;

  /**
   * The government-network DMZ domain whose traffic the VPN carries:
   * `GOVERNMENT_NETWORK_MANAGEMENT_DMZ` for administration of the management VPCs, or
   * `GOVERNMENT_NETWORK_BUSINESS_DMZ` for business users of the business applications.
   *
   * Management and business traffic each need a VPN of their own, on separate devices or
   * at least separate BGP ASNs, so that they never share a route table. A device address
   * and ASN that a VPN of the other domain on the same hub already uses is rejected.
   */
  readonly domain: RoutingDomain;

  /**
   * The government-side devices, one VPN connection (two tunnels) each.
   *
   * Give two or more devices, so that the VPN survives the loss of one. With one, the
   * construct warns. It also warns above 50, the default quota of Site-to-Site VPN
   * connections in a Region.
   */
  readonly customerGateways: CustomerGatewaySpec[];

  /** The source of the government network's ranges: BGP, or `staticRoutes`. */
  readonly routing: VpnRouting;

  /**
   * The government network's private address ranges, with `VpnRouting.STATIC` only.
   *
   * Each range gets a static route in the route table of every routing domain that the
   * hub's policy connects to the government-network DMZ. A range that overlaps a VPC
   * attached to the hub, or a prefix that a Direct Connect link on the hub advertises, is
   * rejected: at construction for what the hub has recorded then, at synth time for the rest.
   *
   * @default - none; required with `VpnRouting.STATIC`
   */
  readonly staticRoutes?: string[];

  /**
   * The retention period of the tunnel log.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The customer managed key that encrypts the tunnel log.
   *
   * A key of this app gets a key policy statement that lets CloudWatch Logs use it for
   * the log group. The policy of an imported key cannot be changed from here, so the
   * construct warns and prints the statement to add.
   *
   * @default - a new key with yearly rotation, retained when the stack is deleted, whose
   * key policy lets only AWS services create grants on it
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Site-to-Site VPN connections from a tier's transit hub to the government network, the
 * backup path beside Direct Connect.
 *
 * Each customer gateway gets a VPN connection on the hub's transit gateway. Both tunnels
 * accept IKEv2 only, AES-256 (GCM or CBC), SHA-384 or SHA-512, and Diffie-Hellman groups
 * 20 or 21 (ECP-384, ECP-521) in both phases, start negotiating without waiting for the
 * device, and restart after a dead peer detection timeout. Tunnel activity is logged as
 * JSON to a log group encrypted with a customer managed key. The pre-shared keys are
 * kept in AWS Secrets Manager.
 *
 * Each VPN attachment is placed in the government-network DMZ routing domain given by
 * `domain`. It is associated with that domain's route table, so traffic from the
 * government network reaches only the domains connected to it. It is also propagated into the route tables
 * of those domains. With BGP, that propagation carries the government ranges to them.
 * With static routing, propagation carries nothing, so the ranges are added as static routes.
 *
 * NOTE: with BGP, the transit gateway installs every prefix the government devices
 * advertise in the connected domains' route tables, without a filter. Agree the
 * advertised prefixes with the government network's operators.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpn-attachments.html
 */
export class GovernmentNetworkVpn extends Construct {
  /** The IDs of the VPN connections, in the order of `customerGateways`. */
  public readonly vpnConnectionIds: string[] = [];

  /** The IDs of the VPN connections' transit gateway attachments, in the order of `customerGateways`. */
  public readonly attachmentIds: string[] = [];

  /** The log group that receives the tunnel logs of every VPN connection. */
  public readonly logGroup: logs.ILogGroup;

  /** The customer managed key that encrypts the tunnel log. */
  public readonly encryptionKey: kms.IKey;

  /** The government-network DMZ domain the VPN attachments are placed in. */
  public readonly domain: RoutingDomain;

  constructor(scope: Construct, id: string, props: GovernmentNetworkVpnProps) {
    super(scope, id);
    validateGovernmentNetworkVpnProps(scope, id, this, props);
    const hub = props.hub;
    this.domain = props.domain;

    const log = createEncryptedLogGroup(this, {
      namePrefix: '/ssd-platform/site-to-site-vpn',
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      key: props.encryptionKey,
      logName: 'tunnel log',
      owner: 'the Site-to-Site VPN',
      keyPolicyWarningId: '@ssd-platform/transit-network:governmentVpnLogKeyPolicy',
    });
    this.logGroup = log.logGroup;
    this.encryptionKey = log.key;

    for (const spec of props.customerGateways) {
      const { vpnConnectionId, attachmentId } = this.addConnection(hub, spec, props.routing, log);
      this.vpnConnectionIds.push(vpnConnectionId);
      this.attachmentIds.push(attachmentId);
    }

    if (props.routing === VpnRouting.STATIC) {
      this.addStaticRoutes(hub, props.staticRoutes ?? []);
    }
    this.recordInHub(hub, props);
    this.warnAboutResilience(props);
    this.warnAboutQuota(props);
  }

  /** Creates one customer gateway and its VPN connection, and places the attachment in the VPN's government-network DMZ domain. */
  private addConnection(hub: ITransitHub, spec: CustomerGatewaySpec, routing: VpnRouting, log: EncryptedLogGroup): ConnectionIds {
    // The name is the construct ID, so that reordering the list replaces nothing.
    const scope = new Construct(this, spec.name);
    const tagName = `${hub.tierName}-${this.domain}-${spec.name}`;

    const customerGateway = new ec2.CfnCustomerGateway(scope, 'CustomerGateway', {
      type: 'ipsec.1',
      ipAddress: spec.ipAddress,
      // CreateCustomerGateway returns the existing gateway for a second request with the
      // same address, ASN and device name. The name carries the tier and domain, so that a
      // VPN of another tier or domain on the same device gets a gateway of its own.
      deviceName: tagName,
      ...splitAsn(spec.bgpAsn ?? DEFAULT_STATIC_ROUTING_ASN),
      tags: [{ key: 'Name', value: tagName }],
    });

    const tunnel: ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty = {
      ...TUNNEL_CRYPTOGRAPHY,
      logOptions: { cloudwatchLogOptions: { logEnabled: true, logGroupArn: log.logGroupArn, logOutputFormat: 'json' } },
    };
    const connection = new ec2.CfnVPNConnection(scope, 'Resource', {
      type: 'ipsec.1',
      customerGatewayId: customerGateway.ref,
      transitGatewayId: hub.transitGatewayId,
      staticRoutesOnly: routing === VpnRouting.STATIC,
      // Secrets Manager keeps the pre-shared keys under IAM control, with each read in CloudTrail.
      preSharedKeyStorage: 'SecretsManager',
      vpnTunnelOptionsSpecifications: [tunnel, tunnel],
      tags: [{ key: 'Name', value: tagName }],
    });
    // NOTE: no deployment has yet confirmed that Site-to-Site VPN accepts this ARN form
    // (without `:*`), or which extra permissions the deploying role needs for Secrets Manager
    // key storage and for tunnel log delivery. The integration test's first real run will tell.
    // The tunnel options name the log group by its ARN, a string without a reference.
    connection.node.addDependency(log.logGroup);

    const attachmentId = lookUpVpnAttachmentId(scope, 'AttachmentLookup', connection, hub.transitGatewayId);
    connectAttachment(new Construct(scope, 'Routing'), hub, attachmentId, this.domain);
    return { vpnConnectionId: connection.ref, attachmentId };
  }

  /**
   * Adds a static route to each government range in the route table of every domain that
   * the policy connects to the government-network DMZ.
   *
   * The routes go in those domains' tables, not the government-network DMZ's own: a
   * packet is routed by the table of the attachment it arrives on, so traffic from a
   * management VPC to the government network follows the management table. The
   * government-network DMZ's table routes the replies, which the VPCs' propagations
   * already cover. A static VPN attachment propagates no routes, so without these the
   * government ranges would be unreachable.
   *
   * A route table contains one static route for each destination, pointing at one
   * attachment, so every route targets the first customer gateway's connection.
   */
  private addStaticRoutes(hub: ITransitHub, staticRoutes: string[]): void {
    const scope = new Construct(this, 'StaticRoutes');
    const target = this.attachmentIds[0];
    const domains = hub.routingPolicy.peersOf(this.domain).filter((domain) => domain !== this.domain);

    const registry = HubRegistry.of(hub);
    const validator = new PropsValidator(`GovernmentNetworkVpn routes in transit hub ${hub.node.path}, added by ${scope.node.path}`);
    for (const domain of domains) {
      for (const cidr of staticRoutes) {
        const problem = registry.routeProblem(domain, cidr);
        if (problem !== undefined) {
          validator.fail(`staticRoutes: ${problem}`);
        }
      }
    }
    validator.throwIfInvalid();

    for (const domain of domains) {
      staticRoutes.forEach((cidr, index) => {
        const route = new ec2.CfnTransitGatewayRoute(scope, `${routeId(cidr, index)}In${pascalCase(domain)}`, {
          transitGatewayRouteTableId: hub.routeTableId(domain),
          destinationCidrBlock: cidr,
          transitGatewayAttachmentId: target,
        });
        registry.claimRoute(domain, cidr, 'static', route.node.path);
      });
    }
  }

  /**
   * Records the government ranges and devices in the hub's registry, so that later VPCs
   * are compared with the ranges at synth time and later VPNs with the devices.
   */
  private recordInHub(hub: ITransitHub, props: GovernmentNetworkVpnProps): void {
    const registry = HubRegistry.of(hub);
    if (props.routing === VpnRouting.STATIC) {
      registry.addGovernmentRoutes({ path: this.node.path, cidrs: props.staticRoutes ?? [] });
    }
    for (const spec of props.customerGateways) {
      const asn = spec.bgpAsn ?? DEFAULT_STATIC_ROUTING_ASN;
      if (!Token.isUnresolved(spec.ipAddress) && !Token.isUnresolved(asn)) {
        registry.addCustomerGateway({ path: this.node.path, name: spec.name, domain: this.domain, ipAddress: spec.ipAddress, asn });
      }
    }
  }

  private warnAboutResilience(props: GovernmentNetworkVpnProps): void {
    if (props.customerGateways.length === 1) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:governmentVpnSingleCustomerGateway',
        `The VPN to the government network has one customer gateway (${props.customerGateways[0].name}). Its two tunnels end on two AWS `
        + 'endpoints, but the government side has a single device, so losing that device cuts the backup path. '
        + 'Add a second device to customerGateways.');
    }
    if (props.routing === VpnRouting.STATIC && props.customerGateways.length > 1) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:governmentVpnStaticRoutingNoFailover',
        `With static routing, traffic to the government network goes through the first customer gateway (${props.customerGateways[0].name}) only, `
        + 'because a transit gateway route table holds one static route per destination. The other VPN connections carry nothing '
        + 'from AWS, and nothing fails over to them. Use VpnRouting.BGP to use every connection and fail over automatically.');
    }
  }

  private warnAboutQuota(props: GovernmentNetworkVpnProps): void {
    if (props.customerGateways.length > DEFAULT_VPN_CONNECTION_QUOTA) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:governmentVpnConnectionQuota',
        `customerGateways has ${props.customerGateways.length} devices, one VPN connection each, more than the default quota of `
        + `${DEFAULT_VPN_CONNECTION_QUOTA} Site-to-Site VPN connections (and of customer gateways) in a Region. The deployment fails unless the `
        + 'account\'s quotas were raised; request the increase through Service Quotas first, or use fewer devices.');
    }
  }
}

/**
 * The default quota of Site-to-Site VPN connections in a Region, which AWS can raise on
 * request. It counts every VPN connection of the account in the Region, so other VPNs
 * there use it up too.
 *
 * NOTE: not checked against the current Site-to-Site VPN quotas page,
 * https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-limits.html.
 */
const DEFAULT_VPN_CONNECTION_QUOTA = 50;

/** The IDs of one VPN connection and its transit gateway attachment. */
interface ConnectionIds {
  readonly vpnConnectionId: string;
  readonly attachmentId: string;
}

/**
 * Returns the construct ID part for a route to `cidr`, such as `Cidr10x200x0x0x16`.
 *
 * IDs follow the CIDR rather than its position, so reordering the list replaces no route.
 * The ID spells the block as `formatCidr` writes it.
 */
function routeId(cidr: string, index: number): string {
  const block = Token.isUnresolved(cidr) ? undefined : parseCidr(cidr);
  return cidrRouteId(block ? formatCidr(block) : cidr, index, 'GovernmentRange');
}
