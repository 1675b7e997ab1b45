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
  /**
   * The government-network DMZ for management traffic: the Direct Connect link and VPN
   * that carry administration between the government network and the management VPCs.
   */
  GOVERNMENT_NETWORK_MANAGEMENT_DMZ = 'government-network-management-dmz',
  /**
   * The government-network DMZ for business traffic: the Direct Connect link and VPN
   * that carry business users to the business-application VPCs.
   */
  GOVERNMENT_NETWORK_BUSINESS_DMZ = 'government-network-business-dmz',
}

/** The two government-network DMZ domains, which the policy keeps apart. */
export const GOVERNMENT_NETWORK_DOMAINS: RoutingDomain[] = [
  RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ,
  RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ,
];

/** Every routing domain, in a fixed order used for construct ids and reports. */
export const ALL_ROUTING_DOMAINS: RoutingDomain[] = [
  RoutingDomain.MANAGEMENT,
  RoutingDomain.BUSINESS_APPLICATION,
  RoutingDomain.SHARED_SERVICES,
  RoutingDomain.INTERNET_DMZ,
  RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ,
  RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ,
];
