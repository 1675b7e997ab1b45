import {
  Annotations,
  Token,
  aws_ec2 as ec2,
  aws_kms as kms,
  aws_networkfirewall as networkfirewall,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { contains, parseCidr } from './private/cidr';
import { validateEastWestInspectionProps } from './private/east-west-inspection-validation';
import {
  createApplianceModeAttachment, createFirewall, firewallEndpointIdIn, firewallKey, homeNet, subnetInZone, subnetsOfGroup,
} from './private/firewall-vpc';
import { addAllTrafficFlowLog } from './private/flow-logs';
import { HubRegistry } from './private/hub-registry';
import { ALLOWED_FLOWBIT, allowsAnyToAny, createInspectionFirewallPolicy, parseSuricataRule } from './private/inspection-firewall-policy';
import { ignoreNamedZones, ignoreRestrictDefaultSgHandlerDependsOn } from './private/vpc-lint-findings';
import { ITransitHub } from './transit-hub';

/** The protocol of an allowed east-west flow. */
export enum FlowProtocol {
  /** TCP, matched on its destination ports. */
  TCP = 'tcp',
  /** UDP, matched on its destination ports. */
  UDP = 'udp',
  /** ICMP, which has no ports. */
  ICMP = 'icmp',
}

/** A flow between VPCs of inspected domains that the east-west firewall allows. */
export interface AllowedFlow {
  /**
   * The name of the flow, for example `lib-to-directory`: 1 to 64 letters, digits, dots,
   * underscores and hyphens, unique among the flows.
   *
   * It appears in the message of the flow's alerts.
   */
  readonly name: string;

  /** The IPv4 CIDR blocks that may open the connection, /8 or smaller, for example `["10.64.32.0/19"]`. */
  readonly sourceCidrs: string[];

  /** The IPv4 CIDR blocks that may be reached, /8 or smaller, for example `["10.64.0.0/22"]`. */
  readonly destinationCidrs: string[];

  /** The protocol of the flow. */
  readonly protocol: FlowProtocol;

  /**
   * The destination ports, from 1 to 65535, for example `[443, 636]`.
   *
   * Required for TCP and UDP; leave it out for ICMP, which has no ports.
   *
   * @default - no ports, for ICMP only
   */
  readonly destinationPorts?: number[];
}

/** Properties of an east-west inspection VPC. */
export interface EastWestInspectionProps {
  /**
   * The transit hub whose inspected connections pass this firewall.
   *
   * Pass the `TransitHub` itself, in the hub's own account, not an imported hub. Create the
   * inspection before the VPCs of the domains its routing policy inspects, because those
   * VPCs route through it when they connect.
   */
  readonly hub: ITransitHub;

  /**
   * The CIDR block of the inspection VPC, from /16 to /25, for example `10.0.254.0/25`.
   *
   * The VPC has two subnets of /28 in each of its three zones. The block may lie inside one
   * of `internalCidrs` or outside all of them, but no internal range may equal it or lie
   * inside it. It must not overlap any VPC on the hub. Blocks that overlap 0.0.0.0/8,
   * loopback (127.0.0.0/8), link-local (169.254.0.0/16), multicast (224.0.0.0/4) or the
   * reserved 240.0.0.0/4 are rejected.
   */
  readonly cidr: string;

  /**
   * The tier's supernets: the address ranges of the VPCs behind the hub, for example `["10.64.0.0/14"]`.
   *
   * They become the firewall's HOME_NET, with the inspection VPC's block when no range
   * contains it. Only private ranges are accepted (inside 10.0.0.0/8, 172.16.0.0/12,
   * 192.168.0.0/16 or 100.64.0.0/10). The list must be a literal list; its entries may be tokens.
   */
  readonly internalCidrs: string[];

  /**
   * The log archive bucket.
   *
   * The VPC flow logs go under `vpc-flow-logs/<tierName>/east-west-inspection/`, and the
   * firewall's alert and flow logs under `network-firewall/<tierName>/east-west-alert/`
   * and `network-firewall/<tierName>/east-west-flow/`. Its bucket policy (and key policy,
   * if it uses SSE-KMS) must let `delivery.logs.amazonaws.com` write.
   */
  readonly logBucket: s3.IBucket;

  /**
   * The flows between inspected domains that the firewall allows; it drops the rest.
   *
   * Each flow is allowed in the direction given, and its replies with it. The firewall
   * marks a connection of an allowed flow at its first packet and logs that packet as an
   * alert naming the flow, so the alert log records who reached what, once per connection.
   * The managed threat signature groups still inspect every packet of the connection.
   *
   * Each flow's rule is about 200 bytes of the CloudFormation template, and the rules of
   * all flows and additional rules may take at most 400,000 bytes, about 2,000 flows.
   *
   * @default - no flow is allowed: every connection between inspected domains is dropped,
   * unless `additionalSuricataRules` allow it or `passUnmatchedTraffic` is on
   */
  readonly allowedFlows?: AllowedFlow[];

  /**
   * Further rules in Suricata format, one rule in each string, evaluated in order after the
   * managed threat signature groups and before `allowedFlows`.
   *
   * Each rule starts with its action (`pass`, `drop`, `alert` or `reject`), has one `sid:`
   * option and ends with `;)`, for example
   * `drop tcp any any -> any 23 (msg:"Telnet"; sid:100001; rev:1;)`. A sid is from 1 to
   * 4294967294, and the sids 1000000 to 1999999 are reserved for the rules the construct
   * writes. A `;` inside a quoted value needs a backslash (`\;`), and the only variables
   * are `$HOME_NET` and `$EXTERNAL_NET`. Use them for what
   * `allowedFlows` cannot express, such as port ranges or exceptions to an allowed flow.
   *
   * To allow traffic, set the flowbit `EastWestInspection.ALLOWED_FLOWBIT` on its flow, as
   * the allowed flows do, for example
   * `alert tcp [10.1.0.0/16] any -> [10.2.0.0/16] 8000:8099 (msg:"App ports"; flow:to_server; flowbits:set,east_west_allowed; flowbits:noalert; sid:100002; rev:1;)`.
   * A `pass` rule also allows traffic, but Network Firewall then stops inspecting the rest
   * of each flow it matches, so the managed threat signatures no longer see that flow.
   * Synth warns about each `pass` rule while the managed groups are on.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-examples.html
   */
  readonly additionalSuricataRules?: string[];

  /**
   * Whether the AWS managed threat signature rule groups for exploits, scanners, malware,
   * botnets and web attacks come first in the policy, in drop mode.
   *
   * They inspect every packet of every allowed flow, because none of the rules the
   * construct writes passes traffic. The construct reserves an estimated 14,600 of the
   * policy's 30,000 stateful capacity units for them, which leaves about 15,400 for one rule
   * per allowed flow and per additional rule, plus the closing rule. Turn them off only to
   * make room for more rules.
   *
   * @default true
   * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/aws-managed-rule-groups-threat-signature.html
   */
  readonly managedThreatSignatures?: boolean;

  /**
   * Whether traffic that no rule allows is passed and logged as an alert, instead of dropped.
   *
   * A relaxation for the first weeks of a migration to inspection: the alert log then shows
   * the flows that `allowedFlows` still lacks, one alert for the first packet of each, without
   * cutting them off. Synth warns while it is on. The managed threat signature groups and the
   * drop rules of `additionalSuricataRules` still drop what they match.
   *
   * @default false
   */
  readonly passUnmatchedTraffic?: boolean;

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
   * because CloudFormation has no property for it. The firewall policy and its rule group
   * stay on an AWS owned key. Pass the key itself, in the stack's region, not an alias.
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

/** The names of the inspection VPC's subnet groups, for `vpc.selectSubnets({ subnetGroupName })`. */
const SUBNET_GROUP = {
  firewall: 'firewall',
  transit: 'transit',
};

const ANY_IPV4 = '0.0.0.0/0';
const WARNING_PREFIX = '@ssd-platform/transit-network:';

/**
 * The east-west inspection VPC of a transit hub: an AWS Network Firewall between the VPCs
 * of the domains that the hub's routing policy inspects.
 *
 * The hub sends traffic between inspected domains here instead of straight to its
 * destination: each inspected domain's route table has a static route for each VPC of
 * the other domain to this VPC's attachment. Traffic arrives in the transit subnets, passes
 * the firewall endpoint of the same zone, and returns to the hub from the firewall subnets.
 * The attachment is associated with a route table of its own, into which the VPCs of
 * inspected domains propagate, so traffic leaving the firewall finds its destination.
 * The attachment uses appliance mode, so that the transit gateway keeps both directions
 * of a flow in one zone and one endpoint inspects both.
 *
 * The firewall evaluates its rules in strict order. The AWS managed threat signature groups
 * come first, then `additionalSuricataRules`. Next, one rule for each allowed flow marks the
 * flow with a flowbit at its first packet. Last, a closing rule drops every packet of a flow
 * without that flowbit and logs it as an alert. With `passUnmatchedTraffic`, the closing
 * rule instead logs the first packet of each such flow and passes the flow. No rule the
 * construct writes passes traffic, so the signatures inspect every packet of the allowed
 * flows, in both directions. The VPC has no internet gateway and no NAT gateway.
 *
 * The hub's address checks include the inspection VPC's block, because the VPC's local
 * route would keep traffic for an overlapping VPC inside the inspection VPC.
 *
 * The names of the firewall, its policy and its rule group start with
 * `<tierName>-east-west`, and Network Firewall names are unique in an account and region,
 * so each tier has one east-west inspection there.
 */
export class EastWestInspection extends Construct {
  /**
   * The flowbit that marks a flow as allowed.
   *
   * The rule of each allowed flow sets it, and the firewall drops every packet of a flow
   * without it. An additional Suricata rule that sets it, with `flowbits:set,east_west_allowed;`,
   * allows its flow and keeps it under inspection.
   */
  public static readonly ALLOWED_FLOWBIT: string = ALLOWED_FLOWBIT;

  /**
   * The inspection VPC.
   *
   * Its subnet groups are `firewall` (the firewall endpoints) and `transit` (the transit
   * gateway attachment).
   */
  public readonly vpc: ec2.IVpc;

  /** The ID of the inspection VPC's transit gateway attachment, the target of the hub's inspection routes. */
  public readonly attachmentId: string;

  /** The ID of the transit gateway route table associated with the inspection attachment. */
  public readonly routeTableId: string;

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

  constructor(scope: Construct, id: string, props: EastWestInspectionProps) {
    super(scope, id);
    this.availabilityZones = validateEastWestInspectionProps(scope, id, this, props).availabilityZones;

    const hub = props.hub;
    const namePrefix = `${hub.tierName}-east-west`;
    const deleteProtection = props.deleteProtection ?? true;
    this.vpcFlowLogPrefix = `vpc-flow-logs/${hub.tierName}/east-west-inspection`;
    this.firewallAlertLogPrefix = `network-firewall/${hub.tierName}/east-west-alert`;
    this.firewallFlowLogPrefix = `network-firewall/${hub.tierName}/east-west-flow`;

    const vpcName = `${hub.tierName}-east-west-inspection`;
    const vpc = this.createVpc(props.cidr, vpcName);
    addAllTrafficFlowLog(vpc, props.logBucket, this.vpcFlowLogPrefix);
    this.vpc = vpc;

    // Registering the attachment and its route table lets the VPCs of inspected domains
    // route through this VPC when they connect to the hub.
    const attachment = this.createAttachment(hub);
    this.attachmentId = attachment.ref;
    this.routeTableId = this.createHubRouteTable(hub, attachment).ref;
    HubRegistry.of(hub).claimInspection({ path: this.node.path, attachmentId: this.attachmentId, routeTableId: this.routeTableId });
    // The inspection VPC belongs to no routing domain, but it is attached to the hub, so the
    // hub's address checks compare its block with the other VPCs at synth time.
    HubRegistry.of(hub).addVpc({ name: vpcName, cidr: props.cidr, path: this.node.path });

    this.encryptionKey = firewallKey(this, props.encryptionKey, `Encrypts the east-west inspection firewall of the ${hub.tierName} tier`);

    const { policy } = createInspectionFirewallPolicy(this, {
      namePrefix,
      homeNet: homeNet(props.internalCidrs, props.cidr),
      allowedFlows: (props.allowedFlows ?? []).map((flow) => ({ ...flow, destinationPorts: flow.destinationPorts ?? [] })),
      additionalRules: (props.additionalSuricataRules ?? []).map((rule) => rule.trim()),
      managedThreatSignatures: props.managedThreatSignatures ?? true,
      passUnmatchedTraffic: props.passUnmatchedTraffic ?? false,
    });
    this.firewallPolicyArn = policy.attrFirewallPolicyArn;

    this.firewall = createFirewall(this, {
      namePrefix,
      description: `East-west inspection for the ${hub.tierName} tier`,
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

    this.addVpcRoutes(hub, attachment);
    this.addWarnings(props);
  }

  /**
   * Returns the ID of the firewall endpoint in an availability zone of the VPC, as a
   * value that resolves at deploy time.
   */
  public firewallEndpointId(availabilityZone: string): string {
    return firewallEndpointIdIn(this, 'inspection VPC', this.firewall, this.availabilityZones, availabilityZone);
  }

  private createVpc(cidr: string, name: string): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: name,
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones: this.availabilityZones,
      restrictDefaultSecurityGroup: true,
      createInternetGateway: false,
      natGateways: 0,
      subnetConfiguration: [
        { name: SUBNET_GROUP.firewall, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
        { name: SUBNET_GROUP.transit, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
      ],
    });

    // The zones are named instead of looked up with Fn::GetAZs, because the routes find
    // each zone's firewall endpoint by splitting on the zone's name, and Fn::Split takes
    // only a literal delimiter.
    ignoreNamedZones(vpc.isolatedSubnets);
    ignoreRestrictDefaultSgHandlerDependsOn(this);
    return vpc;
  }

  private createAttachment(hub: ITransitHub): ec2.CfnTransitGatewayVpcAttachment {
    return createApplianceModeAttachment(this, hub.transitGatewayId, this.vpc, this.subnets(SUBNET_GROUP.transit), `${hub.tierName}-east-west-inspection`);
  }

  /**
   * Creates the route table of the inspection attachment on the hub's transit gateway.
   *
   * The attachment propagates nowhere: no domain routes to the inspection VPC's own block,
   * only to the VPCs behind it through the static routes of the inspected domains.
   */
  private createHubRouteTable(hub: ITransitHub, attachment: ec2.CfnTransitGatewayVpcAttachment): ec2.CfnTransitGatewayRouteTable {
    const routeTable = new ec2.CfnTransitGatewayRouteTable(this, 'RouteTable', {
      transitGatewayId: hub.transitGatewayId,
      tags: [
        { key: 'Name', value: `${hub.tierName}-inspection` },
        { key: 'RoutingDomain', value: 'inspection' },
      ],
    });
    new ec2.CfnTransitGatewayRouteTableAssociation(this, 'RouteTableAssociation', {
      transitGatewayAttachmentId: attachment.ref,
      transitGatewayRouteTableId: routeTable.ref,
    });
    return routeTable;
  }

  /**
   * Routes traffic from the hub through the firewall endpoint of its zone and back: the
   * transit subnets send everything to the endpoint, and the firewall subnets send
   * everything to the hub.
   */
  private addVpcRoutes(hub: ITransitHub, attachment: ec2.CfnTransitGatewayVpcAttachment): void {
    for (const zone of this.availabilityZones) {
      const transitSubnet = this.subnetInZone(SUBNET_GROUP.transit, zone);
      const firewallSubnet = this.subnetInZone(SUBNET_GROUP.firewall, zone);

      new ec2.CfnRoute(transitSubnet, 'DefaultRouteToFirewall', {
        routeTableId: transitSubnet.routeTable.routeTableId,
        destinationCidrBlock: ANY_IPV4,
        vpcEndpointId: this.firewallEndpointId(zone),
      });

      const toHub = new ec2.CfnRoute(firewallSubnet, 'DefaultRouteToHub', {
        routeTableId: firewallSubnet.routeTable.routeTableId,
        destinationCidrBlock: ANY_IPV4,
        transitGatewayId: hub.transitGatewayId,
      });
      // A route to a transit gateway fails until the VPC is attached to it.
      toHub.addDependency(attachment);
    }
  }

  private addWarnings(props: EastWestInspectionProps): void {
    const annotations = Annotations.of(this);
    if (props.passUnmatchedTraffic === true) {
      annotations.addWarningV2(`${WARNING_PREFIX}eastWestUnmatchedTrafficPassed`,
        'passUnmatchedTraffic is on: traffic between inspected domains that no rule allows is logged as an alert and passed, not dropped. '
        + 'Add the flows the alert log shows to allowedFlows, then turn it off.');
    } else if ((props.allowedFlows ?? []).length === 0 && (props.additionalSuricataRules ?? []).length === 0) {
      annotations.addWarningV2(`${WARNING_PREFIX}eastWestNoAllowedFlows`,
        'allowedFlows is empty, so the firewall drops every connection between the domains the hub\'s routing policy inspects. '
        + 'List the flows they need, or turn on passUnmatchedTraffic while you find them.');
    }
    if (props.managedThreatSignatures === false) {
      annotations.addWarningV2(`${WARNING_PREFIX}eastWestThreatSignaturesOff`,
        'managedThreatSignatures is off: the firewall filters by address, protocol and port only, and no AWS managed threat signatures '
        + 'inspect traffic between inspected domains.');
    }
    (props.additionalSuricataRules ?? []).forEach((rule, index) => {
      if (allowsAnyToAny(parseSuricataRule(rule.trim()))) {
        annotations.addWarningV2(`${WARNING_PREFIX}eastWestRuleAllowsAnyToAny`,
          `additionalSuricataRules[${index}] allows traffic from any address to any address (a pass rule, or one that sets `
          + `flowbits:set,${ALLOWED_FLOWBIT};), so every flow its protocol and ports match passes between the inspected domains. `
          + 'Narrow its source and destination to the ranges that need it.');
      }
    });
    if (props.managedThreatSignatures !== false) {
      (props.additionalSuricataRules ?? []).forEach((rule, index) => {
        if (/^pass\s/.test(rule.trim())) {
          annotations.addWarningV2(`${WARNING_PREFIX}eastWestPassRuleSkipsInspection`,
            `additionalSuricataRules[${index}] is a pass rule: Network Firewall stops inspecting each flow it matches, so the managed threat `
            + 'signatures do not see the rest of that flow. To allow the traffic and keep it inspected, make it an alert rule with '
            + `flowbits:set,${ALLOWED_FLOWBIT}; and flowbits:noalert;.`);
        }
      });
    }
    if (!props.hub.routingPolicy.hasInspection) {
      annotations.addWarningV2(`${WARNING_PREFIX}eastWestNothingInspected`,
        `The routing policy of transit hub ${props.hub.node.path} inspects no connection, so no traffic reaches this firewall. `
        + 'Set inspected on the connections to inspect, for example with RoutingPolicy.platformDefaultWithInspection().');
    }
    for (const { path, cidr } of flowCidrsOutsideInternalRanges(props)) {
      annotations.addWarningV2(`${WARNING_PREFIX}eastWestFlowOutsideInternalRanges`,
        `${path} ${cidr} lies outside every internal range (${props.internalCidrs.join(', ')}). Only traffic between VPCs on the hub `
        + 'reaches this firewall, so the flow may name a wrong range.');
    }
  }

  private subnets(groupName: string): ec2.ISubnet[] {
    return subnetsOfGroup(this.vpc, groupName);
  }

  private subnetInZone(groupName: string, zone: string): ec2.ISubnet {
    return subnetInZone(this, this.vpc, groupName, zone);
  }
}

/**
 * Lists the concrete CIDR blocks of the allowed flows that lie outside every internal
 * range. Nothing is listed when an internal range is a token, because the block may lie inside it.
 */
function flowCidrsOutsideInternalRanges(props: EastWestInspectionProps): Array<{ path: string; cidr: string }> {
  if (props.internalCidrs.some((cidr) => Token.isUnresolved(cidr))) {
    return [];
  }
  const internal = props.internalCidrs.map((cidr) => parseCidr(cidr)!);
  const outside: Array<{ path: string; cidr: string }> = [];
  (props.allowedFlows ?? []).forEach((flow, index) => {
    for (const list of ['sourceCidrs', 'destinationCidrs'] as const) {
      flow[list].forEach((cidr, position) => {
        const block = Token.isUnresolved(cidr) ? undefined : parseCidr(cidr);
        if (block !== undefined && !internal.some((range) => contains(range, block))) {
          outside.push({ path: `allowedFlows[${index}].${list}[${position}]`, cidr });
        }
      });
    }
  });
  return outside;
}
