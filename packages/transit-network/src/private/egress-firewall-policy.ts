import { aws_networkfirewall as networkfirewall } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Inputs of the egress firewall policy. */
export interface EgressFirewallPolicyOptions {
  /** The start of every resource name, for example `production-egress`. */
  readonly namePrefix: string;
  /** The tier's internal address ranges, for the rule that drops traffic between them. */
  readonly internalCidrs: string[];
  /** The sources whose traffic the rules inspect: the internal ranges and the egress VPC. */
  readonly homeNet: string[];
  /** Domains that may be reached. */
  readonly allowedDomains: string[];
  /** Domains that are blocked even when an allowed entry covers them. */
  readonly deniedDomains: string[];
}

/** The policy and the rule groups it references, in evaluation order. */
export interface EgressFirewallPolicy {
  readonly policy: networkfirewall.CfnFirewallPolicy;
  readonly ruleGroups: networkfirewall.CfnRuleGroup[];
}

/** The protocols the domain lists inspect: the TLS server name (HTTPS) and the HTTP Host header. */
const DOMAIN_TARGET_TYPES = ['TLS_SNI', 'HTTP_HOST'];

/**
 * The stateful capacity of a firewall policy under the default Network Firewall quota
 * (30,000 for a classic policy, adjustable to 50,000).
 *
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/rule-group-capacity-v2.html
 */
export const POLICY_STATEFUL_CAPACITY = 30_000;

/** The capacity of the rule group with the three fixed baseline rules. */
const BASELINE_RULE_GROUP_CAPACITY = 100;

const DEFAULT_ACTIONS = {
  stateless: ['aws:forward_to_sfe'],
  stateful: ['aws:drop_established', 'aws:alert_established'],
};

/**
 * Returns the capacity to reserve for a domain list rule group of `domainCount` domains.
 *
 * The need is estimated as one unit for each domain and target type plus one for each
 * target type, `2 × domainCount + 2` with both target types. AWS publishes no formula for
 * domain lists. This one counts the rules Network Firewall generates: one for each domain
 * and protocol, plus the allow list's closing drop rule for each protocol.
 *
 * A rule group's capacity is fixed at creation, and changing it replaces the rule group.
 * So the capacity reserved is the first of 100, 200, 400, 800 and so on that is at least
 * twice the estimate, and a list can double before its rule group is replaced.
 *
 * @see https://docs.aws.amazon.com/network-firewall/latest/developerguide/nwfw-rule-group-capacity.html
 */
export function domainListCapacity(domainCount: number): number {
  const needed = (domainCount + 1) * DOMAIN_TARGET_TYPES.length;
  let capacity = 100;
  while (capacity < 2 * needed) {
    capacity *= 2;
  }
  return capacity;
}

/**
 * Returns the capacity the policy's rule groups reserve in total, for lists of the given lengths.
 *
 * The deny list's rule group exists only when there are denied domains.
 */
export function policyCapacity(allowedCount: number, deniedCount: number): number {
  return BASELINE_RULE_GROUP_CAPACITY + domainListCapacity(allowedCount) + (deniedCount > 0 ? domainListCapacity(deniedCount) : 0);
}

/**
 * Creates the egress firewall policy and its rule groups.
 *
 * The stateless engine forwards every packet, fragments included, to the stateful engine.
 * The stateful engine evaluates rule groups in strict order, lowest priority first:
 *
 * 1. baseline rules: drop traffic between internal ranges, and drop UDP and ICMP to the internet;
 * 2. the deny list, so that a denied domain stays blocked when an allowed entry covers it;
 * 3. the allow list, which passes HTTPS and HTTP to the allowed domains and drops the rest.
 *
 * Anything that no rule matches is dropped once its connection is established and logged
 * as an alert. `aws:drop_established` rather than `aws:drop_strict` lets the TCP handshake
 * through, because the domain lists need the TLS Client Hello or the HTTP request to see the name.
 *
 * NOTE: the policy and the rule groups are encrypted with an AWS owned key, not the
 * customer managed key. CloudFormation has no `EncryptionConfiguration` property for them,
 * and the APIs that could set one afterwards (`UpdateFirewallPolicy`, `UpdateRuleGroup`)
 * rewrite the whole resource, so they would race CloudFormation's own updates.
 */
export function createEgressFirewallPolicy(scope: Construct, options: EgressFirewallPolicyOptions): EgressFirewallPolicy {
  // Domain list rules only inspect traffic whose source is in HOME_NET, which defaults to
  // the CIDR of the VPC the firewall is in. Here the sources are the spoke VPCs behind the
  // transit gateway, so without this every spoke's traffic would bypass the lists and fall
  // through to the default action.
  const homeNetVariables = { ipSets: { HOME_NET: { definition: options.homeNet } } };

  const ruleGroups: networkfirewall.CfnRuleGroup[] = [];
  ruleGroups.push(new networkfirewall.CfnRuleGroup(scope, 'BaselineRules', {
    ruleGroupName: `${options.namePrefix}-baseline`,
    description: 'Drops traffic between internal ranges, and UDP and ICMP to the internet',
    type: 'STATEFUL',
    capacity: BASELINE_RULE_GROUP_CAPACITY,
    ruleGroup: {
      ruleVariables: {
        ipSets: {
          ...homeNetVariables.ipSets,
          INTERNAL_NET: { definition: options.internalCidrs },
        },
      },
      rulesSource: { rulesString: baselineRules() },
      statefulRuleOptions: { ruleOrder: 'STRICT_ORDER' },
    },
  }));

  if (options.deniedDomains.length > 0) {
    ruleGroups.push(domainListRuleGroup(scope, 'DeniedDomains', {
      name: `${options.namePrefix}-denied-domains`,
      description: 'Blocks HTTPS and HTTP to the denied domains',
      generatedRulesType: 'DENYLIST',
      domains: options.deniedDomains,
      ruleVariables: homeNetVariables,
    }));
  }

  ruleGroups.push(domainListRuleGroup(scope, 'AllowedDomains', {
    name: `${options.namePrefix}-allowed-domains`,
    description: 'Passes HTTPS and HTTP to the allowed domains and drops the rest',
    generatedRulesType: 'ALLOWLIST',
    domains: options.allowedDomains,
    ruleVariables: homeNetVariables,
  }));

  const policy = new networkfirewall.CfnFirewallPolicy(scope, 'FirewallPolicy', {
    firewallPolicyName: `${options.namePrefix}-policy`,
    description: 'Egress filtering: strict rule order, domain allow list, default drop',
    firewallPolicy: {
      statelessDefaultActions: DEFAULT_ACTIONS.stateless,
      statelessFragmentDefaultActions: DEFAULT_ACTIONS.stateless,
      statefulEngineOptions: { ruleOrder: 'STRICT_ORDER', streamExceptionPolicy: 'DROP' },
      statefulDefaultActions: DEFAULT_ACTIONS.stateful,
      statefulRuleGroupReferences: ruleGroups.map((group, index) => ({
        resourceArn: group.attrRuleGroupArn,
        priority: (index + 1) * 100,
      })),
      // The same HOME_NET at policy level, so that the result does not depend on which of
      // the two values Network Firewall applies to a rule group.
      policyVariables: { ruleVariables: { HOME_NET: { definition: options.homeNet } } },
    },
  });

  return { policy, ruleGroups };
}

interface DomainListOptions {
  readonly name: string;
  readonly description: string;
  readonly generatedRulesType: string;
  readonly domains: string[];
  readonly ruleVariables: networkfirewall.CfnRuleGroup.RuleVariablesProperty;
}

function domainListRuleGroup(scope: Construct, id: string, options: DomainListOptions): networkfirewall.CfnRuleGroup {
  const capacity = domainListCapacity(options.domains.length);
  return new networkfirewall.CfnRuleGroup(scope, id, {
    // A change of capacity replaces the rule group, and CloudFormation creates the new
    // rule group before it deletes the old one, so the name carries the capacity to stay unique.
    ruleGroupName: `${options.name}-${capacity}`,
    description: options.description,
    type: 'STATEFUL',
    capacity,
    ruleGroup: {
      ruleVariables: options.ruleVariables,
      rulesSource: {
        rulesSourceList: {
          generatedRulesType: options.generatedRulesType,
          targetTypes: DOMAIN_TARGET_TYPES,
          targets: options.domains,
        },
      },
      statefulRuleOptions: { ruleOrder: 'STRICT_ORDER' },
    },
  });
}

/**
 * Returns the baseline rules in Suricata format.
 *
 * Traffic between internal ranges should never reach the egress VPC, because the transit
 * gateway route tables blackhole it. Dropping it here as well stops hairpinning through
 * the egress VPC if a route is ever wrong. UDP and ICMP are dropped because the stateful
 * default action only drops packets of established flows. A UDP flow that never gets a
 * reply never becomes established, so one-way UDP would otherwise leave unfiltered.
 */
function baselineRules(): string {
  return [
    'drop ip $INTERNAL_NET any -> $INTERNAL_NET any (msg:"Traffic between internal ranges through the egress DMZ"; sid:1000001; rev:1;)',
    'drop udp $HOME_NET any -> any any (msg:"UDP to the internet"; sid:1000002; rev:1;)',
    'drop icmp $HOME_NET any -> any any (msg:"ICMP to the internet"; sid:1000003; rev:1;)',
  ].join('\n');
}
