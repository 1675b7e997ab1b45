import { Token } from 'aws-cdk-lib';
import { AddressPlan, AddressPlanProps, VpcRangeRequest } from '../src';

/** Builds a plan from props that bypass the compile-time types, as a JavaScript caller could. */
function planFrom(props: unknown): AddressPlan {
  return new AddressPlan(props as AddressPlanProps);
}

/** Runs `build` and returns the message of the error it throws. */
function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the address plan was accepted');
}

const PRODUCTION: AddressPlanProps = {
  tierName: 'production',
  supernet: '10.64.0.0/14',
  vpcs: [
    { name: 'management', prefixLength: 20 },
    { name: 'shared-services', prefixLength: 20 },
    { name: 'lib', prefixLength: 18 },
  ],
};

describe('allocation', () => {
  test('requests allocated lowest first', () => {
    const plan = new AddressPlan(PRODUCTION);

    expect(plan.allocations).toEqual([
      { name: 'management', cidr: '10.64.0.0/20' },
      { name: 'shared-services', cidr: '10.64.16.0/20' },
      { name: 'lib', cidr: '10.64.64.0/18' },
    ]);
  });

  test('each allocation is aligned to its own prefix', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/16',
      vpcs: [{ name: 'small', prefixLength: 24 }, { name: 'large', prefixLength: 18 }],
    });

    expect(plan.cidrFor('small')).toBe('10.64.0.0/24');
    expect(plan.cidrFor('large')).toBe('10.64.64.0/18');
  });

  test('a later smaller request fills an earlier gap', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/16',
      vpcs: [
        { name: 'a', prefixLength: 24 },
        { name: 'b', prefixLength: 20 },
        { name: 'c', prefixLength: 22 },
      ],
    });

    expect(plan.cidrFor('a')).toBe('10.64.0.0/24');
    expect(plan.cidrFor('b')).toBe('10.64.16.0/20');
    expect(plan.cidrFor('c')).toBe('10.64.4.0/22');
  });

  test('appending a request never moves earlier allocations', () => {
    const requests: VpcRangeRequest[] = [
      { name: 'management', prefixLength: 20 },
      { name: 'pinned', cidr: '10.64.48.0/20' },
      { name: 'lib', prefixLength: 18 },
      { name: 'bastion', prefixLength: 24 },
    ];
    const appended: VpcRangeRequest[] = [
      { name: 'wave-2', prefixLength: 16 },
      { name: 'tiny', prefixLength: 28 },
      { name: 'wave-3', prefixLength: 20 },
      { name: 'wave-4', prefixLength: 22 },
    ];
    const reservedRanges = [{ name: 'vendor', cidr: '10.64.16.0/22' }];

    let previous = new AddressPlan({ tierName: 'production', supernet: '10.64.0.0/14', vpcs: requests, reservedRanges }).allocations;
    for (let n = 1; n <= appended.length; n++) {
      const vpcs = [...requests, ...appended.slice(0, n)];
      const current = new AddressPlan({ tierName: 'production', supernet: '10.64.0.0/14', vpcs, reservedRanges }).allocations;

      expect(current.slice(0, previous.length)).toEqual(previous);
      previous = current;
    }
  });

  test('pinned ranges are placed before automatic ones', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/14',
      vpcs: [
        { name: 'management', prefixLength: 20 },
        { name: 'legacy', cidr: '10.64.0.0/20' },
        { name: 'lib', prefixLength: 20 },
      ],
    });

    expect(plan.allocations).toEqual([
      { name: 'management', cidr: '10.64.16.0/20' },
      { name: 'legacy', cidr: '10.64.0.0/20' },
      { name: 'lib', cidr: '10.64.32.0/20' },
    ]);
  });

  test('reserved range inside the supernet is skipped', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/14',
      vpcs: [{ name: 'management', prefixLength: 20 }, { name: 'lib', prefixLength: 20 }],
      reservedRanges: [{ name: 'vendor', cidr: '10.64.0.0/21' }],
    });

    expect(plan.cidrFor('management')).toBe('10.64.16.0/20');
    expect(plan.cidrFor('lib')).toBe('10.64.32.0/20');
  });

  test('reserved range outside the supernet is kept', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/14',
      vpcs: [{ name: 'management', prefixLength: 20 }],
      reservedRanges: [{ name: 'non-production', cidr: '10.68.0.0/14' }],
    });

    expect(plan.cidrFor('management')).toBe('10.64.0.0/20');
    expect(plan.reservedRanges).toEqual([{ name: 'non-production', cidr: '10.68.0.0/14' }]);
  });

  test('automatic allocation skips 172.17.0.0/16', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '172.16.0.0/12',
      vpcs: [{ name: 'a', prefixLength: 16 }, { name: 'b', prefixLength: 16 }],
    });

    expect(plan.cidrFor('a')).toBe('172.16.0.0/16');
    expect(plan.cidrFor('b')).toBe('172.18.0.0/16');
  });

  test('a pinned range may use 172.17.0.0/16', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '172.16.0.0/12',
      vpcs: [{ name: 'deployed', cidr: '172.17.0.0/16' }],
    });

    expect(plan.cidrFor('deployed')).toBe('172.17.0.0/16');
  });

  test('a VPC may fill the whole supernet', () => {
    const plan = new AddressPlan({ tierName: 'production', supernet: '10.64.0.0/16', vpcs: [{ name: 'all', prefixLength: 16 }] });

    expect(plan.cidrFor('all')).toBe('10.64.0.0/16');
    expect(plan.freeAddressCount).toBe(0);
  });

  test('a plan may have no VPCs', () => {
    const plan = new AddressPlan({ tierName: 'production', supernet: '10.64.0.0/14', vpcs: [] });

    expect(plan.allocations).toEqual([]);
    expect(plan.freeAddressCount).toBe(262144);
  });
});

describe('future workloads', () => {
  test('no blocks are set aside by default', () => {
    expect(new AddressPlan(PRODUCTION).futureWorkloadRanges).toEqual([]);
  });

  test('blocks follow the named VPCs', () => {
    const plan = new AddressPlan({ ...PRODUCTION, futureWorkloads: { count: 3, prefixLength: 18 } });

    expect(plan.futureWorkloadRanges).toEqual(['10.64.128.0/18', '10.64.192.0/18', '10.65.0.0/18']);
  });

  test('eleven benefit blocks fit a /14', () => {
    const plan = new AddressPlan({ ...PRODUCTION, futureWorkloads: { count: 11, prefixLength: 18 } });

    expect(plan.futureWorkloadRanges).toHaveLength(11);
    expect(plan.futureWorkloadRanges[10]).toBe('10.67.0.0/18');
  });

  test('a count of zero sets nothing aside', () => {
    const plan = new AddressPlan({ ...PRODUCTION, futureWorkloads: { count: 0, prefixLength: 18 } });

    expect(plan.futureWorkloadRanges).toEqual([]);
  });

  test('an appended VPC of the same size takes the first block', () => {
    const before = new AddressPlan({ ...PRODUCTION, futureWorkloads: { count: 3, prefixLength: 18 } });
    const after = new AddressPlan({
      ...PRODUCTION,
      vpcs: [...PRODUCTION.vpcs, { name: 'wave-2', prefixLength: 18 }],
      futureWorkloads: { count: 2, prefixLength: 18 },
    });

    expect(after.cidrFor('wave-2')).toBe(before.futureWorkloadRanges[0]);
    expect(after.futureWorkloadRanges).toEqual(before.futureWorkloadRanges.slice(1));
  });

  test('blocks skip reserved ranges', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/16',
      vpcs: [],
      reservedRanges: [{ name: 'vendor', cidr: '10.64.16.0/20' }],
      futureWorkloads: { count: 2, prefixLength: 20 },
    });

    expect(plan.futureWorkloadRanges).toEqual(['10.64.0.0/20', '10.64.32.0/20']);
  });
});

describe('properties', () => {
  test('supernet and tier name are kept', () => {
    const plan = new AddressPlan(PRODUCTION);

    expect(plan.supernet).toBe('10.64.0.0/14');
    expect(plan.tierName).toBe('production');
  });

  test('free count excludes used ranges', () => {
    const plan = new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/16',
      vpcs: [{ name: 'a', prefixLength: 20 }],
      reservedRanges: [{ name: 'vendor', cidr: '10.64.128.0/17' }, { name: 'vendor-subnet', cidr: '10.64.128.0/24' }],
      futureWorkloads: { count: 1, prefixLength: 20 },
    });

    expect(plan.freeAddressCount).toBe(65536 - 4096 - 32768 - 4096);
  });

  test('free address count excludes 172.17.0.0/16', () => {
    const plan = new AddressPlan({ tierName: 'production', supernet: '172.16.0.0/15', vpcs: [] });

    expect(plan.freeAddressCount).toBe(65536);
  });

  test('returned lists are copies', () => {
    const plan = new AddressPlan({ ...PRODUCTION, reservedRanges: [{ name: 'vendor', cidr: '10.0.0.0/16' }] });
    (plan.allocations as Array<{ name: string; cidr: string }>).pop();
    plan.reservedRanges.pop();
    plan.futureWorkloadRanges.push('10.0.0.0/8');

    expect(plan.allocations).toHaveLength(3);
    expect(plan.reservedRanges).toHaveLength(1);
    expect(plan.futureWorkloadRanges).toHaveLength(0);
  });
});

describe('cidrFor', () => {
  test('returns the range of a named VPC', () => {
    expect(new AddressPlan(PRODUCTION).cidrFor('lib')).toBe('10.64.64.0/18');
  });

  test('unknown name lists the known names', () => {
    const plan = new AddressPlan(PRODUCTION);

    expect(() => plan.cidrFor('jsa')).toThrow(
      'The address plan of tier "production" has no VPC named "jsa"; known VPCs: management, shared-services, lib.');
  });

  test('a plan without VPCs says so', () => {
    const plan = new AddressPlan({ tierName: 'production', supernet: '10.64.0.0/14', vpcs: [] });

    expect(() => plan.cidrFor('lib')).toThrow(/has no VPC named "lib"; the plan has no VPCs/);
  });

  test('an undefined name is rejected with a message', () => {
    const plan = new AddressPlan(PRODUCTION);

    expect(() => plan.cidrFor(undefined as unknown as string)).toThrow(/has no VPC named undefined; known VPCs/);
  });
});

describe('toMarkdown', () => {
  const plan = new AddressPlan({
    ...PRODUCTION,
    reservedRanges: [{ name: 'non-production', cidr: '10.68.0.0/14' }],
    futureWorkloads: { count: 2, prefixLength: 18 },
  });
  const markdown = plan.toMarkdown();

  test('opens with the tier, supernet and free count', () => {
    expect(markdown.split('\n')[0]).toBe(
      `Address plan of the production tier: supernet 10.64.0.0/14, 262144 addresses, ${plan.freeAddressCount} free.`);
  });

  test('has a header row', () => {
    expect(markdown).toContain('| Name | Use | CIDR | First address | Last address | Addresses |');
  });

  test.each([
    '| management | VPC | 10.64.0.0/20 | 10.64.0.0 | 10.64.15.255 | 4096 |',
    '| shared-services | VPC | 10.64.16.0/20 | 10.64.16.0 | 10.64.31.255 | 4096 |',
    '| lib | VPC | 10.64.64.0/18 | 10.64.64.0 | 10.64.127.255 | 16384 |',
    '| future-workload-1 | Future workload | 10.64.128.0/18 | 10.64.128.0 | 10.64.191.255 | 16384 |',
    '| future-workload-2 | Future workload | 10.64.192.0/18 | 10.64.192.0 | 10.64.255.255 | 16384 |',
    '| non-production | Reserved | 10.68.0.0/14 | 10.68.0.0 | 10.71.255.255 | 262144 |',
  ])('contains row %s', (row) => {
    expect(markdown.split('\n')).toContain(row);
  });

  test('rows are in address order', () => {
    const names = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Name') && !line.startsWith('| ---'))
      .map((line) => line.split('|')[1].trim());

    expect(names).toEqual(['management', 'shared-services', 'lib', 'future-workload-1', 'future-workload-2', 'non-production']);
  });

  test('shows 172.17.0.0/16 when the supernet covers it', () => {
    const markdown172 = new AddressPlan({ tierName: 'production', supernet: '172.16.0.0/12', vpcs: [] }).toMarkdown();

    expect(markdown172).toContain('| aws-services | Skipped by automatic allocation (used by some AWS services) | 172.17.0.0/16 |');
  });
});

describe('assertDisjoint', () => {
  const production = new AddressPlan(PRODUCTION);

  test('disjoint supernets pass', () => {
    const nonProduction = new AddressPlan({ tierName: 'non-production', supernet: '10.68.0.0/14', vpcs: [] });

    expect(() => AddressPlan.assertDisjoint([production, nonProduction])).not.toThrow();
  });

  test('overlapping supernets name both tiers and ranges', () => {
    const nonProduction = new AddressPlan({ tierName: 'non-production', supernet: '10.66.0.0/15', vpcs: [] });

    expect(() => AddressPlan.assertDisjoint([production, nonProduction])).toThrow(
      'tier "production" supernet 10.64.0.0/14 overlaps tier "non-production" supernet 10.66.0.0/15; tiers must never share addresses');
  });

  test('every overlapping pair is listed', () => {
    const testing = new AddressPlan({ tierName: 'testing', supernet: '10.64.0.0/16', vpcs: [] });
    const training = new AddressPlan({ tierName: 'training', supernet: '10.64.0.0/15', vpcs: [] });
    let message = '';
    try {
      AddressPlan.assertDisjoint([production, testing, training]);
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('tier "production" supernet 10.64.0.0/14 overlaps tier "testing" supernet 10.64.0.0/16');
    expect(message).toContain('tier "production" supernet 10.64.0.0/14 overlaps tier "training" supernet 10.64.0.0/15');
    expect(message).toContain('tier "testing" supernet 10.64.0.0/16 overlaps tier "training" supernet 10.64.0.0/15');
  });

  test('two plans for one tier are rejected', () => {
    const again = new AddressPlan({ tierName: 'production', supernet: '10.68.0.0/14', vpcs: [] });

    expect(() => AddressPlan.assertDisjoint([production, again])).toThrow(
      'plans[0] and plans[1] are both for tier "production"; each tier has one address plan, so merge the two or give each its own tierName.');
  });

  test('two plans for one tier name the indices given', () => {
    const nonProduction = new AddressPlan({ tierName: 'non-production', supernet: '10.68.0.0/14', vpcs: [] });
    const again = new AddressPlan({ tierName: 'production', supernet: '10.72.0.0/14', vpcs: [] });

    expect(() => AddressPlan.assertDisjoint([production, {} as AddressPlan, nonProduction, again])).toThrow(
      /plans\[1\] is \{\}; expected an AddressPlan\.\n {2}- plans\[0\] and plans\[3\] are both for tier "production"/);
  });

  test('the same plan twice is not an overlap', () => {
    expect(() => AddressPlan.assertDisjoint([production, production])).not.toThrow();
  });

  test('an entry that is not a plan is rejected', () => {
    expect(() => AddressPlan.assertDisjoint([production, { supernet: '10.64.0.0/14' } as unknown as AddressPlan]))
      .toThrow('plans[1] is {"supernet":"10.64.0.0/14"}; expected an AddressPlan.');
  });

  test('a list is required', () => {
    expect(() => AddressPlan.assertDisjoint(undefined as unknown as AddressPlan[]))
      .toThrow('plans is undefined; expected a list of AddressPlan objects.');
  });
});

describe('validation', () => {
  test('invalid tierName', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, tierName: 'Production' })).toThrow(
      'tierName is "Production"; use 2 to 32 lower-case letters, digits and hyphens starting with a letter, for example "non-production".');
  });

  test('missing props', () => {
    expect(() => planFrom(undefined)).toThrow('props is undefined; expected an object with tierName, supernet and vpcs.');
  });

  test('empty props list every missing prop', () => {
    expect(() => planFrom({})).toThrow(/tierName is undefined[\s\S]*supernet is undefined[\s\S]*vpcs is undefined; expected a list/);
  });

  test('malformed supernet shows the value and an example', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, supernet: '10.64.0/14' })).toThrow(
      'supernet is "10.64.0/14", which is not an IPv4 CIDR block; write an address, a slash and a prefix length from 0 to 32, for example "10.64.0.0/14".');
  });

  test('supernet that is not a string', () => {
    expect(() => planFrom({ ...PRODUCTION, supernet: 1064 })).toThrow(
      'supernet is 1064; expected an IPv4 CIDR block as a string, for example "10.64.0.0/14".');
  });

  test('supernet that is a token', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, supernet: Token.asString({ Ref: 'Cidr' }) })).toThrow(
      /supernet is a token \(\$\{Token\[.*\]\}\); an address plan is worked out at synth time, so give a literal CIDR block such as "10.64.0.0\/14"/);
  });

  test('supernet with host bits names the network address', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, supernet: '10.65.0.0/14' })).toThrow(
      'supernet is "10.65.0.0/14", which has host bits set; use the network address "10.64.0.0/14".');
  });

  test.each(['10.64.0.0/29', '10.0.0.0/7'])('supernet prefix out of range (%s)', (supernet) => {
    expect(() => new AddressPlan({ ...PRODUCTION, supernet, vpcs: [] })).toThrow(
      `supernet is "${supernet}"; use a prefix length from /8 to /28, so that it holds at least one VPC.`);
  });

  test('supernet out of range hides space errors', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, supernet: '10.64.0.0/29' })).toThrow(
      /^Invalid AddressPlan props of tier "production":\n {2}- supernet is "10.64.0.0\/29"[^\n]*$/);
  });

  test('malformed VPC cidr', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, vpcs: [{ name: 'lib', cidr: '10.64.0.0/2O' }] })).toThrow(
      'vpcs[0].cidr is "10.64.0.0/2O", which is not an IPv4 CIDR block; write an address, a slash and a prefix length from 0 to 32, for example "10.64.0.0/20".');
  });

  test('VPC cidr with host bits names the network address', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, vpcs: [{ name: 'lib', cidr: '10.64.17.0/20' }] })).toThrow(
      'vpcs[0].cidr is "10.64.17.0/20", which has host bits set; use the network address "10.64.16.0/20".');
  });

  test.each(['10.64.0.0/15', '10.64.0.0/29'])('VPC cidr prefix out of range (%s)', (cidr) => {
    expect(() => new AddressPlan({ ...PRODUCTION, vpcs: [{ name: 'lib', cidr }] })).toThrow(
      `vpcs[0].cidr is "${cidr}"; AWS VPCs take prefix lengths from /16 to /28.`);
  });

  test.each([15, 29, 20.5, '20'])('VPC prefixLength out of range (%j)', (prefixLength) => {
    expect(() => planFrom({ ...PRODUCTION, vpcs: [{ name: 'lib', prefixLength }] })).toThrow(
      `vpcs[0].prefixLength is ${JSON.stringify(prefixLength)}; AWS VPCs take prefix lengths from 16 to 28 (65536 to 16 addresses).`);
  });

  test('VPC prefixLength that is a token', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, vpcs: [{ name: 'lib', prefixLength: Token.asNumber({ Ref: 'Size' }) }] })).toThrow(
      'vpcs[0].prefixLength is a token; an address plan is worked out at synth time, so give a literal number from 16 to 28.');
  });

  test('both prefixLength and cidr', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, vpcs: [{ name: 'lib', prefixLength: 20, cidr: '10.64.0.0/20' }] })).toThrow(
      'vpcs[0] (VPC "lib") sets both prefixLength and cidr; keep cidr to pin a deployed VPC, or prefixLength to allocate a range, not both.');
  });

  test('neither prefixLength nor cidr', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, vpcs: [{ name: 'lib' }] })).toThrow(
      'vpcs[0] (VPC "lib") sets neither prefixLength nor cidr; set prefixLength (16 to 28) to allocate a range, or cidr to pin a deployed VPC.');
  });

  test('duplicate VPC names', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, vpcs: [{ name: 'lib', prefixLength: 20 }, { name: 'lib', prefixLength: 24 }] })).toThrow(
      'vpcs[1].name is "lib", which vpcs[0].name already uses; give each a unique name.');
  });

  test.each(['', 'has space', '-lib', 'a|b', 42])('invalid VPC name (%j)', (name) => {
    expect(() => planFrom({ ...PRODUCTION, vpcs: [{ name, prefixLength: 20 }] })).toThrow(
      `vpcs[0].name is ${JSON.stringify(name)}; use 1 to 64 letters, digits, dots, underscores and hyphens, starting with a letter or digit, for example "management".`);
  });

  test('vpcs that is not a list', () => {
    expect(() => planFrom({ ...PRODUCTION, vpcs: { name: 'lib' } })).toThrow(
      'vpcs is {"name":"lib"}; expected a list of VPC range requests such as [{ name: "management", prefixLength: 20 }].');
  });

  test('null VPC request', () => {
    expect(() => planFrom({ ...PRODUCTION, vpcs: [null] })).toThrow(
      'vpcs[0] is null; expected { name, prefixLength } to allocate a range, or { name, cidr } to pin one.');
  });

  test('VPC outside the supernet', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, vpcs: [{ name: 'lib', cidr: '10.68.0.0/20' }] })).toThrow(
      'vpcs[0]: VPC "lib" 10.68.0.0/20 is not inside the supernet 10.64.0.0/14 (10.64.0.0 to 10.67.255.255); '
      + 'choose a range inside it, or give prefixLength instead of cidr to have one allocated.');
  });

  test('VPC partly outside the supernet', () => {
    expect(() => new AddressPlan({ tierName: 'production', supernet: '10.64.0.0/17', vpcs: [{ name: 'lib', cidr: '10.64.0.0/16' }] }))
      .toThrow(/VPC "lib" 10.64.0.0\/16 is not inside the supernet 10.64.0.0\/17/);
  });

  test('two VPCs overlapping', () => {
    expect(() => new AddressPlan({
      ...PRODUCTION,
      vpcs: [{ name: 'management', cidr: '10.64.0.0/20' }, { name: 'lib', cidr: '10.64.8.0/21' }],
    })).toThrow('vpcs[1]: VPC "lib" 10.64.8.0/21 overlaps VPC "management" 10.64.0.0/20 (vpcs[0]); give each VPC a range of its own.');
  });

  test('VPC overlapping a reserved range inside the supernet', () => {
    expect(() => new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/10',
      vpcs: [{ name: 'lib', cidr: '10.64.16.0/20' }],
      reservedRanges: [{ name: 'government-network', cidr: '10.64.0.0/12' }],
    })).toThrow('vpcs[0]: VPC "lib" 10.64.16.0/20 overlaps reserved range "government-network" 10.64.0.0/12; choose a range clear of 10.64.0.0/12.');
  });

  test('supernet inside a reserved range', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, reservedRanges: [{ name: 'government-network', cidr: '10.64.0.0/12' }] })).toThrow(
      'supernet 10.64.0.0/14 overlaps reserved range "government-network" 10.64.0.0/12 (reservedRanges[0]): the whole supernet lies inside it, '
      + 'so the tier would use addresses that belong to someone else. Choose a supernet outside 10.64.0.0/12.');
  });

  test('supernet equal to a reserved range', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, reservedRanges: [{ name: 'non-production', cidr: '10.64.0.0/14' }] })).toThrow(
      /supernet 10.64.0.0\/14 overlaps reserved range "non-production" 10.64.0.0\/14 \(reservedRanges\[0\]\)/);
  });

  test('reserved ranges inside the supernet may overlap', () => {
    const plan = new AddressPlan({
      ...PRODUCTION,
      reservedRanges: [{ name: 'vendor', cidr: '10.67.0.0/16' }, { name: 'psn', cidr: '10.66.0.0/15' }],
    });

    expect(plan.freeAddressCount).toBe(262144 - 131072 - 4096 - 4096 - 16384);
  });

  test('supernet conflict hides space errors', () => {
    let message = '';
    try {
      new AddressPlan({ ...PRODUCTION, reservedRanges: [{ name: 'government-network', cidr: '10.0.0.0/8' }] });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toMatch(/supernet 10.64.0.0\/14 overlaps reserved range "government-network" 10.0.0.0\/8/);
    expect(message).not.toMatch(/no space left/);
  });

  test('malformed reserved range', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, reservedRanges: [{ name: 'psn', cidr: '10.0.0.0/12/1' }] })).toThrow(
      'reservedRanges[0].cidr is "10.0.0.0/12/1", which is not an IPv4 CIDR block; write an address, a slash and a prefix length from 0 to 32, for example "10.0.0.0/12".');
  });

  test('reserved range with host bits', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, reservedRanges: [{ name: 'psn', cidr: '10.1.0.0/12' }] })).toThrow(
      'reservedRanges[0].cidr is "10.1.0.0/12", which has host bits set; use the network address "10.0.0.0/12".');
  });

  test('duplicate reserved range names', () => {
    expect(() => new AddressPlan({
      ...PRODUCTION,
      reservedRanges: [{ name: 'vendor', cidr: '10.0.0.0/16' }, { name: 'vendor', cidr: '10.1.0.0/16' }],
    })).toThrow('reservedRanges[1].name is "vendor", which reservedRanges[0].name already uses; give each a unique name.');
  });

  test('reservedRanges that is not a list', () => {
    expect(() => planFrom({ ...PRODUCTION, reservedRanges: '10.0.0.0/8' })).toThrow(
      'reservedRanges is "10.0.0.0/8"; expected a list such as [{ name: "government-network", cidr: "10.0.0.0/12" }].');
  });

  test('null reserved range', () => {
    expect(() => planFrom({ ...PRODUCTION, reservedRanges: [null] })).toThrow(
      /reservedRanges\[0\] is null; expected \{ name, cidr \}/);
  });

  test('no space left for a VPC says what was needed', () => {
    expect(() => new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/16',
      vpcs: [{ name: 'a', prefixLength: 17 }, { name: 'b', prefixLength: 18 }, { name: 'c', prefixLength: 17 }],
    })).toThrow('vpcs[2]: no space left in supernet 10.64.0.0/16 for VPC "c", which needs an aligned /17 block (32768 addresses); '
      + '16384 addresses are free and the largest free aligned block is a /18; use a longer prefix length or a wider supernet.');
  });

  test('no space left suggests fewer reserved ranges when some are inside', () => {
    expect(() => new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/16',
      vpcs: [{ name: 'a', prefixLength: 17 }, { name: 'b', prefixLength: 17 }],
      reservedRanges: [{ name: 'vendor', cidr: '10.64.128.0/24' }],
    })).toThrow(/vpcs\[1\]: no space left .*; use a longer prefix length, a wider supernet or fewer reserved ranges\.$/m);
  });

  test.each(['172.17.0.0/16', '172.17.5.0/24'])('no space left in supernet %s names 172.17.0.0/16', (supernet) => {
    expect(() => new AddressPlan({ tierName: 'production', supernet, vpcs: [{ name: 'a', prefixLength: 24 }] }))
      .toThrow(/vpcs\[0\]: no space left in supernet 172\.17\.[05]\.0\/(16|24) .* Automatic allocation skips 172\.17\.0\.0\/16, because AWS services such as SageMaker and Cloud9 use it for Docker networking; to place a VPC there anyway, pin it with cidr\./);
  });

  test('no space left for future blocks names 172.17.0.0/16', () => {
    expect(() => new AddressPlan({
      tierName: 'production',
      supernet: '172.16.0.0/15',
      vpcs: [{ name: 'a', prefixLength: 16 }],
      futureWorkloads: { count: 1, prefixLength: 16 },
    })).toThrow(/futureWorkloads: no space left in supernet 172\.16\.0\.0\/15 .* Automatic allocation skips 172\.17\.0\.0\/16/);
  });

  test('no space left outside 172.17.0.0/16 does not mention it', () => {
    const message = errorOf(() => new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/16',
      vpcs: [{ name: 'a', prefixLength: 16 }, { name: 'b', prefixLength: 28 }],
    }));

    expect(message).toMatch(/no space left/);
    expect(message).not.toMatch(/172\.17/);
  });

  test.each([
    ['224.0.0.0/8', '224.0.0.0/4', 'the multicast range'],
    ['239.255.0.0/16', '224.0.0.0/4', 'the multicast range'],
    ['127.0.0.0/8', '127.0.0.0/8', 'the loopback range'],
    ['169.254.0.0/16', '169.254.0.0/16', 'the link-local range'],
    ['169.0.0.0/8', '169.254.0.0/16', 'the link-local range'],
    ['0.0.0.0/8', '0.0.0.0/8', 'addresses of "this network"'],
    ['240.0.0.0/8', '240.0.0.0/4', 'the reserved range'],
    ['255.255.255.0/24', '240.0.0.0/4', 'the reserved range'],
  ])('supernet %s in an unusable range is rejected', (supernet, range, reason) => {
    expect(() => new AddressPlan({ tierName: 'production', supernet, vpcs: [{ name: 'a', prefixLength: 24 }] }))
      .toThrow(`supernet is "${supernet}", which overlaps ${range}, ${reason}`);
  });

  test('supernet unusable range hides space errors', () => {
    const message = errorOf(() => new AddressPlan({ tierName: 'production', supernet: '224.0.0.0/8', vpcs: [{ name: 'a', prefixLength: 16 }] }));

    expect(message).toMatch(/No network can route these addresses to a VPC, so choose a range from 10\.0\.0\.0\/8, 172\.16\.0\.0\/12 or 192\.168\.0\.0\/16\./);
    expect(message).not.toMatch(/no space left/);
  });

  test.each(['1.0.0.0/8', '126.0.0.0/8', '100.64.0.0/10', '223.255.0.0/16'])('supernet %s beside an unusable range is accepted', (supernet) => {
    const plan = new AddressPlan({ tierName: 'production', supernet, vpcs: [{ name: 'a', prefixLength: 16 }] });

    expect(plan.supernet).toBe(supernet);
  });

  test('pinned VPC in an unusable range is rejected', () => {
    expect(() => new AddressPlan({ tierName: 'production', supernet: '10.64.0.0/14', vpcs: [{ name: 'lab', cidr: '127.0.0.0/16' }] }))
      .toThrow('vpcs[0].cidr is "127.0.0.0/16", which overlaps 127.0.0.0/8, the loopback range');
  });

  test('NaN prefix length is shown as NaN', () => {
    expect(() => new AddressPlan({ tierName: 'production', supernet: '10.64.0.0/14', vpcs: [{ name: 'a', prefixLength: NaN }] }))
      .toThrow('vpcs[0].prefixLength is NaN; AWS VPCs take prefix lengths from 16 to 28');
  });

  test('no space left when the supernet is full', () => {
    expect(() => new AddressPlan({
      tierName: 'production',
      supernet: '10.64.0.0/16',
      vpcs: [{ name: 'a', prefixLength: 16 }, { name: 'b', prefixLength: 28 }],
    })).toThrow(/vpcs\[1\]: no space left in supernet 10.64.0.0\/16 for VPC "b", which needs an aligned \/28 block \(16 addresses\); 0 addresses are free and no \/28 block is free/);
  });

  test('no space left for future blocks names the block', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, futureWorkloads: { count: 15, prefixLength: 18 } })).toThrow(
      'futureWorkloads: no space left in supernet 10.64.0.0/14 for future-workload block 15 of 15, which needs an aligned /18 block (16384 addresses); '
      + '8192 addresses are free and the largest free aligned block is a /19; reduce count, use a longer prefix length or a wider supernet.');
  });

  test.each([-1, 1.5, 1025, '11'])('invalid future count (%j)', (count) => {
    expect(() => planFrom({ ...PRODUCTION, futureWorkloads: { count, prefixLength: 20 } })).toThrow(
      `futureWorkloads.count is ${JSON.stringify(count)}; use a whole number from 0 to 1024.`);
  });

  test('invalid future prefix length', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, futureWorkloads: { count: 2, prefixLength: 12 } })).toThrow(
      'futureWorkloads.prefixLength is 12; AWS VPCs take prefix lengths from 16 to 28');
  });

  test('futureWorkloads that is not an object', () => {
    expect(() => planFrom({ ...PRODUCTION, futureWorkloads: 11 })).toThrow(
      'futureWorkloads is 11; expected { count, prefixLength }, for example { count: 11, prefixLength: 20 }.');
  });

  test('one error lists every problem', () => {
    let message = '';
    try {
      planFrom({
        tierName: 'Production',
        supernet: '10.64.0.0/14',
        vpcs: [{ name: 'lib', cidr: '10.68.0.0/20' }, { name: 'lib', prefixLength: 20 }, { name: 'x' }],
        reservedRanges: [{ name: 'psn', cidr: 'psn' }],
      });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message.split('\n')[0]).toBe('Invalid AddressPlan props:');
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(5);
  });

  test('the subject names a valid tier', () => {
    expect(() => new AddressPlan({ ...PRODUCTION, supernet: 'x' })).toThrow(/^Invalid AddressPlan props of tier "production":\n {2}- supernet is "x"/);
  });
});
