import { CfnOutput, Tags, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Ipv4Block, PRIVATE_RANGES, contains, formatCidr, hasHostBits, isPrivateBlock, networkOf, overlaps, parseCidr } from './private/cidr';
import { validateHubShape } from './private/hub-registry';
import { PropsValidator, describeConstruct, show } from './private/validation';
import { ITransitHub } from './transit-hub';

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
}

/** The resource type of internet gateways in a Network Access Analyzer resource statement. */
const INTERNET_GATEWAY_TYPE = 'AWS::EC2::InternetGateway';

/** The ARN of a Network Firewall firewall. Firewall names are 1 to 128 letters, digits and hyphens. */
const FIREWALL_ARN = /^arn:aws[a-z-]*:network-firewall:[a-z0-9-]+:\d{12}:firewall\/[A-Za-z0-9-]{1,128}$/;

/**
 * Network Access Analyzer scopes that check a tier's segmentation after deploy.
 *
 * The synth-time segmentation proof (`segmentation-check`) shows from the cloud assembly
 * that the tiers never reach each other, that business-application VPCs never reach each
 * other, and that traffic leaves for the internet only through the egress DMZ's Network
 * Firewall. This construct states the same intents as Network Access Scopes, so that
 * AWS can check them against the network as deployed:
 *
 * - `tierIsolationScopeId`: paths from `tierCidrs` to `otherTierCidrs`, and from
 *   `otherTierCidrs` to `tierCidrs`.
 * - `businessApplicationIsolationScopeId`: paths from each of `businessApplicationCidrs`
 *   to any other of them. The scope has one match path for each range, so eleven
 *   benefits make one scope with eleven match paths, and one analysis checks all 110
 *   ordered pairs.
 * - `internetEgressScopeId`: paths from `tierCidrs` to an internet gateway that do not
 *   pass through `egressFirewallArn`.
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

  /** The IDs of every scope this construct creates, to start one analysis for each. */
  public readonly scopeIds: string[];

  constructor(scope: Construct, id: string, props: SegmentationScopesProps) {
    super(scope, id);
    validateProps(scope, id, props);
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

    this.scopeIds = [this.tierIsolationScopeId, this.businessApplicationIsolationScopeId, this.internetEgressScopeId]
      .filter((scopeId): scopeId is string => scopeId !== undefined);
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
 * Builds the exclusions of the internet egress scope: paths through the firewall, and
 * paths from the internet-facing ranges. Network Access Analyzer accepts a firewall only in a
 * through statement, which matches it anywhere along the path.
 */
function internetExclusions(props: SegmentationScopesProps): ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty[] | undefined {
  const exclusions: ec2.CfnNetworkInsightsAccessScope.AccessScopePathRequestProperty[] = [];
  if (props.egressFirewallArn !== undefined) {
    exclusions.push({ throughResources: [{ resourceStatement: { resources: [props.egressFirewallArn] } }] });
  }
  if (props.internetFacingCidrs !== undefined && (Token.isUnresolved(props.internetFacingCidrs) || props.internetFacingCidrs.length > 0)) {
    exclusions.push({ source: { packetHeaderStatement: { sourceAddresses: props.internetFacingCidrs } } });
  }
  return exclusions.length > 0 ? exclusions : undefined;
}

/** A CIDR block that passed its checks, with where it came from. */
interface CheckedRange {
  readonly label: string;
  readonly block: Ipv4Block;
}

function validateProps(scope: Construct, id: string, props: SegmentationScopesProps): void {
  const validator = new PropsValidator(describeConstruct('SegmentationScopes', scope, id));

  if (props?.hub === undefined || props?.hub === null) {
    validator.fail(`hub is ${show(props?.hub)}; pass the TransitHub of the tier, or one imported with TransitHub.fromTransitHubAttributes.`);
  } else {
    validateHubShape(validator, props.hub);
  }

  const tier = validateRangeList(validator, 'tierCidrs', props?.tierCidrs, { required: true, example: '["10.64.0.0/14"]' });
  const otherTier = validateRangeList(validator, 'otherTierCidrs', props?.otherTierCidrs, { required: true, example: '["10.0.0.0/14"]' });
  reportOverlaps(validator, otherTier, tier, 'the tiers must share no addresses, so list only the other tier\'s supernets');

  const business = validateBusinessRanges(validator, props?.businessApplicationCidrs, tier);
  const internetFacing = validateRangeList(validator, 'internetFacingCidrs', props?.internetFacingCidrs, { required: false, example: '["10.64.254.0/24"]' });
  reportOverlaps(validator, internetFacing, business,
    'exempting a business-application range from the internet egress scope would hide its paths that bypass the firewall');

  const firewallArn = props?.egressFirewallArn;
  if (firewallArn !== undefined && !(typeof firewallArn === 'string' && (Token.isUnresolved(firewallArn) || FIREWALL_ARN.test(firewallArn)))) {
    validator.fail(`egressFirewallArn is ${show(firewallArn)}, which is not the ARN of a Network Firewall firewall; `
      + 'pass EgressDmz.firewallArn, or an ARN such as "arn:aws:network-firewall:eu-west-2:111111111111:firewall/production-egress".');
  }

  validator.throwIfInvalid();
}

/**
 * Checks the business-application ranges: at least two, none overlapping another, each
 * inside one of the tier's supernets.
 */
function validateBusinessRanges(validator: PropsValidator, value: unknown, tier: CheckedRange[] | undefined): CheckedRange[] | undefined {
  const propName = 'businessApplicationCidrs';
  if (Array.isArray(value) && Token.isUnresolved(value)) {
    validator.fail(`${propName} is a list token; pass a literal list, because the scope gets one match path for each range at synth time.`);
    return undefined;
  }
  if (Array.isArray(value) && value.length < 2) {
    validator.fail(`${propName} is ${show(value)}; list the ranges of at least two business-application VPCs, or leave the prop out, `
      + 'because the scope checks paths between two different ranges.');
    return undefined;
  }
  const ranges = validateRangeList(validator, propName, value, { required: false, example: '["10.64.16.0/20", "10.64.32.0/20"]' });
  if (!ranges) {
    return undefined;
  }

  reportOverlaps(validator, ranges, ranges, 'list each VPC\'s own range once, because a path inside one range is not checked');
  if (tier !== undefined) {
    for (const range of ranges.filter((candidate) => !tier.some((supernet) => contains(supernet.block, candidate.block)))) {
      validator.fail(`${range.label} ${show(formatCidr(range.block))} lies outside every range of tierCidrs; `
        + 'list only VPCs of this tier, or add the supernet that holds it to tierCidrs.');
    }
  }
  return ranges;
}

interface RangeListOptions {
  readonly required: boolean;
  readonly example: string;
}

/**
 * Checks a list of private CIDR blocks and returns those that can be checked further.
 *
 * Returns undefined when the list is absent or a list token, or when any entry is a token,
 * so that checks across lists only run on lists known in full.
 */
function validateRangeList(validator: PropsValidator, propName: string, value: unknown, options: RangeListOptions): CheckedRange[] | undefined {
  if (value === undefined && !options.required) {
    return undefined;
  }
  if (Array.isArray(value) && Token.isUnresolved(value)) {
    return undefined;
  }
  if (!Array.isArray(value) || (options.required && value.length === 0)) {
    validator.fail(`${propName} is ${show(value)}; pass a list of CIDR blocks, for example ${options.example}.`);
    return undefined;
  }

  const checked: CheckedRange[] = [];
  let complete = true;
  value.forEach((cidr: unknown, index) => {
    const label = `${propName}[${index}]`;
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      complete = false;
      return;
    }
    const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (!block) {
      validator.fail(`${label} is ${show(cidr)}, which is not an IPv4 CIDR block; use CIDR notation, for example ${options.example}.`);
    } else if (hasHostBits(block)) {
      validator.fail(`${label} is ${show(cidr)}, which has host bits set; use ${show(formatCidr(networkOf(block)))}.`);
    } else if (!isPrivateBlock(block)) {
      validator.fail(`${label} is ${show(cidr)}, which is not a private range; VPCs of the platform use private addresses only, `
        + `so use a range inside ${PRIVATE_RANGES.map(formatCidr).join(', ')}.`);
    } else {
      checked.push({ label, block });
    }
  });
  return complete ? checked : undefined;
}

/**
 * Records a problem for each range of `ranges` that overlaps a range of `others`. When the
 * two lists are the same, each pair is reported once.
 */
function reportOverlaps(validator: PropsValidator, ranges: CheckedRange[] | undefined, others: CheckedRange[] | undefined, fix: string): void {
  if (!ranges || !others) {
    return;
  }
  ranges.forEach((range, i) => {
    const candidates = ranges === others ? others.slice(0, i) : others;
    for (const other of candidates.filter((candidate) => overlaps(candidate.block, range.block))) {
      validator.fail(`${range.label} ${show(formatCidr(range.block))} overlaps ${other.label} ${show(formatCidr(other.block))}; ${fix}.`);
    }
  });
}
