import { ALL_ROUTING_DOMAINS, GOVERNMENT_NETWORK_DOMAINS, RoutingDomain } from '../routing-domain';
import { RoutingPolicy } from '../routing-policy';
import { AddressSet } from './address-set';
import { Finding, IntentResult, conclude, findVpc } from './intent-result';
import { HYBRID_ATTACHMENT_KINDS, NetworkModel, VpcModel, nodeLabel, transitGatewaysOf, vpcLabel } from './model';
import { TracedPath, traceFromAttachment, traceFromVpc } from './reachability';

export { reachableOnlyThrough, unreachable } from './user-intents';

/**
 * Proves that tiers do not route to each other: no VPC reaches a VPC with which it shares
 * no transit gateway.
 *
 * Each transit gateway is a tier (Production's hub, Non-Production's hub). A VPC
 * attached to both, such as Shared Services, shares a transit gateway with every VPC of
 * both tiers, so it may reach them. The VPCs of the two tiers share no transit gateway,
 * so the intent also proves that such a VPC does not carry one tier's traffic to the
 * other. VPCs attached to no transit gateway are left out.
 */
export function tiersIsolated(model: NetworkModel): IntentResult {
  const requirement = 'No VPC reaches the CIDR block of a VPC with which it shares no transit gateway (tiers never route to each other).';
  const attached = [...model.vpcs.values()]
    .map((vpc) => ({ vpc, gateways: transitGatewaysOf(model, vpc.node.key) }))
    .filter((entry) => entry.gateways.length > 0);
  const gateways = new Set(attached.flatMap((entry) => entry.gateways));
  const notes = [`${gateways.size} transit gateway(s) have VPCs attached: ${[...gateways].join(', ') || 'none'}.`];

  const violations: Finding[] = [];
  const inconclusive: Finding[] = [];
  let pathsChecked = 0;
  for (const source of attached) {
    const others = attached.filter((other) => other.vpc !== source.vpc && !other.gateways.some((g) => source.gateways.includes(g)));
    const forbidden = new Set(others.map((other) => other.vpc.node.key));
    const destinations = AddressSet.of(others.flatMap((other) => other.vpc.cidrs));
    const paths = traceFromVpc(model, source.vpc.node.key, destinations);
    pathsChecked += paths.length;
    for (const path of paths) {
      if (path.outcome.kind === 'delivered' && forbidden.has(path.outcome.vpc!)) {
        violations.push({ summary: `${describeSource(model, path)} reaches VPC ${vpcLabel(model.vpcs.get(path.outcome.vpc!)!)} of another tier`, path });
      } else if (path.outcome.kind === 'external') {
        inconclusive.push({ summary: `${describeSource(model, path)} sends traffic for another tier's VPCs outside the model`, path });
      }
    }
  }
  return conclude('tiersIsolated', requirement, { applicable: gateways.size >= 2, pathsChecked, violations, inconclusive, notes });
}

/** Options of the routing-domain intent. */
export interface DomainPolicyOptions {
  /** The policy the hubs were built with. */
  readonly routingPolicy: RoutingPolicy;
}

/**
 * Proves that VPCs on a hub reach each other only as the routing policy allows. Two VPCs
 * whose routing domains the policy does not connect must not reach each other.
 * Business-application VPCs must never reach each other, even where the policy connects them.
 *
 * A VPC's domain on a hub is the RoutingDomain tag of the route table its attachment is
 * associated with, else the attachment's RoutingDomain tag, else the VPC's. A pair that
 * shares several hubs may reach each other if any of them connects their domains. Pairs
 * the policy connects but that cannot reach each other are listed in the notes.
 */
export function domainPolicyHolds(model: NetworkModel, options: DomainPolicyOptions): IntentResult {
  const requirement = 'VPCs on a hub reach each other only where the routing policy connects their domains, and business-application VPCs never reach each other.';
  const notes: string[] = [];
  const domains = domainsByVpc(model, notes);
  const violations: Finding[] = [];
  const inconclusive: Finding[] = [];
  let pathsChecked = 0;
  let pairsChecked = 0;

  for (const [sourceKey, sourceDomains] of domains) {
    const forbidden: VpcModel[] = [];
    const allowed: VpcModel[] = [];
    for (const [targetKey, targetDomains] of domains) {
      const verdict = targetKey === sourceKey ? undefined : pairVerdict(options.routingPolicy, sourceDomains, targetDomains);
      if (verdict === 'forbidden') {
        forbidden.push(model.vpcs.get(targetKey)!);
      } else if (verdict === 'allowed') {
        allowed.push(model.vpcs.get(targetKey)!);
      }
    }
    pairsChecked += forbidden.length + allowed.length;

    const forbiddenKeys = new Set(forbidden.map((vpc) => vpc.node.key));
    const reached = new Set<string>();
    const paths = traceFromVpc(model, sourceKey, AddressSet.of([...forbidden, ...allowed].flatMap((vpc) => vpc.cidrs)));
    pathsChecked += paths.length;
    for (const path of paths) {
      const target = path.outcome.vpc;
      if (path.outcome.kind === 'delivered' && target !== undefined) {
        reached.add(target);
        if (forbiddenKeys.has(target)) {
          const reason = describeDomains(sourceDomains, domains.get(target)!);
          violations.push({ summary: `${describeSource(model, path)} reaches VPC ${vpcLabel(model.vpcs.get(target)!)}, but ${reason}`, path });
        }
      } else if (path.outcome.kind === 'external' && !path.addresses.intersect(AddressSet.of(forbidden.flatMap((vpc) => vpc.cidrs))).isEmpty) {
        inconclusive.push({ summary: `${describeSource(model, path)} sends traffic for VPCs of other domains outside the model`, path });
      }
    }
    for (const vpc of allowed.filter((candidate) => !reached.has(candidate.node.key))) {
      notes.push(`The policy connects ${vpcLabel(model.vpcs.get(sourceKey)!)} and ${vpcLabel(vpc)}, but no route takes the first to the second.`);
    }
  }
  notes.unshift(`${pairsChecked} ordered pair(s) of VPCs sharing a hub were checked.`);
  return conclude('domainPolicyHolds', requirement, { applicable: pairsChecked > 0, pathsChecked, violations, inconclusive, notes });
}

/**
 * Proves that VPCs whose routing domains the policy inspects reach each other only
 * through a Network Firewall endpoint in a third VPC (the east-west inspection VPC), in
 * both directions, since each direction is traced from its own source.
 *
 * Pairs that share several hubs are checked when any of them inspects their domains.
 * Not applicable when the policy inspects nothing or no such pair is attached.
 */
export function inspectedPairsPassFirewall(model: NetworkModel, options: DomainPolicyOptions): IntentResult {
  const requirement = 'VPCs whose routing domains the policy inspects reach each other only through a Network Firewall endpoint in a third VPC.';
  const notes: string[] = [];
  const domains = domainsByVpc(model, notes);
  const policy = options.routingPolicy;

  const violations: Finding[] = [];
  const inconclusive: Finding[] = [];
  let pathsChecked = 0;
  let pairsChecked = 0;
  for (const [sourceKey, sourceDomains] of domains) {
    const targets = [...domains]
      .filter(([targetKey, targetDomains]) => targetKey !== sourceKey && inspectedOnSomeHub(policy, sourceDomains, targetDomains))
      .map(([targetKey]) => model.vpcs.get(targetKey)!);
    if (targets.length === 0) {
      continue;
    }
    pairsChecked += targets.length;
    const targetKeys = new Set(targets.map((vpc) => vpc.node.key));
    const paths = traceFromVpc(model, sourceKey, AddressSet.of(targets.flatMap((vpc) => vpc.cidrs)));
    pathsChecked += paths.length;
    for (const path of paths) {
      const target = path.outcome.vpc;
      if (path.outcome.kind === 'delivered' && target !== undefined && targetKeys.has(target)) {
        const inspectedElsewhere = path.hops.some((hop) => {
          const firewallVpc = hop.kind === 'network-firewall-endpoint' ? firewallVpcOf(model, hop.node.key) : undefined;
          return firewallVpc !== undefined && firewallVpc !== sourceKey && firewallVpc !== target;
        });
        if (!inspectedElsewhere) {
          violations.push({
            summary: `${describeSource(model, path)} reaches VPC ${vpcLabel(model.vpcs.get(target)!)} without passing the east-west inspection firewall, `
              + `but the routing policy inspects ${describeDomains(sourceDomains, domains.get(target)!).replace('the routing policy does not connect ', '')}`,
            path,
          });
        }
      } else if (path.outcome.kind === 'external') {
        inconclusive.push({ summary: `${describeSource(model, path)} sends traffic for VPCs of inspected domains outside the model`, path });
      }
    }
  }
  notes.unshift(`${pairsChecked} ordered pair(s) of VPCs in inspected domains were checked.`);
  return conclude('inspectedPairsPassFirewall', requirement, { applicable: pairsChecked > 0, pathsChecked, violations, inconclusive, notes });
}

/** Returns whether the policy inspects, and so connects, the two VPCs' domains on a hub they share. */
function inspectedOnSomeHub(policy: RoutingPolicy, source: DomainsOnHubs, target: DomainsOnHubs): boolean {
  return [...source.keys()].some((gateway) => {
    const a = source.get(gateway);
    const b = target.get(gateway);
    const bothBusiness = a === RoutingDomain.BUSINESS_APPLICATION && b === RoutingDomain.BUSINESS_APPLICATION;
    return a !== undefined && b !== undefined && !bothBusiness && policy.inspects(a, b);
  });
}

/** Returns the VPC of the firewall whose endpoint a hop names (`<firewall key>#<zone>`). */
function firewallVpcOf(model: NetworkModel, endpointKey: string): string | undefined {
  return model.firewalls.get(endpointKey.split('#')[0])?.vpc;
}

/**
 * Proves that traffic arriving from the government network, over the Direct Connect and
 * VPN attachments placed in a government-network DMZ domain, reaches only VPCs of the
 * domains the policy connects to that DMZ: never the internet DMZ, never the other
 * government-network DMZ's side, and never a VPC of no known domain.
 *
 * What the government routers advertise is learnt over BGP and not in the templates, so
 * the intent proves where the hubs send such traffic, not which ranges it comes from.
 */
export function governmentNetworkReachesOnlyPolicy(model: NetworkModel, options: DomainPolicyOptions): IntentResult {
  const requirement = 'Traffic from the government network reaches only VPCs of the domains the routing policy connects to its government-network DMZ.';
  const notes: string[] = [];
  const vpcDomains = domainsByVpc(model, []);
  const links = [...model.attachments.values()]
    .filter((attachment) => HYBRID_ATTACHMENT_KINDS.includes(attachment.kind))
    .map((attachment) => ({
      attachment,
      domains: attachment.associations
        .map((association) => model.tgwRouteTables.get(association.routeTable))
        .filter((table) => table !== undefined)
        .map((table) => ({ gateway: table!.transitGateway, domain: table!.domain })),
    }));

  const violations: Finding[] = [];
  const inconclusive: Finding[] = [];
  let pathsChecked = 0;
  let linksChecked = 0;
  const everyVpc = AddressSet.of([...model.vpcs.values()].flatMap((vpc) => vpc.cidrs));
  for (const { attachment, domains } of links) {
    const governmentDomains = domains.filter((entry) => GOVERNMENT_NETWORK_DOMAINS.includes(entry.domain as RoutingDomain));
    if (governmentDomains.length === 0) {
      notes.push(`${nodeLabel(attachment.node)} is in no government-network DMZ domain (${domains.map((entry) => entry.domain ?? 'no domain').join(', ') || 'not associated'}), so it is not checked.`);
      continue;
    }
    linksChecked++;
    const paths = traceFromAttachment(model, attachment.node.key, everyVpc);
    pathsChecked += paths.length;
    for (const path of paths) {
      const target = path.outcome.vpc;
      if (path.outcome.kind === 'delivered' && target !== undefined) {
        const problem = governmentPathProblem(options.routingPolicy, governmentDomains, vpcDomains.get(target));
        if (problem !== undefined) {
          violations.push({ summary: `Traffic from the government network over ${nodeLabel(attachment.node)} reaches VPC ${vpcLabel(model.vpcs.get(target)!)}, ${problem}`, path });
        }
      } else if (path.outcome.kind === 'external') {
        inconclusive.push({ summary: `Traffic from the government network over ${nodeLabel(attachment.node)} leaves the model`, path });
      }
    }
  }
  notes.unshift(`${linksChecked} Direct Connect or VPN attachment(s) in a government-network DMZ domain were checked.`);
  notes.push('Routes the government routers advertise over BGP are not in the templates; the intent checks where the hubs send traffic arriving from them.');
  return conclude('governmentNetworkReachesOnlyPolicy', requirement, { applicable: linksChecked > 0, pathsChecked, violations, inconclusive, notes });
}

/** Describes why a VPC must not be reached from a government-network DMZ domain, or returns undefined if it may. */
function governmentPathProblem(
  policy: RoutingPolicy, from: Array<{ gateway: string; domain?: string }>, target: DomainsOnHubs | undefined,
): string | undefined {
  const allowed = from.some(({ gateway, domain }) => {
    const targetDomain = target?.get(gateway);
    return targetDomain !== undefined && policy.connects(domain as RoutingDomain, targetDomain);
  });
  if (allowed) {
    return undefined;
  }
  const pairs = from.map(({ gateway, domain }) => `${domain} and ${target?.get(gateway) ?? 'a VPC of no routing domain'}`);
  return `but the routing policy does not connect ${pairs.join(', nor ')}`;
}

/**
 * Proves that every VPC reaches the internet only through a Network Firewall endpoint,
 * and only through an internet gateway of a VPC that contains a Network Firewall (the
 * egress DMZ).
 *
 * In a VPC that contains a firewall, the subnets of the firewall endpoints and of the
 * NAT gateways are not sources, because they are the egress path itself. The VPCs in
 * `internetFacingVpcs`, such as an ingress DMZ whose load balancers respond from public
 * subnets, are not sources either; traffic from other VPCs through them is still checked.
 */
export function internetOnlyThroughEgressFirewall(model: NetworkModel, internetFacingVpcs: readonly string[] = []): IntentResult {
  const requirement = 'Traffic from every VPC leaves for the internet only after a Network Firewall endpoint, through an internet gateway of the egress DMZ VPC.';
  const exempt = new Set(internetFacingVpcs.map((selector) => findVpc(model, selector).node.key));
  const firewallVpcs = new Set<string>();
  model.firewalls.forEach((firewall) => firewall.vpc !== undefined && firewallVpcs.add(firewall.vpc));
  const egressSubnets = new Set<string>([
    ...[...model.firewalls.values()].flatMap((firewall) => firewall.subnets),
    ...[...model.natGateways.values()].map((nat) => nat.subnet).filter((subnet) => firewallVpcs.has(model.subnets.get(subnet)?.vpc ?? '')),
  ]);

  const violations: Finding[] = [];
  const inconclusive: Finding[] = [];
  const reachingVpcs = new Set<string>();
  const usedGateways = new Set<string>();
  let pathsChecked = 0;
  for (const vpc of [...model.vpcs.values()].filter((candidate) => !exempt.has(candidate.node.key))) {
    const paths = traceFromVpc(model, vpc.node.key, AddressSet.publicInternet(), (subnet) => !egressSubnets.has(subnet));
    pathsChecked += paths.length;
    for (const path of paths) {
      if (path.outcome.kind === 'external') {
        inconclusive.push({ summary: `${describeSource(model, path)} sends internet traffic outside the model`, path });
      }
      if (path.outcome.kind !== 'internet') {
        continue;
      }
      reachingVpcs.add(vpcLabel(vpc));
      const gateway = path.hops[path.hops.length - 1].node;
      usedGateways.add(gateway.key);
      const problem = internetPathProblem(path, firewallVpcs);
      if (problem !== undefined) {
        violations.push({ summary: `${describeSource(model, path)} reaches the internet through ${nodeLabel(gateway)} ${problem}`, path });
      }
    }
  }

  const notes = [
    `VPCs that reach the internet: ${[...reachingVpcs].join(', ') || 'none'}.`,
    `${egressSubnets.size} subnet(s) that hold firewall endpoints or the egress DMZ's NAT gateways are part of the egress path and are not sources.`,
  ];
  exempt.forEach((key) => notes.push(`VPC ${vpcLabel(model.vpcs.get(key)!)} is internet-facing by configuration, so its own traffic is not checked.`));
  const unused = [...model.internetGateways.values()].filter((gateway) => !usedGateways.has(gateway.node.key));
  if (unused.length > 0) {
    notes.push(`Internet gateways no route from a VPC uses: ${unused.map((gateway) => nodeLabel(gateway.node)).join(', ')}.`);
  }
  const applicable = reachingVpcs.size > 0 || inconclusive.length > 0;
  return conclude('internetOnlyThroughEgressFirewall', requirement, { applicable, pathsChecked, violations, inconclusive, notes });
}

/** Describes what is wrong with a path to the internet, or returns undefined if it is as the intent requires. */
function internetPathProblem(path: TracedPath, firewallVpcs: Set<string>): string | undefined {
  const inspected = path.hops.some((hop) => hop.kind === 'network-firewall-endpoint');
  if (!inspected) {
    return 'without passing a Network Firewall endpoint';
  }
  if (!firewallVpcs.has(path.outcome.vpc ?? '')) {
    return 'of a VPC that holds no Network Firewall, so not through the egress DMZ';
  }
  return undefined;
}

/**
 * The RoutingDomain tag of the east-west inspection VPC's route table. The inspection VPC
 * belongs to no domain: it is a hop on the paths between domains, checked as such.
 */
const INSPECTION_DOMAIN_TAG = 'inspection';

/** The routing domain of a VPC on each transit gateway it is attached to. */
type DomainsOnHubs = Map<string, RoutingDomain>;

/** Works out each VPC's routing domain on each transit gateway, noting VPCs whose domain is unknown. */
function domainsByVpc(model: NetworkModel, notes: string[]): Map<string, DomainsOnHubs> {
  const result = new Map<string, DomainsOnHubs>();
  for (const attachment of model.attachments.values()) {
    if (attachment.kind !== 'vpc' || attachment.vpc === undefined || !model.vpcs.has(attachment.vpc)) {
      continue;
    }
    const vpc = model.vpcs.get(attachment.vpc)!;
    for (const gateway of attachment.transitGateways) {
      const associated = attachment.associations
        .map((association) => model.tgwRouteTables.get(association.routeTable))
        .find((table) => table?.transitGateway === gateway && table.domain !== undefined);
      const domain = associated?.domain ?? attachment.domainTag ?? vpc.domainTag;
      if (domain === INSPECTION_DOMAIN_TAG) {
        continue;
      }
      if (domain === undefined || !ALL_ROUTING_DOMAINS.includes(domain as RoutingDomain)) {
        notes.push(`VPC ${vpcLabel(vpc)} has no known routing domain on transit gateway ${gateway}${domain === undefined ? '' : ` (${domain} is not one)`}, so its pairs there are not checked.`);
        continue;
      }
      const entry = result.get(vpc.node.key) ?? new Map();
      entry.set(gateway, domain as RoutingDomain);
      result.set(vpc.node.key, entry);
    }
  }
  return result;
}

/** Decides whether two VPCs may reach each other, or undefined if they share no hub. */
function pairVerdict(policy: RoutingPolicy, source: DomainsOnHubs, target: DomainsOnHubs): 'allowed' | 'forbidden' | undefined {
  const shared = [...source.keys()].filter((gateway) => target.has(gateway));
  if (shared.length === 0) {
    return undefined;
  }
  const allowedOnSome = shared.some((gateway) => {
    const a = source.get(gateway)!;
    const b = target.get(gateway)!;
    const bothBusiness = a === RoutingDomain.BUSINESS_APPLICATION && b === RoutingDomain.BUSINESS_APPLICATION;
    return !bothBusiness && policy.connects(a, b);
  });
  return allowedOnSome ? 'allowed' : 'forbidden';
}

function describeDomains(source: DomainsOnHubs, target: DomainsOnHubs): string {
  const shared = [...source.keys()].filter((gateway) => target.has(gateway));
  const pairs = shared.map((gateway) => `${source.get(gateway)} and ${target.get(gateway)}`);
  const isBusiness = (domain: RoutingDomain | undefined) => domain === RoutingDomain.BUSINESS_APPLICATION;
  const business = shared.every((gateway) => isBusiness(source.get(gateway)) && isBusiness(target.get(gateway)));
  return business ? 'business-application VPCs must not reach each other' : `the routing policy does not connect ${pairs.join(', nor ')}`;
}

/** Names where a path starts: the VPC, subnet and zone. */
export function describeSource(model: NetworkModel, path: TracedPath): string {
  const vpc = model.vpcs.get(path.sourceVpc);
  const subnet = model.subnets.get(path.sourceSubnet);
  return `VPC ${vpc === undefined ? path.sourceVpc : vpcLabel(vpc)} (subnet ${subnet === undefined ? path.sourceSubnet : nodeLabel(subnet.node)}, ${path.zone})`;
}
