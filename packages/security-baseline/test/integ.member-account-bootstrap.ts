import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { MemberAccountBootstrap } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region. So the
// regions are given.
//
// NOTE: a real run needs the management account of a dedicated test organization with all
// features enabled, in eu-west-2, and the ID of an organizational unit that contains at
// least one member account, given as context: `-c organizationalUnitId=ou-a1b2-c3d4e5f6`.
// Without it, the StackSet targets a placeholder OU that matches the construct's checks, so
// that the snapshot synthesises, but exists in no organization: a deployment bootstraps no
// account and the assertions below fail. The root of the organization is refused, because
// the StackSet would bootstrap every member account with roles that trust the test account.
// The bootstrap stacks, their buckets, key and repository are retained: remove them from
// the member accounts after the test.
const PLACEHOLDER_OU_ID = 'ou-test-placeholder';
const organizationalUnitId: unknown = app.node.tryGetContext('organizationalUnitId') ?? PLACEHOLDER_OU_ID;
if (typeof organizationalUnitId !== 'string' || !organizationalUnitId.startsWith('ou-')) {
  throw new Error(`The context organizationalUnitId is ${JSON.stringify(organizationalUnitId)}. Give the ID of one organizational `
    + 'unit of a dedicated test organization, such as -c organizationalUnitId=ou-a1b2-c3d4e5f6. A root ID is refused, because '
    + 'the StackSet would bootstrap every member account of the organization.');
}
const stack = new Stack(app, 'MemberAccountBootstrapInteg');

const bootstrap = new MemberAccountBootstrap(stack, 'Bootstrap', {
  organizationalUnitIds: [organizationalUnitId],
  qualifier: 'integ1',
  regions: ['eu-west-2'],
  stackSetName: 'CdkBootstrapInteg',
});

const test = new IntegTest(app, 'MemberAccountBootstrapTest', { testCases: [stack], regions: ['eu-west-2'] });

// The StackSet exists, is service-managed and deploys automatically to new accounts.
test.assertions
  .awsApiCall('CloudFormation', 'describeStackSet', { StackSetName: bootstrap.stackSetName })
  .expect(ExpectedResult.objectLike({
    StackSet: Match.objectLike({
      Status: 'ACTIVE',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
    }),
  }));

// Trusted access for StackSets is active in AWS Organizations.
test.assertions
  .awsApiCall('Organizations', 'listAWSServiceAccessForOrganization', {})
  .expect(ExpectedResult.objectLike({
    EnabledServicePrincipals: Match.arrayWith([Match.objectLike({ ServicePrincipal: 'member.org.stacksets.cloudformation.amazonaws.com' })]),
  }));

// At least one stack instance is current and its last operation succeeded, so the OU held
// an account and the bootstrap deployed there.
test.assertions
  .awsApiCall('CloudFormation', 'listStackInstances', { StackSetName: bootstrap.stackSetName })
  .expect(ExpectedResult.objectLike({
    Summaries: Match.arrayWith([Match.objectLike({ Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } })]),
  }));

// No stack instance's last operation failed. The API filters on one detailed status per
// call, and has no filter for outdated instances, so this checks failures only.
test.assertions
  .awsApiCall('CloudFormation', 'listStackInstances', {
    StackSetName: bootstrap.stackSetName,
    Filters: [{ Name: 'DETAILED_STATUS', Values: 'FAILED' }],
  })
  .expect(ExpectedResult.objectLike({ Summaries: [] }));
