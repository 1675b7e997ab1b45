import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GOVERNMENT_NETWORK_DOMAINS, RoutingDomain } from '../routing-domain';
import type { SegmentationScopesProps } from '../segmentation-scopes';
import { Ipv4Block, PRIVATE_RANGES, contains, formatCidr, hasHostBits, isPrivateBlock, networkOf, overlaps, parseCidr } from './cidr';
import { validateHubShape } from './hub-registry';
import { PropsValidator, describeConstruct, show } from './validation';

/** The ARN of a Network Firewall firewall. Firewall names are 1 to 128 letters, digits and hyphens. */
const FIREWALL_ARN = /^arn:aws[a-z-]*:network-firewall:[a-z0-9-]+:\d{12}:firewall\/[A-Za-z0-9-]{1,128}$/;

/** A CIDR block that passed its checks, with where it came from. */
interface CheckedRange {
  readonly label: string;
  readonly block: Ipv4Block;
}

/** Checks every prop of SegmentationScopes and throws one error that lists every problem. */
export function validateSegmentationScopesProps(scope: Construct, id: string, props: SegmentationScopesProps): void {
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

  validateInspection(validator, props, tier);
  validateGovernmentNetworkTraffic(validator, props?.governmentNetworkTraffic, tier, otherTier);

  validator.throwIfInvalid();
}

/**
 * Checks the east-west inspection props: the firewall ARN and the inspected pairs come
 * together, because a scope without the firewall reports every inspected path, and a
 * firewall without pairs has nothing to check.
 */
function validateInspection(validator: PropsValidator, props: SegmentationScopesProps | undefined, tier: CheckedRange[] | undefined): void {
  const firewallArn: unknown = props?.inspectionFirewallArn;
  const pairs: unknown = props?.inspectedPairs;
  const example = '"arn:aws:network-firewall:eu-west-2:111111111111:firewall/production-east-west-firewall"';

  if (firewallArn === undefined && pairs !== undefined) {
    validator.fail('inspectionFirewallArn is undefined, but inspectedPairs is set; pass EastWestInspection.firewallArn, '
      + 'because without the firewall every path between the inspected ranges would be a finding.');
  } else if (firewallArn !== undefined && pairs === undefined) {
    validator.fail('inspectedPairs is undefined, but inspectionFirewallArn is set; list the ranges whose traffic the firewall inspects, '
      + 'or leave out inspectionFirewallArn.');
  }
  if (firewallArn !== undefined && !(typeof firewallArn === 'string' && (Token.isUnresolved(firewallArn) || FIREWALL_ARN.test(firewallArn)))) {
    validator.fail(`inspectionFirewallArn is ${show(firewallArn)}, which is not the ARN of a Network Firewall firewall; `
      + `pass EastWestInspection.firewallArn, or an ARN such as ${example}.`);
  } else if (typeof firewallArn === 'string' && !Token.isUnresolved(firewallArn) && firewallArn === props?.egressFirewallArn) {
    validator.fail(`inspectionFirewallArn is ${show(firewallArn)}, the same as egressFirewallArn; pass the east-west inspection firewall `
      + '(EastWestInspection.firewallArn), because traffic between VPCs must not count as inspected when it passes the egress firewall.');
  }

  if (pairs === undefined) {
    return;
  }
  if (Array.isArray(pairs) && Token.isUnresolved(pairs)) {
    validator.fail('inspectedPairs is a list token; pass a literal list, because the scope gets match paths for each pair at synth time.');
    return;
  }
  if (!Array.isArray(pairs) || pairs.length === 0) {
    validator.fail(`inspectedPairs is ${show(pairs)}; pass a list such as [{ cidrs: ["10.64.0.0/20"], peerCidrs: ["10.64.16.0/20"] }], `
      + 'or leave out both inspectedPairs and inspectionFirewallArn.');
    return;
  }
  pairs.forEach((pair: unknown, index) => validateInspectedPair(validator, `inspectedPairs[${index}]`, pair, tier));
}

/**
 * Checks one inspected pair. Both sides must lie inside the tier and share no address,
 * because traffic inside one range never passes the firewall. A pair inside one domain
 * needs two ranges at least.
 */
function validateInspectedPair(validator: PropsValidator, path: string, pair: unknown, tier: CheckedRange[] | undefined): void {
  if (typeof pair !== 'object' || pair === null || Array.isArray(pair) || Token.isUnresolved(pair)) {
    validator.fail(`${path} is ${show(pair)}; pass { cidrs, peerCidrs }, for example { cidrs: ["10.64.0.0/20"], peerCidrs: ["10.64.16.0/20"] }.`);
    return;
  }
  const { cidrs, peerCidrs } = pair as Record<string, unknown>;
  if (peerCidrs === undefined) {
    // Inside one domain, the scope gets one match path for each range, so it needs the list itself.
    if (Array.isArray(cidrs) && Token.isUnresolved(cidrs)) {
      validator.fail(`${path}.cidrs is a list token and peerCidrs is undefined; pass a literal list, `
        + 'because the scope gets one match path for each range of a pair inside one domain at synth time.');
      return;
    }
    if (Array.isArray(cidrs) && cidrs.length === 1) {
      validator.fail(`${path}.cidrs is ${show(cidrs)} and peerCidrs is undefined; list the ranges of at least two VPCs of the domain, `
        + 'or set peerCidrs to the ranges of the other domain, because the scope checks paths between two different ranges.');
      return;
    }
    const ranges = validateRangeList(validator, `${path}.cidrs`, cidrs, { required: true, example: '["10.64.0.0/22", "10.64.4.0/22"]' });
    reportOverlaps(validator, ranges, ranges, 'list each VPC\'s own range once, because a path inside one range is not checked');
    reportOutsideTier(validator, ranges, tier);
    return;
  }

  const ranges = validateRangeList(validator, `${path}.cidrs`, cidrs, { required: true, example: '["10.64.0.0/20"]' });
  const peers = validateRangeList(validator, `${path}.peerCidrs`, peerCidrs, { required: true, example: '["10.64.16.0/20"]' });
  reportOverlaps(validator, peers, ranges, 'the two sides of a pair must share no addresses, because traffic inside one VPC never passes the firewall');
  reportOutsideTier(validator, ranges, tier);
  reportOutsideTier(validator, peers, tier);
}

/**
 * Checks the government-network entries: one for each DMZ at most, source ranges that
 * lie outside both tiers and share no address with another entry's, and allowed ranges
 * inside the tier.
 */
function validateGovernmentNetworkTraffic(
  validator: PropsValidator, value: unknown, tier: CheckedRange[] | undefined, otherTier: CheckedRange[] | undefined,
): void {
  const propName = 'governmentNetworkTraffic';
  const example = '{ domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, governmentCidrs: ["10.0.0.0/16"], allowedCidrs: ["10.64.0.0/20"] }';
  if (value === undefined) {
    return;
  }
  if (Array.isArray(value) && Token.isUnresolved(value)) {
    validator.fail(`${propName} is a list token; pass a literal list, because the scope gets one match path for each entry at synth time.`);
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    validator.fail(`${propName} is ${show(value)}; pass a list such as [${example}], or leave the prop out.`);
    return;
  }

  const seenDomains = new Map<string, number>();
  const allSources: CheckedRange[] = [];
  let sourcesComplete = true;
  value.forEach((entry: unknown, index) => {
    const path = `${propName}[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || Token.isUnresolved(entry)) {
      validator.fail(`${path} is ${show(entry)}; pass { domain, governmentCidrs, allowedCidrs }, for example ${example}.`);
      return;
    }
    const { domain, governmentCidrs, allowedCidrs } = entry as Record<string, unknown>;

    if (!GOVERNMENT_NETWORK_DOMAINS.includes(domain as RoutingDomain)) {
      validator.fail(`${path}.domain is ${show(domain)}, which is not a government-network DMZ domain; use `
        + `${GOVERNMENT_NETWORK_DOMAINS.map((dmz) => `"${dmz}"`).join(' or ')}.`);
    } else if (seenDomains.has(domain as string)) {
      validator.fail(`${path}.domain is ${show(domain)}, the same as ${propName}[${seenDomains.get(domain as string)}].domain; `
        + 'list each government-network DMZ once, with all the ranges that use it.');
    } else {
      seenDomains.set(domain as string, index);
    }

    const sources = validateRangeList(validator, `${path}.governmentCidrs`, governmentCidrs,
      { required: true, example: '["10.0.0.0/16"]', publicAllowed: true });
    reportOverlaps(validator, sources, tier, 'government-network ranges must lie outside the tier, so that the scope matches traffic from the government network only');
    reportOverlaps(validator, sources, otherTier, 'government-network ranges must lie outside both tiers');
    if (sources === undefined) {
      sourcesComplete = false;
    } else {
      allSources.push(...sources);
    }

    const allowed = validateRangeList(validator, `${path}.allowedCidrs`, allowedCidrs, { required: true, example: '["10.64.0.0/20"]' });
    reportOutsideTier(validator, allowed, tier);
  });

  // The scope distinguishes the two DMZs by source address only, so a range that used
  // both would be allowed by one entry's exclusion where the other forbids it.
  if (sourcesComplete) {
    allSources.forEach((range, i) => {
      const otherEntries = allSources.slice(0, i).filter((other) => entryOf(other.label) !== entryOf(range.label));
      for (const other of otherEntries.filter((candidate) => overlaps(candidate.block, range.block))) {
        validator.fail(`${range.label} ${show(formatCidr(range.block))} overlaps ${other.label} ${show(formatCidr(other.block))}; `
          + 'the scope distinguishes the DMZs by source address only, so each government-network range must use one DMZ.');
      }
    });
  }
}

/** Returns the entry part of a label such as `governmentNetworkTraffic[1].governmentCidrs[0]`. */
function entryOf(label: string): string {
  return label.slice(0, label.indexOf('.'));
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
  reportOutsideTier(validator, ranges, tier);
  return ranges;
}

/** Records a problem for each range that lies outside every range of the tier's supernets. */
function reportOutsideTier(validator: PropsValidator, ranges: CheckedRange[] | undefined, tier: CheckedRange[] | undefined): void {
  if (ranges === undefined || tier === undefined) {
    return;
  }
  for (const range of ranges.filter((candidate) => !tier.some((supernet) => contains(supernet.block, candidate.block)))) {
    validator.fail(`${range.label} ${show(formatCidr(range.block))} lies outside every range of tierCidrs; `
      + 'list only VPCs of this tier, or add the supernet that holds it to tierCidrs.');
  }
}

interface RangeListOptions {
  readonly required: boolean;
  readonly example: string;
  /** Whether ranges outside the private address space are accepted, as for networks outside AWS. */
  readonly publicAllowed?: boolean;
}

/**
 * Checks a list of CIDR blocks, private unless `publicAllowed` is set, and returns those
 * that can be checked further.
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
    } else if (!options.publicAllowed && !isPrivateBlock(block)) {
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
