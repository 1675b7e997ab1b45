import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ITransitHub } from '../transit-hub';
import { Ipv4Block, formatCidr, hasHostBits, networkOf, parseCidr, unusableRangeProblem } from './cidr';
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
  /** Why the block cannot be smaller than `max`, in a sentence that ends before the limit. */
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
