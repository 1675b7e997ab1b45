import { Fn, Token } from 'aws-cdk-lib';
import { DomainConnection, RoutingDomain, RoutingPolicy, RoutingPolicyProps } from '../src';
import { ALL_ROUTING_DOMAINS } from '../src/routing-domain';

const {
  MANAGEMENT,
  BUSINESS_APPLICATION,
  SHARED_SERVICES,
  INTERNET_DMZ,
  GOVERNMENT_NETWORK_MANAGEMENT_DMZ: GOVERNMENT_MANAGEMENT,
  GOVERNMENT_NETWORK_BUSINESS_DMZ: GOVERNMENT_BUSINESS,
} = RoutingDomain;

describe('platformDefault', () => {
  const policy = RoutingPolicy.platformDefault();

  test('business applications are isolated from each other', () => {
    expect(policy.connects(BUSINESS_APPLICATION, BUSINESS_APPLICATION)).toBe(false);
  });

  test('management is connected to itself', () => {
    expect(policy.connects(MANAGEMENT, MANAGEMENT)).toBe(true);
  });

  test('shared services are connected to themselves', () => {
    expect(policy.connects(SHARED_SERVICES, SHARED_SERVICES)).toBe(true);
  });

  test('internet DMZ has no route to either government-network DMZ', () => {
    for (const government of [GOVERNMENT_MANAGEMENT, GOVERNMENT_BUSINESS]) {
      expect(policy.connects(INTERNET_DMZ, government)).toBe(false);
      expect(policy.connects(government, INTERNET_DMZ)).toBe(false);
    }
  });

  test('the two government-network DMZs have no route to each other', () => {
    expect(policy.connects(GOVERNMENT_MANAGEMENT, GOVERNMENT_BUSINESS)).toBe(false);
  });

  test('DMZs are not connected to themselves', () => {
    expect(policy.connects(INTERNET_DMZ, INTERNET_DMZ)).toBe(false);
    expect(policy.connects(GOVERNMENT_MANAGEMENT, GOVERNMENT_MANAGEMENT)).toBe(false);
    expect(policy.connects(GOVERNMENT_BUSINESS, GOVERNMENT_BUSINESS)).toBe(false);
  });

  test('management reaches every domain but the government-network business DMZ', () => {
    expect(policy.peersOf(MANAGEMENT)).toEqual([MANAGEMENT, BUSINESS_APPLICATION, SHARED_SERVICES, INTERNET_DMZ, GOVERNMENT_MANAGEMENT]);
  });

  test('business applications reach shared services, the internet DMZ and the government-network business DMZ', () => {
    expect(policy.peersOf(BUSINESS_APPLICATION)).toEqual([MANAGEMENT, SHARED_SERVICES, INTERNET_DMZ, GOVERNMENT_BUSINESS]);
  });

  test('inspects nothing', () => {
    expect(policy.hasInspection).toBe(false);
    expect(policy.inspects(MANAGEMENT, BUSINESS_APPLICATION)).toBe(false);
  });

  test('shared services reach management, themselves and the internet DMZ', () => {
    expect(policy.peersOf(SHARED_SERVICES)).toEqual([MANAGEMENT, BUSINESS_APPLICATION, SHARED_SERVICES, INTERNET_DMZ]);
  });

  test('internet DMZ peers', () => {
    expect(policy.peersOf(INTERNET_DMZ)).toEqual([MANAGEMENT, BUSINESS_APPLICATION, SHARED_SERVICES]);
  });

  test('government-network DMZ peers', () => {
    expect(policy.peersOf(GOVERNMENT_MANAGEMENT)).toEqual([MANAGEMENT]);
    expect(policy.peersOf(GOVERNMENT_BUSINESS)).toEqual([BUSINESS_APPLICATION]);
  });

  test('has ten connections', () => {
    expect(policy.connections).toHaveLength(10);
  });
});

describe('platformDefaultWithInspection', () => {
  const policy = RoutingPolicy.platformDefaultWithInspection();

  test('connects the same pairs as the default policy', () => {
    expect(policy.connections.map(({ domain, peer }) => ({ domain, peer })))
      .toEqual(RoutingPolicy.platformDefault().connections.map(({ domain, peer }) => ({ domain, peer })));
  });

  test('inspects every connection between management, business applications and shared services', () => {
    expect(policy.inspects(MANAGEMENT, BUSINESS_APPLICATION)).toBe(true);
    expect(policy.inspects(BUSINESS_APPLICATION, MANAGEMENT)).toBe(true);
    expect(policy.inspects(MANAGEMENT, SHARED_SERVICES)).toBe(true);
    expect(policy.inspects(BUSINESS_APPLICATION, SHARED_SERVICES)).toBe(true);
    expect(policy.inspects(MANAGEMENT, MANAGEMENT)).toBe(true);
    expect(policy.inspects(SHARED_SERVICES, SHARED_SERVICES)).toBe(true);
    expect(policy.hasInspection).toBe(true);
  });

  test('inspects no DMZ connection', () => {
    expect(policy.inspects(MANAGEMENT, INTERNET_DMZ)).toBe(false);
    expect(policy.inspects(BUSINESS_APPLICATION, GOVERNMENT_BUSINESS)).toBe(false);
  });

  test('inspects no pair it does not connect', () => {
    expect(policy.inspects(BUSINESS_APPLICATION, BUSINESS_APPLICATION)).toBe(false);
  });
});

describe('connects', () => {
  test('is symmetric for every pair of domains', () => {
    const policy = RoutingPolicy.platformDefault();
    for (const a of ALL_ROUTING_DOMAINS) {
      for (const b of ALL_ROUTING_DOMAINS) {
        expect(policy.connects(a, b)).toBe(policy.connects(b, a));
      }
    }
  });

  test('holds only for listed pairs', () => {
    const policy = new RoutingPolicy({ connections: [{ domain: MANAGEMENT, peer: SHARED_SERVICES }] });

    expect(policy.connects(SHARED_SERVICES, MANAGEMENT)).toBe(true);
    expect(policy.connects(MANAGEMENT, MANAGEMENT)).toBe(false);
    expect(policy.connects(MANAGEMENT, BUSINESS_APPLICATION)).toBe(false);
  });
});

describe('peersOf', () => {
  test('lists peers in the fixed domain order', () => {
    const policy = new RoutingPolicy({
      connections: [
        { domain: INTERNET_DMZ, peer: SHARED_SERVICES },
        { domain: MANAGEMENT, peer: SHARED_SERVICES },
      ],
    });

    expect(policy.peersOf(SHARED_SERVICES)).toEqual([MANAGEMENT, INTERNET_DMZ]);
  });

  test('is empty for an unconnected domain', () => {
    const policy = new RoutingPolicy({ connections: [{ domain: MANAGEMENT, peer: SHARED_SERVICES }] });

    expect(policy.peersOf(GOVERNMENT_MANAGEMENT)).toEqual([]);
  });

  test('includes the domain itself when self-connected', () => {
    const policy = new RoutingPolicy({ connections: [{ domain: MANAGEMENT, peer: MANAGEMENT }] });

    expect(policy.peersOf(MANAGEMENT)).toEqual([MANAGEMENT]);
  });
});

describe('connections', () => {
  test('duplicate pairs are collapsed in either direction', () => {
    const policy = new RoutingPolicy({
      connections: [
        { domain: MANAGEMENT, peer: SHARED_SERVICES },
        { domain: SHARED_SERVICES, peer: MANAGEMENT },
        { domain: MANAGEMENT, peer: SHARED_SERVICES },
        { domain: MANAGEMENT, peer: MANAGEMENT },
      ],
    });

    expect(policy.connections).toEqual([
      { domain: MANAGEMENT, peer: SHARED_SERVICES, inspected: false },
      { domain: MANAGEMENT, peer: MANAGEMENT, inspected: false },
    ]);
  });

  test('each read returns a new copy', () => {
    const policy = RoutingPolicy.platformDefault();

    expect(policy.connections).not.toBe(policy.connections);
    expect(policy.connections[0]).not.toBe(policy.connections[0]);
  });

  test('adding to the returned list changes nothing', () => {
    const policy = RoutingPolicy.platformDefault();
    policy.connections.push({ domain: INTERNET_DMZ, peer: GOVERNMENT_MANAGEMENT });

    expect(policy.connects(INTERNET_DMZ, GOVERNMENT_MANAGEMENT)).toBe(false);
    expect(policy.connections).toHaveLength(10);
  });

  test('changing a returned connection changes nothing', () => {
    const policy = RoutingPolicy.platformDefault();
    const first = policy.connections[0] as { domain: RoutingDomain; peer: RoutingDomain };
    first.domain = INTERNET_DMZ;
    first.peer = GOVERNMENT_MANAGEMENT;

    expect(policy.peersOf(INTERNET_DMZ)).not.toContain(GOVERNMENT_MANAGEMENT);
    expect(policy.connections[0]).toEqual({ domain: MANAGEMENT, peer: MANAGEMENT, inspected: false });
  });

  test('changing the given connections afterwards changes nothing', () => {
    const connections: DomainConnection[] = [{ domain: MANAGEMENT, peer: SHARED_SERVICES }];
    const policy = new RoutingPolicy({ connections });
    connections.push({ domain: INTERNET_DMZ, peer: GOVERNMENT_MANAGEMENT });
    (connections[0] as { peer: RoutingDomain }).peer = BUSINESS_APPLICATION;

    expect(policy.connections).toEqual([{ domain: MANAGEMENT, peer: SHARED_SERVICES, inspected: false }]);
  });

  test('an empty policy connects nothing', () => {
    const policy = new RoutingPolicy({ connections: [] });

    for (const domain of ALL_ROUTING_DOMAINS) {
      expect(policy.peersOf(domain)).toEqual([]);
    }
  });
});

describe('validation', () => {
  test('invalid domain is rejected', () => {
    const connections = [{ domain: MANAGEMENT, peer: 'database' }] as unknown as DomainConnection[];

    expect(() => new RoutingPolicy({ connections })).toThrow(
      'connections[0].peer is "database", which is not a routing domain. Use one of: management, business-application, shared-services, internet-dmz, government-network-management-dmz, government-network-business-dmz.');
  });

  test('missing domain is rejected', () => {
    const connections = [{ peer: MANAGEMENT }] as unknown as DomainConnection[];

    expect(() => new RoutingPolicy({ connections })).toThrow(/connections\[0\]\.domain is undefined, which is not a routing domain/);
  });

  test('null connection is rejected', () => {
    const connections = [null] as unknown as DomainConnection[];

    expect(() => new RoutingPolicy({ connections })).toThrow(/connections\[0\]\.domain is undefined, which is not a routing domain/);
  });

  test('internet DMZ to government-network DMZ is rejected', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: INTERNET_DMZ, peer: GOVERNMENT_MANAGEMENT }] })).toThrow(
      'connections[0] connects internet-dmz to government-network-management-dmz, which would give the internet a route to the government network. Remove this connection.');
  });

  test('government-network DMZ to internet DMZ is rejected', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: GOVERNMENT_BUSINESS, peer: INTERNET_DMZ }] })).toThrow(
      /connections\[0\] connects government-network-business-dmz to internet-dmz, which would give the internet a route to the government network/);
  });

  test('the two government-network DMZs cannot be connected', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: GOVERNMENT_MANAGEMENT, peer: GOVERNMENT_BUSINESS }] })).toThrow(
      'connections[0] connects government-network-management-dmz to government-network-business-dmz, which would mix government-network management traffic '
      + 'with business traffic. Remove this connection.');
  });

  test('the government-network management DMZ cannot reach business applications', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: BUSINESS_APPLICATION, peer: GOVERNMENT_MANAGEMENT }] })).toThrow(
      /connections\[0\] connects business-application to government-network-management-dmz, which would carry government-network management traffic to business applications; use the government-network business DMZ/);
  });

  test('the government-network business DMZ cannot reach management', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: GOVERNMENT_BUSINESS, peer: MANAGEMENT }] })).toThrow(
      /connections\[0\] connects government-network-business-dmz to management, which would carry government-network business traffic to management VPCs/);
  });

  test('the government-network management DMZ cannot reach itself', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: GOVERNMENT_MANAGEMENT, peer: GOVERNMENT_MANAGEMENT }] })).toThrow(
      'connections[0] connects government-network-management-dmz to government-network-management-dmz, which would let its Direct Connect and VPN '
      + 'attachments exchange the routes they learn, so AWS would carry traffic between government-network sites. Remove this connection.');
  });

  test('the government-network business DMZ cannot reach itself', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: GOVERNMENT_BUSINESS, peer: GOVERNMENT_BUSINESS }] })).toThrow(
      /connections\[0\] connects government-network-business-dmz to government-network-business-dmz, which would let its Direct Connect and VPN attachments exchange/);
  });

  test('the internet DMZ cannot reach itself', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: INTERNET_DMZ, peer: INTERNET_DMZ }] })).toThrow(
      'connections[0] connects internet-dmz to internet-dmz, which would let the ingress and egress VPCs reach each other, a path from internet '
      + 'ingress to internet egress that passes no workload. Remove this connection.');
  });

  test('inspection of a DMZ connection is rejected', () => {
    expect(() => new RoutingPolicy({ connections: [{ domain: MANAGEMENT, peer: INTERNET_DMZ, inspected: true }] })).toThrow(
      /connections\[0\] sets inspected for management and internet-dmz, but internet-dmz cannot be inspected east-west: .* Inspect only pairs of management, business-application, shared-services, or remove inspected\./);
  });

  test('inspected that is not a boolean is rejected', () => {
    const connections = [{ domain: MANAGEMENT, peer: SHARED_SERVICES, inspected: 'yes' }] as unknown as DomainConnection[];

    expect(() => new RoutingPolicy({ connections })).toThrow(
      'connections[0].inspected is "yes"; use true or false, or leave it out for no inspection.');
  });

  test('a pair listed twice with different inspection is rejected', () => {
    expect(() => new RoutingPolicy({
      connections: [
        { domain: MANAGEMENT, peer: SHARED_SERVICES, inspected: true },
        { domain: SHARED_SERVICES, peer: MANAGEMENT },
      ],
    })).toThrow('connections[1] repeats connections[0] (shared-services and management) with inspected false instead of true. '
      + 'List each pair once, with the inspection it needs.');
  });

  test('every problem is listed in one error', () => {
    const connections = [
      { domain: 'database', peer: MANAGEMENT },
      { domain: INTERNET_DMZ, peer: GOVERNMENT_MANAGEMENT },
    ] as unknown as DomainConnection[];

    expect(() => new RoutingPolicy({ connections })).toThrow(/^Invalid RoutingPolicy props:\n.*connections\[0\]\.domain[\s\S]*\n.*connections\[1\] connects/);
  });

  test('connections that are not a list are rejected', () => {
    expect(() => new RoutingPolicy({} as RoutingPolicyProps)).toThrow(
      'connections is undefined; connections must be a list of domain pairs');
  });

  test('list token is rejected', () => {
    const connections = Token.asList(Fn.split(',', Fn.importValue('Connections'))) as unknown as DomainConnection[];

    expect(() => new RoutingPolicy({ connections })).toThrow(
      'Invalid RoutingPolicy props:\n  - connections is a list token; pass a literal list, because the hub reads the policy at synth time to build its routes.');
  });

  test('list with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    const connections = [, { domain: MANAGEMENT, peer: SHARED_SERVICES }] as unknown as DomainConnection[];

    expect(() => new RoutingPolicy({ connections })).toThrow('connections[0] is missing (the list has a hole); remove the extra comma or give the entry.');
  });

  test('missing props are rejected', () => {
    expect(() => new RoutingPolicy(undefined as unknown as RoutingPolicyProps)).toThrow(/connections must be a list of domain pairs/);
  });
});
