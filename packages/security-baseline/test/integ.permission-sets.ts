import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { PermissionSetDuty, PermissionSets } from '../src/permission-sets';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'PermissionSetsInteg');

// NOTE: CloudFormation cannot create the IAM Identity Center instance of an organisation,
// so the snapshot uses a placeholder ARN. Deploy with the real one, in the management or
// delegated administrator account: -c identityCenterInstanceArn=arn:aws:sso:::instance/ssoins-...
// The sets have no assignments, so deploying them gives no group access.
const instanceArn: string = app.node.tryGetContext('identityCenterInstanceArn') ?? 'arn:aws:sso:::instance/ssoins-0000000000000000';

const sets = new PermissionSets(stack, 'PermissionSets', {
  instanceArn,
  permissionSets: [
    { name: 'IntegSecurityAuditors', duty: PermissionSetDuty.SECURITY_AUDITOR },
    { name: 'IntegVendor', duty: PermissionSetDuty.APPLICATION_VENDOR, vendorAccess: { tagKey: 'vendor', tagValue: 'integ' } },
  ],
});

const test = new IntegTest(app, 'PermissionSetsTest', { testCases: [stack], regions: ['eu-west-2'] });

// The auditor set exists with one-hour sessions.
test.assertions
  .awsApiCall('SSOAdmin', 'describePermissionSet', {
    InstanceArn: instanceArn,
    PermissionSetArn: sets.permissionSetArn('IntegSecurityAuditors'),
  })
  .expect(ExpectedResult.objectLike({ PermissionSet: { Name: 'IntegSecurityAuditors', SessionDuration: 'PT1H' } }));

// The vendor set exists with its inline policy.
test.assertions
  .awsApiCall('SSOAdmin', 'describePermissionSet', {
    InstanceArn: instanceArn,
    PermissionSetArn: sets.permissionSetArn('IntegVendor'),
  })
  .expect(ExpectedResult.objectLike({ PermissionSet: { Name: 'IntegVendor', SessionDuration: 'PT1H' } }));
