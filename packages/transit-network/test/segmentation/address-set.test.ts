import { Ipv4Block, formatCidr, parseCidr } from '../../src/private/cidr';
import { AddressSet, longestPrefixMatch } from '../../src/segmentation/address-set';

function cidr(text: string): Ipv4Block {
  return parseCidr(text)!;
}

function set(...blocks: string[]): AddressSet {
  return AddressSet.of(blocks.map(cidr));
}

function route(destination: string, name: string) {
  return { destination: cidr(destination), name };
}

describe('AddressSet', () => {
  test('subtract splits a block', () => {
    expect(set('10.0.0.0/8').subtract(set('10.64.0.0/10')).toBlocks().map(formatCidr))
      .toEqual(['10.0.0.0/10', '10.128.0.0/9']);
  });

  test('intersect keeps the common part', () => {
    expect(set('10.0.0.0/8', '192.168.0.0/16').intersect(set('10.1.0.0/16', '172.16.0.0/12')).describe()).toBe('10.1.0.0/16');
  });

  test('union merges touching blocks', () => {
    expect(set('10.0.0.0/9').union(set('10.128.0.0/9')).toBlocks().map(formatCidr)).toEqual(['10.0.0.0/8']);
  });

  test('host bits are ignored', () => {
    expect(set('10.64.1.2/14').describe()).toBe('10.64.0.0/14');
  });

  test('public internet leaves out private ranges', () => {
    const internet = AddressSet.publicInternet();
    expect(internet.intersect(set('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16')).isEmpty).toBe(true);
    expect(internet.containsAll(set('8.8.8.0/24', '52.94.0.0/16'))).toBe(true);
    expect(internet.describe()).toBe('the public internet');
  });

  test('size counts addresses', () => {
    expect(set('10.0.0.0/24', '10.0.1.0/25').size).toBe(384);
    expect(AddressSet.all().size).toBe(2 ** 32);
  });

  test('describe cuts long lists', () => {
    expect(set('10.0.0.0/24', '10.0.2.0/24', '10.0.4.0/24').describe(2)).toBe('10.0.0.0/24, 10.0.2.0/24 and 1 more blocks');
    expect(AddressSet.empty().describe()).toBe('no address');
  });
});

describe('longestPrefixMatch', () => {
  test('longer prefix wins', () => {
    const result = longestPrefixMatch(set('10.64.32.0/19'), [route('0.0.0.0/0', 'default'), route('10.64.0.0/14', 'supernet'), route('10.64.32.0/19', 'vpc')]);

    expect(result.matches).toHaveLength(1);
    expect(result.matches[0].routes.map((r) => r.name)).toEqual(['vpc']);
    expect(result.unrouted.isEmpty).toBe(true);
  });

  test('destination splits across routes', () => {
    const result = longestPrefixMatch(set('10.64.0.0/14'), [route('0.0.0.0/0', 'default'), route('10.64.32.0/19', 'vpc')]);

    expect(result.matches.map((m) => [m.routes[0].name, m.addresses.describe()])).toEqual([
      ['vpc', '10.64.32.0/19'],
      ['default', '10.64.0.0/19, 10.64.64.0/18, 10.64.128.0/17, 10.65.0.0/16 and 1 more blocks'],
    ]);
  });

  test('equal prefixes are grouped', () => {
    const result = longestPrefixMatch(set('10.0.0.0/16'), [route('10.0.0.0/16', 'static'), route('10.0.0.5/16', 'propagated')]);

    expect(result.matches).toHaveLength(1);
    expect(result.matches[0].routes.map((r) => r.name)).toEqual(['static', 'propagated']);
  });

  test('unrouted addresses are returned', () => {
    const result = longestPrefixMatch(set('10.0.0.0/15'), [route('10.0.0.0/16', 'half')]);

    expect(result.unrouted.describe()).toBe('10.1.0.0/16');
    expect(result.matches[0].addresses.describe()).toBe('10.0.0.0/16');
  });

  test('no routes leaves everything unrouted', () => {
    const result = longestPrefixMatch(AddressSet.publicInternet(), []);

    expect(result.matches).toEqual([]);
    expect(result.unrouted.equals(AddressSet.publicInternet())).toBe(true);
  });
});
