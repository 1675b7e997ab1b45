import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack, custom_resources as cr } from 'aws-cdk-lib';
import { DelegatedAdministration, DelegatedService } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
//
// NOTE: a real run needs the management account of a dedicated test organization with all
// features enabled, in eu-west-2, and the ID of a member account of that organization as
// context: `-c securityAccountId=222233334444`. The stack changes organization-wide settings
// (policy types, trusted access, delegated administrators), so never point it at a shared
// organization. Designating GuardDuty, Security Hub and Macie turns them on in the member
// account; turn them off there after the test.
const securityAccountId: string = app.node.tryGetContext('securityAccountId') ?? '222233334444';
const stack = new Stack(app, 'DelegatedAdministrationInteg');

// The root ID differs in every organization, so it is read from the organization at deployment.
const roots = new cr.AwsCustomResource(stack, 'RootLookup', {
  onUpdate: {
    service: 'Organizations',
    action: 'listRoots',
    physicalResourceId: cr.PhysicalResourceId.of('organization-root'),
    outputPaths: ['Roots.0.Id'],
  },
  policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
  installLatestAwsSdk: false,
});

// DESTROY deregisters the delegated administrators when the test stack is deleted. Policy
// types and trusted access stay enabled.
new DelegatedAdministration(stack, 'Delegated', {
  securityAccountId,
  rootId: roots.getResponseField('Roots.0.Id'),
  services: Object.values(DelegatedService),
  removalPolicy: RemovalPolicy.DESTROY,
});

const test = new IntegTest(app, 'DelegatedAdministrationTest', { testCases: [stack], regions: ['eu-west-2'] });

// AWS Organizations lists the Security account as delegated administrator of AWS Config.
test.assertions
  .awsApiCall('Organizations', 'listDelegatedAdministrators', { ServicePrincipal: 'config-multiaccountsetup.amazonaws.com' })
  .expect(ExpectedResult.objectLike({
    DelegatedAdministrators: Match.arrayWith([Match.objectLike({ Id: securityAccountId })]),
  }));

// GuardDuty lists the Security account as its enabled administrator in this region.
test.assertions
  .awsApiCall('GuardDuty', 'listOrganizationAdminAccounts', {})
  .expect(ExpectedResult.objectLike({
    AdminAccounts: Match.arrayWith([Match.objectLike({ AdminAccountId: securityAccountId, AdminStatus: 'ENABLED' })]),
  }));

// Trusted access is enabled for IAM Access Analyzer. Match.arrayWith keeps the order of its
// elements, and AWS documents no order for these lists, so each assertion looks for one entry.
test.assertions
  .awsApiCall('Organizations', 'listAWSServiceAccessForOrganization', {})
  .expect(ExpectedResult.objectLike({
    EnabledServicePrincipals: Match.arrayWith([Match.objectLike({ ServicePrincipal: 'access-analyzer.amazonaws.com' })]),
  }));

// The tag policy type is enabled on the root.
test.assertions
  .awsApiCall('Organizations', 'listRoots', {})
  .expect(ExpectedResult.objectLike({
    Roots: [Match.objectLike({ PolicyTypes: Match.arrayWith([Match.objectLike({ Type: 'TAG_POLICY', Status: 'ENABLED' })]) })],
  }));
