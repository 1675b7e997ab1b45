import { PropsValidator, show } from './private/validation';
import { ALL_ROUTING_DOMAINS, RoutingDomain } from './routing-domain';

/**
 * A pair of routing domains whose attachments may reach each other.
 *
 * Routes are symmetric because return traffic needs a route too: if the management
 * domain may reach the business-application domain, each route table contains routes to
 * the other. Which side may open a connection is enforced by security groups and the
 * firewall, not by routing. A connection from a domain to itself lets attachments of
 * that domain reach each other.
 */
export interface DomainConnection {
  /** One end of the connection. */
  readonly domain: RoutingDomain;
  /** The other end of the connection; the same domain to connect a domain's attachments to each other. */
  readonly peer: RoutingDomain;
}

/** Properties of a routing policy. */
export interface RoutingPolicyProps {
  /**
   * The pairs of domains that may reach each other. Every other pair has no route.
   */
  readonly connections: DomainConnection[];
}

/**
 * A policy of which routing domains of a transit hub may reach which.
 *
 * Everything not listed has no route. Every policy keeps the internet DMZ and the
 * government-network DMZ apart, so that the internet has no route to the government
 * network. Every domain named must be a `RoutingDomain`. A policy cannot be changed
 * once made, so a hub's routes follow the policy that was checked.
 */
export class RoutingPolicy {
  /**
   * The platform's default policy.
   *
   * - management reaches business applications (through bastions), shared services,
   *   the internet DMZ (for patches) and the government-network DMZ (remote administration);
   * - business applications reach shared services, the internet DMZ and the
   *   government-network DMZ (business users), but not each other;
   * - shared services reach the internet DMZ;
   * - management VPCs reach each other, and so do shared-services VPCs.
   */
  public static platformDefault(): RoutingPolicy {
    const connect = (domain: RoutingDomain, peer: RoutingDomain): DomainConnection => ({ domain, peer });
    return new RoutingPolicy({
      connections: [
        connect(RoutingDomain.MANAGEMENT, RoutingDomain.MANAGEMENT),
        connect(RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION),
        connect(RoutingDomain.MANAGEMENT, RoutingDomain.SHARED_SERVICES),
        connect(RoutingDomain.MANAGEMENT, RoutingDomain.INTERNET_DMZ),
        connect(RoutingDomain.MANAGEMENT, RoutingDomain.GOVERNMENT_NETWORK_DMZ),
        connect(RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES),
        connect(RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.INTERNET_DMZ),
        connect(RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.GOVERNMENT_NETWORK_DMZ),
        connect(RoutingDomain.SHARED_SERVICES, RoutingDomain.SHARED_SERVICES),
        connect(RoutingDomain.SHARED_SERVICES, RoutingDomain.INTERNET_DMZ),
      ],
    });
  }

  /**
   * The connections, frozen, so that a hub's routes cannot change after the policy was
   * checked. Mutating what `connections` returns changes nothing.
   */
  private readonly pairs: ReadonlyArray<Readonly<DomainConnection>>;

  constructor(props: RoutingPolicyProps) {
    const validator = new PropsValidator('RoutingPolicy props');
    const connections = props?.connections;
    if (!Array.isArray(connections)) {
      validator.fail(`connections is ${show(connections)}; connections must be a list of domain pairs such as { domain: RoutingDomain.MANAGEMENT, peer: RoutingDomain.SHARED_SERVICES }.`);
      validator.throwIfInvalid();
    }

    connections.forEach((connection, index) => {
      for (const end of ['domain', 'peer'] as const) {
        const value = connection?.[end];
        if (!ALL_ROUTING_DOMAINS.includes(value)) {
          validator.fail(`connections[${index}].${end} is ${show(value)}, which is not a routing domain. Use one of: ${ALL_ROUTING_DOMAINS.join(', ')}.`);
        }
      }
      if (isPair(connection, RoutingDomain.INTERNET_DMZ, RoutingDomain.GOVERNMENT_NETWORK_DMZ)) {
        validator.fail(`connections[${index}] connects ${connection.domain} to ${connection.peer}, which would give the internet a route to the government network. Remove this connection.`);
      }
    });
    validator.throwIfInvalid();

    const seen = new Set<string>();
    const pairs: Array<Readonly<DomainConnection>> = [];
    for (const connection of connections) {
      const key = pairKey(connection.domain, connection.peer);
      if (!seen.has(key)) {
        seen.add(key);
        pairs.push(Object.freeze({ domain: connection.domain, peer: connection.peer }));
      }
    }
    this.pairs = Object.freeze(pairs);
  }

  /** The connections of this policy, each pair once, in the order given. Each read returns a new copy. */
  public get connections(): DomainConnection[] {
    return this.pairs.map((pair) => ({ domain: pair.domain, peer: pair.peer }));
  }

  /** Returns whether attachments of `domain` may reach attachments of `peer`, and so back. */
  public connects(domain: RoutingDomain, peer: RoutingDomain): boolean {
    return this.pairs.some((pair) => isPair(pair, domain, peer));
  }

  /**
   * Returns the domains connected to `domain`, in the fixed domain order.
   *
   * An attachment of `domain` propagates its routes into the route table of each of these.
   */
  public peersOf(domain: RoutingDomain): RoutingDomain[] {
    return ALL_ROUTING_DOMAINS.filter((peer) => this.connects(domain, peer));
  }
}

function isPair(connection: DomainConnection, a: RoutingDomain, b: RoutingDomain): boolean {
  return (connection?.domain === a && connection?.peer === b) || (connection?.domain === b && connection?.peer === a);
}

function pairKey(a: RoutingDomain, b: RoutingDomain): string {
  return [a, b].sort().join('|');
}
