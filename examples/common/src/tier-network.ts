import { DataClassification, LogArchive, TaggingStandard } from '@ssd-platform/security-baseline';
import { AddressPlan, EgressDmz, RoutingDomain, SpokeVpc, TransitHub, VpcRangeRequest } from '@ssd-platform/transit-network';
import { App, CfnOutput, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { EstateConfig, TierSettings } from './estate';

/** Returns the other tier of the estate, whose supernet this tier must never use. */
function otherTier(estate: EstateConfig, tier: TierSettings): TierSettings {
  return tier.name === estate.production.name ? estate.nonProduction : estate.production;
}

/** Requests a VPC's range: its pinned range once deployed, else the next free block of the size. */
function rangeRequest(tier: TierSettings, name: string, prefixLength: number): VpcRangeRequest {
  const cidr = tier.deployedRanges[name];
  return cidr ? { name, cidr } : { name, prefixLength };
}

/** Builds the address plan of a tier: every VPC range is allocated here, never typed into a stack. */
export function tierAddressPlan(estate: EstateConfig, tier: TierSettings): AddressPlan {
  const other = otherTier(estate, tier);
  return new AddressPlan({
    tierName: tier.name,
    supernet: tier.supernet,
    reservedRanges: [
      ...estate.reservedRanges,
      { name: `${other.name}-tier`, cidr: other.supernet },
      { name: 'shared-services', cidr: estate.sharedServicesSupernet },
    ],
    vpcs: [
      rangeRequest(tier, 'management', 20),
      rangeRequest(tier, 'internet-egress', 24),
      ...tier.benefits.map((benefit) => rangeRequest(tier, benefit.name, benefit.prefixLength)),
    ],
    futureWorkloads: tier.futureBenefits,
  });
}

/** Returns the name of a log archive bucket in the Security account. */
export function logArchiveBucketName(estate: EstateConfig, purpose: string): string {
  return `ssd-${purpose}-network-logs-${estate.accounts.security}`;
}

/**
 * Builds the network of one tier as stacks of `app`: the log archive (Security account),
 * the transit hub, the egress DMZ, the management VPC and one business-application VPC
 * per benefit (the tier's account).
 */
export function buildTierNetwork(app: App, estate: EstateConfig, tier: TierSettings): void {
  const tierEnv = { account: tier.account, region: estate.region };
  const plan = tierAddressPlan(estate, tier);

  // The log archive lives in the Security account; the network accounts deliver to it.
  const bucketName = logArchiveBucketName(estate, tier.name);
  const logArchiveStack = new Stack(app, `${tier.stackPrefix}-LogArchive`, {
    env: { account: estate.accounts.security, region: estate.region },
    description: `Archive of the ${tier.name} network logs`,
  });
  new LogArchive(logArchiveStack, 'NetworkLogs', { bucketName, logSourceAccounts: [tier.account] });
  const importLogArchive = (stack: Stack): s3.IBucket => s3.Bucket.fromBucketName(stack, 'LogArchive', bucketName);

  // The transit hub, shared with the Shared Services account through AWS RAM.
  const hubStack = new Stack(app, `${tier.stackPrefix}-TransitHub`, { env: tierEnv, description: `${tier.name} transit hub` });
  const hub = new TransitHub(hubStack, 'Hub', {
    tierName: tier.name,
    amazonSideAsn: tier.amazonSideAsn,
    sharedWith: [estate.accounts.sharedServices],
  });
  new CfnOutput(hubStack, 'TransitGatewayId', { value: hub.transitGatewayId });
  if (tier.crossAccount.sharedServicesAttachmentId) {
    hub.connectRemoteAttachment('SharedServices', {
      attachmentId: tier.crossAccount.sharedServicesAttachmentId,
      domain: RoutingDomain.SHARED_SERVICES,
    });
  }

  // Central egress: the only path from the tier to the internet.
  const egressStack = new Stack(app, `${tier.stackPrefix}-EgressDmz`, { env: tierEnv, description: `${tier.name} internet egress DMZ` });
  new EgressDmz(egressStack, 'Egress', {
    hub,
    cidr: plan.cidrFor('internet-egress'),
    internalCidrs: [tier.supernet, estate.sharedServicesSupernet],
    logBucket: importLogArchive(egressStack),
    allowedDomains: estate.allowedEgressDomains,
    deniedDomains: estate.deniedEgressDomains,
  });

  // Spokes: management, then one business-application VPC per benefit.
  const managementStack = new Stack(app, `${tier.stackPrefix}-ManagementVpc`, { env: tierEnv, description: `${tier.name} management VPC` });
  new SpokeVpc(managementStack, 'Management', {
    hub,
    domain: RoutingDomain.MANAGEMENT,
    vpcName: 'management',
    cidr: plan.cidrFor('management'),
    flowLogBucket: importLogArchive(managementStack),
  });

  for (const benefit of tier.benefits) {
    const stack = new Stack(app, `${tier.stackPrefix}-${pascalCase(benefit.name)}Vpc`, {
      env: tierEnv,
      description: `${tier.name} business-application VPC of the ${benefit.service} service`,
    });
    new SpokeVpc(stack, 'Workload', {
      hub,
      domain: RoutingDomain.BUSINESS_APPLICATION,
      vpcName: benefit.name,
      cidr: plan.cidrFor(benefit.name),
      flowLogBucket: importLogArchive(stack),
    });
    TaggingStandard.applyTags(stack, {
      costCentre: estate.tags.costCentre,
      owner: estate.tags.owner,
      environment: tier.name,
      service: benefit.service,
      dataClassification: benefit.dataClassification,
    });
  }

  TaggingStandard.applyTags(app, {
    costCentre: estate.tags.costCentre,
    owner: estate.tags.owner,
    environment: tier.name,
    service: 'platform-network',
    dataClassification: DataClassification.OFFICIAL,
  });
}

function pascalCase(value: string): string {
  return value.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}
