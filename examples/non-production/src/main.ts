import { DataClassification, LogArchive, TaggingStandard } from '@ssd-platform/security-baseline';
import { AddressPlan, EgressDmz, RoutingDomain, SpokeVpc, TransitHub, VpcRangeRequest } from '@ssd-platform/transit-network';
import { App, Aspects, CfnOutput, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, NagReportFormat } from 'cdk-nag';
import { config } from './config';

const app = new App();
const nonProduction = { account: config.accounts.nonProduction, region: config.region };
const security = { account: config.accounts.security, region: config.region };
const sharedServices = { account: config.accounts.sharedServices, region: config.region };

/** Requests a VPC's range: its pinned range once deployed, else the next free block of the size. */
function rangeRequest(name: string, prefixLength: number): VpcRangeRequest {
  const cidr = config.deployedRanges[name];
  return cidr ? { name, cidr } : { name, prefixLength };
}

// Address plans: every VPC's range is allocated here, never typed into a stack.
const plan = new AddressPlan({
  tierName: 'non-production',
  supernet: config.supernet,
  reservedRanges: [...config.reservedRanges, { name: 'shared-services', cidr: config.sharedServicesSupernet }],
  vpcs: [
    rangeRequest('management', 20),
    rangeRequest('internet-egress', 24),
    ...config.benefits.map((benefit) => rangeRequest(benefit.name, benefit.prefixLength)),
  ],
  futureWorkloads: config.futureBenefits,
});
const sharedServicesPlan = new AddressPlan({
  tierName: 'shared-services',
  supernet: config.sharedServicesSupernet,
  reservedRanges: [...config.reservedRanges, { name: 'non-production-tier', cidr: config.supernet }],
  vpcs: [rangeRequest('shared-services-non-production', 20)],
});
AddressPlan.assertDisjoint([plan, sharedServicesPlan]);

// The log archive lives in the Security account; the network accounts deliver to it.
const logArchiveStack = new Stack(app, 'NonProduction-LogArchive', { env: security, description: 'Archive of the Non-Production network logs' });
const logArchiveBucketName = `ssd-non-production-network-logs-${config.accounts.security}`;
new LogArchive(logArchiveStack, 'NetworkLogs', {
  bucketName: logArchiveBucketName,
  logSourceAccounts: [config.accounts.nonProduction, config.accounts.sharedServices],
});

/** The log archive bucket, imported by name: stacks in other accounts cannot reference it directly. */
function importLogArchive(stack: Stack): s3.IBucket {
  return s3.Bucket.fromBucketName(stack, 'LogArchive', logArchiveBucketName);
}

// The transit hub of the tier, shared with the Shared Services account.
const hubStack = new Stack(app, 'NonProduction-TransitHub', { env: nonProduction, description: 'Non-Production transit hub' });
const hub = new TransitHub(hubStack, 'Hub', {
  tierName: 'non-production',
  amazonSideAsn: 64601,
  sharedWith: [config.accounts.sharedServices],
});
new CfnOutput(hubStack, 'TransitGatewayId', { value: hub.transitGatewayId });
if (config.crossAccount.sharedServicesAttachmentId) {
  hub.connectRemoteAttachment('SharedServices', {
    attachmentId: config.crossAccount.sharedServicesAttachmentId,
    domain: RoutingDomain.SHARED_SERVICES,
  });
}

// Central egress: the only path from the tier to the internet.
const egressStack = new Stack(app, 'NonProduction-EgressDmz', { env: nonProduction, description: 'Non-Production internet egress DMZ' });
new EgressDmz(egressStack, 'Egress', {
  hub,
  cidr: plan.cidrFor('internet-egress'),
  internalCidrs: [config.supernet, config.sharedServicesSupernet],
  logBucket: importLogArchive(egressStack),
  allowedDomains: config.allowedEgressDomains,
  deniedDomains: config.deniedEgressDomains,
});

// Spokes: management, then one business-application VPC per benefit.
const managementStack = new Stack(app, 'NonProduction-ManagementVpc', { env: nonProduction, description: 'Non-Production management VPC' });
new SpokeVpc(managementStack, 'Management', {
  hub,
  domain: RoutingDomain.MANAGEMENT,
  vpcName: 'management',
  cidr: plan.cidrFor('management'),
  flowLogBucket: importLogArchive(managementStack),
});

for (const benefit of config.benefits) {
  const stack = new Stack(app, `NonProduction-${pascalCase(benefit.name)}Vpc`, {
    env: nonProduction,
    description: `Non-Production business-application VPC of the ${benefit.service} service`,
  });
  new SpokeVpc(stack, 'Workload', {
    hub,
    domain: RoutingDomain.BUSINESS_APPLICATION,
    vpcName: benefit.name,
    cidr: plan.cidrFor(benefit.name),
    flowLogBucket: importLogArchive(stack),
  });
  TaggingStandard.applyTags(stack, {
    ...config.tags,
    service: benefit.service,
    dataClassification: benefit.dataClassification,
  });
}

// The Shared Services VPC of this tier, in its own account, attached through the RAM share.
const sharedServicesStack = new Stack(app, 'NonProduction-SharedServicesVpc', { env: sharedServices, description: 'Shared Services VPC attached to the Non-Production hub' });
const remoteHub = TransitHub.fromTransitHubAttributes(sharedServicesStack, 'Hub', {
  transitGatewayId: config.crossAccount.transitGatewayId,
  tierName: 'non-production',
});
// The spoke outputs its attachment ID for the hub's account to connect (crossAccount.sharedServicesAttachmentId).
new SpokeVpc(sharedServicesStack, 'SharedServices', {
  hub: remoteHub,
  domain: RoutingDomain.SHARED_SERVICES,
  vpcName: 'shared-services',
  cidr: sharedServicesPlan.cidrFor('shared-services-non-production'),
  flowLogBucket: importLogArchive(sharedServicesStack),
});

// Tags on everything, then the checks every stack must pass.
TaggingStandard.applyTags(app, {
  ...config.tags,
  service: 'platform-network',
  dataClassification: DataClassification.OFFICIAL,
});
TaggingStandard.enforce(app);
Aspects.of(app).add(new AwsSolutionsChecks({ reports: true, reportFormats: [NagReportFormat.CSV] }));
Aspects.of(app).add(new NIST80053R5Checks({ reports: true, reportFormats: [NagReportFormat.CSV] }));

app.synth();

function pascalCase(value: string): string {
  return value.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}
