import { Token } from 'aws-cdk-lib';
import {
  Ipv4Block,
  blockSize,
  contains,
  firstFreeBlock,
  formatCidr,
  formatIpv4Address,
  hasHostBits,
  lastAddress,
  networkOf,
  overlaps,
  parseCidr,
  uncoveredAddressCount,
  unusableRangeProblem,
} from './private/cidr';
import { PropsValidator, show } from './private/validation';

/**
 * A request for one VPC's IPv4 range in an address plan.
 *
 * Give exactly one of `prefixLength` (allocate a range) and `cidr` (pin a range).
 */
export interface VpcRangeRequest {
  /**
   * The VPC's name, unique in the plan, for example `management` or `lib`.
   *
   * 1 to 64 letters, digits, dots, underscores and hyphens, starting with a letter or digit.
   */
  readonly name: string;

  /**
   * The prefix length of the range to allocate, from 16 to 28 (the sizes AWS allows for a VPC).
   *
   * @default - none; `cidr` must be given instead
   */
  readonly prefixLength?: number;

  /**
   * The VPC's range, for a VPC that is already deployed.
   *
   * A VPC's primary CIDR block cannot change once it is deployed, so pin each deployed
   * VPC here: its range then stays put whatever else changes in the plan.
   *
   * @default - none; `prefixLength` must be given instead and the range is allocated
   */
  readonly cidr?: string;
}

/** An IPv4 range owned by others, which no VPC in the plan may overlap. */
export interface ReservedRange {
  /**
   * A name for the range, for example `government-network`.
   *
   * 1 to 64 letters, digits, dots, underscores and hyphens, starting with a letter or digit.
   */
  readonly name: string;

  /** The range in CIDR notation, for example `10.0.0.0/12`. */
  readonly cidr: string;
}

/** Blocks set aside for VPCs that do not exist yet, for example future benefit workloads. */
export interface FutureWorkloadReserve {
  /** The number of blocks to set aside, from 0 to 1024. */
  readonly count: number;

  /** The prefix length of each block, from 16 to 28. */
  readonly prefixLength: number;
}

/** The IPv4 range allocated to a VPC. */
export interface VpcRange {
  /** The VPC's name, as requested. */
  readonly name: string;

  /** The VPC's range in CIDR notation. */
  readonly cidr: string;
}

/** Properties of an address plan. */
export interface AddressPlanProps {
  /**
   * The tier the plan serves, in lower-case kebab case, for example `production`.
   */
  readonly tierName: string;

  /**
   * The range that every VPC of the tier comes from, for example `10.64.0.0/14`.
   *
   * A prefix length from 8 to 28. A supernet that overlaps 0.0.0.0/8, loopback
   * (127.0.0.0/8), link-local (169.254.0.0/16), multicast (224.0.0.0/4) or the reserved
   * 240.0.0.0/4 is rejected, because no VPC can use those addresses.
   */
  readonly supernet: string;

  /**
   * The VPCs of the tier.
   *
   * Pinned ranges (`cidr`) are placed first. Then each request with a `prefixLength`
   * gets the lowest free block of that size, in the order listed. A request added to
   * the end of the list therefore never moves an earlier allocation.
   */
  readonly vpcs: VpcRangeRequest[];

  /**
   * Ranges owned by others (the government network, a vendor's network, the other
   * tier's supernet) that no VPC may overlap.
   *
   * A reserved range inside the supernet is skipped by allocation. One that contains
   * the whole supernet is an error, because every VPC of the tier would then use
   * addresses that belong to someone else.
   *
   * @default - no reserved ranges
   */
  readonly reservedRanges?: ReservedRange[];

  /**
   * Blocks set aside after the named VPCs, for VPCs that will be added later.
   *
   * The blocks are allocated like further requests appended to `vpcs`. So a VPC of the
   * same prefix length appended to `vpcs` later receives the first of these blocks, and
   * the planned ranges of later workloads are known now.
   *
   * @default - no blocks are set aside
   */
  readonly futureWorkloads?: FutureWorkloadReserve;
}

/** The sizes AWS allows for a VPC's IPv4 CIDR block. */
const VPC_PREFIX = { min: 16, max: 28 };
/** A tier's supernet: at most a /8 (the largest private range) and at least one VPC. */
const SUPERNET_PREFIX = { min: 8, max: VPC_PREFIX.max };
/** An upper bound, so that a mistyped count fails at once instead of allocating a million /28 blocks from a /8. */
const MAX_FUTURE_BLOCKS = 1024;
const TIER_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const RANGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Some AWS services (for example SageMaker and Cloud9) use 172.17.0.0/16 for Docker
 * networking, and AWS advises keeping VPCs out of it. Automatic allocation skips it;
 * a pinned `cidr` may still use it.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
 */
const AWS_SERVICE_RANGE: Ipv4Block = { address: 172 * 2 ** 24 + 17 * 2 ** 16, prefixLength: 16 };

/**
 * The IPv4 address plan of one tier: a range for each VPC, taken from the tier's supernet.
 *
 * A value class: it creates no AWS resources. It rejects VPCs that overlap each other,
 * a reserved range, or the edge of the supernet, and it sets aside blocks for future
 * workloads so that their ranges are predictable.
 *
 * Allocation is deterministic. Pinned ranges are placed first. Next, each requested
 * prefix length gets the lowest free block aligned to its size, in declaration order.
 * The future-workload blocks come last. Appending a request never moves an earlier
 * allocation. Adding a pinned range can move an automatic allocation that it overlaps,
 * so pin every VPC with `cidr` once it is deployed.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
 */
export class AddressPlan {
  /**
   * Throws if the supernets of any two plans overlap, or if two plans are for the same tier.
   *
   * Production and Non-Production must never share addresses, so that neither can
   * route to the other by accident. Each tier has one plan, because two plans for one
   * tier would allocate its VPCs independently. The same plan object may appear twice.
   */
  public static assertDisjoint(plans: AddressPlan[]): void {
    const validator = new PropsValidator('address plans');
    if (!Array.isArray(plans)) {
      throw new Error(`Invalid address plans: plans is ${show(plans)}; expected a list of AddressPlan objects.`);
    }

    plans.forEach((plan, index) => validator.check(plan instanceof AddressPlan,
      `plans[${index}] is ${show(plan)}; expected an AddressPlan.`));
    const valid = plans
      .map((plan, index) => ({ plan, index }))
      .filter(({ plan }) => plan instanceof AddressPlan);
    for (let i = 0; i < valid.length; i++) {
      for (let j = i + 1; j < valid.length; j++) {
        const [a, b] = [valid[i].plan, valid[j].plan];
        if (a === b) {
          continue;
        }
        if (a.tierName === b.tierName) {
          validator.fail(`plans[${valid[i].index}] and plans[${valid[j].index}] are both for tier "${a.tierName}"; `
            + 'each tier has one address plan, so merge the two or give each its own tierName.');
        }
        if (overlaps(a.supernetBlock, b.supernetBlock)) {
          validator.fail(`tier "${a.tierName}" supernet ${a.supernet} overlaps tier "${b.tierName}" supernet ${b.supernet}; `
            + 'tiers must never share addresses, so give each tier a supernet of its own.');
        }
      }
    }
    validator.throwIfInvalid();
  }

  /** The tier the plan serves. */
  public readonly tierName: string;

  /** The supernet every VPC of the tier comes from, in CIDR notation. */
  public readonly supernet: string;

  /**
   * The number of addresses in the supernet that automatic allocation could still use:
   * not allocated to a VPC or a future-workload block, not reserved, and outside
   * 172.17.0.0/16.
   */
  public readonly freeAddressCount: number;

  private readonly supernetBlock: Ipv4Block;
  private readonly vpcBlocks: NamedBlock[];
  private readonly futureBlocks: Ipv4Block[];
  private readonly reservedBlocks: NamedBlock[];

  constructor(props: AddressPlanProps) {
    const plan = buildPlan(props);
    this.tierName = plan.tierName;
    this.supernetBlock = plan.supernet;
    this.supernet = formatCidr(plan.supernet);
    this.vpcBlocks = plan.vpcs;
    this.futureBlocks = plan.futureBlocks;
    this.reservedBlocks = plan.reserved;
    this.freeAddressCount = plan.freeAddressCount;
  }

  /** The range of every VPC, in the order the VPCs were requested. */
  public get allocations(): VpcRange[] {
    return this.vpcBlocks.map((vpc) => ({ name: vpc.name, cidr: formatCidr(vpc.block) }));
  }

  /** The blocks set aside for future workloads, lowest first, in CIDR notation. */
  public get futureWorkloadRanges(): string[] {
    return this.futureBlocks.map(formatCidr);
  }

  /** The ranges owned by others, in the order given. */
  public get reservedRanges(): ReservedRange[] {
    return this.reservedBlocks.map((range) => ({ name: range.name, cidr: formatCidr(range.block) }));
  }

  /** The range of the named VPC, in CIDR notation. Throws if the plan has no such VPC. */
  public cidrFor(name: string): string {
    const vpc = this.vpcBlocks.find((candidate) => candidate.name === name);
    if (!vpc) {
      const known = this.vpcBlocks.length > 0 ? `known VPCs: ${this.vpcBlocks.map((candidate) => candidate.name).join(', ')}` : 'the plan has no VPCs';
      throw new Error(`The address plan of tier "${this.tierName}" has no VPC named ${show(name)}; ${known}.`);
    }
    return formatCidr(vpc.block);
  }

  /**
   * Renders the plan as a Markdown table for documentation: one row for each VPC,
   * future-workload block and reserved range, in address order.
   */
  public toMarkdown(): string {
    const rows: Array<{ name: string; use: string; block: Ipv4Block }> = [
      ...this.vpcBlocks.map((vpc) => ({ name: vpc.name, use: 'VPC', block: vpc.block })),
      ...this.futureBlocks.map((block, index) => ({ name: `future-workload-${index + 1}`, use: 'Future workload', block })),
      ...this.reservedBlocks.map((range) => ({ name: range.name, use: 'Reserved', block: range.block })),
    ];
    if (overlaps(this.supernetBlock, AWS_SERVICE_RANGE)) {
      rows.push({ name: 'aws-services', use: 'Skipped by automatic allocation (used by some AWS services)', block: AWS_SERVICE_RANGE });
    }
    rows.sort((a, b) => a.block.address - b.block.address || a.block.prefixLength - b.block.prefixLength);

    const size = blockSize(this.supernetBlock.prefixLength);
    const lines = [
      `Address plan of the ${this.tierName} tier: supernet ${this.supernet}, ${size} addresses, ${this.freeAddressCount} free.`,
      '',
      '| Name | Use | CIDR | First address | Last address | Addresses |',
      '| --- | --- | --- | --- | --- | ---: |',
      ...rows.map((row) => `| ${row.name} | ${row.use} | ${formatCidr(row.block)} | ${formatIpv4Address(row.block.address)} `
        + `| ${formatIpv4Address(lastAddress(row.block))} | ${blockSize(row.block.prefixLength)} |`),
    ];
    return lines.join('\n') + '\n';
  }
}

/** A named range after parsing, with its position in the props for error messages. */
interface NamedBlock {
  readonly path: string;
  readonly name: string;
  readonly block: Ipv4Block;
}

/** A VPC request after parsing: either a pinned block or a prefix length to allocate. */
interface ParsedRequest {
  readonly path: string;
  readonly name: string;
  readonly pinned?: Ipv4Block;
  readonly prefixLength?: number;
}

interface Plan {
  readonly tierName: string;
  readonly supernet: Ipv4Block;
  readonly vpcs: NamedBlock[];
  readonly futureBlocks: Ipv4Block[];
  readonly reserved: NamedBlock[];
  readonly freeAddressCount: number;
}

/** Validates the props and allocates every range; throws one error listing every problem. */
function buildPlan(props: AddressPlanProps): Plan {
  const tierName: unknown = props?.tierName;
  const tierValid = typeof tierName === 'string' && TIER_NAME.test(tierName);
  const validator = new PropsValidator(tierValid ? `AddressPlan props of tier "${tierName}"` : 'AddressPlan props');
  if (props === undefined || props === null || typeof props !== 'object') {
    validator.fail(`props is ${show(props)}; expected an object with tierName, supernet and vpcs.`);
    validator.throwIfInvalid();
  }

  validator.check(tierValid,
    `tierName is ${show(tierName)}; use 2 to 32 lower-case letters, digits and hyphens starting with a letter, for example "non-production".`);
  const supernet = readSupernet(validator, props.supernet);
  const reserved = readReservedRanges(validator, props.reservedRanges);
  const requests = readRequests(validator, props.vpcs);
  const future = readFutureWorkloads(validator, props.futureWorkloads);

  const supernetClear = supernet !== undefined && checkSupernetAgainstReserved(validator, supernet, reserved);
  const pinned = requests.filter((request) => request.pinned).map((request) => ({ path: request.path, name: request.name, block: request.pinned! }));
  checkPinnedRanges(validator, pinned, reserved, supernet);

  // Allocation runs only in a valid supernet that no reserved range contains, because
  // otherwise every request would also fail for lack of space and hide the real problem.
  let vpcs: NamedBlock[] = [];
  let futureBlocks: Ipv4Block[] = [];
  let freeAddressCount = 0;
  if (supernet && supernetClear) {
    const used: Ipv4Block[] = [...reserved.map((range) => range.block), ...pinned.map((range) => range.block), AWS_SERVICE_RANGE];
    const hint = shortageHint(supernet, reserved);
    vpcs = allocateRequests(validator, supernet, requests, used, hint);
    if (vpcs.length === requests.length) {
      futureBlocks = allocateFutureBlocks(validator, supernet, future, used, hint);
    }
    freeAddressCount = uncoveredAddressCount(supernet, used);
  }

  validator.throwIfInvalid();
  return { tierName: tierName as string, supernet: supernet!, vpcs, futureBlocks, reserved, freeAddressCount };
}

/**
 * Parses a CIDR prop, recording a problem if it is missing, a token, malformed or has
 * host bits set.
 */
function readCidr(validator: PropsValidator, path: string, value: unknown, example: string): Ipv4Block | undefined {
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    validator.fail(`${path} is a token (${value}); an address plan is worked out at synth time, so give a literal CIDR block such as "${example}".`);
    return undefined;
  }
  if (typeof value !== 'string') {
    validator.fail(`${path} is ${show(value)}; expected an IPv4 CIDR block as a string, for example "${example}".`);
    return undefined;
  }
  const block = parseCidr(value);
  if (!block) {
    validator.fail(`${path} is ${show(value)}, which is not an IPv4 CIDR block; write an address, a slash and a prefix length from 0 to 32, for example "${example}".`);
    return undefined;
  }
  if (hasHostBits(block)) {
    validator.fail(`${path} is ${show(value)}, which has host bits set; use the network address "${formatCidr(networkOf(block))}".`);
    return undefined;
  }
  return block;
}

/**
 * Parses the supernet, recording a problem unless it is a valid CIDR block from /8 to
 * /28 clear of the ranges no VPC can use.
 */
function readSupernet(validator: PropsValidator, value: unknown): Ipv4Block | undefined {
  const supernet = readCidr(validator, 'supernet', value, '10.64.0.0/14');
  if (supernet && (supernet.prefixLength < SUPERNET_PREFIX.min || supernet.prefixLength > SUPERNET_PREFIX.max)) {
    validator.fail(`supernet is ${show(value)}; use a prefix length from /${SUPERNET_PREFIX.min} to /${SUPERNET_PREFIX.max}, so that it holds at least one VPC.`);
    return undefined;
  }
  const unusable = supernet && unusableRangeProblem(supernet);
  if (unusable) {
    validator.fail(`supernet is ${show(value)}, ${unusable}.`);
    return undefined;
  }
  return supernet;
}

/** Parses a VPC prefix length, recording a problem unless it is a whole number from 16 to 28. */
function readVpcPrefixLength(validator: PropsValidator, path: string, value: unknown): number | undefined {
  if (typeof value === 'number' && Token.isUnresolved(value)) {
    validator.fail(`${path} is a token; an address plan is worked out at synth time, so give a literal number from ${VPC_PREFIX.min} to ${VPC_PREFIX.max}.`);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < VPC_PREFIX.min || value > VPC_PREFIX.max) {
    validator.fail(`${path} is ${show(value)}; AWS VPCs take prefix lengths from ${VPC_PREFIX.min} to ${VPC_PREFIX.max} (65536 to 16 addresses).`);
    return undefined;
  }
  return value;
}

/** Parses a name, recording a problem if it is invalid or already used in the same list. */
function readName(validator: PropsValidator, path: string, value: unknown, seen: Map<string, string>, example: string): string | undefined {
  if (typeof value !== 'string' || !RANGE_NAME.test(value)) {
    validator.fail(`${path} is ${show(value)}; use 1 to 64 letters, digits, dots, underscores and hyphens, starting with a letter or digit, for example "${example}".`);
    return undefined;
  }
  const firstPath = seen.get(value);
  if (firstPath !== undefined) {
    validator.fail(`${path} is ${show(value)}, which ${firstPath} already uses; give each a unique name.`);
    return undefined;
  }
  seen.set(value, path);
  return value;
}

function readReservedRanges(validator: PropsValidator, value: unknown): NamedBlock[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    validator.fail(`reservedRanges is ${show(value)}; expected a list such as [{ name: "government-network", cidr: "10.0.0.0/12" }].`);
    return [];
  }

  const names = new Map<string, string>();
  const ranges: NamedBlock[] = [];
  value.forEach((entry: unknown, index) => {
    const path = `reservedRanges[${index}]`;
    if (entry === null || typeof entry !== 'object') {
      validator.fail(`${path} is ${show(entry)}; expected { name, cidr }, for example { name: "government-network", cidr: "10.0.0.0/12" }.`);
      return;
    }
    const range = entry as Partial<Record<keyof ReservedRange, unknown>>;
    const name = readName(validator, `${path}.name`, range.name, names, 'government-network');
    const block = readCidr(validator, `${path}.cidr`, range.cidr, '10.0.0.0/12');
    if (name !== undefined && block !== undefined) {
      ranges.push({ path, name, block });
    }
  });
  return ranges;
}

function readRequests(validator: PropsValidator, value: unknown): ParsedRequest[] {
  if (!Array.isArray(value)) {
    validator.fail(`vpcs is ${show(value)}; expected a list of VPC range requests such as [{ name: "management", prefixLength: 20 }].`);
    return [];
  }

  const names = new Map<string, string>();
  const requests: ParsedRequest[] = [];
  value.forEach((entry: unknown, index) => {
    const path = `vpcs[${index}]`;
    if (entry === null || typeof entry !== 'object') {
      validator.fail(`${path} is ${show(entry)}; expected { name, prefixLength } to allocate a range, or { name, cidr } to pin one.`);
      return;
    }
    const request = entry as Partial<Record<keyof VpcRangeRequest, unknown>>;
    const name = readName(validator, `${path}.name`, request.name, names, 'management');
    const label = name === undefined ? path : `${path} (VPC "${name}")`;

    if (request.prefixLength !== undefined && request.cidr !== undefined) {
      validator.fail(`${label} sets both prefixLength and cidr; keep cidr to pin a deployed VPC, or prefixLength to allocate a range, not both.`);
      return;
    }
    if (request.prefixLength === undefined && request.cidr === undefined) {
      validator.fail(`${label} sets neither prefixLength nor cidr; set prefixLength (${VPC_PREFIX.min} to ${VPC_PREFIX.max}) to allocate a range, or cidr to pin a deployed VPC.`);
      return;
    }

    if (request.cidr !== undefined) {
      const pinned = readCidr(validator, `${path}.cidr`, request.cidr, '10.64.0.0/20');
      const unusable = pinned && unusableRangeProblem(pinned);
      if (pinned && (pinned.prefixLength < VPC_PREFIX.min || pinned.prefixLength > VPC_PREFIX.max)) {
        validator.fail(`${path}.cidr is ${show(request.cidr)}; AWS VPCs take prefix lengths from /${VPC_PREFIX.min} to /${VPC_PREFIX.max}.`);
      } else if (unusable) {
        validator.fail(`${path}.cidr is ${show(request.cidr)}, ${unusable}.`);
      } else if (pinned && name !== undefined) {
        requests.push({ path, name, pinned });
      }
      return;
    }
    const prefixLength = readVpcPrefixLength(validator, `${path}.prefixLength`, request.prefixLength);
    if (prefixLength !== undefined && name !== undefined) {
      requests.push({ path, name, prefixLength });
    }
  });
  return requests;
}

function readFutureWorkloads(validator: PropsValidator, value: unknown): FutureWorkloadReserve | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value === null || typeof value !== 'object') {
    validator.fail(`futureWorkloads is ${show(value)}; expected { count, prefixLength }, for example { count: 11, prefixLength: 20 }.`);
    return undefined;
  }
  const reserve = value as Partial<Record<keyof FutureWorkloadReserve, unknown>>;
  const count = reserve.count;
  const countValid = typeof count === 'number' && !Token.isUnresolved(count) && Number.isInteger(count) && count >= 0 && count <= MAX_FUTURE_BLOCKS;
  validator.check(countValid, `futureWorkloads.count is ${show(count)}; use a whole number from 0 to ${MAX_FUTURE_BLOCKS}.`);
  const prefixLength = readVpcPrefixLength(validator, 'futureWorkloads.prefixLength', reserve.prefixLength);
  return countValid && prefixLength !== undefined ? { count: count as number, prefixLength } : undefined;
}

/** Records every pinned VPC that leaves the supernet or overlaps another VPC or a reserved range. */
function checkPinnedRanges(validator: PropsValidator, pinned: NamedBlock[], reserved: NamedBlock[], supernet: Ipv4Block | undefined): void {
  pinned.forEach((vpc, index) => {
    if (supernet && !contains(supernet, vpc.block)) {
      validator.fail(`${vpc.path}: ${describeVpc(vpc)} is not inside the supernet ${formatCidr(supernet)} (${describeSpan(supernet)}); `
        + 'choose a range inside it, or give prefixLength instead of cidr to have one allocated.');
    }
    for (const other of pinned.slice(0, index)) {
      if (overlaps(vpc.block, other.block)) {
        validator.fail(`${vpc.path}: ${describeVpc(vpc)} overlaps ${describeVpc(other)} (${other.path}); give each VPC a range of its own.`);
      }
    }
    for (const range of reserved) {
      if (overlaps(vpc.block, range.block)) {
        validator.fail(`${vpc.path}: ${describeVpc(vpc)} overlaps ${describeReserved(range)}; choose a range clear of ${formatCidr(range.block)}.`);
      }
    }
  });
}

/**
 * Records every reserved range that contains the whole supernet. Returns whether there were none.
 *
 * Two CIDR blocks are either disjoint or one contains the other, so a reserved range
 * that overlaps the supernet either lies inside it (and is skipped by allocation) or
 * contains all of it.
 */
function checkSupernetAgainstReserved(validator: PropsValidator, supernet: Ipv4Block, reserved: NamedBlock[]): boolean {
  let clear = true;
  for (const range of reserved) {
    if (contains(range.block, supernet)) {
      clear = false;
      validator.fail(`supernet ${formatCidr(supernet)} overlaps ${describeReserved(range)} (${range.path}): the whole supernet lies inside it, `
        + `so the tier would use addresses that belong to someone else. Choose a supernet outside ${formatCidr(range.block)}.`);
    }
  }
  return clear;
}

/** Advice for an allocation failure: the fixes that apply, and a note on the range automatic allocation skips. */
interface ShortageHint {
  /** The fixes to offer besides a longer prefix length and a wider supernet. */
  readonly fixes: string[];
  /** A sentence on 172.17.0.0/16, if the supernet overlaps it; otherwise empty. */
  readonly awsServiceRange: string;
}

/** Works out which fixes apply to a supernet that ran out of space. */
function shortageHint(supernet: Ipv4Block, reserved: NamedBlock[]): ShortageHint {
  const fixes = reserved.some((range) => overlaps(range.block, supernet)) ? ['fewer reserved ranges'] : [];
  const awsServiceRange = overlaps(supernet, AWS_SERVICE_RANGE)
    ? ` Automatic allocation skips ${formatCidr(AWS_SERVICE_RANGE)}, because AWS services such as SageMaker and Cloud9 use it for Docker networking; `
      + 'to place a VPC there anyway, pin it with cidr.'
    : '';
  return { fixes, awsServiceRange };
}

/** Joins the fixes for a shortage into "a, b or c". */
function listFixes(fixes: string[]): string {
  return fixes.length === 1 ? fixes[0] : `${fixes.slice(0, -1).join(', ')} or ${fixes[fixes.length - 1]}`;
}

/** Allocates each request in declaration order; returns the VPCs, pinned and allocated. */
function allocateRequests(
  validator: PropsValidator, supernet: Ipv4Block, requests: ParsedRequest[], used: Ipv4Block[], hint: ShortageHint,
): NamedBlock[] {
  const vpcs: NamedBlock[] = [];
  for (const request of requests) {
    if (request.pinned) {
      vpcs.push({ path: request.path, name: request.name, block: request.pinned });
      continue;
    }
    const block = firstFreeBlock(supernet, request.prefixLength!, used);
    if (!block) {
      const fixes = listFixes(['a longer prefix length', 'a wider supernet', ...hint.fixes]);
      validator.fail(`${request.path}: no space left in supernet ${formatCidr(supernet)} for VPC "${request.name}", ${describeShortage(supernet, request.prefixLength!, used)}; `
        + `use ${fixes}.${hint.awsServiceRange}`);
      continue;
    }
    used.push(block);
    vpcs.push({ path: request.path, name: request.name, block });
  }
  return vpcs;
}

/** Allocates the future-workload blocks after everything in `used`; stops at the first that does not fit. */
function allocateFutureBlocks(
  validator: PropsValidator, supernet: Ipv4Block, future: FutureWorkloadReserve | undefined, used: Ipv4Block[], hint: ShortageHint,
): Ipv4Block[] {
  const blocks: Ipv4Block[] = [];
  for (let n = 1; future && n <= future.count; n++) {
    const block = firstFreeBlock(supernet, future.prefixLength, used);
    if (!block) {
      const fixes = listFixes(['reduce count', 'use a longer prefix length', 'a wider supernet', ...hint.fixes]);
      validator.fail(`futureWorkloads: no space left in supernet ${formatCidr(supernet)} for future-workload block ${n} of ${future.count}, `
        + `${describeShortage(supernet, future.prefixLength, used)}; ${fixes}.${hint.awsServiceRange}`);
      break;
    }
    used.push(block);
    blocks.push(block);
  }
  return blocks;
}

/** Explains why no block of the given size fits: the addresses needed, free, and the largest free block. */
function describeShortage(supernet: Ipv4Block, prefixLength: number, used: Ipv4Block[]): string {
  const free = uncoveredAddressCount(supernet, used);
  let largest: Ipv4Block | undefined;
  for (let candidate = Math.max(supernet.prefixLength, VPC_PREFIX.min); candidate <= VPC_PREFIX.max && !largest; candidate++) {
    largest = firstFreeBlock(supernet, candidate, used);
  }
  const largestText = largest ? `the largest free aligned block is a /${largest.prefixLength}` : `no /${VPC_PREFIX.max} block is free`;
  return `which needs an aligned /${prefixLength} block (${blockSize(prefixLength)} addresses); ${free} addresses are free and ${largestText}`;
}

function describeVpc(vpc: NamedBlock): string {
  return `VPC "${vpc.name}" ${formatCidr(vpc.block)}`;
}

function describeReserved(range: NamedBlock): string {
  return `reserved range "${range.name}" ${formatCidr(range.block)}`;
}

function describeSpan(block: Ipv4Block): string {
  return `${formatIpv4Address(block.address)} to ${formatIpv4Address(lastAddress(block))}`;
}
