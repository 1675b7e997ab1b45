import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EastWestInspectionProps } from '../east-west-inspection';
import type { ITransitHub } from '../transit-hub';
import { formatCidr, hasHostBits, networkOf, parseCidr } from './cidr';
import { validateDmzCidr, validateInternalCidrs, validateManagedHub } from './dmz-validation';
import { HubRegistry } from './hub-registry';
import {
  GENERATED_SID_MAX, GENERATED_SID_MIN, MAX_RULE_LENGTH, allowedFlowRule, flowRuleCount, flowRuleGroupCapacityLimit, isConcreteRule,
} from './inspection-firewall-policy';
import { validateBucket, validateOptionalKey } from './resource-checks';
import { PropsValidator, describeConstruct, show } from './validation';
import { resolveAvailabilityZones } from './zones';

/**
 * The prefix lengths the inspection VPC may have. Six subnets (two groups in three zones)
 * of /28, the smallest subnet AWS allows, need 96 addresses, so a /25 is the smallest
 * block that holds them. A /16 is the largest VPC CIDR block AWS allows.
 */
export const INSPECTION_PREFIX_LENGTH = { min: 16, max: 25 };

/** The protocols an allowed flow may name, as `FlowProtocol` spells them. */
const FLOW_PROTOCOLS = ['tcp', 'udp', 'icmp'];

/** Flow names: letters, digits, dots, underscores and hyphens, because the name goes into a rule's message. */
const FLOW_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The actions a Suricata rule of Network Firewall may start with. */
const RULE_ACTIONS = ['pass', 'drop', 'alert', 'reject'];
const RULE_ACTION = new RegExp(`^(${RULE_ACTIONS.join('|')})\\s`);
const RULE_SID = /[(;\s]sid\s*:\s*(\d+)\s*;/;

/** The result of the checks: the zones to use. */
export interface ValidatedInspectionProps {
  readonly availabilityZones: string[];
}

/**
 * Checks every prop of an EastWestInspection and throws one error that lists every problem.
 *
 * `self` is the construct being built, whose stack supplies the region.
 */
export function validateEastWestInspectionProps(
  scope: Construct, id: string, self: Construct, props: EastWestInspectionProps,
): ValidatedInspectionProps {
  const validator = new PropsValidator(describeConstruct('EastWestInspection', scope, id));

  validateManagedHub(validator, self, props?.hub, 'the east-west inspection', 'adds its own route table beside');
  validateSingleInspection(validator, props?.hub);
  validateBucket(validator, 'logBucket', props?.logBucket, 'the log archive bucket that receives the VPC flow logs and the firewall logs');
  validateOptionalKey(validator, self, 'encryptionKey', props?.encryptionKey);
  const vpcBlock = validateDmzCidr(validator, props?.cidr, {
    ...INSPECTION_PREFIX_LENGTH,
    example: '10.0.254.0/25',
    sizeReason: 'The VPC has six subnets of /28 (two groups in three zones)',
  });
  // The inspection CIDR may lie inside an internal range, as it is carved from the tier's
  // supernet. A range inside the inspection CIDR is rejected, because the VPC's local
  // route would keep traffic to it from leaving the firewall subnets.
  validateInternalCidrs(validator, props?.internalCidrs, vpcBlock, {
    vpcLabel: 'inspection',
    perRangeResources: 'the firewall\'s HOME_NET entries',
    rangesHint: ' whose traffic the firewall inspects',
    publicRangeReason: 'The firewall counts internal ranges as HOME_NET, and the hub sends it traffic between VPCs only, which use private ranges.',
    wholeSpaceReason: 'would count every address as internal',
  });

  for (const name of ['deleteProtection', 'managedThreatSignatures', 'passUnmatchedTraffic'] as const) {
    const value: unknown = props?.[name];
    if (value !== undefined && typeof value !== 'boolean') {
      validator.fail(`${name} is ${show(value)}; use true or false, or leave it out for the default.`);
    }
  }

  const flowCount = validateAllowedFlows(validator, props?.allowedFlows);
  const ruleCount = validateAdditionalRules(validator, props?.additionalSuricataRules);
  const managed = props?.managedThreatSignatures !== false;
  const limit = flowRuleGroupCapacityLimit(managed);
  const needed = flowRuleCount(flowCount, ruleCount);
  validator.check(needed <= limit,
    `allowedFlows (${flowCount} flows, one rule each), additionalSuricataRules (${ruleCount} rules) and the closing rule need ${needed} rules, more than the ${limit} `
    + `capacity units the firewall policy has left${managed ? ' beside the managed threat signature groups' : ''} under the default quota of 30000. `
    + 'Merge flows that share a protocol and ports, listing several CIDR blocks in one flow.');

  const availabilityZones = resolveAvailabilityZones(self, validator, props?.availabilityZones);
  validator.throwIfInvalid();
  return { availabilityZones };
}

/** Records a problem if the hub already has an east-west inspection. */
function validateSingleInspection(validator: PropsValidator, hub: ITransitHub | undefined): void {
  if (!Construct.isConstruct(hub) || (hub as { manageRouteTables?: unknown }).manageRouteTables !== true) {
    return;
  }
  const existing = HubRegistry.of(hub).inspection;
  if (existing !== undefined) {
    validator.fail(`hub ${hub.node.path} already has the east-west inspection ${existing.path}. A hub sends inspected traffic to one firewall: `
      + 'a second would need the same routes in the hub\'s route tables, and its Network Firewall names '
      + `(${hub.tierName}-east-west-firewall and the rest) must be unique in an account and region. Remove one of the two.`);
  }
}

/** Checks the allowed flows and returns how many there are. */
function validateAllowedFlows(validator: PropsValidator, allowedFlows: unknown): number {
  if (allowedFlows === undefined) {
    return 0;
  }
  if (!Array.isArray(allowedFlows) || Token.isUnresolved(allowedFlows)) {
    validator.fail(`allowedFlows is ${show(allowedFlows)}; pass a literal list of flows, for example `
      + '[{ name: "lib-to-directory", protocol: FlowProtocol.TCP, sourceCidrs: ["10.64.32.0/19"], destinationCidrs: ["10.64.0.0/22"], destinationPorts: [636] }].');
    return 0;
  }

  const names = new Map<string, number>();
  allowedFlows.forEach((flow: unknown, index) => {
    const path = `allowedFlows[${index}]`;
    if (typeof flow !== 'object' || flow === null || Array.isArray(flow)) {
      validator.fail(`${path} is ${show(flow)}; pass an object with name, protocol, sourceCidrs, destinationCidrs and, for TCP and UDP, destinationPorts.`);
      return;
    }
    const entry = flow as Record<string, unknown>;

    const name = entry.name;
    let valid = typeof name === 'string' && FLOW_NAME.test(name);
    if (!valid) {
      validator.fail(`${path}.name is ${show(name)}; use 1 to 64 letters, digits, dots, underscores and hyphens, starting with a letter or digit, `
        + 'for example "lib-to-directory". The name appears in the firewall\'s alert logs.');
    } else if (names.has(name as string)) {
      validator.fail(`${path}.name ${show(name)} repeats allowedFlows[${names.get(name as string)}].name; give each flow its own name, so that its alerts can be told apart.`);
    } else {
      names.set(name as string, index);
    }

    valid = validateFlowCidrs(validator, `${path}.sourceCidrs`, entry.sourceCidrs) && valid;
    valid = validateFlowCidrs(validator, `${path}.destinationCidrs`, entry.destinationCidrs) && valid;
    valid = validateFlowPorts(validator, path, entry.protocol, entry.destinationPorts) && valid;

    if (valid) {
      validateFlowRuleLength(validator, path, entry, index);
    }
  });
  return allowedFlows.length;
}

/** Checks a flow's list of CIDR blocks and returns whether it is valid. Entries that are tokens are accepted unchecked. */
function validateFlowCidrs(validator: PropsValidator, path: string, cidrs: unknown): boolean {
  const example = 'for example ["10.64.32.0/19"]';
  if (!Array.isArray(cidrs) || Token.isUnresolved(cidrs) || cidrs.length === 0) {
    validator.fail(`${path} is ${show(cidrs)}; pass a literal, non-empty list of IPv4 CIDR blocks, ${example}.`);
    return false;
  }
  let valid = true;
  const seen = new Map<string, number>();
  cidrs.forEach((cidr: unknown, index) => {
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      return;
    }
    const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (!block) {
      validator.fail(`${path}[${index}] is ${show(cidr)}, which is not an IPv4 CIDR block; ${example}.`);
      valid = false;
    } else if (hasHostBits(block)) {
      validator.fail(`${path}[${index}] is ${show(cidr)}, which has host bits set; use ${show(formatCidr(networkOf(block)))}.`);
      valid = false;
    } else if (seen.has(formatCidr(block))) {
      validator.fail(`${path}[${index}] ${show(cidr)} repeats ${path}[${seen.get(formatCidr(block))}]; list each block once.`);
      valid = false;
    } else {
      seen.set(formatCidr(block), index);
    }
  });
  return valid;
}

/** Checks a flow's protocol and destination ports and returns whether they are valid. */
function validateFlowPorts(validator: PropsValidator, path: string, protocol: unknown, ports: unknown): boolean {
  if (typeof protocol !== 'string' || !FLOW_PROTOCOLS.includes(protocol)) {
    validator.fail(`${path}.protocol is ${show(protocol)}; use FlowProtocol.TCP, FlowProtocol.UDP or FlowProtocol.ICMP.`);
    return false;
  }
  if (protocol === 'icmp') {
    const valid = ports === undefined || (Array.isArray(ports) && ports.length === 0);
    validator.check(valid, `${path}.destinationPorts is ${show(ports)}, but ICMP has no ports; leave destinationPorts out for an ICMP flow.`);
    return valid;
  }

  const example = protocol === 'tcp' ? 'for example [443]' : 'for example [53]';
  if (!Array.isArray(ports) || Token.isUnresolved(ports) || ports.length === 0) {
    validator.fail(`${path}.destinationPorts is ${show(ports)}; a ${protocol.toUpperCase()} flow needs a literal, non-empty list of destination ports, ${example}. `
      + 'To allow every port, use an additional Suricata rule, so that the choice is explicit.');
    return false;
  }
  let valid = true;
  const seen = new Map<number, number>();
  ports.forEach((port: unknown, index) => {
    if (typeof port !== 'number' || Token.isUnresolved(port) || !Number.isInteger(port) || port < 1 || port > 65535) {
      validator.fail(`${path}.destinationPorts[${index}] is ${show(port)}; use a whole number from 1 to 65535.`);
      valid = false;
    } else if (seen.has(port)) {
      validator.fail(`${path}.destinationPorts[${index}] ${port} repeats ${path}.destinationPorts[${seen.get(port)}]; list each port once.`);
      valid = false;
    } else {
      seen.set(port, index);
    }
  });
  return valid;
}

/** Records a problem if a flow's rule, once written, is longer than Network Firewall accepts. */
function validateFlowRuleLength(validator: PropsValidator, path: string, entry: Record<string, unknown>, index: number): void {
  const rule = allowedFlowRule({
    name: entry.name as string,
    protocol: entry.protocol as string,
    sourceCidrs: entry.sourceCidrs as string[],
    destinationCidrs: entry.destinationCidrs as string[],
    destinationPorts: (entry.destinationPorts as number[] | undefined) ?? [],
  }, index);
  if (!isConcreteRule(rule)) {
    return;
  }
  validator.check(rule.length <= MAX_RULE_LENGTH,
    `${path} makes a Suricata rule of ${rule.length} characters, more than the ${MAX_RULE_LENGTH} that Network Firewall accepts; `
    + 'split the flow into several, or list larger CIDR blocks that cover the small ones.');
}

/** Checks the additional rules and returns how many there are. */
function validateAdditionalRules(validator: PropsValidator, rules: unknown): number {
  if (rules === undefined) {
    return 0;
  }
  if (!Array.isArray(rules) || Token.isUnresolved(rules)) {
    validator.fail(`additionalSuricataRules is ${show(rules)}; pass a literal list of rules, one rule in each string.`);
    return 0;
  }

  const form = 'write one rule such as \'drop tcp any any -> any 23 (msg:"Telnet"; sid:100001; rev:1;)\'';
  const sids = new Map<number, number>();
  rules.forEach((rule: unknown, index) => {
    const path = `additionalSuricataRules[${index}]`;
    if (typeof rule !== 'string' || Token.isUnresolved(rule)) {
      validator.fail(`${path} is ${show(rule)}; ${form}, as a literal string.`);
      return;
    }
    const text = rule.trim();
    const problems: string[] = [];
    if (!RULE_ACTION.test(text)) {
      problems.push(`it must start with an action (${RULE_ACTIONS.join(', ')})`);
    }
    if (/[\r\n]/.test(text)) {
      problems.push('it spans several lines, so pass each rule as its own entry');
    }
    if (!text.endsWith(';)')) {
      problems.push('it must end with ";)", closing its options');
    }
    if (text.length > MAX_RULE_LENGTH) {
      problems.push(`it has ${text.length} characters, more than the ${MAX_RULE_LENGTH} that Network Firewall accepts`);
    }
    const sidMatch = RULE_SID.exec(text);
    if (!sidMatch) {
      problems.push('it has no "sid:<number>;" option, which Suricata needs to tell rules apart');
    }
    if (problems.length > 0) {
      validator.fail(`${path} is ${show(shorten(text))}: ${problems.join('; ')}. To fix, ${form}.`);
      return;
    }

    const sid = Number(sidMatch![1]);
    if (sid >= GENERATED_SID_MIN && sid <= GENERATED_SID_MAX) {
      validator.fail(`${path} has sid ${sid}, in the range ${GENERATED_SID_MIN} to ${GENERATED_SID_MAX} that the construct uses for the rules it writes; `
        + 'use a sid outside that range.');
    } else if (sids.has(sid)) {
      validator.fail(`${path} has sid ${sid}, like additionalSuricataRules[${sids.get(sid)}]; Network Firewall rejects a rule group `
        + 'in which two rules share a sid, so give each rule its own.');
    } else {
      sids.set(sid, index);
    }
  });
  return rules.length;
}

/** Cuts a long rule for an error message. */
function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
