import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack, custom_resources as cr } from 'aws-cdk-lib';
import { MemberAccountBootstrap } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region. So the
// regions are given.
//
// NOTE: a real run needs the management account of a dedicated test organization with all
// features enabled, in eu-west-2. Give the ID of an organizational unit that contains at least
// one member account as context: `-c organizationalUnitId=ou-a1b2-c3d4e5f6`. Without it,
// the StackSet targets the root and bootstraps every member account of the organization, so
// never point it at a shared organization. The bootstrap stacks, their buckets, key and
// repository are retained: remove them from the member accounts after the test.
const organizationalUnitId: string | undefined = app.node.tryGetContext('organizationalUnitId');
const stack = new Stack(app, 'MemberAccountBootstrapInteg');

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

const bootstrap = new MemberAccountBootstrap(stack, 'Bootstrap', {
  organizationalUnitIds: [organizationalUnitId ?? roots.getResponseField('Roots.0.Id')],
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

// Every stack instance deployed: none is outdated, failed or still running.
test.assertions
  .awsApiCall('CloudFormation', 'listStackInstances', {
    StackSetName: bootstrap.stackSetName,
    Filters: [{ Name: 'DETAILED_STATUS', Values: 'FAILED' }],
  })
  .expect(ExpectedResult.objectLike({ Summaries: [] }));
