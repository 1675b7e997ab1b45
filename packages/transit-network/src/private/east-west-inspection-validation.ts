import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EastWestInspectionProps } from '../east-west-inspection';
import type { ITransitHub } from '../transit-hub';
import { Ipv4Block, formatCidr, hasHostBits, networkOf, parseCidr } from './cidr';
import { validateDmzCidr, validateInternalCidrs, validateManagedHub } from './dmz-validation';
import { HubRegistry } from './hub-registry';
import {
  DEFINED_RULE_VARIABLES, GENERATED_SID_MAX, GENERATED_SID_MIN, MAX_RULES_TEMPLATE_BYTES, MAX_RULE_LENGTH, SID_MAX, SID_MIN,
  allowedFlowRule, closingRule, flowRuleCount, flowRuleGroupCapacityLimit, headerVariables, isConcreteRule, parseSuricataRule, rulesTemplateBytes,
} from './inspection-firewall-policy';
import { validateBucket, validateOptionalKey } from './resource-checks';
import { PropsValidator, describeConstruct, show, validateNoHoles } from './validation';
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
const RULE_FORM = 'write one rule such as \'drop tcp any any -> any 23 (msg:"Telnet"; sid:100001; rev:1;)\'';

/**
 * The shortest prefix a flow's CIDR block may have. A larger block would let a flow reach
 * far more than one tier's VPCs: a /8 already holds every private 10.x address.
 */
const MIN_FLOW_PREFIX_LENGTH = 8;

/** The rules a flow or an additional rule turns into, for the size check of the rule group. */
interface RuleTexts {
  readonly count: number;
  /** The rules whose text is known, in the form the rule group gets them. */
  readonly rules: string[];
}

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
  const vpcBlock = validateInspectionCidr(validator, props?.cidr);
  // The inspection CIDR may lie inside an internal range, as it is carved from the tier's
  // supernet. A range inside the inspection CIDR is rejected, because the VPC's local
  // route would keep traffic to it from leaving the firewall subnets.
  if (Array.isArray(props?.internalCidrs) && !Token.isUnresolved(props.internalCidrs)) {
    validateNoHoles(validator, 'internalCidrs', props.internalCidrs);
  }
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

  const flows = validateAllowedFlows(validator, props?.allowedFlows);
  const additional = validateAdditionalRules(validator, props?.additionalSuricataRules);
  const managed = props?.managedThreatSignatures !== false;
  validateRuleCapacity(validator, flows.count, additional.count, managed);
  validateRulesSize(validator, flows, additional, props?.passUnmatchedTraffic === true);

  const availabilityZones = validateZones(validator, self, props?.availabilityZones);
  validator.throwIfInvalid();
  return { availabilityZones };
}

/** Checks the inspection VPC's CIDR block and returns it, or undefined if it cannot be used. */
function validateInspectionCidr(validator: PropsValidator, cidr: unknown): Ipv4Block | undefined {
  if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
    validator.fail(`cidr is a token; pass a literal CIDR block such as "10.64.17.0/24", from /${INSPECTION_PREFIX_LENGTH.min} to `
      + `/${INSPECTION_PREFIX_LENGTH.max}, because the subnets are laid out at synth time.`);
    return undefined;
  }
  return validateDmzCidr(validator, cidr, {
    ...INSPECTION_PREFIX_LENGTH,
    example: '10.0.254.0/25',
    sizeReason: 'The VPC has six subnets of /28 (two groups in three zones)',
  });
}

/**
 * Returns the availability zones, after rejecting a list with holes, because the zone
 * checks skip a hole and the subnets would then be placed in an undefined zone.
 */
function validateZones(validator: PropsValidator, self: Construct, zones: unknown): string[] {
  if (Array.isArray(zones) && !Token.isUnresolved(zones) && !validateNoHoles(validator, 'availabilityZones', zones)) {
    return [];
  }
  return resolveAvailabilityZones(self, validator, zones as string[] | undefined);
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

/**
 * Records a problem if the rule group needs more capacity than the policy has left, naming
 * the prop whose rules use it up.
 */
function validateRuleCapacity(validator: PropsValidator, flowCount: number, ruleCount: number, managed: boolean): void {
  const limit = flowRuleGroupCapacityLimit(managed);
  const needed = flowRuleCount(flowCount, ruleCount);
  if (needed <= limit) {
    return;
  }
  const room = `the ${limit} capacity units the firewall policy has left${managed ? ' beside the managed threat signature groups' : ''} under the default quota of 30000`;
  const mergeFlows = 'Merge flows that share a protocol and ports, listing several CIDR blocks in one flow.';
  const mergeRules = 'Combine additional rules that differ only in addresses or ports into one rule with lists such as [10.1.0.0/16,10.2.0.0/16] or [80,443].';
  if (flowRuleCount(0, ruleCount) > limit) {
    validator.fail(`additionalSuricataRules has ${ruleCount} rules, which with the closing rule need ${flowRuleCount(0, ruleCount)} units, more than ${room}, `
      + `before allowedFlows (${flowCount} flows) adds any. ${mergeRules}`);
  } else if (flowRuleCount(flowCount, 0) > limit) {
    validator.fail(`allowedFlows has ${flowCount} flows, one rule each, which with the closing rule need ${flowRuleCount(flowCount, 0)} units, more than ${room}, `
      + `before additionalSuricataRules (${ruleCount} rules) adds any. ${mergeFlows}`);
  } else {
    validator.fail(`allowedFlows (${flowCount} flows, one rule each), additionalSuricataRules (${ruleCount} rules) and the closing rule need ${needed} rules, `
      + `more than ${room}. ${mergeFlows} ${mergeRules}`);
  }
}

/**
 * Records a problem if the rule group's rules would take more of the template than
 * `MAX_RULES_TEMPLATE_BYTES`, naming what each prop contributes.
 */
function validateRulesSize(validator: PropsValidator, flows: RuleTexts, additional: RuleTexts, passUnmatchedTraffic: boolean): void {
  const size = rulesTemplateBytes([...additional.rules, ...flows.rules, closingRule(passUnmatchedTraffic)]);
  if (size <= MAX_RULES_TEMPLATE_BYTES) {
    return;
  }
  validator.fail(`allowedFlows (${flows.count} flows, ${rulesTemplateBytes(flows.rules)} bytes of rules) and additionalSuricataRules `
    + `(${additional.count} rules, ${rulesTemplateBytes(additional.rules)} bytes) make a rule group of ${size} bytes in the CloudFormation template, `
    + `more than the ${MAX_RULES_TEMPLATE_BYTES} this construct allows, because a template holds at most 1000000 bytes for every resource of the stack. `
    + 'Use fewer flows, list wider CIDR blocks that cover several VPCs in one flow, or manage a rule group of this size outside the stack.');
}

/** Checks the allowed flows and returns how many there are, with the rules of the valid ones. */
function validateAllowedFlows(validator: PropsValidator, allowedFlows: unknown): RuleTexts {
  if (allowedFlows === undefined) {
    return { count: 0, rules: [] };
  }
  if (!Array.isArray(allowedFlows) || Token.isUnresolved(allowedFlows)) {
    validator.fail(`allowedFlows is ${show(allowedFlows)}; pass a literal list of flows, for example `
      + '[{ name: "lib-to-directory", protocol: FlowProtocol.TCP, sourceCidrs: ["10.64.32.0/19"], destinationCidrs: ["10.64.0.0/22"], destinationPorts: [636] }].');
    return { count: 0, rules: [] };
  }
  validateNoHoles(validator, 'allowedFlows', allowedFlows);

  const names = new Map<string, number>();
  const rules: string[] = [];
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

    valid = validateFlowCidrs(validator, `${path}.sourceCidrs`, entry.sourceCidrs, 'from') && valid;
    valid = validateFlowCidrs(validator, `${path}.destinationCidrs`, entry.destinationCidrs, 'to') && valid;
    valid = validateFlowPorts(validator, path, entry.protocol, entry.destinationPorts) && valid;

    if (valid) {
      const rule = validateFlowRuleLength(validator, path, entry, index);
      rules.push(rule);
    }
  });
  return { count: allowedFlows.length, rules };
}

/**
 * Checks a flow's list of CIDR blocks and returns whether it is valid. Entries that are tokens are accepted unchecked.
 *
 * @param direction "from" for the sources, "to" for the destinations, for the messages
 */
function validateFlowCidrs(validator: PropsValidator, path: string, cidrs: unknown, direction: string): boolean {
  const example = 'for example ["10.64.32.0/19"]';
  if (!Array.isArray(cidrs) || Token.isUnresolved(cidrs) || cidrs.length === 0) {
    validator.fail(`${path} is ${show(cidrs)}; pass a literal, non-empty list of IPv4 CIDR blocks, ${example}.`);
    return false;
  }
  let valid = validateNoHoles(validator, path, cidrs);
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
    } else if (block.prefixLength === 0) {
      validator.fail(`${path}[${index}] is ${show(cidr)}, the whole address space, which would allow the flow ${direction} every VPC on the hub; `
        + `list the VPC ranges the flow needs, ${example}.`);
      valid = false;
    } else if (block.prefixLength < MIN_FLOW_PREFIX_LENGTH) {
      validator.fail(`${path}[${index}] is ${show(cidr)}, a block larger than a /${MIN_FLOW_PREFIX_LENGTH}, which would allow the flow ${direction} `
        + `far more than one tier's VPCs; list the VPC ranges the flow needs, ${example}.`);
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
  let valid = validateNoHoles(validator, `${path}.destinationPorts`, ports);
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

/**
 * Records a problem if a flow's rule, once written, is longer than Network Firewall
 * accepts, and returns the rule.
 */
function validateFlowRuleLength(validator: PropsValidator, path: string, entry: Record<string, unknown>, index: number): string {
  const rule = allowedFlowRule({
    name: entry.name as string,
    protocol: entry.protocol as string,
    sourceCidrs: entry.sourceCidrs as string[],
    destinationCidrs: entry.destinationCidrs as string[],
    destinationPorts: (entry.destinationPorts as number[] | undefined) ?? [],
  }, index);
  if (isConcreteRule(rule)) {
    validator.check(rule.length <= MAX_RULE_LENGTH,
      `${path} makes a Suricata rule of ${rule.length} characters, more than the ${MAX_RULE_LENGTH} that Network Firewall accepts; `
      + 'split the flow into several, or list larger CIDR blocks that cover the small ones.');
  }
  return rule;
}

/** Checks the additional rules and returns how many there are, with the text of the string ones. */
function validateAdditionalRules(validator: PropsValidator, rules: unknown): RuleTexts {
  if (rules === undefined) {
    return { count: 0, rules: [] };
  }
  if (!Array.isArray(rules) || Token.isUnresolved(rules)) {
    validator.fail(`additionalSuricataRules is ${show(rules)}; pass a literal list of rules, one rule in each string.`);
    return { count: 0, rules: [] };
  }
  validateNoHoles(validator, 'additionalSuricataRules', rules);

  const sids = new Map<number, number>();
  const texts: string[] = [];
  rules.forEach((rule: unknown, index) => {
    const path = `additionalSuricataRules[${index}]`;
    if (typeof rule !== 'string' || Token.isUnresolved(rule)) {
      validator.fail(`${path} is ${show(rule)}; ${RULE_FORM}, as a literal string.`);
      return;
    }
    const text = rule.trim();
    texts.push(text);
    const sid = validateRuleForm(validator, path, text);
    if (sid === undefined) {
      return;
    }

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
  return { count: rules.length, rules: texts };
}

/**
 * Records what keeps one additional rule from parsing, and returns its sid if the rule
 * parses and has exactly one sid that Suricata accepts.
 */
function validateRuleForm(validator: PropsValidator, path: string, text: string): number | undefined {
  const problems: string[] = [];
  if (!RULE_ACTION.test(text)) {
    problems.push(`it must start with an action (${RULE_ACTIONS.join(', ')})`);
  }
  if (/[\r\n]/.test(text)) {
    problems.push('it spans several lines, so pass each rule as its own entry');
  }
  if (text.length > MAX_RULE_LENGTH) {
    problems.push(`it has ${text.length} characters, more than the ${MAX_RULE_LENGTH} that Network Firewall accepts`);
  }
  const parsed = parseSuricataRule(text);
  problems.push(...parsed.problems);
  const sidValues = parsed.options.filter((option) => option.keyword === 'sid').map((option) => option.value ?? '');
  if (sidValues.length === 0) {
    problems.push('it has no "sid:<number>;" option, which Suricata needs to tell rules apart');
  } else if (sidValues.length > 1) {
    problems.push(`it has ${sidValues.length} sid options (${sidValues.join(', ')}), and Suricata accepts one`);
  }
  if (problems.length > 0) {
    validator.fail(`${path} is ${show(shorten(text))}: ${problems.join('; ')}. To fix, ${RULE_FORM}.`);
    return undefined;
  }

  const undefinedVariables = headerVariables(parsed).filter((name) => !DEFINED_RULE_VARIABLES.includes(name));
  for (const name of new Set(undefinedVariables)) {
    validator.fail(`${path} uses the variable $${name}, which the firewall does not define, so Network Firewall would reject the rule group. `
      + `Use ${DEFINED_RULE_VARIABLES.map((defined) => `$${defined}`).join(' or ')}, or write the addresses or ports in the rule.`);
  }

  const sidText = sidValues[0];
  const sid = /^\d+$/.test(sidText) ? Number(sidText) : Number.NaN;
  if (!(sid >= SID_MIN && sid <= SID_MAX)) {
    validator.fail(`${path} has sid ${show(sidText)}; Suricata accepts whole numbers from ${SID_MIN} to ${SID_MAX}, so use one in that range `
      + `outside ${GENERATED_SID_MIN} to ${GENERATED_SID_MAX}.`);
    return undefined;
  }
  return sid;
}

/** Cuts a long rule for an error message. */
function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
