import { NetworkModel, nodeLabel } from './model';
import { Hop, Outcome, TracedPath } from './reachability';

const HOP_NAMES: Record<string, string> = {
  'subnet': 'subnet',
  'route-table': 'route table',
  'transit-gateway-attachment': 'transit gateway attachment',
  'transit-gateway-route-table': 'transit gateway route table',
  'network-firewall-endpoint': 'Network Firewall endpoint',
  'gateway-load-balancer-endpoint': 'Gateway Load Balancer endpoint',
  'nat-gateway': 'NAT gateway',
  'internet-gateway': 'internet gateway',
  'vpc-peering-connection': 'VPC peering connection',
};

/** Describes one hop in a line, such as `route table X in eu-west-2a: 0.0.0.0/0 to transit gateway Y (route Z)`. */
export function hopText(hop: Hop): string {
  const where = hop.zone === undefined || hop.kind === 'internet-gateway' ? '' : ` in ${hop.zone}`;
  const parts = [`${HOP_NAMES[hop.kind] ?? hop.kind} ${nodeLabel(hop.node)}${where}`];
  if (hop.note !== undefined) {
    parts.push(`(${hop.note})`);
  }
  const head = parts.join(' ');
  return hop.route === undefined ? head : `${head}: ${hop.route.text}`;
}

/** Describes how a path ends. */
export function outcomeText(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'delivered':
      return `delivered: ${outcome.reason}`;
    case 'internet':
      return `leaves for the internet: ${outcome.reason}`;
    case 'dropped':
      return `dropped: ${outcome.reason}`;
    case 'external':
      return `not followed further: ${outcome.reason}`;
    case 'loop':
      return `loop: ${outcome.reason}`;
  }
}

/** Names the source VPC of a path for a report. */
export function sourceText(model: NetworkModel, path: TracedPath): string {
  const vpc = model.vpcs.get(path.sourceVpc);
  return vpc?.node.name ?? path.sourceVpc;
}

/** Writes a path as numbered lines a reviewer can follow, one hop a line, ending with the outcome. */
export function pathLines(model: NetworkModel, path: TracedPath): string[] {
  const lines = [`From VPC ${sourceText(model, path)} in ${path.zone}, to ${path.addresses.describe()}:`];
  path.hops.forEach((hop, index) => lines.push(`  ${index + 1}. ${hopText(hop)}`));
  lines.push(`  => ${outcomeText(path.outcome)}`);
  return lines;
}
