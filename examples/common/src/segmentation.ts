import { RoutingPolicy } from '@ssd-platform/transit-network';
import { EstateConfig, TierSettings } from './estate';

/** A segmentation check over one or more example apps, checked as one environment. */
export interface SegmentationRun {
  /** The environment's name in the report. */
  readonly environment: string;
  /** The example app folders, relative to the repository root. */
  readonly apps: string[];
  /**
   * Literal IDs that stand for resources of another app, such as a transit gateway ID
   * copied into configuration, mapped to the construct path of the resource.
   */
  readonly bindings: Record<string, string>;
  /** The policy the hubs were built with, which the templates do not record. */
  readonly routingPolicy: RoutingPolicy;
  /** The ingress DMZ VPCs, whose load balancers reply to internet clients from public subnets. */
  readonly internetFacingVpcs: string[];
}

/**
 * Returns the segmentation checks of the example estate: each tier alone, then the whole
 * estate. In the estate check, the Shared Services VPC's imported hubs are bound to the
 * tiers' transit gateways, so the check can prove the tiers never reach each other through it.
 */
export function segmentationRuns(estate: EstateConfig): SegmentationRun[] {
  const tiers: TierSettings[] = [estate.nonProduction, estate.production];
  const bindings: Record<string, string> = {};
  tiers.forEach((tier, index) => {
    bindings[tier.crossAccount.transitGatewayId] = `${tier.stackPrefix}-TransitHub/Hub/Resource`;
    if (tier.crossAccount.sharedServicesAttachmentId) {
      // The Non-Production hub is the Shared Services VPC's main hub; Production's is its first additional hub.
      bindings[tier.crossAccount.sharedServicesAttachmentId] = index === 0
        ? 'SharedServices-Vpc/SharedServices/Attachment'
        : 'SharedServices-Vpc/SharedServices/AdditionalHub1Attachment';
    }
  });

  const routingPolicy = RoutingPolicy.platformDefaultWithInspection();
  const ingress = (tier: TierSettings) => `${tier.name}-ingress-dmz`;
  return [
    { environment: estate.nonProduction.name, apps: ['examples/non-production'], bindings: {}, routingPolicy, internetFacingVpcs: [ingress(estate.nonProduction)] },
    { environment: estate.production.name, apps: ['examples/production'], bindings: {}, routingPolicy, internetFacingVpcs: [ingress(estate.production)] },
    {
      environment: 'estate',
      apps: ['examples/non-production', 'examples/production', 'examples/shared-services'],
      bindings,
      routingPolicy,
      internetFacingVpcs: tiers.map(ingress),
    },
  ];
}
