/**
 * A routing domain of a transit hub.
 *
 * Each domain has its own transit gateway route table. An attachment is associated
 * with the route table of its own domain, so the domain decides where its traffic can go.
 */
export enum RoutingDomain {
  /** Directory, DNS, bastions and other management services. */
  MANAGEMENT = 'management',
  /** Business-application VPCs, one for each benefit workload. */
  BUSINESS_APPLICATION = 'business-application',
  /** Shared Services: DevOps tooling, Jamf, the image pipeline and scanning. */
  SHARED_SERVICES = 'shared-services',
  /** The internet DMZ: central egress with filtering, and internet ingress. */
  INTERNET_DMZ = 'internet-dmz',
  /** The government-network DMZ: Direct Connect and VPN to the government network. */
  GOVERNMENT_NETWORK_DMZ = 'government-network-dmz',
}

/** Every routing domain, in a fixed order used for construct ids and reports. */
export const ALL_ROUTING_DOMAINS: RoutingDomain[] = [
  RoutingDomain.MANAGEMENT,
  RoutingDomain.BUSINESS_APPLICATION,
  RoutingDomain.SHARED_SERVICES,
  RoutingDomain.INTERNET_DMZ,
  RoutingDomain.GOVERNMENT_NETWORK_DMZ,
];
