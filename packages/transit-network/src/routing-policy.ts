import { Token } from 'aws-cdk-lib';
import { PropsValidator, show, validateNoHoles } from './private/validation';
import { ALL_ROUTING_DOMAINS, GOVERNMENT_NETWORK_DOMAINS, RoutingDomain } from './routing-domain';

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

  /**
   * Whether traffic between the two domains passes the hub's east-west inspection firewall.
   *
   * The hub then routes each domain's traffic to the other through the inspection VPC
   * instead of directly, in both directions. Only the management, business-application
   * and shared-services domains can be inspected: internet traffic already passes the
   * egress DMZ's firewall, and the government network's ranges are learnt over BGP, so
   * the hub has no static route to steer through the firewall.
   *
   * @default false
   */
  readonly inspected?: boolean;
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
 *
 * The government network has two DMZ domains so that management traffic and business
 * traffic never share a route table: every policy keeps them apart, keeps the
 * management DMZ away from business applications and the business DMZ away from
 * management, and keeps both away from the internet DMZ. No policy connects a DMZ domain
 * to itself: the government network's Direct Connect and VPN attachments would exchange
 * routes, and the egress and ingress VPCs would reach each other.
 */
export class RoutingPolicy {
  /**
   * The platform's default policy.
   *
   * - management reaches business applications (through bastions), shared services,
   *   the internet DMZ (for patches) and the government-network management DMZ
   *   (remote administration);
   * - business applications reach shared services, the internet DMZ and the
   *   government-network business DMZ (business users), but not each other;
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
        connect(RoutingDomain.MANAGEMENT, RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ),
        connect(RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES),
        connect(RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.INTERNET_DMZ),
        connect(RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ),
        connect(RoutingDomain.SHARED_SERVICES, RoutingDomain.SHARED_SERVICES),
        connect(RoutingDomain.SHARED_SERVICES, RoutingDomain.INTERNET_DMZ),
      ],
    });
  }

  /**
   * The platform's default policy with east-west inspection between every pair of the
   * management, business-application and shared-services domains that the default
   * policy connects, and between management VPCs and between shared-services VPCs.
   */
  public static platformDefaultWithInspection(): RoutingPolicy {
    const inspectable = (domain: RoutingDomain) => INSPECTABLE_DOMAINS.includes(domain);
    return new RoutingPolicy({
      connections: RoutingPolicy.platformDefault().connections.map((connection) => ({
        ...connection,
        inspected: inspectable(connection.domain) && inspectable(connection.peer),
      })),
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
    if (Array.isArray(connections) && Token.isUnresolved(connections)) {
      validator.fail('connections is a list token; pass a literal list, because the hub reads the policy at synth time to build its routes.');
      validator.throwIfInvalid();
    }
    if (!Array.isArray(connections)) {
      validator.fail(`connections is ${show(connections)}; connections must be a list of domain pairs such as { domain: RoutingDomain.MANAGEMENT, peer: RoutingDomain.SHARED_SERVICES }.`);
      validator.throwIfInvalid();
    }
    validateNoHoles(validator, 'connections', connections);

    connections.forEach((connection, index) => {
      for (const end of ['domain', 'peer'] as const) {
        const value = connection?.[end];
        if (!ALL_ROUTING_DOMAINS.includes(value)) {
          validator.fail(`connections[${index}].${end} is ${show(value)}, which is not a routing domain. Use one of: ${ALL_ROUTING_DOMAINS.join(', ')}.`);
        }
      }
      const inspected: unknown = connection?.inspected;
      if (inspected !== undefined && typeof inspected !== 'boolean') {
        validator.fail(`connections[${index}].inspected is ${show(inspected)}; use true or false, or leave it out for no inspection.`);
      } else if (inspected === true) {
        const notInspectable = [...new Set([connection.domain, connection.peer])]
          .filter((domain) => ALL_ROUTING_DOMAINS.includes(domain) && !INSPECTABLE_DOMAINS.includes(domain));
        if (notInspectable.length > 0) {
          validator.fail(`connections[${index}] sets inspected for ${connection.domain} and ${connection.peer}, but ${notInspectable.join(' and ')} `
            + 'cannot be inspected east-west: internet traffic already passes the egress DMZ\'s firewall, and government-network ranges are learnt '
            + `over BGP, so the hub has no static route to steer through the firewall. Inspect only pairs of ${INSPECTABLE_DOMAINS.join(', ')}, or remove inspected.`);
        }
      }
      const forbidden = forbiddenReason(connection);
      if (forbidden !== undefined) {
        validator.fail(`connections[${index}] connects ${connection.domain} to ${connection.peer}, which would ${forbidden}. Remove this connection.`);
      }
    });
    validator.throwIfInvalid();

    const seen = new Map<string, number>();
    const pairs: Array<Readonly<DomainConnection>> = [];
    connections.forEach((connection, index) => {
      const key = pairKey(connection.domain, connection.peer);
      const inspected = connection.inspected === true;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, index);
        pairs.push(Object.freeze({ domain: connection.domain, peer: connection.peer, inspected }));
      } else if ((connections[first].inspected === true) !== inspected) {
        validator.fail(`connections[${index}] repeats connections[${first}] (${connection.domain} and ${connection.peer}) with inspected ${inspected} instead of `
          + `${!inspected}. List each pair once, with the inspection it needs.`);
      }
    });
    validator.throwIfInvalid();
    this.pairs = Object.freeze(pairs);
  }

  /** The connections of this policy, each pair once, in the order given. Each read returns a new copy. */
  public get connections(): DomainConnection[] {
    return this.pairs.map((pair) => ({ domain: pair.domain, peer: pair.peer, inspected: pair.inspected }));
  }

  /** Returns whether any connection of this policy is inspected. */
  public get hasInspection(): boolean {
    return this.pairs.some((pair) => pair.inspected === true);
  }

  /** Returns whether attachments of `domain` may reach attachments of `peer`, and so back. */
  public connects(domain: RoutingDomain, peer: RoutingDomain): boolean {
    return this.pairs.some((pair) => isPair(pair, domain, peer));
  }

  /**
   * Returns whether traffic between `domain` and `peer` passes the east-west inspection
   * firewall. False for domains the policy does not connect.
   */
  public inspects(domain: RoutingDomain, peer: RoutingDomain): boolean {
    return this.pairs.some((pair) => pair.inspected === true && isPair(pair, domain, peer));
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

/** The domains whose traffic to each other can pass the east-west inspection firewall. */
const INSPECTABLE_DOMAINS: RoutingDomain[] = [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES];

/** Pairs of domains no policy may connect, with what the connection would break. */
const FORBIDDEN_PAIRS: Array<{ readonly a: RoutingDomain; readonly b: RoutingDomain; readonly breaks: string }> = [
  ...GOVERNMENT_NETWORK_DOMAINS.map((domain) => ({
    a: RoutingDomain.INTERNET_DMZ,
    b: domain,
    breaks: 'give the internet a route to the government network',
  })),
  {
    a: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ,
    b: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ,
    breaks: 'mix government-network management traffic with business traffic',
  },
  {
    a: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ,
    b: RoutingDomain.BUSINESS_APPLICATION,
    breaks: 'carry government-network management traffic to business applications; use the government-network business DMZ',
  },
  {
    a: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ,
    b: RoutingDomain.MANAGEMENT,
    breaks: 'carry government-network business traffic to management VPCs; use the government-network management DMZ',
  },
  ...GOVERNMENT_NETWORK_DOMAINS.map((domain) => ({
    a: domain,
    b: domain,
    breaks: 'let its Direct Connect and VPN attachments exchange the routes they learn, so AWS would carry traffic between government-network sites',
  })),
  {
    a: RoutingDomain.INTERNET_DMZ,
    b: RoutingDomain.INTERNET_DMZ,
    breaks: 'let the ingress and egress VPCs reach each other, a path from internet ingress to internet egress that passes no workload',
  },
];

/** Returns what a connection would break, or undefined if a policy may contain it. */
function forbiddenReason(connection: DomainConnection): string | undefined {
  return FORBIDDEN_PAIRS.find((pair) => isPair(connection, pair.a, pair.b))?.breaks;
}

function pairKey(a: RoutingDomain, b: RoutingDomain): string {
  return [a, b].sort().join('|');
}
