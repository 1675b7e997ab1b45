import {
  IPV4_ADDRESS_COUNT,
  Ipv4Block,
  alignDown,
  alignUp,
  blockSize,
  contains,
  firstFreeBlock,
  formatCidr,
  formatIpv4Address,
  hasHostBits,
  isPrivateBlock,
  lastAddress,
  networkOf,
  overlaps,
  parseCidr,
  parseIpv4Address,
  uncoveredAddressCount,
  unusableRangeOverlapping,
  unusableRangeProblem,
} from '../src/private/cidr';

function cidr(text: string): Ipv4Block {
  const block = parseCidr(text);
  if (!block) {
    throw new Error(`test setup: ${text} is not a CIDR block`);
  }
  return block;
}

describe('parseIpv4Address', () => {
  test('reads the lowest and highest addresses', () => {
    expect(parseIpv4Address('0.0.0.0')).toBe(0);
    expect(parseIpv4Address('255.255.255.255')).toBe(IPV4_ADDRESS_COUNT - 1);
  });

  test('reads addresses above 128.0.0.0 as positive numbers', () => {
    expect(parseIpv4Address('128.0.0.0')).toBe(2 ** 31);
    expect(parseIpv4Address('10.64.0.1')).toBe(10 * 2 ** 24 + 64 * 2 ** 16 + 1);
  });

  test.each([
    ['', 'empty'],
    ['10.0.0', 'three octets'],
    ['10.0.0.0.0', 'five octets'],
    ['256.0.0.0', 'octet above 255'],
    ['010.0.0.0', 'leading zero'],
    ['10.0.0.-1', 'negative octet'],
    [' 10.0.0.0', 'leading space'],
    ['10.0.0.0 ', 'trailing space'],
    ['a.b.c.d', 'letters'],
    ['1e1.0.0.0', 'exponent'],
  ])('rejects %j (%s)', (text) => {
    expect(parseIpv4Address(text)).toBeUndefined();
  });
});

describe('formatIpv4Address', () => {
  test('formats the edges of the address space', () => {
    expect(formatIpv4Address(0)).toBe('0.0.0.0');
    expect(formatIpv4Address(IPV4_ADDRESS_COUNT - 1)).toBe('255.255.255.255');
    expect(formatIpv4Address(2 ** 31)).toBe('128.0.0.0');
  });

  test('round-trips with parsing', () => {
    for (const text of ['10.64.0.1', '172.31.255.254', '192.168.1.0', '1.2.3.4']) {
      expect(formatIpv4Address(parseIpv4Address(text)!)).toBe(text);
    }
  });
});

describe('parseCidr', () => {
  test('reads the whole address space', () => {
    expect(parseCidr('0.0.0.0/0')).toEqual({ address: 0, prefixLength: 0 });
  });

  test('reads a single address', () => {
    expect(parseCidr('255.255.255.255/32')).toEqual({ address: IPV4_ADDRESS_COUNT - 1, prefixLength: 32 });
  });

  test('keeps host bits as written', () => {
    expect(parseCidr('10.64.1.0/14')).toEqual({ address: parseIpv4Address('10.64.1.0'), prefixLength: 14 });
  });

  test.each([
    ['10.64.0.0', 'no prefix'],
    ['10.64.0.0/', 'empty prefix'],
    ['10.64.0.0/33', 'prefix above 32'],
    ['10.64.0.0/08', 'prefix with leading zero'],
    ['10.64.0.0/-1', 'negative prefix'],
    ['10.64.0.0/14/2', 'two slashes'],
    ['10.64.0/14', 'three octets'],
    ['2001:db8::/32', 'IPv6'],
  ])('rejects %j (%s)', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('block arithmetic', () => {
  test('sizes from /0 to /32', () => {
    expect(blockSize(0)).toBe(IPV4_ADDRESS_COUNT);
    expect(blockSize(14)).toBe(262144);
    expect(blockSize(28)).toBe(16);
    expect(blockSize(32)).toBe(1);
  });

  test('formatCidr writes address and prefix', () => {
    expect(formatCidr({ address: 0, prefixLength: 0 })).toBe('0.0.0.0/0');
    expect(formatCidr(cidr('255.255.255.255/32'))).toBe('255.255.255.255/32');
  });

  test('last address of the whole space is 255.255.255.255', () => {
    expect(formatIpv4Address(lastAddress(cidr('0.0.0.0/0')))).toBe('255.255.255.255');
  });

  test('last address of a /32 is itself', () => {
    expect(lastAddress(cidr('255.255.255.255/32'))).toBe(IPV4_ADDRESS_COUNT - 1);
  });

  test('last address of a /14', () => {
    expect(formatIpv4Address(lastAddress(cidr('10.64.0.0/14')))).toBe('10.67.255.255');
  });

  test('host bits are detected', () => {
    expect(hasHostBits(cidr('10.64.1.0/14'))).toBe(true);
    expect(hasHostBits(cidr('10.64.0.0/14'))).toBe(false);
    expect(hasHostBits(cidr('255.255.255.255/32'))).toBe(false);
    expect(hasHostBits(cidr('255.255.255.255/0'))).toBe(true);
    expect(hasHostBits(cidr('0.0.0.0/0'))).toBe(false);
  });

  test('networkOf clears host bits', () => {
    expect(formatCidr(networkOf(cidr('10.65.1.2/14')))).toBe('10.64.0.0/14');
    expect(formatCidr(networkOf(cidr('255.255.255.255/0')))).toBe('0.0.0.0/0');
    expect(formatCidr(networkOf(cidr('255.255.255.255/1')))).toBe('128.0.0.0/1');
  });

  test('alignDown and alignUp round to block boundaries', () => {
    const address = parseIpv4Address('10.64.17.5')!;
    expect(formatIpv4Address(alignDown(address, 20))).toBe('10.64.16.0');
    expect(formatIpv4Address(alignUp(address, 20))).toBe('10.64.32.0');
    expect(alignUp(parseIpv4Address('10.64.16.0')!, 20)).toBe(parseIpv4Address('10.64.16.0'));
  });

  test('alignUp past the last block leaves the address space', () => {
    expect(alignUp(IPV4_ADDRESS_COUNT - 1, 8)).toBe(IPV4_ADDRESS_COUNT);
  });
});

describe('contains and overlaps', () => {
  test('the whole space contains every block', () => {
    expect(contains(cidr('0.0.0.0/0'), cidr('255.255.255.255/32'))).toBe(true);
    expect(contains(cidr('0.0.0.0/0'), cidr('0.0.0.0/0'))).toBe(true);
    expect(overlaps(cidr('0.0.0.0/0'), cidr('10.64.0.0/14'))).toBe(true);
  });

  test('a block contains itself and its sub-blocks only', () => {
    expect(contains(cidr('10.64.0.0/14'), cidr('10.64.0.0/14'))).toBe(true);
    expect(contains(cidr('10.64.0.0/14'), cidr('10.67.240.0/20'))).toBe(true);
    expect(contains(cidr('10.64.0.0/14'), cidr('10.68.0.0/20'))).toBe(false);
    expect(contains(cidr('10.64.0.0/20'), cidr('10.64.0.0/14'))).toBe(false);
  });

  test('adjacent blocks do not overlap', () => {
    expect(overlaps(cidr('10.64.0.0/14'), cidr('10.68.0.0/14'))).toBe(false);
    expect(overlaps(cidr('10.68.0.0/14'), cidr('10.64.0.0/14'))).toBe(false);
  });

  test('overlap is symmetric', () => {
    expect(overlaps(cidr('10.64.0.0/12'), cidr('10.66.0.0/16'))).toBe(true);
    expect(overlaps(cidr('10.66.0.0/16'), cidr('10.64.0.0/12'))).toBe(true);
  });

  test('single addresses at the top of the space', () => {
    expect(overlaps(cidr('255.255.255.255/32'), cidr('255.255.255.254/31'))).toBe(true);
    expect(overlaps(cidr('255.255.255.255/32'), cidr('255.255.255.254/32'))).toBe(false);
    expect(contains(cidr('255.255.255.0/24'), cidr('255.255.255.255/32'))).toBe(true);
  });
});

describe('firstFreeBlock', () => {
  const supernet = cidr('10.64.0.0/16');

  test('starts at the bottom of an empty range', () => {
    expect(formatCidr(firstFreeBlock(supernet, 20, [])!)).toBe('10.64.0.0/20');
  });

  test('skips used blocks and aligns to the prefix', () => {
    const used = [cidr('10.64.0.0/24')];
    expect(formatCidr(firstFreeBlock(supernet, 20, used)!)).toBe('10.64.16.0/20');
    expect(formatCidr(firstFreeBlock(supernet, 24, used)!)).toBe('10.64.1.0/24');
  });

  test('fills a gap between used blocks', () => {
    const used = [cidr('10.64.0.0/20'), cidr('10.64.32.0/20')];
    expect(formatCidr(firstFreeBlock(supernet, 20, used)!)).toBe('10.64.16.0/20');
  });

  test('ignores used blocks outside the range', () => {
    expect(formatCidr(firstFreeBlock(supernet, 16, [cidr('10.65.0.0/16')])!)).toBe('10.64.0.0/16');
  });

  test('returns undefined when full', () => {
    expect(firstFreeBlock(supernet, 17, [cidr('10.64.64.0/18'), cidr('10.64.128.0/17')])).toBeUndefined();
  });

  test('returns undefined for a block wider than the range', () => {
    expect(firstFreeBlock(supernet, 15, [])).toBeUndefined();
  });

  test('finds the last /32 of the address space', () => {
    const top = cidr('255.255.255.254/31');
    expect(formatCidr(firstFreeBlock(top, 32, [cidr('255.255.255.254/32')])!)).toBe('255.255.255.255/32');
    expect(firstFreeBlock(top, 32, [top])).toBeUndefined();
  });
});

describe('uncoveredAddressCount', () => {
  test('counts the whole address space when nothing is used', () => {
    expect(uncoveredAddressCount(cidr('0.0.0.0/0'), [])).toBe(IPV4_ADDRESS_COUNT);
  });

  test('counts overlapping blocks once', () => {
    const used = [cidr('10.64.0.0/20'), cidr('10.64.0.0/24'), cidr('10.64.8.0/21')];
    expect(uncoveredAddressCount(cidr('10.64.0.0/16'), used)).toBe(65536 - 4096);
  });

  test('counts only the part of a block inside the range', () => {
    expect(uncoveredAddressCount(cidr('10.64.0.0/16'), [cidr('10.0.0.0/8')])).toBe(0);
    expect(uncoveredAddressCount(cidr('10.64.0.0/16'), [cidr('10.65.0.0/16')])).toBe(65536);
  });

  test('counts a /32 at the top of the space', () => {
    expect(uncoveredAddressCount(cidr('255.255.255.0/24'), [cidr('255.255.255.255/32')])).toBe(255);
  });
});

describe('unusable VPC ranges', () => {
  test.each([
    ['0.0.0.0/16', '0.0.0.0/8'],
    ['127.0.0.0/16', '127.0.0.0/8'],
    ['169.254.169.0/24', '169.254.0.0/16'],
    ['169.0.0.0/8', '169.254.0.0/16'],
    ['224.0.0.0/16', '224.0.0.0/4'],
    ['239.255.255.0/24', '224.0.0.0/4'],
    ['240.0.0.0/16', '240.0.0.0/4'],
    ['255.255.255.255/32', '240.0.0.0/4'],
  ])('%s overlaps %s', (block, range) => {
    expect(formatCidr(unusableRangeOverlapping(cidr(block))!.block)).toBe(range);
  });

  test.each(['1.0.0.0/8', '10.0.0.0/8', '126.255.0.0/16', '128.0.0.0/16', '169.253.0.0/16', '169.255.0.0/16', '172.17.0.0/16', '223.255.255.0/24'])(
    '%s is usable', (block) => {
      expect(unusableRangeProblem(cidr(block))).toBeUndefined();
    });

  test('problem names the range and its use', () => {
    expect(unusableRangeProblem(cidr('169.254.0.0/24'))).toMatch(
      /^which overlaps 169\.254\.0\.0\/16, the link-local range, where every VPC already has its own services: instance metadata at 169\.254\.169\.254 and the DNS resolver at 169\.254\.169\.253\. No network can route/);
  });
});

describe('isPrivateBlock', () => {
  test.each(['10.0.0.0/8', '10.64.0.0/14', '172.16.0.0/12', '172.31.255.0/24', '192.168.0.0/16', '100.64.0.0/10', '100.127.0.0/16'])(
    '%s is private', (block) => {
      expect(isPrivateBlock(cidr(block))).toBe(true);
    });

  test.each(['0.0.0.0/1', '128.0.0.0/1', '8.8.8.0/24', '10.0.0.0/7', '172.32.0.0/16', '172.0.0.0/8', '100.128.0.0/16', '100.0.0.0/8', '192.169.0.0/16'])(
    '%s is not private', (block) => {
      expect(isPrivateBlock(cidr(block))).toBe(false);
    });
});
