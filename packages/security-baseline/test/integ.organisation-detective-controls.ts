import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { DetectiveControls, OrganisationDetectiveControls, OrganisationMemberAccount } from '../src';
import { ignoreRedundantStateMachineDependsOn } from './support/integ-wait';
import { denyGrantsExceptForAwsResources } from '../src/private/key-policy';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
//
// NOTE: a real run needs the Security account of a dedicated test organisation, with none of
// the services on, and its designation as delegated administrator of GuardDuty, Security Hub,
// Inspector, Macie, IAM Access Analyzer and AWS Config between the two stacks, which
// integ-runner cannot do. Deploy the account-level stack, designate the account from the
// management account, then run the test. It has run only as a snapshot. The root ID is
// given as context: `-c organizationRootId=r-...`.
const organizationRootId: string = app.node.tryGetContext('organizationRootId') ?? 'r-a1b2';
// The member accounts of the test organisation, created before the organisation stack is
// deployed, so that Inspector and Macie are turned on in them. Give the real ones as context:
// `-c existingMemberAccounts='[{"accountId":"...","email":"..."}]'`.
const memberContext: unknown = app.node.tryGetContext('existingMemberAccounts');
const existingMemberAccounts: OrganisationMemberAccount[] = typeof memberContext === 'string'
  ? JSON.parse(memberContext)
  : (memberContext as OrganisationMemberAccount[] | undefined) ?? [
    { accountId: '444455556666', email: 'aws-integ-workloads@example.gov.uk' },
    { accountId: '777788889999', email: 'aws-integ-shared@example.gov.uk' },
  ];

const accountStack = new Stack(app, 'DetectiveControlsAccountInteg');
// The delivery key limits grants as the keys of LogArchive do. DESTROY turns the services
// off again when the stacks are deleted; empty the delivery bucket by hand first.
const key = denyGrantsExceptForAwsResources(new kms.Key(accountStack, 'DeliveryKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY }));
const bucket = new s3.Bucket(accountStack, 'DeliveryBucket', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
});
const controls = new DetectiveControls(accountStack, 'Detective', {
  organizationWide: false,
  config: { deliveryBucket: bucket },
  removalPolicy: RemovalPolicy.DESTROY,
});

// The organisation-level stack refers to the detector and waits for the hub, the Macie
// session, Inspector and the recorder of the account-level stack.
const organisationStack = new Stack(app, 'OrganisationDetectiveControlsInteg');
new OrganisationDetectiveControls(organisationStack, 'Organisation', { detectiveControls: controls, organizationRootId, existingMemberAccounts });

const test = new IntegTest(app, 'OrganisationDetectiveControlsTest', {
  testCases: [accountStack, organisationStack],
  regions: ['eu-west-2'],
});

// GuardDuty turns itself on for every member account.
test.assertions
  .awsApiCall('GuardDuty', 'describeOrganizationConfiguration', { DetectorId: controls.guardDutyDetectorId })
  .expect(ExpectedResult.objectLike({ AutoEnableOrganizationMembers: 'ALL' }));

// Security Hub is configured centrally.
test.assertions
  .awsApiCall('SecurityHub', 'describeOrganizationConfiguration', {})
  .expect(ExpectedResult.objectLike({ OrganizationConfiguration: { ConfigurationType: 'CENTRAL' } }));

// Macie turns itself on for accounts that join the organisation.
test.assertions
  .awsApiCall('Macie2', 'describeOrganizationConfiguration', {})
  .expect(ExpectedResult.objectLike({ autoEnable: true }));

// Inspector scans the first existing member account. Activation takes a while, so the
// assertion polls.
const memberStatus = test.assertions
  .awsApiCall('Inspector2', 'batchGetAccountStatus', { accountIds: [existingMemberAccounts[0].accountId] })
  .expect(ExpectedResult.objectLike({ accounts: [{ state: { status: 'ENABLED' } }] }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });
ignoreRedundantStateMachineDependsOn(memberStatus);

// Macie has the first existing member account as a member.
test.assertions
  .awsApiCall('Macie2', 'getMember', { id: existingMemberAccounts[0].accountId })
  .expect(ExpectedResult.objectLike({ relationshipStatus: 'Enabled' }));
