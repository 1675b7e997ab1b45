import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GOVERNMENT_NETWORK_DOMAINS, RoutingDomain } from '../routing-domain';
import type { ITransitHub } from '../transit-hub';
import { Ipv4Block, PRIVATE_RANGES, contains, formatCidr, hasHostBits, isPrivateBlock, networkOf, overlaps, parseCidr, unusableRangeProblem } from './cidr';
import { validateHubShape } from './hub-registry';
import { validateHubPlacement } from './resource-checks';
import { PropsValidator, show } from './validation';

/**
 * Checks the hub of a DMZ construct, which changes the hub's route tables and so must
 * be a TransitHub of this account and region, not an imported one.
 *
 * @param subject the construct, for example "the egress DMZ"
 * @param routeChange what the construct does to the hub's route tables, for example "adds default and blackhole routes to"
 */
export function validateManagedHub(
  validator: PropsValidator, self: Construct, hub: ITransitHub | undefined, subject: string, routeChange: string,
): void {
  if (hub === undefined || hub === null) {
    validator.fail(`hub is ${show(hub)}; pass the TransitHub of the tier.`);
    return;
  }
  if (!validateHubShape(validator, hub)) {
    return;
  }
  const Subject = subject[0].toUpperCase() + subject.slice(1);
  validator.check(hub.manageRouteTables,
    `hub is the imported transit hub ${show(hub.transitGatewayId)} (tier ${show(hub.tierName)}), whose route tables cannot be managed from here. `
    + `${Subject} ${routeChange} the hub's route tables, so create it in the hub's own account and pass the TransitHub itself.`);
  validateHubPlacement(validator, self, hub, subject,
    `${subject} ${routeChange} the hub's route tables, which only the hub's account can change, so create it in a stack of that account.`);
}

/** The sizes a DMZ VPC's block may have, an example, and why the smallest is the smallest. */
export interface DmzCidrRule {
  readonly min: number;
  readonly max: number;
  readonly example: string;
  /** The reason the block cannot be smaller than `max`, as a sentence that ends before the limit. */
  readonly sizeReason: string;
}

/** Checks a DMZ VPC's CIDR block and returns it, or undefined if it cannot be used. */
export function validateDmzCidr(validator: PropsValidator, cidr: unknown, rule: DmzCidrRule): Ipv4Block | undefined {
  const expected = `use an IPv4 CIDR block from /${rule.min} to /${rule.max}, for example "${rule.example}"`;
  if (typeof cidr !== 'string') {
    validator.fail(`cidr is ${show(cidr)}; ${expected}.`);
    return undefined;
  }
  if (Token.isUnresolved(cidr)) {
    validator.fail(`cidr is a token (${cidr}); the subnets are laid out at synth time, so ${expected}.`);
    return undefined;
  }

  const block = parseCidr(cidr);
  if (!block) {
    validator.fail(`cidr is ${show(cidr)}, which is not an IPv4 CIDR block; ${expected}.`);
    return undefined;
  }
  const unusable = unusableRangeProblem(block);
  if (unusable) {
    validator.fail(`cidr is ${show(cidr)}, ${unusable}.`);
    return undefined;
  }
  if (hasHostBits(block)) {
    validator.fail(`cidr is ${show(cidr)}, which has host bits set; use ${show(formatCidr(networkOf(block)))}.`);
    return undefined;
  }
  if (block.prefixLength < rule.min || block.prefixLength > rule.max) {
    validator.fail(`cidr is ${show(cidr)}; ${expected}. ${rule.sizeReason}, `
      + `which need at least a /${rule.max}, and AWS allows no VPC block larger than /${rule.min}.`);
    return undefined;
  }
  return block;
}

/** How a DMZ construct uses its internal ranges, for the messages of `validateInternalCidrs`. */
export interface InternalCidrRule {
  /** The DMZ VPC, for example "egress". */
  readonly vpcLabel: string;
  /** The resources made for each range, for example "a route and a blackhole". */
  readonly perRangeResources: string;
  /** The end of the message for a missing list, after "the address ranges behind the hub". */
  readonly rangesHint: string;
  /** The reason a public range breaks the construct. */
  readonly publicRangeReason: string;
  /** The reason 0.0.0.0/0 breaks the construct, if it needs a message of its own. */
  readonly wholeSpaceReason?: string;
}

/**
 * Checks a DMZ construct's internal ranges: a literal, non-empty list of private IPv4
 * blocks without host bits that do not overlap each other or lie inside the DMZ VPC.
 * Entries that are tokens are accepted unchecked.
 */
export function validateInternalCidrs(
  validator: PropsValidator, internalCidrs: unknown, vpcBlock: Ipv4Block | undefined, rule: InternalCidrRule,
): void {
  const example = 'for example ["10.0.0.0/12"]';
  if (Array.isArray(internalCidrs) && Token.isUnresolved(internalCidrs)) {
    validator.fail(`internalCidrs is a list token; pass a literal list, because ${rule.perRangeResources} are created for each range at synth time. `
      + `Tokens are accepted as entries, ${example} or [Fn.importValue('TierSupernet')].`);
    return;
  }
  if (!Array.isArray(internalCidrs) || internalCidrs.length === 0) {
    validator.fail(`internalCidrs is ${show(internalCidrs)}; pass the tier's supernets, the address ranges behind the hub${rule.rangesHint}, ${example}.`);
    return;
  }

  const parsed: Array<{ index: number; block: Ipv4Block }> = [];
  internalCidrs.forEach((cidr: unknown, index) => {
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      return;
    }
    const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (!block) {
      validator.fail(`internalCidrs[${index}] is ${show(cidr)}, which is not an IPv4 CIDR block; ${example}.`);
    } else if (hasHostBits(block)) {
      validator.fail(`internalCidrs[${index}] is ${show(cidr)}, which has host bits set; use ${show(formatCidr(networkOf(block)))}.`);
    } else if (block.prefixLength === 0 && rule.wholeSpaceReason) {
      validator.fail(`internalCidrs[${index}] is ${show(cidr)}, which is the whole address space and ${rule.wholeSpaceReason}; pass the tier's supernets, ${example}.`);
    } else if (!isPrivateBlock(block)) {
      validator.fail(`internalCidrs[${index}] is ${show(cidr)}, which is not a private range. ${rule.publicRangeReason} `
        + `Use ranges inside ${PRIVATE_RANGES.map(formatCidr).join(', ')}.`);
    } else {
      parsed.push({ index, block });
    }
  });

  for (let i = 0; i < parsed.length; i++) {
    for (let j = 0; j < i; j++) {
      if (overlaps(parsed[i].block, parsed[j].block)) {
        validator.fail(`internalCidrs[${parsed[i].index}] ${show(formatCidr(parsed[i].block))} overlaps internalCidrs[${parsed[j].index}] ${show(formatCidr(parsed[j].block))}; `
          + 'list each range once, and leave out ranges that lie inside another.');
      }
    }
  }

  if (vpcBlock) {
    for (const { index, block } of parsed) {
      if (contains(vpcBlock, block)) {
        validator.fail(`internalCidrs[${index}] ${show(formatCidr(block))} is the ${rule.vpcLabel} VPC's cidr ${show(formatCidr(vpcBlock))} or lies inside it; `
          + `its route would clash with the VPC's local route. Pass the supernets that contain the ${rule.vpcLabel} VPC, or the ranges beside it.`);
      }
    }
  }
}

/**
 * Records a problem unless `domain` is one of the two government-network DMZ domains.
 *
 * @param subject what the construct connects, for example "the VPN"
 */
export function validateGovernmentNetworkDomain(validator: PropsValidator, domain: unknown, subject: string): void {
  validator.check(GOVERNMENT_NETWORK_DOMAINS.includes(domain as RoutingDomain),
    `domain is ${show(domain)}; ${subject} lands in a government-network DMZ domain: use RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ `
    + 'for administration traffic to the management VPCs, or RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ for business users of the business applications.');
}
