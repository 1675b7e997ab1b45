import {
  IPV4_ADDRESS_COUNT,
  Ipv4Block,
  PRIVATE_RANGES,
  UNUSABLE_VPC_RANGES,
  formatCidr,
  lastAddress,
  networkOf,
} from '../private/cidr';

/** An inclusive range of IPv4 addresses, as numbers from 0 to 2^32 - 1. */
interface AddressRange {
  readonly first: number;
  readonly last: number;
}

/**
 * A set of IPv4 destination addresses.
 *
 * The reachability walk carries one of these instead of a single address, so that a
 * route table splits it by longest prefix match and every address of a destination
 * range is followed, not only a sample. The ranges are kept sorted, disjoint and merged.
 */
export class AddressSet {
  /** Every IPv4 address. */
  public static all(): AddressSet {
    return new AddressSet([{ first: 0, last: IPV4_ADDRESS_COUNT - 1 }]);
  }

  /** The empty set. */
  public static empty(): AddressSet {
    return new AddressSet([]);
  }

  /** The union of the given blocks. Host bits are ignored, as a route table ignores them. */
  public static of(blocks: readonly Ipv4Block[]): AddressSet {
    return new AddressSet(normalise(blocks.map(toRange)));
  }

  /**
   * The addresses the internet routes: everything outside the private ranges
   * (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10) and outside the ranges no
   * network routes (0.0.0.0/8, loopback, link-local, multicast and the reserved 240.0.0.0/4).
   */
  public static publicInternet(): AddressSet {
    const excluded = [...PRIVATE_RANGES, ...UNUSABLE_VPC_RANGES.map((range) => range.block)];
    return AddressSet.all().subtract(AddressSet.of(excluded));
  }

  private constructor(private readonly ranges: readonly AddressRange[]) {}

  /** Whether the set has no address. */
  public get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** The number of addresses in the set. */
  public get size(): number {
    return this.ranges.reduce((total, range) => total + range.last - range.first + 1, 0);
  }

  /** Returns the addresses in both sets. */
  public intersect(other: AddressSet): AddressSet {
    const result: AddressRange[] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < other.ranges.length) {
      const a = this.ranges[i];
      const b = other.ranges[j];
      const first = Math.max(a.first, b.first);
      const last = Math.min(a.last, b.last);
      if (first <= last) {
        result.push({ first, last });
      }
      if (a.last < b.last) {
        i++;
      } else {
        j++;
      }
    }
    return new AddressSet(result);
  }

  /** Returns the addresses of this set that are not in `other`. */
  public subtract(other: AddressSet): AddressSet {
    const result: AddressRange[] = [];
    for (const range of this.ranges) {
      let first = range.first;
      for (const cut of other.ranges) {
        if (cut.last < first || cut.first > range.last) {
          continue;
        }
        if (cut.first > first) {
          result.push({ first, last: cut.first - 1 });
        }
        first = cut.last + 1;
        if (first > range.last) {
          break;
        }
      }
      if (first <= range.last) {
        result.push({ first, last: range.last });
      }
    }
    return new AddressSet(result);
  }

  /** Returns the addresses in either set. */
  public union(other: AddressSet): AddressSet {
    return new AddressSet(normalise([...this.ranges, ...other.ranges]));
  }

  /** Tests whether every address of `other` is in this set. */
  public containsAll(other: AddressSet): boolean {
    return other.subtract(this).isEmpty;
  }

  /** Returns the set as the fewest CIDR blocks that cover exactly its addresses, lowest first. */
  public toBlocks(): Ipv4Block[] {
    return this.ranges.flatMap(rangeToBlocks);
  }

  /**
   * Describes the set in CIDR notation for a report, such as `10.64.32.0/19`, or
   * `the public internet` when it is exactly that set. Long lists are cut after
   * `maxBlocks` blocks with a count of the rest.
   */
  public describe(maxBlocks: number = 4): string {
    if (this.isEmpty) {
      return 'no address';
    }
    if (this.equals(AddressSet.publicInternet())) {
      return 'the public internet';
    }
    const blocks = this.toBlocks().map(formatCidr);
    if (blocks.length <= maxBlocks) {
      return blocks.join(', ');
    }
    return `${blocks.slice(0, maxBlocks).join(', ')} and ${blocks.length - maxBlocks} more blocks`;
  }

  /** Tests whether both sets contain the same addresses. */
  public equals(other: AddressSet): boolean {
    return this.ranges.length === other.ranges.length
      && this.ranges.every((range, index) => range.first === other.ranges[index].first && range.last === other.ranges[index].last);
  }
}

/** A route of a route table, reduced to what longest prefix match needs. */
export interface PrefixRoute {
  readonly destination: Ipv4Block;
}

/** The routes that win for part of a destination set, and the addresses they win. */
export interface RouteMatch<T extends PrefixRoute> {
  /** Every route with the winning prefix. Usually one; the caller breaks ties. */
  readonly routes: T[];
  readonly addresses: AddressSet;
}

/** The result of splitting a destination set over a route table. */
export interface PrefixMatchResult<T extends PrefixRoute> {
  readonly matches: Array<RouteMatch<T>>;
  /** The addresses no route covers. */
  readonly unrouted: AddressSet;
}

/**
 * Splits `destinations` by longest prefix match over `routes`: each address goes to the
 * routes with the longest prefix that contains it.
 *
 * Routes whose destinations are the same block (after clearing host bits) are returned
 * together, because which one wins depends on the kind of route table.
 */
export function longestPrefixMatch<T extends PrefixRoute>(destinations: AddressSet, routes: readonly T[]): PrefixMatchResult<T> {
  const groups = new Map<string, { block: Ipv4Block; routes: T[] }>();
  for (const route of routes) {
    const block = networkOf(route.destination);
    const key = formatCidr(block);
    const group = groups.get(key) ?? { block, routes: [] };
    group.routes.push(route);
    groups.set(key, group);
  }

  // Longer prefixes first: an address that a longer prefix contains never reaches a shorter one.
  const ordered = [...groups.values()].sort((a, b) => b.block.prefixLength - a.block.prefixLength || a.block.address - b.block.address);
  const matches: Array<RouteMatch<T>> = [];
  let remaining = destinations;
  for (const group of ordered) {
    if (remaining.isEmpty) {
      break;
    }
    const blockSet = AddressSet.of([group.block]);
    const addresses = remaining.intersect(blockSet);
    if (!addresses.isEmpty) {
      matches.push({ routes: group.routes, addresses });
      remaining = remaining.subtract(blockSet);
    }
  }
  return { matches, unrouted: remaining };
}

function toRange(block: Ipv4Block): AddressRange {
  const network = networkOf(block);
  return { first: network.address, last: lastAddress(network) };
}

/** Sorts ranges and merges those that overlap or touch. */
function normalise(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const merged: AddressRange[] = [];
  for (const range of sorted) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && range.first <= previous.last + 1) {
      merged[merged.length - 1] = { first: previous.first, last: Math.max(previous.last, range.last) };
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

/** Covers an address range with the fewest CIDR blocks, each aligned to its own size. */
function rangeToBlocks(range: AddressRange): Ipv4Block[] {
  const blocks: Ipv4Block[] = [];
  let address = range.first;
  while (address <= range.last) {
    let prefixLength = 32;
    // Grow the block while it stays aligned and inside the range.
    while (prefixLength > 0) {
      const size = 2 ** (32 - prefixLength + 1);
      if (address % size !== 0 || address + size - 1 > range.last) {
        break;
      }
      prefixLength--;
    }
    blocks.push({ address, prefixLength });
    address += 2 ** (32 - prefixLength);
  }
  return blocks;
}
