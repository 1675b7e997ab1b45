import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { IamAccountBaseline } from '../src/iam-account-baseline';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'IamAccountBaselineInteg');

// The test account needs an AWS Config configuration recorder in eu-west-2, or the rules
// fail to create. Deleting the stack leaves the password policy and removes the rules.
const baseline = new IamAccountBaseline(stack, 'Iam');

const test = new IntegTest(app, 'IamAccountBaselineTest', { testCases: [stack], regions: ['eu-west-2'] });

// The account password policy is the baseline's.
test.assertions
  .awsApiCall('IAM', 'getAccountPasswordPolicy', {})
  .expect(ExpectedResult.objectLike({
    PasswordPolicy: {
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
    },
  }));

// The access key rotation rule is active.
test.assertions
  .awsApiCall('ConfigService', 'describeConfigRules', { ConfigRuleNames: [baseline.configRuleNames[0]] })
  .expect(ExpectedResult.objectLike({
    ConfigRules: [{ Source: { Owner: 'AWS', SourceIdentifier: 'ACCESS_KEYS_ROTATED' }, ConfigRuleState: 'ACTIVE' }],
  }));
