import { ArnFormat, Stack, Token, aws_networkfirewall as networkfirewall } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { POLICY_STATEFUL_CAPACITY } from './egress-firewall-policy';

/** A flow between internal ranges that the east-west firewall allows, as the rule builder reads it. */
export interface InspectionFlow {
  readonly name: string;
  /** The Suricata protocol keyword: `tcp`, `udp` or `icmp`. */
  readonly protocol: string;
  readonly sourceCidrs: string[];
  readonly destinationCidrs: string[];
  /** The destination ports; empty for ICMP, which has none. */
  readonly destinationPorts: number[];
}

/** Inputs of the east-west firewall policy. */
export interface InspectionFirewallPolicyOptions {
  /** The start of every resource name, for example `production-east-west`. */
  readonly namePrefix: string;
  /** The sources and destinations the rules treat as internal: the tier's supernets and the inspection VPC. */
  readonly homeNet: string[];
  /** The flows to allow, in order. */
  readonly allowedFlows: InspectionFlow[];
  /** Rules in Suricata format, evaluated before the allowed flows, in order. */
  readonly additionalRules: string[];
  /** Whether the AWS managed threat signature rule groups come first. */
  readonly managedThreatSignatures: boolean;
  /** Whether traffic that no rule allows is alerted and passed instead of dropped. */
  readonly passUnmatchedTraffic: boolean;
}

/** The policy and the rule group of the allowed flows. */
export interface InspectionFirewallPolicy {
  readonly policy: networkfirewall.CfnFirewallPolicy;
  readonly flowRuleGroup: networkfirewall.CfnRuleGroup;
}

/**
 * The AWS managed threat signature rule groups the policy references, in evaluation order.
 *
 * Only the `StrictOrder` variants can be added to a policy whose stateful engine uses
 * strict order. These categories cover what moves between VPCs of one tier: exploits of
 * internal services, scanning, malware and botnet traffic, and attacks on web applications.
 * Their rules drop what they match, because the references set no override.
 *
 * NOTE: east-west traffic runs between two addresses of HOME_NET, so signatures written
 * for traffic between `$HOME_NET` and `$EXTERNAL_NET` do not match it.
 *
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/aws-managed-rule-groups-threat-signature.html
 */
export const MANAGED_THREAT_SIGNATURE_GROUPS: readonly string[] = [
  'ThreatSignaturesExploitsStrictOrder',
  'ThreatSignaturesScannersStrictOrder',
  'ThreatSignaturesMalwareStrictOrder',
  'ThreatSignaturesBotnetStrictOrder',
  'ThreatSignaturesWebAttacksStrictOrder',
];

/**
 * An upper bound of the capacity the managed threat signature groups reserve in the policy.
 *
 * NOTE: an estimate. AWS sets these capacities and may change them when it updates the
 * rules. AWS's Network Firewall best-practices guide gives 1,400 for WebAttacks and 13,200
 * in total for ten groups that include the other four, so 14,600 bounds the five from above. `DescribeFirewallPolicy` reports the
 * capacity actually consumed after deployment.
 */
export const MANAGED_THREAT_SIGNATURE_CAPACITY = 14_600;

/** The range of Suricata signature IDs (sids) that the generated rules use. Additional rules must use others. */
export const GENERATED_SID_MIN = 1_000_000;
export const GENERATED_SID_MAX = 1_999_999;
const SID_DROP_UNMATCHED = 1_000_003;
const SID_ALERT_UNMATCHED = 1_000_004;
const SID_FIRST_FLOW = 1_001_000;

/**
 * The flowbit that marks a flow as allowed. The rule of each allowed flow sets it on the
 * flow's first packet, and the closing rule drops every packet of a flow that lacks it.
 */
export const ALLOWED_FLOWBIT = 'east_west_allowed';

/**
 * The flowbit that marks a flow whose unmatched traffic was already logged, with
 * `passUnmatchedTraffic`, so that each such flow is logged once.
 */
const UNMATCHED_FLOWBIT = 'east_west_unmatched';

/**
 * The maximum length of one Suricata rule, variable values included, a Network Firewall
 * quota that cannot be raised.
 *
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/quotas.html
 */
export const MAX_RULE_LENGTH = 8_192;

/**
 * Returns the number of rules in the rule group: one for each additional rule, one for
 * each allowed flow and the closing rule.
 *
 * Network Firewall needs at least one unit of capacity for each rule of a Suricata rule group.
 *
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/nwfw-rule-group-capacity.html
 */
export function flowRuleCount(flowCount: number, additionalRuleCount: number): number {
  return additionalRuleCount + flowCount + 1;
}

/** Returns the capacity the rule group may reserve: what the policy has left beside the managed groups. */
export function flowRuleGroupCapacityLimit(managedThreatSignatures: boolean): number {
  return POLICY_STATEFUL_CAPACITY - (managedThreatSignatures ? MANAGED_THREAT_SIGNATURE_CAPACITY : 0);
}

/**
 * Returns the capacity to reserve for a rule group of `ruleCount` rules.
 *
 * A rule group's capacity is fixed at creation, and changing it replaces the rule group.
 * So the capacity reserved is the first of 100, 200, 400, 800 and so on that is at least
 * twice the rule count, and the list can double before the rule group is replaced. It is
 * capped at `limit`, the capacity the policy has left.
 */
export function flowRuleGroupCapacity(ruleCount: number, limit: number): number {
  let capacity = 100;
  while (capacity < 2 * ruleCount) {
    capacity *= 2;
  }
  return Math.min(capacity, Math.max(limit, ruleCount));
}

/**
 * Returns the rule of an allowed flow in Suricata format. It marks the flow with
 * `ALLOWED_FLOWBIT` and logs one alert that names the allowed flow.
 *
 * `flow:to_server` matches only packets from the side that opened the connection, so a
 * connection opened in the other direction is not marked. `isnotset` makes the rule match
 * once per flow, on its first packet: the SYN of a TCP connection, the first datagram of
 * UDP, the echo request of ICMP. The flowbit belongs to the flow, which Suricata tracks in
 * both directions, so the replies (the SYN-ACK and everything after) carry it too.
 *
 * The rule's action is `alert`, which logs and does not end the evaluation, so that every
 * later packet of the flow still reaches every rule group. One alert per connection keeps
 * an audit trail of which allowed flow let each connection through, which the flow log,
 * listing addresses and ports only, does not give.
 */
export function allowedFlowRule(flow: InspectionFlow, index: number): string {
  const ports = flow.destinationPorts.length > 0 ? `[${flow.destinationPorts.join(',')}]` : 'any';
  const header = `${flow.protocol} [${flow.sourceCidrs.join(',')}] any -> [${flow.destinationCidrs.join(',')}] ${ports}`;
  return `alert ${header} (msg:"East-west flow ${flow.name} allowed"; flow:to_server; `
    + `flowbits:isnotset,${ALLOWED_FLOWBIT}; flowbits:set,${ALLOWED_FLOWBIT}; sid:${SID_FIRST_FLOW + index}; rev:1;)`;
}

/**
 * Returns the rule that closes the rule group: it drops every packet, of any protocol and
 * between any addresses, whose flow no earlier rule marked as allowed.
 *
 * Network Firewall logs an alert for each packet it drops. The rule matches any address,
 * not only HOME_NET, because the policy has no default action: traffic of a VPC outside the
 * internal ranges would otherwise pass unfiltered.
 *
 * With `passUnmatchedTraffic`, the rule alerts instead of dropping, and a second flowbit
 * makes it alert once per flow, on its first unmatched packet, so that the alert log lists
 * each missing flow without a line for every packet.
 *
 * NOTE: in Suricata, flowbit conditions never match a packet that has no flow, for example
 * when the flow table is full, so such a packet passes the closing rule.
 */
export function closingRule(passUnmatchedTraffic: boolean): string {
  if (passUnmatchedTraffic) {
    return 'alert ip any any -> any any (msg:"East-west traffic that no allowed flow matches, passed"; '
      + `flowbits:isnotset,${ALLOWED_FLOWBIT}; flowbits:isnotset,${UNMATCHED_FLOWBIT}; flowbits:set,${UNMATCHED_FLOWBIT}; `
      + `sid:${SID_ALERT_UNMATCHED}; rev:1;)`;
  }
  return 'drop ip any any -> any any (msg:"East-west traffic that no allowed flow matches"; '
    + `flowbits:isnotset,${ALLOWED_FLOWBIT}; sid:${SID_DROP_UNMATCHED}; rev:1;)`;
}

/**
 * Creates the east-west firewall policy and the rule group of its allowed flows.
 *
 * The stateless engine forwards every packet, fragments included, to the stateful engine.
 * The stateful engine evaluates rule groups in strict order, lowest priority first:
 *
 * 1. the AWS managed threat signature groups, unless turned off;
 * 2. the rule group of this policy: the additional rules, then one rule for each allowed
 *    flow, which sets the flowbit `east_west_allowed` on the flow's first packet, then the
 *    closing rule, which drops every packet of a flow without that flowbit.
 *
 * None of the generated rules passes traffic, because in Suricata a `pass` match ends the
 * inspection of the rest of its flow. So the managed groups inspect every packet of every
 * allowed flow, replies included. With `passUnmatchedTraffic`, the closing rule alerts
 * once per unmatched flow instead of dropping.
 *
 * Network Firewall accepts flowbits in Suricata rules: they are absent from its list of
 * unsupported Suricata features, which names only host and IP tracking for `xbits` and
 * `hostbits`. It supports the actions pass, drop, reject and alert.
 *
 * NOTE: the policy and the rule group are encrypted with an AWS owned key, not the
 * customer managed key, for the reasons given on the egress firewall policy.
 *
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-limitations-caveats.html
 * @see https://docs.suricata.io/en/suricata-7.0.8/rules/flow-keywords.html#flowbits
 */
export function createInspectionFirewallPolicy(scope: Construct, options: InspectionFirewallPolicyOptions): InspectionFirewallPolicy {
  const homeNet = { definition: options.homeNet };
  const rules = [
    ...options.additionalRules,
    ...options.allowedFlows.map((flow, index) => allowedFlowRule(flow, index)),
    closingRule(options.passUnmatchedTraffic),
  ];
  const capacity = flowRuleGroupCapacity(rules.length, flowRuleGroupCapacityLimit(options.managedThreatSignatures));

  const flowRuleGroup = new networkfirewall.CfnRuleGroup(scope, 'FlowRules', {
    // A change of capacity replaces the rule group, and CloudFormation creates the new
    // rule group before it deletes the old one, so the name carries the capacity to stay unique.
    ruleGroupName: `${options.namePrefix}-flows-${capacity}`,
    description: options.passUnmatchedTraffic
      ? 'Marks the allowed east-west flows and alerts on the rest'
      : 'Marks the allowed east-west flows and drops the rest',
    type: 'STATEFUL',
    capacity,
    ruleGroup: {
      ruleVariables: { ipSets: { HOME_NET: homeNet } },
      rulesSource: { rulesString: rules.join('\n') },
      statefulRuleOptions: { ruleOrder: 'STRICT_ORDER' },
    },
  });

  const stack = Stack.of(scope);
  const managedArns = options.managedThreatSignatures
    ? MANAGED_THREAT_SIGNATURE_GROUPS.map((name) => stack.formatArn({
      service: 'network-firewall',
      account: 'aws-managed',
      resource: 'stateful-rulegroup',
      resourceName: name,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }))
    : [];
  const references = [...managedArns, flowRuleGroup.attrRuleGroupArn].map((resourceArn, index) => ({
    resourceArn,
    priority: (index + 1) * 100,
  }));

  const policy = new networkfirewall.CfnFirewallPolicy(scope, 'FirewallPolicy', {
    firewallPolicyName: `${options.namePrefix}-policy`,
    description: options.passUnmatchedTraffic
      ? 'East-west inspection: strict rule order, allowed flows, unmatched traffic alerted and passed'
      : 'East-west inspection: strict rule order, allowed flows, unmatched traffic dropped',
    firewallPolicy: {
      statelessDefaultActions: ['aws:forward_to_sfe'],
      statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
      // REJECT fails closed like DROP when a connection breaks midstream, for example after a
      // disruption within the firewall, and also resets TCP clients so that they reconnect at once.
      statefulEngineOptions: { ruleOrder: 'STRICT_ORDER', streamExceptionPolicy: 'REJECT' },
      // No default action. The closing rule drops every packet of a flow not marked as
      // allowed, so the packets that reach the default actions belong to allowed flows (or,
      // with passUnmatchedTraffic, to unmatched flows let through). No rule passes them, so
      // a drop default would drop the allowed flows, and an alert default would log every
      // one of their packets.
      statefulRuleGroupReferences: references,
      policyVariables: { ruleVariables: { HOME_NET: homeNet } },
    },
  });

  return { policy, flowRuleGroup };
}

/** Returns whether a rule contains no token, so that its length is known at synth time. */
export function isConcreteRule(rule: string): boolean {
  return !Token.isUnresolved(rule);
}

/**
 * The largest size, in bytes of template text, that the construct lets the rule group's
 * rules take.
 *
 * Network Firewall accepts a rules string of up to 2,000,000 bytes, but the string is a
 * property of the rule group in the CloudFormation template, and CloudFormation accepts
 * templates of up to 1,000,000 bytes (aws-cdk-lib warns at synth above that). The rest of
 * the stack shares that: the inspection's other resources take about 30,000 bytes beside
 * a hub, and the spoke VPCs may sit in the same stack. 400,000 bytes is about 2,000
 * allowed flows of about 200 bytes each.
 *
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/quotas.html
 */
export const MAX_RULES_TEMPLATE_BYTES = 400_000;

/**
 * Returns the size of rules in the template, in bytes: joined by newlines, escaped as a
 * JSON string and encoded in UTF-8, without the enclosing quotes.
 *
 * NOTE: a rule that contains a token is measured with the token's placeholder, which may
 * be shorter or longer than the value CloudFormation substitutes.
 */
export function rulesTemplateBytes(rules: readonly string[]): number {
  if (rules.length === 0) {
    return 0;
  }
  return Buffer.byteLength(JSON.stringify(rules.join('\n')), 'utf8') - 2;
}

/**
 * The signature IDs (sids) Suricata accepts. It rejects 0 and every value at or above
 * 2^32 - 1 (UINT_MAX), so the largest sid is 4,294,967,294.
 *
 * @see https://github.com/OISF/suricata/blob/master/src/detect-sid.c
 */
export const SID_MIN = 1;
export const SID_MAX = 4_294_967_294;

/**
 * The address variables a rule of the flow rule group may use: HOME_NET, which the rule
 * group and the policy define, and EXTERNAL_NET, which Network Firewall sets to the
 * negation of the policy's HOME_NET and the rule group inherits.
 *
 * NOTE: the rule group defines no port variables. Whether Network Firewall supplies
 * Suricata's default ones, such as `$HTTP_PORTS`, is not documented, so they are rejected
 * too; write the ports in the rule instead.
 *
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-limitations-caveats.html
 */
export const DEFINED_RULE_VARIABLES: readonly string[] = ['HOME_NET', 'EXTERNAL_NET'];

/** One option of a Suricata rule, such as `sid:100001`. */
export interface SuricataRuleOption {
  /** The keyword in lower case, because Suricata matches keywords without regard to case. */
  readonly keyword: string;
  /** The value after the colon, trimmed; undefined for an option without a value, such as `noalert`. */
  readonly value?: string;
}

/** A Suricata rule split into its header and its options, with what keeps it from parsing. */
export interface ParsedSuricataRule {
  /** The fields of the header: action, protocol, source, source port, direction, destination, destination port. */
  readonly header: string[];
  readonly options: SuricataRuleOption[];
  /** The problems with the rule's form, as clauses for an error message. Empty if it parses. */
  readonly problems: string[];
}

/** The directions a Suricata 7 rule header may have. */
const RULE_DIRECTIONS = ['->', '<>'];

/**
 * Parses one Suricata rule: the header up to the first `(`, then the options up to the
 * `)` that closes them.
 *
 * Suricata ends each option at the next semicolon that no backslash escapes, even inside a
 * quoted value, so a quoted value must escape its semicolons (`\;`). The parser reads the
 * options outside quoted values and reports an unescaped semicolon inside one, because
 * Suricata and a reader would split that rule differently, and a `sid:` inside a message
 * must not count as the rule's sid.
 */
export function parseSuricataRule(text: string): ParsedSuricataRule {
  const open = text.indexOf('(');
  const headerText = open < 0 ? text : text.slice(0, open);
  const header = splitHeader(headerText.trim());
  const problems: string[] = [];
  if (header.length !== 7 || !RULE_DIRECTIONS.includes(header[4])) {
    problems.push('its header must be "<action> <protocol> <source> <source port> -> <destination> <destination port>"');
  }
  if (open < 0) {
    problems.push('it must end with ";)", closing its options');
    return { header, options: [], problems };
  }

  const rawOptions: string[] = [];
  let current = '';
  let inQuotes = false;
  let semicolonInQuotes = false;
  let close = -1;
  for (let index = open + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') {
      // An escaped character, such as \" or \;, never opens a quote or ends an option.
      current += text.slice(index, index + 2);
      index++;
    } else if (char === '"') {
      inQuotes = !inQuotes;
      current += char;
    } else if (inQuotes) {
      semicolonInQuotes = semicolonInQuotes || char === ';';
      current += char;
    } else if (char === ';') {
      rawOptions.push(current);
      current = '';
    } else if (char === ')' && current.trim() === '') {
      close = index;
      break;
    } else {
      current += char;
    }
  }

  if (semicolonInQuotes) {
    problems.push('a quoted value contains a ";" without a backslash, which Suricata reads as the end of the option, so write it as "\\;"');
  }
  if (close < 0) {
    problems.push(inQuotes ? 'a quoted value has no closing quote' : 'it must end with ";)", closing its options');
  } else if (text.slice(close + 1).trim() !== '') {
    problems.push(`text follows the ")" that closes its options (${JSON.stringify(text.slice(close + 1).trim().slice(0, 60))}), so pass each rule as its own entry`);
  }

  const options = rawOptions
    .filter((option) => option.trim() !== '')
    .map((option) => {
      const colon = option.indexOf(':');
      return colon < 0
        ? { keyword: option.trim().toLowerCase() }
        : { keyword: option.slice(0, colon).trim().toLowerCase(), value: option.slice(colon + 1).trim() };
    });
  return { header, options, problems };
}

/** Splits a rule header at whitespace outside square brackets, so that `[10.0.0.0/8, 10.1.0.0/16]` stays one field. */
function splitHeader(headerText: string): string[] {
  const fields: string[] = [];
  let current = '';
  let depth = 0;
  for (const char of headerText) {
    if (/\s/.test(char) && depth === 0) {
      if (current !== '') {
        fields.push(current);
      }
      current = '';
      continue;
    }
    if (char === '[') {
      depth++;
    } else if (char === ']') {
      depth--;
    }
    current += char;
  }
  if (current !== '') {
    fields.push(current);
  }
  return fields;
}

/** Returns the variables, such as `HOME_NET`, that the addresses and ports of a parsed rule's header name. */
export function headerVariables(rule: ParsedSuricataRule): string[] {
  const fields = [rule.header[2], rule.header[3], rule.header[5], rule.header[6]].filter((field) => field !== undefined);
  return fields.flatMap((field) => [...field.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]));
}

/**
 * Returns whether a parsed rule allows traffic between any source and any destination:
 * a `pass` rule, or a rule that sets `ALLOWED_FLOWBIT`, whose header has `any` (or
 * 0.0.0.0/0) on both sides.
 */
export function allowsAnyToAny(rule: ParsedSuricataRule): boolean {
  if (rule.problems.length > 0) {
    return false;
  }
  const anyAddress = (field: string) => ['any', '0.0.0.0/0', '[0.0.0.0/0]'].includes(field.toLowerCase());
  if (!anyAddress(rule.header[2]) || !anyAddress(rule.header[5])) {
    return false;
  }
  const setsAllowedFlowbit = rule.options.some((option) => {
    if (option.keyword !== 'flowbits' || option.value === undefined) {
      return false;
    }
    const comma = option.value.indexOf(',');
    const command = comma < 0 ? option.value : option.value.slice(0, comma);
    const names = comma < 0 ? [] : option.value.slice(comma + 1).split(/[|&]/);
    return command.trim().toLowerCase() === 'set' && names.some((name) => name.trim() === ALLOWED_FLOWBIT);
  });
  return rule.header[0].toLowerCase() === 'pass' || setsAllowedFlowbit;
}
