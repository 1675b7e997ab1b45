import { Annotations, CfnOutput, Tags, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validateSegmentationScopesProps } from './private/segmentation-scopes-validation';
import { RoutingDomain } from './routing-domain';
import { ITransitHub } from './transit-hub';

/**
 * Two sets of VPC ranges whose traffic to each other the east-west inspection firewall
 * inspects, because the routing policy marks the connection of their domains `inspected`.
 */
export interface InspectedPair {
  /**
   * The CIDR blocks of the VPCs of one inspected domain, for example the management VPCs.
   *
   * Each range must lie inside `tierCidrs`.
   */
  readonly cidrs: string[];

  /**
   * The CIDR blocks of the VPCs of the other inspected domain, for example the
   * business-application VPCs.
   *
   * Must not overlap `cidrs`. Each range must lie inside `tierCidrs`.
   *
   * @default - the pair is inside one domain, such as management VPCs that reach each other
   * through the firewall. The scope then checks paths from each range of `cidrs` to the
   * others, so list each VPC's own range, at least two, as a literal list
   */
  readonly peerCidrs?: string[];
}

/**
 * Traffic that arrives from the government network over the Direct Connect and VPN
 * attachments of one government-network DMZ domain, and the ranges it may reach.
 */
export interface GovernmentNetworkTraffic {
  /**
   * The government-network DMZ domain whose attachments carry this traffic:
   * `GOVERNMENT_NETWORK_MANAGEMENT_DMZ` or `GOVERNMENT_NETWORK_BUSINESS_DMZ`.
   *
   * Each domain may appear once.
   */
  readonly domain: RoutingDomain;

  /**
   * The government-network ranges whose traffic enters over this DMZ, for example the
   * prefixes the government routers advertise over its Direct Connect and VPN links.
   *
   * Public ranges are accepted, because the government network is not bound to private
   * addresses. The ranges must not overlap `tierCidrs`, `otherTierCidrs` or the
   * `governmentCidrs` of the other DMZ, because the scope distinguishes the DMZs by source
   * address only.
   */
  readonly governmentCidrs: string[];

  /**
   * The ranges this traffic may reach: the CIDR blocks of the VPCs of the domains the
   * routing policy connects to this DMZ, such as the management VPCs for the management
   * DMZ and the business-application VPCs for the business DMZ.
   *
   * Each range must lie inside `tierCidrs`.
   */
  readonly allowedCidrs: string[];
}

/** Properties of the Network Access Analyzer scopes of one tier. */
export interface SegmentationScopesProps {
  /**
   * The transit hub of the tier whose segmentation the scopes check.
   *
   * Its tier name goes into each scope's Name tag and description.
   */
  readonly hub: ITransitHub;

  /**
   * This tier's supernets: every VPC of the tier lies inside one of them.
   *
   * Every scope checks paths that start from these addresses, and the tier isolation
   * scope also checks paths towards them.
   */
  readonly tierCidrs: string[];

  /**
   * The other tier's supernets: Production's for Non-Production, and the reverse.
   *
   * Must not overlap `tierCidrs`.
   */
  readonly otherTierCidrs: string[];

  /**
   * The CIDR blocks of the business-application VPCs of this tier, one for each benefit.
   *
   * Adds a scope whose findings are paths from one of these ranges to another. List each
   * VPC's own range, not a supernet that contains several VPCs, because traffic inside one
   * range is not checked. Each range must lie inside `tierCidrs`, and the ranges must not
   * overlap each other.
   *
   * @default - no scope checks that business-application VPCs stay apart
   */
  readonly businessApplicationCidrs?: string[];

  /**
   * The ARN of the egress DMZ's Network Firewall, for example `EgressDmz.firewallArn`.
   *
   * Paths from the tier to an internet gateway through this firewall are not findings.
   * The firewall must be in the account and Region where the analysis runs.
   *
   * @default - the tier has no internet egress, so every path from the tier to an
   * internet gateway is a finding
   */
  readonly egressFirewallArn?: string;

  /**
   * Ranges inside the tier whose own resources may reach an internet gateway without the
   * firewall, such as the ingress DMZ VPC, whose load balancers respond to clients
   * from public subnets.
   *
   * Paths that start from these addresses are not findings of the internet egress scope.
   * Traffic from other ranges that passes through these VPCs is still checked. Must not
   * overlap `businessApplicationCidrs`.
   *
   * @default - no range is exempt
   */
  readonly internetFacingCidrs?: string[];

  /**
   * The ARN of the east-west inspection firewall, for example `EastWestInspection.firewallArn`.
   *
   * Paths between the two sides of an inspected pair through this firewall are not
   * findings. Required with `inspectedPairs`, and must differ from `egressFirewallArn`.
   *
   * @default - no scope checks that inspected traffic passes the east-west firewall
   */
  readonly inspectionFirewallArn?: string;

  /**
   * The pairs of VPC ranges whose traffic to each other the east-west inspection firewall
   * inspects, for example the management VPCs and the business-application VPCs.
   *
   * Adds a scope whose findings are paths between the two sides of a pair, in either
   * direction, that do not pass through `inspectionFirewallArn`. Required with
   * `inspectionFirewallArn`.
   *
   * @default - no scope checks that inspected traffic passes the east-west firewall
   */
  readonly inspectedPairs?: InspectedPair[];

  /**
   * The government-network traffic of each government-network DMZ, and the ranges it may
   * reach.
   *
   * Adds a scope whose findings are paths from an entry's `governmentCidrs` to any address
   * outside its `allowedCidrs`. Paths that start at an internet gateway are not findings,
   * because traffic from the government network arrives over Direct Connect and VPN.
   *
   * @default - no scope checks where traffic from the government network goes
   */
  readonly governmentNetworkTraffic?: GovernmentNetworkTraffic[];
}

/** The resource type of internet gateways in a Network Access Analyzer resource statement. */
const INTERNET_GATEWAY_TYPE = 'AWS::EC2::InternetGateway';

/**
 * Network Access Analyzer scopes that check a tier's segmentation after deploy.
 *
 * The synth-time segmentation proof (`segmentation-check`) shows from the cloud assembly
 * that the tiers never reach each other, that business-application VPCs never reach each
 * other, and that traffic leaves for the internet only through the egress DMZ's Network
 * Firewall. It also shows that VPCs of inspected domains reach each other only through the
 * east-west inspection firewall, and that traffic from the government network reaches only
 * the domains the routing policy connects to its DMZ. This construct states the same
 * intents as Network Access Scopes, so that AWS can check them against the network as
 * deployed:
 *
 * - `tierIsolationScopeId`: paths from `tierCidrs` to `otherTierCidrs`, and from
 *   `otherTierCidrs` to `tierCidrs`.
 * - `businessApplicationIsolationScopeId`: paths from each of `businessApplicationCidrs`
 *   to any other of them. The scope has one match path for each range, so eleven
 *   benefits make one scope with eleven match paths, and one analysis checks all 110
 *   ordered pairs.
 * - `internetEgressScopeId`: paths from `tierCidrs` to an internet gateway that do not
 *   pass through `egressFirewallArn`.
 * - `eastWestInspectionScopeId`: paths between the two sides of each of `inspectedPairs`,
 *   in either direction, that do not pass through `inspectionFirewallArn`.
 * - `governmentNetworkScopeId`: paths from each entry's `governmentCidrs` to any address
 *   outside its `allowedCidrs`, except paths that start at an internet gateway.
 *
 * Each scope is also a stack output. After each deploy, an operator or a scheduled job
 * runs the analysis and reads its findings:
 *
 * ```sh
 * aws ec2 start-network-insights-access-scope-analysis --network-insights-access-scope-id nis-0123456789abcdef0
 * aws ec2 get-network-insights-access-scope-analysis-findings --network-insights-access-scope-analysis-id nisa-0123456789abcdef0
 * ```
 *
 * A scope without findings agrees with the synth-time proof. A finding is a path that the
 * deployed network allows and the proof rules out: a change made outside this code, or a
 * gap in the proof's model. Each scope's Description tag states what its findings mean.
 *
 * NOTE: Network Access Analyzer reports only paths whose resources are all in the account
 * and Region being analyzed, and only IPv4 TCP and UDP. In a tier whose spoke VPCs are in
 * other accounts than the hub, paths through the shared transit gateway are not reported,
 * so an analysis without findings does not prove those paths absent. It does not evaluate
 * firewall rules either: a path through the firewall is excluded whatever the rules say.
 *
 * NOTE: Network Access Analyzer produces no paths through resources associated with
 * AWS Direct Connect, so the government network scope cannot report traffic that enters
 * over a Direct Connect gateway attachment. It matches government traffic by source
 * address, and so can report paths that start at a transit gateway attachment, such as
 * a Site-to-Site VPN attachment. The AWS documentation lists transit gateway attachments
 * as path sources but does not name VPN attachments, and this was not tried against a
 * deployed network.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/how-network-access-analyzer-works.html
 */
export class SegmentationScopes extends Construct {
  /** The ID of the scope whose findings are paths between the two tiers. */
  public readonly tierIsolationScopeId: string;

  /**
   * The ID of the scope whose findings are paths between two business-application VPCs.
   * Undefined when `businessApplicationCidrs` is not given.
   */
  public readonly businessApplicationIsolationScopeId?: string;

  /** The ID of the scope whose findings are paths from the tier to the internet that bypass the firewall. */
  public readonly internetEgressScopeId: string;

  /**
   * The ID of the scope whose findings are paths between inspected ranges that bypass the
   * east-west inspection firewall. Undefined when `inspectedPairs` is not given.
   */
  public readonly eastWestInspectionScopeId?: string;

  /**
   * The ID of the scope whose findings are paths from the government network to ranges
   * its DMZ must not reach. Undefined when `governmentNetworkTraffic` is not given.
   */
  public readonly governmentNetworkScopeId?: string;

  /** The IDs of every scope this construct creates, to start one analysis for each. */
  public readonly scopeIds: string[];

  constructor(scope: Construct, id: string, props: SegmentationScopesProps) {
    super(scope, id);
    validateSegmentationScopesProps(scope, id, props);
    const tier = props.hub.tierName;

    this.tierIsolationScopeId = this.addScope('TierIsolation', {
      name: `${tier}-tier-isolation`,
      description: `Findings are paths between the ${tier} tier and the other tier, in either direction. `
        + 'Any finding means the deployed tiers can reach each other, which the synth-time segmentation proof rules out.',
      matchPaths: [
        addressPath(props.tierCidrs, props.otherTierCidrs),
        addressPath(props.otherTierCidrs, props.tierCidrs),
      ],
    });

    // One match path for each range, towards all the others: a single path from all the
    // ranges to all the ranges would also match traffic inside one VPC.
    const businessRanges = props.businessApplicationCidrs;
    if (businessRanges !== undefined) {
      this.businessApplicationIsolationScopeId = this.addScope('BusinessApplicationIsolation', {
        name: `${tier}-business-application-isolation`,
        description: `Findings are paths from one business-application VPC of the ${tier} tier to another. `
          + 'Any finding means two deployed benefit VPCs can reach each other, which the synth-time segmentation proof rules out.',
        matchPaths: businessRanges.map((cidr, i) => addressPath([cidr], businessRanges.filter((_other, j) => j !== i))),
      });
    }

    this.internetEgressScopeId = this.addScope('InternetEgress', {
      name: `${tier}-internet-egress`,
      description: props.egressFirewallArn === undefined
        ? `Findings are paths from the ${tier} tier to an internet gateway. The tier has no egress firewall, so any finding is internet access that should not exist.`
        : `Findings are paths from the ${tier} tier to an internet gateway that bypass the egress DMZ's Network Firewall. `
          + 'Any finding means deployed traffic can reach the internet unfiltered, which the synth-time segmentation proof rules out.',
      matchPaths: [{
        source: { packetHeaderStatement: { sourceAddresses: props.tierCidrs } },
        destination: { resourceStatement: { resourceTypes: [INTERNET_GATEWAY_TYPE] } },
      }],
      excludePaths: internetExclusions(props),
    });

    if (props.inspectedPairs !== undefined && props.inspectionFirewallArn !== undefined) {
      this.eastWestInspectionScopeId = this.addInspectionScope(tier, props.inspectedPairs, props.inspectionFirewallArn);
      this.warnIfPolicyInspectsNothing(props.hub);
    }
    if (props.governmentNetworkTraffic !== undefined) {
      this.governmentNetworkScopeId = this.addGovernmentNetworkScope(tier, props.governmentNetworkTraffic);
    }

    this.scopeIds = [
      this.tierIsolationScopeId,
      this.businessApplicationIsolationScopeId,
      this.internetEgressScopeId,
      this.eastWestInspectionScopeId,
      this.governmentNetworkScopeId,
    ].filter((scopeId): scopeId is string => scopeId !== undefined);
  }

  /**
   * Creates the scope whose findings are paths between the sides of the inspected pairs
   * that do not pass through the inspection firewall, and returns its ID.
   */
  private addInspectionScope(tier: string, pairs: InspectedPair[], firewallArn: string): string {
    return this.addScope('EastWestInspection', {
      name: `${tier}-east-west-inspection`,
      description: `Findings are paths, in either direction, between ranges the ${tier} tier inspects east-west that bypass the inspection firewall. `
        + 'Any finding means traffic goes uninspected, which the synth-time segmentation proof rules out.',
      matchPaths: pairs.flatMap(inspectedPairPaths),
      excludePaths: [throughFirewall(firewallArn)],
    });
  }

  /**
   * Creates the scope whose findings are paths from the government network to addresses
   * its DMZ must not reach, and returns its ID.
   *
   * Network Access Analyzer applies every exclusion to every match path, so each entry's
   * exclusion names its own source ranges as well as its allowed ranges. Validation keeps
   * the source ranges of the entries apart, so that one entry's exclusion never hides a
   * path that another entry forbids.
   */
  private addGovernmentNetworkScope(tier: string, entries: GovernmentNetworkTraffic[]): string {
    return this.addScope('GovernmentNetwork', {
      name: `${tier}-government-network`,
      description: `Findings are paths from a government-network DMZ's ranges to addresses the ${tier} tier's policy does not connect to that DMZ. `
        + 'Any finding means the government network reaches what the synth-time segmentation proof rules out.',
      matchPaths: entries.map((entry) => ({ source: { packetHeaderStatement: { sourceAddresses: entry.governmentCidrs } } })),
      excludePaths: [
        ...entries.map((entry) => addressPath(entry.governmentCidrs, entry.allowedCidrs)),
        // Government traffic arrives over Direct Connect and VPN, not from the internet.
        { source: { resourceStatement: { resourceTypes: [INTERNET_GATEWAY_TYPE] } } },
      ],
    });
  }

  /** Warns when the hub's routing policy inspects no connection, so that every inspected pair would be a finding. */
  private warnIfPolicyInspectsNothing(hub: ITransitHub): void {
    if (hub.routingPolicy.hasInspection) {
      return;
    }
    Annotations.of(this).addWarningV2('@ssd-platform/transit-network:inspectedPairsWithoutInspection',
      `inspectedPairs is set, but the routing policy of hub ${hub.node.path} inspects no connection, so every path between the pairs `
      + 'bypasses the firewall and is a finding. Build the hub with a policy that marks these connections inspected, or, for an imported hub, '
      + 'pass its routingPolicy to TransitHub.fromTransitHubAttributes.');
  }

  /** Creates one scope with its tags and its stack output, and returns the scope's ID. */
  private addScope(id: string, options: ScopeOptions): string {
    const accessScope = new ec2.CfnNetworkInsightsAccessScope(this, id, {
      matchPaths: options.matchPaths,
      excludePaths: options.excludePaths,
    });
    Tags.of(accessScope).add('Name', options.name);
    Tags.of(accessScope).add('Description', options.description);

    const scopeId = accessScope.attrNetworkInsightsAccessScopeId;
    new CfnOutput(this, `${id}ScopeId`, {
      description: `Network Access Analyzer scope ${options.name}: run aws ec2 start-network-insights-access-scope-analysis with this ID after each deploy.`,
      value: scopeId,
    });
    return scopeId;
  }
}

interface ScopeOptions {
  readonly name: string;
  readonly description: string;
  readonly matchPaths: ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty[];
  readonly excludePaths?: ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty[];
}

/** Builds a path from any of `sources` to any of `destinations`, matched by packet addresses. */
function addressPath(sources: string[], destinations: string[]): ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty {
  return {
    source: { packetHeaderStatement: { sourceAddresses: sources } },
    destination: { packetHeaderStatement: { destinationAddresses: destinations } },
  };
}

/**
 * Builds the match paths of one inspected pair: both directions between two sides, or,
 * inside one domain, one path from each range to all the others. A single path from all
 * the ranges to all the ranges would also match traffic inside one VPC.
 */
function inspectedPairPaths(pair: InspectedPair): ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty[] {
  if (pair.peerCidrs === undefined) {
    return pair.cidrs.map((cidr, i) => addressPath([cidr], pair.cidrs.filter((_other, j) => j !== i)));
  }
  return [addressPath(pair.cidrs, pair.peerCidrs), addressPath(pair.peerCidrs, pair.cidrs)];
}

/**
 * Builds an exclusion of the paths through a firewall. Network Access Analyzer accepts a
 * firewall only in a through statement, which matches it anywhere along the path.
 */
function throughFirewall(firewallArn: string): ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty {
  return { throughResources: [{ resourceStatement: { resources: [firewallArn] } }] };
}

/**
 * Builds the exclusions of the internet egress scope: paths through the firewall, and
 * paths from the internet-facing ranges.
 */
function internetExclusions(props: SegmentationScopesProps): ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty[] | undefined {
  const exclusions: ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty[] = [];
  if (props.egressFirewallArn !== undefined) {
    exclusions.push(throughFirewall(props.egressFirewallArn));
  }
  if (props.internetFacingCidrs !== undefined && (Token.isUnresolved(props.internetFacingCidrs) || props.internetFacingCidrs.length > 0)) {
    exclusions.push({ source: { packetHeaderStatement: { sourceAddresses: props.internetFacingCidrs } } });
  }
  return exclusions.length > 0 ? exclusions : undefined;
}
