import {
  ESTATE,
  applyPlatformChecks,
  buildAccountBaseline,
  buildSharedServicesKeyStore,
  logArchiveBucketName,
} from '@ssd-platform/example-common';
import { DataClassification, LogArchive, TaggingStandard } from '@ssd-platform/security-baseline';
import { AddressPlan, RoutingDomain, SpokeVpc, TransitHub } from '@ssd-platform/transit-network';
import { App, Stack, aws_s3 as s3 } from 'aws-cdk-lib';

// The Shared Services VPC, in its own account, attached to both tiers' hubs through
// their RAM shares. The hubs are in other accounts, so they are imported by ID.
const app = new App();
const env = { account: ESTATE.accounts.sharedServices, region: ESTATE.region };

const plan = new AddressPlan({
  tierName: 'shared-services',
  supernet: ESTATE.sharedServicesSupernet,
  reservedRanges: [
    ...ESTATE.reservedRanges,
    { name: 'non-production-tier', cidr: ESTATE.nonProduction.supernet },
    { name: 'production-tier', cidr: ESTATE.production.supernet },
  ],
  vpcs: [{ name: 'shared-services', cidr: ESTATE.sharedServicesVpcCidr }],
});

const bucketName = logArchiveBucketName(ESTATE, 'shared-services');
const logArchiveStack = new Stack(app, 'SharedServices-LogArchive', {
  env: { account: ESTATE.accounts.security, region: ESTATE.region },
  description: 'Archive of the Shared Services network logs',
});
new LogArchive(logArchiveStack, 'NetworkLogs', { bucketName, logSourceAccounts: [ESTATE.accounts.sharedServices] });

const vpcStack = new Stack(app, 'SharedServices-Vpc', { env, description: 'Shared Services VPC attached to both transit hubs' });
const nonProductionHub = TransitHub.fromTransitHubAttributes(vpcStack, 'NonProductionHub', {
  transitGatewayId: ESTATE.nonProduction.crossAccount.transitGatewayId,
  tierName: ESTATE.nonProduction.name,
});
const productionHub = TransitHub.fromTransitHubAttributes(vpcStack, 'ProductionHub', {
  transitGatewayId: ESTATE.production.crossAccount.transitGatewayId,
  tierName: ESTATE.production.name,
});

// Everything but Production's range goes to the Non-Production hub, whose egress DMZ
// filters the tooling's internet traffic; Production's range goes to its own hub. Traffic
// arriving from either hub cannot cross to the other (see SpokeVpc additionalHubs).
const sharedServices = new SpokeVpc(vpcStack, 'SharedServices', {
  hub: nonProductionHub,
  domain: RoutingDomain.SHARED_SERVICES,
  vpcName: 'shared-services',
  cidr: plan.cidrFor('shared-services'),
  flowLogBucket: s3.Bucket.fromBucketName(vpcStack, 'LogArchive', bucketName),
  additionalHubs: [{ hub: productionHub, routedCidrs: [ESTATE.production.supernet] }],
});

// The HSMs of Db2 native encryption and AD Certificate Services, in the VPC's data subnets,
// and the account's AWS Config recorder, IAM baseline and change detection.
buildSharedServicesKeyStore(app, ESTATE, sharedServices.vpc);
buildAccountBaseline(app, ESTATE, { stackPrefix: 'SharedServices', account: ESTATE.accounts.sharedServices, environment: 'shared-services' });

TaggingStandard.applyTags(app, {
  costCentre: ESTATE.tags.costCentre,
  owner: ESTATE.tags.owner,
  environment: 'shared-services',
  service: 'platform-network',
  dataClassification: DataClassification.OFFICIAL,
});
applyPlatformChecks(app, 'shared-services');
app.synth();
