import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ChangeDetection, SecurityChange } from '../src/change-detection';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'ChangeDetectionInteg');

// EventBridge receives CloudTrail events only while a trail logs the account's management
// events; the rules deploy without one, but then never match. DESTROY removes the key and topic.
const detection = new ChangeDetection(stack, 'ChangeDetection', { removalPolicy: RemovalPolicy.DESTROY });

const test = new IntegTest(app, 'ChangeDetectionTest', { testCases: [stack], regions: ['eu-west-2'] });

// The remediation of open security groups is on and starts the AWS-owned runbook.
test.assertions
  .awsApiCall('EventBridge', 'describeRule', { Name: detection.remediationRule(SecurityChange.OPEN_SECURITY_GROUP)!.ruleName })
  .expect(ExpectedResult.objectLike({ State: 'ENABLED' }));

// A rule changed with ModifySecurityGroupRules to allow every address is reported too.
test.assertions
  .awsApiCall('EventBridge', 'describeRule', { Name: detection.alertRules(SecurityChange.OPEN_SECURITY_GROUP)[1].ruleName })
  .expect(ExpectedResult.objectLike({ State: 'ENABLED' }));

// The drift detection runbook runs every day at 06:00 UTC.
test.assertions
  .awsApiCall('EventBridge', 'describeRule', { Name: detection.driftDetectionRule!.ruleName })
  .expect(ExpectedResult.objectLike({ State: 'ENABLED', ScheduleExpression: 'cron(0 6 * * ? *)' }));

// The drift detection runbook is an active Automation document.
test.assertions
  .awsApiCall('SSM', 'describeDocument', { Name: detection.driftDetectionDocumentName })
  .expect(ExpectedResult.objectLike({ Document: { DocumentType: 'Automation', Status: 'Active', SchemaVersion: '0.3' } }));
