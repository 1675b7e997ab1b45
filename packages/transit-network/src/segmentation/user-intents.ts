import { AddressSet } from './address-set';
import { Finding, IntentResult, conclude, findVpc } from './intent-result';
import { NetworkModel, NodeKind, nodeLabel, vpcLabel } from './model';
import { TracedPath, traceFromVpc } from './reachability';
import { parseCidr } from '../private/cidr';

/**
 * The destination of a user's intent: a VPC (by Name tag, key or construct path), a CIDR
 * block, or the internet. Set exactly one.
 */
export interface IntentDestination {
  readonly vpc?: string;
  readonly cidr?: string;
  readonly internet?: boolean;
}

/** A destination worked out against the model. */
interface ResolvedDestination {
  readonly text: string;
  readonly addresses: AddressSet;
  /** Whether a path's outcome counts as reaching the destination. */
  readonly reaches: (path: TracedPath) => boolean;
}

/**
 * Proves that a VPC cannot reach a destination: no path from any of its subnets is
 * delivered in the destination VPC, delivered to the CIDR block (or leaves through an
 * internet gateway towards it), or leaves for the internet.
 */
export function unreachable(model: NetworkModel, from: string, to: IntentDestination): IntentResult {
  const source = findVpc(model, from);
  const destination = resolveDestination(model, to);
  const requirement = `VPC ${vpcLabel(source)} does not reach ${destination.text}.`;
  const paths = traceFromVpc(model, source.node.key, destination.addresses);

  const violations: Finding[] = [];
  const inconclusive: Finding[] = [];
  for (const path of paths) {
    if (destination.reaches(path)) {
      violations.push({ summary: `VPC ${vpcLabel(source)} (${path.zone}) reaches ${destination.text} for ${path.addresses.describe()}`, path });
    } else if (path.outcome.kind === 'external') {
      inconclusive.push({ summary: `VPC ${vpcLabel(source)} (${path.zone}) sends traffic for ${destination.text} outside the model`, path });
    }
  }
  return conclude(`unreachable(${from}, ${destination.text})`, requirement, {
    applicable: !destination.addresses.isEmpty,
    pathsChecked: paths.length,
    violations,
    inconclusive,
    notes: [],
  });
}

/**
 * Proves that every path by which a VPC reaches a destination passes a hop of the given
 * kind, such as `network-firewall-endpoint`. Not applicable when no path reaches it.
 */
export function reachableOnlyThrough(model: NetworkModel, from: string, to: IntentDestination, through: NodeKind): IntentResult {
  const source = findVpc(model, from);
  const destination = resolveDestination(model, to);
  const requirement = `VPC ${vpcLabel(source)} reaches ${destination.text} only through a ${through}.`;
  const paths = traceFromVpc(model, source.node.key, destination.addresses);

  const violations: Finding[] = [];
  const inconclusive: Finding[] = [];
  let reaching = 0;
  for (const path of paths) {
    if (destination.reaches(path)) {
      reaching++;
      if (!path.hops.some((hop) => hop.kind === through)) {
        const last = path.hops[path.hops.length - 1];
        violations.push({ summary: `VPC ${vpcLabel(source)} (${path.zone}) reaches ${destination.text} without a ${through}, last through ${nodeLabel(last.node)}`, path });
      }
    } else if (path.outcome.kind === 'external') {
      inconclusive.push({ summary: `VPC ${vpcLabel(source)} (${path.zone}) sends traffic for ${destination.text} outside the model`, path });
    }
  }
  return conclude(`reachableOnlyThrough(${from}, ${destination.text}, ${through})`, requirement, {
    applicable: reaching > 0,
    pathsChecked: paths.length,
    violations,
    inconclusive,
    notes: reaching === 0 ? [`No path from VPC ${vpcLabel(source)} reaches ${destination.text}.`] : [],
  });
}

function resolveDestination(model: NetworkModel, to: IntentDestination): ResolvedDestination {
  const chosen = [to?.vpc, to?.cidr, to?.internet ? true : undefined].filter((value) => value !== undefined);
  if (chosen.length !== 1) {
    throw new Error(`The destination ${JSON.stringify(to)} is invalid: set exactly one of vpc, cidr or internet.`);
  }
  if (to.vpc !== undefined) {
    const vpc = findVpc(model, to.vpc);
    return {
      text: `VPC ${vpcLabel(vpc)}`,
      addresses: AddressSet.of(vpc.cidrs),
      reaches: (path) => path.outcome.kind === 'delivered' && path.outcome.vpc === vpc.node.key,
    };
  }
  if (to.cidr !== undefined) {
    const block = parseCidr(to.cidr);
    if (block === undefined) {
      throw new Error(`The destination CIDR block ${JSON.stringify(to.cidr)} is invalid; use IPv4 CIDR notation such as 10.64.0.0/14.`);
    }
    return {
      text: to.cidr,
      addresses: AddressSet.of([block]),
      reaches: (path) => path.outcome.kind === 'delivered' || path.outcome.kind === 'internet',
    };
  }
  return {
    text: 'the internet',
    addresses: AddressSet.publicInternet(),
    reaches: (path) => path.outcome.kind === 'internet',
  };
}
