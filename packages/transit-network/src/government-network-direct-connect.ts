import {
  Annotations, Aspects, CfnTag, Duration, Tokenization, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as cloudwatchActions,
  aws_directconnect as directconnect, aws_secretsmanager as secretsmanager, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { connectAttachment } from './private/attachment-routing';
import { unreachablePrefixesProblem, validateGovernmentNetworkDirectConnectProps } from './private/direct-connect-validation';
import { lookUpDirectConnectGatewayAttachmentId } from './private/dx-attachment-lookup';
import { HubRegistry } from './private/hub-registry';
import { RoutingDomain } from './routing-domain';
import type { ITransitHub } from './transit-hub';

/** Properties of a Direct Connect link to the government network. */
export interface GovernmentNetworkDirectConnectProps {
  /**
   * The transit hub of the tier, in this stack's account and region.
   *
   * The link's transit gateway attachment is placed in one of the hub's government-network
   * DMZ routing domains, which only the hub's own account can do.
   */
  readonly hub: ITransitHub;

  /**
   * The government-network DMZ domain whose traffic the link carries:
   * `GOVERNMENT_NETWORK_MANAGEMENT_DMZ` for administration of the management VPCs, or
   * `GOVERNMENT_NETWORK_BUSINESS_DMZ` for business users of the business applications.
   *
   * Management and business traffic each need a hosted connection of their own, so that
   * they never share a route table.
   */
  readonly domain: RoutingDomain;

  /**
   * The ID of the hosted connection that carries the link, `dxcon-` and 8 to 21 letters or
   * digits, or the ID of a link aggregation group, `dxlag-…`.
   *
   * The Direct Connect partner creates the hosted connection, and the hub's account
   * accepts it before this stack deploys. A hosted connection carries one virtual interface.
   */
  readonly connectionId: string;

  /**
   * The VLAN ID of the virtual interface, from 1 to 4094.
   *
   * For a hosted connection the partner assigns it; the Direct Connect console shows it
   * on the connection. Changing it replaces the virtual interface.
   */
  readonly vlan: number;

  /**
   * The private ASN of the Amazon side of the BGP session: the Direct Connect gateway's
   * ASN, from 64512 to 65534 or from 4200000000 to 4294967294.
   *
   * It must differ from the hub's transit gateway ASN, because AWS rejects the association
   * of a transit gateway and a Direct Connect gateway that have the same ASN. Agree it
   * with the government network operators, who configure it on their router. Changing it
   * replaces the Direct Connect gateway.
   *
   * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-transit-gateways.html
   */
  readonly amazonSideAsn: number;

  /**
   * The ASN of the government network's router on this link, from 1 to 4294967294: a
   * public ASN that the government network holds, or a private one (64512 to 65534 or
   * 4200000000 to 4294967294).
   *
   * It must differ from `amazonSideAsn` and from the hub's transit gateway ASN.
   */
  readonly customerAsn: number;

  /**
   * The AWS-side IPv4 ranges that the Direct Connect gateway advertises to the government
   * network: the ranges of the VPCs this domain reaches.
   *
   * Each entry is a private CIDR block without host bits, listed once. A transit gateway
   * advertises at most 200 prefixes over a transit virtual interface, so the list has at
   * most 200 entries. The government network has no route to ranges left out. Synth warns
   * about a prefix that covers only VPCs of domains the hub's policy keeps from `domain`.
   *
   * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/allowed-to-prefixes.html
   */
  readonly allowedPrefixes: string[];

  /**
   * The IPv4 address of the Amazon side of the BGP session, with the prefix length of its
   * /30 or /31 point-to-point subnet, for example `192.168.100.1/30`.
   *
   * Give it together with `customerAddress`, in the same subnet, as agreed with the partner.
   *
   * @default - AWS assigns both peer addresses from 169.254.0.0/16
   */
  readonly amazonAddress?: string;

  /**
   * The IPv4 address of the government network's router, with the prefix length of its
   * /30 or /31 point-to-point subnet, for example `192.168.100.2/30`.
   *
   * @default - AWS assigns both peer addresses from 169.254.0.0/16
   */
  readonly customerAddress?: string;

  /**
   * The secret whose value is the BGP MD5 authentication key, 6 to 80 characters, as
   * agreed with the government network operators.
   *
   * The template refers to the secret with a dynamic reference, so the key never appears in
   * it. CloudFormation reads the secret when it creates or updates the virtual interface
   * only: after rotating the key, update the stack and the government router together.
   *
   * @default - AWS generates a key, and the construct warns. The generated key must be read
   *   from the Direct Connect console and passed to the government network operators.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
   */
  readonly bgpAuthKey?: secretsmanager.ISecret;

  /**
   * The MTU of the virtual interface in bytes: 1500, or 8500 for jumbo frames.
   *
   * Jumbo frames work on a hosted connection only if the partner enabled them on its parent
   * connection. Switching to 8500 interrupts every virtual interface of the connection for
   * up to 30 seconds if AWS has to update the connection for jumbo frames.
   *
   * @default 1500
   */
  readonly mtuBytes?: number;

  /**
   * The SNS topic that the BGP status and connection state alarms notify when they go into
   * and out of alarm.
   *
   * @default - the alarms have no actions, and the construct warns
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * A Direct Connect link from a tier's transit hub to the government network, over one
 * hosted connection, for one government-network DMZ routing domain.
 *
 * Creates a Direct Connect gateway, associates it with the hub's transit gateway with an
 * explicit list of allowed prefixes, and creates a transit virtual interface on the hosted
 * connection with one IPv4 BGP peer. The gateway's transit gateway attachment is looked up
 * after the association and placed in the government-network DMZ domain given by
 * `domain`: it is associated with that domain's route table, so traffic from the
 * government network reaches only the domains connected to it, and propagated into the
 * route tables of those domains, which so learn the government ranges over BGP.
 *
 * Two CloudWatch alarms watch the link: the BGP status of the virtual interface and the
 * state of the connection.
 *
 * NOTE: the transit gateway installs every prefix the government router advertises in the
 * connected domains' route tables, without a filter. Agree the advertised prefixes with the
 * government network operators.
 *
 * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-transit-gateways.html
 */
export class GovernmentNetworkDirectConnect extends Construct {
  /** The ID of the Direct Connect gateway. */
  public readonly directConnectGatewayId: string;

  /** The ID of the association between the Direct Connect gateway and the hub's transit gateway. */
  public readonly associationId: string;

  /** The ID of the Direct Connect gateway's transit gateway attachment. */
  public readonly attachmentId: string;

  /** The ID of the transit virtual interface, `dxvif-…`. */
  public readonly virtualInterfaceId: string;

  /** The government-network DMZ domain the link is placed in. */
  public readonly domain: RoutingDomain;

  /** The alarm that goes off when the BGP session of the virtual interface is down. */
  public readonly bgpStatusAlarm: cloudwatch.IAlarm;

  /** The alarm that goes off when the hosted connection is down. */
  public readonly connectionStateAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: GovernmentNetworkDirectConnectProps) {
    super(scope, id);
    validateGovernmentNetworkDirectConnectProps(scope, id, this, props);
    const hub = props.hub;
    this.domain = props.domain;
    const name = `${hub.tierName}-${this.domain}`;
    const tags = [{ key: 'Name', value: name }, { key: 'RoutingDomain', value: this.domain }];

    const gateway = new directconnect.CfnDirectConnectGateway(this, 'Gateway', {
      directConnectGatewayName: name,
      amazonSideAsn: Tokenization.stringifyNumber(props.amazonSideAsn),
      tags,
    });
    this.directConnectGatewayId = gateway.attrDirectConnectGatewayId;

    // Only the allowed prefixes are advertised to the government network, whatever the
    // transit gateway's route tables contain.
    const association = new directconnect.CfnDirectConnectGatewayAssociation(this, 'Association', {
      directConnectGatewayId: this.directConnectGatewayId,
      associatedGatewayId: hub.transitGatewayId,
      allowedPrefixesToDirectConnectGateway: props.allowedPrefixes,
    });
    this.associationId = association.attrAssociationId;

    this.attachmentId = lookUpDirectConnectGatewayAttachmentId(this, 'AttachmentLookup', this.directConnectGatewayId, hub.transitGatewayId, association);
    connectAttachment(new Construct(this, 'Routing'), hub, this.attachmentId, this.domain);
    this.checkPrefixesAtSynth(hub, props.allowedPrefixes);

    const virtualInterface = this.createVirtualInterface(props, name, tags);
    this.virtualInterfaceId = virtualInterface.attrVirtualInterfaceId;

    // NOTE: the Direct Connect user guide lists IpAddressFamily among the dimensions of the
    // BGP metrics, but no deployment has yet confirmed that the metric is published with
    // exactly these three. With another set the alarm gets no data and so stays in alarm.
    this.bgpStatusAlarm = this.createAlarm('BgpStatusAlarm', props, new cloudwatch.Metric({
      namespace: 'AWS/DX',
      metricName: 'VirtualInterfaceBgpStatus',
      dimensionsMap: { ConnectionId: props.connectionId, VirtualInterfaceId: this.virtualInterfaceId, IpAddressFamily: 'ipv4' },
      statistic: 'Minimum',
      period: Duration.minutes(5),
    }), `The BGP session of the Direct Connect link ${name} to the government network is down.`);
    this.connectionStateAlarm = this.createAlarm('ConnectionStateAlarm', props, new cloudwatch.Metric({
      namespace: 'AWS/DX',
      metricName: 'ConnectionState',
      dimensionsMap: { ConnectionId: props.connectionId },
      statistic: 'Minimum',
      period: Duration.minutes(5),
    }), `The connection ${props.connectionId} of the Direct Connect link ${name} to the government network is down.`);

    this.warnAboutDefaults(props);
  }

  /** Creates the transit virtual interface on the hosted connection, with its one IPv4 BGP peer. */
  private createVirtualInterface(
    props: GovernmentNetworkDirectConnectProps, name: string, tags: CfnTag[],
  ): directconnect.CfnTransitVirtualInterface {
    const peer: directconnect.CfnTransitVirtualInterface.BgpPeerProperty = {
      addressFamily: 'ipv4',
      asn: Tokenization.stringifyNumber(props.customerAsn),
      amazonAddress: props.amazonAddress,
      customerAddress: props.customerAddress,
      // A dynamic reference: CloudFormation reads the secret at deploy time, and the key never enters the template.
      authKey: props.bgpAuthKey?.secretValue.unsafeUnwrap(),
    };

    return new directconnect.CfnTransitVirtualInterface(this, 'Resource', {
      virtualInterfaceName: name,
      connectionId: props.connectionId,
      directConnectGatewayId: this.directConnectGatewayId,
      vlan: props.vlan,
      mtu: props.mtuBytes ?? 1500,
      bgpPeers: [peer],
      // SiteLink would route between Direct Connect locations without passing through the
      // hub, outside the routing domains.
      enableSiteLink: false,
      tags,
    });
  }

  /**
   * Creates an alarm that goes off when `metric`, which is 1 while up and 0 while down,
   * stays below 1 for two 5-minute periods.
   *
   * Missing data counts as down: Direct Connect publishes the metric while the connection
   * or session exists, so no data means there is nothing to carry traffic.
   */
  private createAlarm(id: string, props: GovernmentNetworkDirectConnectProps, metric: cloudwatch.Metric, description: string): cloudwatch.IAlarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      alarmDescription: `${description} Traffic to the government network in this domain falls back to the Site-to-Site VPN, if there is one.`,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    if (props.alarmTopic !== undefined) {
      const action = new cloudwatchActions.SnsAction(props.alarmTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarm;
  }

  /**
   * Records the allowed prefixes in the hub's registry, so that VPN static routes are
   * compared with them, and warns at synth time, once every VPC is attached, about prefixes
   * that only cover VPCs the link's domain cannot reach.
   */
  private checkPrefixesAtSynth(hub: ITransitHub, allowedPrefixes: string[]): void {
    HubRegistry.of(hub).addAdvertisedPrefixes({ path: this.node.path, domain: this.domain, prefixes: allowedPrefixes });
    Aspects.of(this).add({
      visit: (node) => {
        if (node !== this) {
          return;
        }
        const problem = unreachablePrefixesProblem(hub, this.domain, allowedPrefixes);
        if (problem !== undefined) {
          Annotations.of(this).addWarningV2('@ssd-platform/transit-network:governmentDirectConnectUnreachablePrefix', problem);
        }
      },
    });
  }

  private warnAboutDefaults(props: GovernmentNetworkDirectConnectProps): void {
    if (props.bgpAuthKey === undefined) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:governmentDirectConnectNoBgpAuthKey',
        'bgpAuthKey is not set, so AWS generates the BGP MD5 key of the virtual interface. It is then readable by anyone allowed to describe '
        + 'virtual interfaces, and it must be copied from the Direct Connect console to the government router by hand. '
        + 'Store the agreed key in a Secrets Manager secret and pass it as bgpAuthKey.');
    }
    if (props.alarmTopic === undefined) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:governmentDirectConnectAlarmWithoutAction',
        'alarmTopic is not set, so the BGP status and connection state alarms of the Direct Connect link notify nobody. '
        + 'Pass the SNS topic of the network operators as alarmTopic.');
    }
  }
}
