import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Stack, custom_resources as cr } from 'aws-cdk-lib';
import { PlatformOrganisation, PlatformOrganizationalUnit } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
//
// NOTE: a real run needs the management account of a dedicated test organization, with
// all features and the service control, tag and backup policy types enabled. The stack
// attaches service control policies to the organization root, which would restrict every
// member account of a shared organization. It creates no member account, because AWS
// limits how many accounts an organization can close in 30 days.
const stack = new Stack(app, 'PlatformOrganisationInteg');

// The root ID differs in every organization, so it is read from the organization at deployment.
const roots = new cr.AwsCustomResource(stack, 'RootLookup', {
  onUpdate: {
    service: 'Organizations',
    action: 'listRoots',
    physicalResourceId: cr.PhysicalResourceId.of('organization-root'),
  },
  policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
  installLatestAwsSdk: false,
});

// aws-cdk-lib gives the function behind AwsCustomResource a DependsOn on its role, which
// its GetAtt of the role already implies, and cfn-lint warns about it (W3005).
const providerFunction = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287')?.node.defaultChild;
if (providerFunction instanceof CfnResource) {
  providerFunction.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
}

// The prefix keeps the policy names apart from any policies the organization already has.
const organisation = new PlatformOrganisation(stack, 'Organisation', {
  rootId: roots.getResponseField('Roots.0.Id'),
  organizationalUnitNames: {
    security: 'IntegSecurity',
    infrastructure: 'IntegInfrastructure',
    workloads: 'IntegWorkloads',
  },
  policyNamePrefix: 'integ-',
  regionRestriction: { exemptRoleArnPatterns: ['arn:aws:iam::*:role/IntegBreakGlass'] },
  securityServicesProtection: { securityAdminRoleArnPatterns: ['arn:aws:iam::*:role/IntegSecurityAdministrator'] },
  backupPolicy: { backupVaultName: 'integ-backups', backupRoleName: 'service-role/AWSBackupDefaultServiceRole' },
});
const [regionRestriction] = organisation.policies;
const backupPolicy = organisation.policies[organisation.policies.length - 1];

const test = new IntegTest(app, 'PlatformOrganisationTest', { testCases: [stack], regions: ['eu-west-2'] });

// The region restriction exists as a service control policy with the prefixed name.
test.assertions
  .awsApiCall('Organizations', 'describePolicy', { PolicyId: regionRestriction.attrId })
  .expect(ExpectedResult.objectLike({
    Policy: { PolicySummary: { Name: 'integ-DenyRegionsOutsideUk', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: false } },
  }));

// The encryption policy is attached to the Security OU, next to FullAWSAccess.
test.assertions
  .awsApiCall('Organizations', 'listPoliciesForTarget', {
    TargetId: organisation.organizationalUnitId(PlatformOrganizationalUnit.SECURITY),
    Filter: 'SERVICE_CONTROL_POLICY',
  })
  .expect(ExpectedResult.objectLike({
    Policies: Match.arrayWith([
      Match.objectLike({ Name: 'integ-RequireEncryption', Type: 'SERVICE_CONTROL_POLICY' }),
    ]),
  }));

// The backup policy exists as a backup policy.
test.assertions
  .awsApiCall('Organizations', 'describePolicy', { PolicyId: backupPolicy.attrId })
  .expect(ExpectedResult.objectLike({ Policy: { PolicySummary: { Name: 'integ-DailyBackups', Type: 'BACKUP_POLICY' } } }));

// Production and NonProduction sit under the Workloads OU.
test.assertions
  .awsApiCall('Organizations', 'listOrganizationalUnitsForParent', {
    ParentId: organisation.organizationalUnitId(PlatformOrganizationalUnit.WORKLOADS),
  })
  .expect(ExpectedResult.objectLike({
    OrganizationalUnits: Match.arrayWith([
      Match.objectLike({ Name: 'NonProduction' }),
      Match.objectLike({ Name: 'Production' }),
    ]),
  }));
