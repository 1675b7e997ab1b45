/**
 * IPv4 address arithmetic for the address plan.
 *
 * Addresses are plain numbers from 0 to 2^32 - 1. Arithmetic uses multiplication and
 * division rather than bitwise operators, because JavaScript's bitwise operators work
 * on signed 32-bit integers and turn addresses from 128.0.0.0 upwards negative.
 */

/** The number of IPv4 addresses, 2^32. */
export const IPV4_ADDRESS_COUNT = 2 ** 32;

/** An IPv4 CIDR block: its first address and its prefix length (0 to 32). */
export interface Ipv4Block {
  readonly address: number;
  readonly prefixLength: number;
}

const DOTTED_DECIMAL = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;
const PREFIX_LENGTH = /^(0|[1-9][0-9]?)$/;

/**
 * Parses a dotted-decimal IPv4 address such as `10.64.0.1`.
 *
 * Returns undefined for anything else, including octets with leading zeros, which some
 * parsers read as octal.
 */
export function parseIpv4Address(text: string): number | undefined {
  const match = DOTTED_DECIMAL.exec(text);
  if (!match) {
    return undefined;
  }
  const octets = match.slice(1).map((octet) => Number(octet));
  if (octets.some((octet) => octet > 255)) {
    return undefined;
  }
  return octets.reduce((address, octet) => address * 256 + octet, 0);
}

/** Formats an address (0 to 2^32 - 1) in dotted-decimal notation. */
export function formatIpv4Address(address: number): string {
  const octets: number[] = [];
  let remaining = address;
  for (let i = 0; i < 4; i++) {
    octets.unshift(remaining % 256);
    remaining = Math.floor(remaining / 256);
  }
  return octets.join('.');
}

/**
 * Parses CIDR notation such as `10.64.0.0/14`.
 *
 * The address is kept as written, so the result may have host bits set (see
 * `hasHostBits`). Returns undefined if the text is not an IPv4 address, a slash and a
 * prefix length from 0 to 32.
 */
export function parseCidr(text: string): Ipv4Block | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) {
    return undefined;
  }
  const address = parseIpv4Address(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !PREFIX_LENGTH.test(prefixText)) {
    return undefined;
  }
  const prefixLength = Number(prefixText);
  if (prefixLength > 32) {
    return undefined;
  }
  return { address, prefixLength };
}

/**
 * Parses a CIDR block written in this file's tables. A mistyped entry throws when the
 * module loads, so any test run catches it.
 */
function knownBlock(text: string): Ipv4Block {
  const block = parseCidr(text);
  if (!block || hasHostBits(block)) {
    throw new Error(`Invalid CIDR block in a table of src/private/cidr.ts: ${text}`);
  }
  return block;
}

/** A range with a fixed purpose, and why that purpose matters here. */
export interface SpecialRange {
  readonly block: Ipv4Block;
  readonly reason: string;
}

/**
 * Ranges that a VPC cannot use, or that break a VPC that uses them. None of them is
 * routable unicast address space, so no network can route them to a VPC.
 *
 * NOTE: the VPC user guide does not list these ranges, so it is not confirmed that
 * CreateVpc rejects each of them. The check does not depend on that, because a VPC in
 * any of them would not work as a routed network.
 */
export const UNUSABLE_VPC_RANGES: readonly SpecialRange[] = [
  { block: knownBlock('0.0.0.0/8'), reason: 'addresses of "this network", used only as a source by hosts that do not yet know their own address' },
  { block: knownBlock('127.0.0.0/8'), reason: 'the loopback range, whose addresses never leave a host' },
  {
    block: knownBlock('169.254.0.0/16'),
    reason: 'the link-local range, where every VPC already has its own services: instance metadata at 169.254.169.254 and the DNS resolver at 169.254.169.253',
  },
  { block: knownBlock('224.0.0.0/4'), reason: 'the multicast range, whose addresses name groups, not hosts' },
  { block: knownBlock('240.0.0.0/4'), reason: 'the reserved range, including the broadcast address 255.255.255.255' },
];

/** Returns the first range of `UNUSABLE_VPC_RANGES` that `block` overlaps, or undefined if it overlaps none. */
export function unusableRangeOverlapping(block: Ipv4Block): SpecialRange | undefined {
  return UNUSABLE_VPC_RANGES.find((range) => overlaps(range.block, block));
}

/**
 * Describes why `block` cannot hold a VPC, as a clause to follow the value in an error
 * message, or returns undefined if it can.
 */
export function unusableRangeProblem(block: Ipv4Block): string | undefined {
  const range = unusableRangeOverlapping(block);
  if (!range) {
    return undefined;
  }
  return `which overlaps ${formatCidr(range.block)}, ${range.reason}. No network can route these addresses to a VPC, `
    + 'so choose a range from 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16';
}

/**
 * The private address ranges: the three of RFC 1918 and the shared address space of
 * RFC 6598 (100.64.0.0/10), which is meant for carrier networks and which some private
 * networks also use. None of them is routed on the public internet.
 */
export const PRIVATE_RANGES: readonly Ipv4Block[] = [
  knownBlock('10.0.0.0/8'),
  knownBlock('172.16.0.0/12'),
  knownBlock('192.168.0.0/16'),
  knownBlock('100.64.0.0/10'),
];

/** Tests whether `block` lies entirely inside one of `PRIVATE_RANGES`. */
export function isPrivateBlock(block: Ipv4Block): boolean {
  return PRIVATE_RANGES.some((range) => contains(range, block));
}

/** Formats a block in CIDR notation. */
export function formatCidr(block: Ipv4Block): string {
  return `${formatIpv4Address(block.address)}/${block.prefixLength}`;
}

/** Returns the number of addresses in a block of the given prefix length. */
export function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

/** Rounds `address` down to the start of the block of the given prefix length that contains it. */
export function alignDown(address: number, prefixLength: number): number {
  const size = blockSize(prefixLength);
  return Math.floor(address / size) * size;
}

/**
 * Rounds `address` up to the next start of a block of the given prefix length.
 *
 * May return 2^32 or more when no such block starts inside the IPv4 address space.
 */
export function alignUp(address: number, prefixLength: number): number {
  const size = blockSize(prefixLength);
  return Math.ceil(address / size) * size;
}

/** Tests whether the block's address has bits set beyond its prefix. */
export function hasHostBits(block: Ipv4Block): boolean {
  return alignDown(block.address, block.prefixLength) !== block.address;
}

/** Clears the block's host bits, turning 10.65.1.2/14 into 10.64.0.0/14. */
export function networkOf(block: Ipv4Block): Ipv4Block {
  return { address: alignDown(block.address, block.prefixLength), prefixLength: block.prefixLength };
}

/** Returns the last address of a block (its broadcast address in a traditional network). */
export function lastAddress(block: Ipv4Block): number {
  return block.address + blockSize(block.prefixLength) - 1;
}

/** Tests whether `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.address >= outer.address && lastAddress(inner) <= lastAddress(outer);
}

/** Tests whether two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.address <= lastAddress(b) && b.address <= lastAddress(a);
}

/**
 * Finds the lowest block of the given prefix length inside `within` that overlaps none
 * of `used`, aligned to its own prefix boundary.
 *
 * Returns undefined if there is none, or if the prefix is shorter than `within`'s.
 */
export function firstFreeBlock(within: Ipv4Block, prefixLength: number, used: readonly Ipv4Block[]): Ipv4Block | undefined {
  if (prefixLength < within.prefixLength || prefixLength > 32) {
    return undefined;
  }
  const size = blockSize(prefixLength);
  const sorted = used.filter((block) => overlaps(block, within)).sort((a, b) => a.address - b.address);

  // The candidate only moves forwards, and the used blocks are sorted by their first
  // address, so one pass finds the first gap that is large enough.
  let candidate = alignUp(within.address, prefixLength);
  for (const block of sorted) {
    if (lastAddress(block) < candidate) {
      continue;
    }
    if (block.address > candidate + size - 1) {
      break;
    }
    candidate = alignUp(lastAddress(block) + 1, prefixLength);
  }

  return candidate + size - 1 <= lastAddress(within) ? { address: candidate, prefixLength } : undefined;
}

/** Counts the addresses in `within` that none of `blocks` covers. The blocks may overlap each other. */
export function uncoveredAddressCount(within: Ipv4Block, blocks: readonly Ipv4Block[]): number {
  const intervals = blocks
    .filter((block) => overlaps(block, within))
    .map((block) => ({
      first: Math.max(block.address, within.address),
      last: Math.min(lastAddress(block), lastAddress(within)),
    }))
    .sort((a, b) => a.first - b.first);

  let covered = 0;
  let coveredUpTo = within.address - 1;
  for (const interval of intervals) {
    if (interval.last > coveredUpTo) {
      covered += interval.last - Math.max(interval.first, coveredUpTo + 1) + 1;
      coveredUpTo = interval.last;
    }
  }
  return blockSize(within.prefixLength) - covered;
}
