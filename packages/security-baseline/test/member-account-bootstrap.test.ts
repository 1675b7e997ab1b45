import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  App,
  Aspects,
  DefaultStackSynthesizer,
  Stack,
  Token,
  aws_ecr_assets as ecrAssets,
  aws_s3_assets as s3Assets,
  cx_api as cxapi,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import {
  MemberAccountBootstrap,
  MemberAccountBootstrapProps,
  PlatformOrganisation,
  PlatformOrganizationalUnit,
} from '../src';
import { ACCESS_LOG_RETENTION_DAYS, NONCURRENT_VERSION_DAYS, UNTAGGED_IMAGE_DAYS } from '../src/private/bootstrap-template';

const MANAGEMENT_ACCOUNT = '111122223333';
/** The maximum number of trusted accounts whose trust policy fits IAM's default 2,048 characters in the aws partition. */
const MAX_TRUSTED_ACCOUNTS = 56;
const OU_ID = 'ou-a1b2-c3d4e5f6';
const BASE_PROPS: MemberAccountBootstrapProps = { organizationalUnitIds: [OU_ID] };

function newStack(app = new App()): Stack {
  return new Stack(app, 'Management', { env: { account: MANAGEMENT_ACCOUNT, region: 'eu-west-2' } });
}

function synth(props: Partial<MemberAccountBootstrapProps> = {}, stack: Stack = newStack()): Template {
  new MemberAccountBootstrap(stack, 'Bootstrap', { ...BASE_PROPS, ...props });
  return Template.fromStack(stack);
}

/** Returns the properties of the only StackSet. */
function stackSetOf(template: Template): Record<string, any> {
  const stackSets = Object.values(template.findResources('AWS::CloudFormation::StackSet'));
  expect(stackSets).toHaveLength(1);
  return stackSets[0].Properties;
}

/** Parses the template that the StackSet deploys into the member accounts. */
function innerOf(template: Template): Record<string, any> {
  return JSON.parse(stackSetOf(template).TemplateBody);
}

/** Returns the only resource of a type in the inner template, with its logical ID. */
function innerResource(inner: Record<string, any>, type: string): Record<string, any> {
  const found = Object.values(inner.Resources as Record<string, any>).filter((resource) => resource.Type === type);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Returns a role of the inner template by its `aws-cdk:bootstrap-role` tag. */
function roleTagged(inner: Record<string, any>, tag: string): Record<string, any> {
  const found = Object.values(inner.Resources as Record<string, any>).filter((resource) => resource.Type === 'AWS::IAM::Role'
    && resource.Properties.Tags.some((t: { Key: string; Value: string }) => t.Key === 'aws-cdk:bootstrap-role' && t.Value === tag));
  expect(found).toHaveLength(1);
  return found[0];
}

function statementsOf(role: Record<string, any>): Array<Record<string, any>> {
  return role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
}

describe('MemberAccountBootstrap StackSet', () => {
  test('is service-managed and deploys to accounts that join the OUs', () => {
    const stackSet = stackSetOf(synth());

    expect(stackSet).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ManagedExecution: { Active: true },
      CallAs: 'SELF',
    });
  });

  test('stops at the first failed stack instance', () => {
    expect(stackSetOf(synth()).OperationPreferences).toEqual({
      FailureToleranceCount: 0,
      MaxConcurrentCount: 1,
      RegionConcurrencyType: 'SEQUENTIAL',
    });
  });

  test('targets the OUs in the stack region by default', () => {
    expect(stackSetOf(synth()).StackInstancesGroup).toEqual([{
      DeploymentTargets: { OrganizationalUnitIds: [OU_ID] },
      Regions: ['eu-west-2'],
    }]);
  });

  test('trusts the management account with AdministratorAccess for CloudFormation by default', () => {
    expect(stackSetOf(synth()).Parameters).toEqual([
      { ParameterKey: 'TrustedAccounts', ParameterValue: MANAGEMENT_ACCOUNT },
      {
        ParameterKey: 'CloudFormationExecutionPolicies',
        ParameterValue: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] },
      },
    ]);
  });

  test('an environment-agnostic stack trusts its own account', () => {
    const stack = new Stack(new App(), 'Management');
    const template = synth({ regions: ['eu-west-2'] }, stack);

    expect(stackSetOf(template).Parameters[0]).toEqual({ ParameterKey: 'TrustedAccounts', ParameterValue: { Ref: 'AWS::AccountId' } });
  });

  test('is named after the qualifier by default', () => {
    expect(stackSetOf(synth()).StackSetName).toBe('CdkBootstrap-hnb659fds');
  });

  test('takes the given accounts, policies, regions, name and qualifier', () => {
    const stackSet = stackSetOf(synth({
      trustedAccountIds: ['222233334444', '333344445555'],
      executionPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess', 'arn:aws:iam::aws:policy/IAMFullAccess'],
      regions: ['eu-west-2', 'eu-west-1'],
      stackSetName: 'PlatformBootstrap',
      qualifier: 'platform1',
    }));

    expect(stackSet.Parameters).toEqual([
      { ParameterKey: 'TrustedAccounts', ParameterValue: '222233334444,333344445555' },
      { ParameterKey: 'CloudFormationExecutionPolicies', ParameterValue: 'arn:aws:iam::aws:policy/PowerUserAccess,arn:aws:iam::aws:policy/IAMFullAccess' },
    ]);
    expect(stackSet.StackInstancesGroup[0].Regions).toEqual(['eu-west-2', 'eu-west-1']);
    expect(stackSet.StackSetName).toBe('PlatformBootstrap');
    expect(JSON.parse(stackSet.TemplateBody).Resources.CdkBootstrapVersion.Properties.Name).toBe('/cdk-bootstrap/platform1/version');
  });

  test('resolves OU IDs and account IDs given as tokens in the outer template', () => {
    const stack = newStack();
    const organisation = new PlatformOrganisation(stack, 'Organisation', {
      rootId: 'r-a1b2',
      accounts: [{ accountName: 'Security', email: 'aws-security@example.gov.uk', organizationalUnit: PlatformOrganizationalUnit.SECURITY }],
      securityServicesProtection: { securityAdminRoleArnPatterns: ['arn:aws:iam::*:role/SecurityAdministrator'] },
      backupPolicy: { backupVaultName: 'platform-backups', backupRoleName: 'service-role/AWSBackupDefaultServiceRole' },
    });
    const template = synth({
      organizationalUnitIds: [organisation.organizationalUnitId(PlatformOrganizationalUnit.SECURITY)],
      trustedAccountIds: [organisation.accountId('Security')],
    }, stack);

    const stackSet = stackSetOf(template);
    expect(stackSet.StackInstancesGroup[0].DeploymentTargets.OrganizationalUnitIds).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^OrganisationSecurityOu/), 'Id'] },
    ]);
    expect(stackSet.Parameters[0].ParameterValue).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrganisationAccountSecurity/), 'AccountId'] });
    expect(stackSet.TemplateBody).not.toMatch(/\$\{Token\[/);
  });

  test('exposes the name, ID, qualifier and bootstrap version', () => {
    const stack = newStack();
    const bootstrap = new MemberAccountBootstrap(stack, 'Bootstrap', { ...BASE_PROPS, qualifier: 'platform1' });

    expect(bootstrap.stackSetName).toBe('CdkBootstrap-platform1');
    expect(stack.resolve(bootstrap.stackSetId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Bootstrap/), 'StackSetId'] });
    expect(bootstrap.qualifier).toBe('platform1');
    expect(bootstrap.bootstrapVersion).toBe(30);
  });

  test('the default template body leaves a fifth of CloudFormation\'s limit free', () => {
    // CloudFormation rejects a TemplateBody over 51,200 bytes. The margin leaves room for
    // the next version of the CDK CLI's template without a redesign.
    expect(Buffer.byteLength(stackSetOf(synth()).TemplateBody, 'utf8')).toBeLessThan(0.8 * 51_200);
  });

  test('the largest template body, with every parameter, stays under CloudFormation\'s limit', () => {
    const template = synth({
      executionPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      executionPolicyNames: Array.from({ length: 9 }, (_, index) => `policy-${index}`),
      trustedPrincipalArnPatterns: [`arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/cdk-deployer`],
    });

    expect(Buffer.byteLength(stackSetOf(template).TemplateBody, 'utf8')).toBeLessThan(51_200);
  });
});

describe('MemberAccountBootstrap trusted access', () => {
  test('activates trusted access for StackSets before the StackSet', () => {
    const template = synth();
    const [[id, access]] = Object.entries(template.findResources('Custom::CloudFormationOrganizationsAccess'));
    const stackSets = Object.values(template.findResources('AWS::CloudFormation::StackSet'));

    expect(JSON.parse(access.Properties.Create)).toEqual({
      service: 'CloudFormation',
      action: 'activateOrganizationsAccess',
      physicalResourceId: { id: 'cloudformation-stacksets-organizations-access' },
    });
    expect(access.Properties.Delete).toBeUndefined();
    expect(stackSets[0].DependsOn).toContain(id);
  });

  test('the custom resource may only activate StackSets trusted access', () => {
    const policies = Object.values(synth().findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp('^BootstrapOrganizationsAccess') },
    }));

    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'cloudformation:ActivateOrganizationsAccess', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'organizations:EnableAWSServiceAccess',
        Resource: '*',
        Condition: { StringEquals: { 'organizations:ServicePrincipal': 'member.org.stacksets.cloudformation.amazonaws.com' } },
      },
      {
        Effect: 'Allow',
        Action: ['organizations:DescribeOrganization', 'organizations:ListAWSServiceAccessForOrganization'],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' },
            `:iam::${MANAGEMENT_ACCOUNT}:role/aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin`]],
        },
        Condition: { StringEquals: { 'iam:AWSServiceName': 'stacksets.cloudformation.amazonaws.com' } },
      },
    ]);
  });

  test('activateOrganizationsAccess false leaves trusted access alone', () => {
    const template = synth({ activateOrganizationsAccess: false });

    template.resourceCountIs('Custom::CloudFormationOrganizationsAccess', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0].DependsOn).toBeUndefined();
  });
});

describe('MemberAccountBootstrap inner template', () => {
  const inner = innerOf(synth());
  const resources = inner.Resources as Record<string, any>;

  test('staging bucket is encrypted with its own key, versioned, private and logged', () => {
    const bucket = resources.StagingBucket;

    expect(bucket.Properties).toEqual({
      BucketName: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['StagingKey', 'Arn'] } },
          BucketKeyEnabled: true,
        }],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS } },
          { Id: 'AbortIncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: 'AccessLogBucket' }, LogFilePrefix: 'staging-bucket/' },
    });
    expect(NONCURRENT_VERSION_DAYS).toBe(30);
  });

  test('buckets and key are retained on deletion and replacement', () => {
    for (const id of ['StagingBucket', 'AccessLogBucket', 'StagingKey', 'ContainerAssetsRepository']) {
      expect([id, resources[id].DeletionPolicy, resources[id].UpdateReplacePolicy]).toEqual([id, 'Retain', 'Retain']);
    }
  });

  test.each(['StagingBucketPolicy', 'AccessLogBucketPolicy'])('%s denies requests without TLS 1.2', (policyId) => {
    const statements = resources[policyId].Properties.PolicyDocument.Statement;

    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }),
    ]));
  });

  test('access log bucket uses SSE-S3, blocks public access and expires logs', () => {
    const bucket = resources.AccessLogBucket.Properties;

    expect(bucket.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.LifecycleConfiguration.Rules[0]).toMatchObject({ Status: 'Enabled', ExpirationInDays: ACCESS_LOG_RETENTION_DAYS });
  });

  test('access log bucket keeps overwritten logs as long as current ones', () => {
    expect(resources.AccessLogBucket.Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration)
      .toEqual({ NoncurrentDays: ACCESS_LOG_RETENTION_DAYS });
    expect(ACCESS_LOG_RETENTION_DAYS).toBe(365);
  });

  test('access log bucket denies the deletion of logs to every principal', () => {
    const statements: Array<Record<string, any>> = resources.AccessLogBucketPolicy.Properties.PolicyDocument.Statement;

    expect(statements.find((statement) => statement.Sid === 'DenyLogDeletion')).toEqual({
      Sid: 'DenyLogDeletion',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: { 'Fn::Sub': '${AccessLogBucket.Arn}/*' },
    });
  });

  test('staging bucket lets only the file publishing role write, restore or delete objects', () => {
    const statements: Array<Record<string, any>> = resources.StagingBucketPolicy.Properties.PolicyDocument.Statement;

    expect(statements.find((statement) => statement.Sid === 'OnlyFilePublishingWritesObjects')).toEqual({
      Sid: 'OnlyFilePublishingWritesObjects',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:PutObject*', 's3:DeleteObject*', 's3:Abort*', 's3:RestoreObject', 's3:Replicate*'],
      Resource: { 'Fn::Sub': '${StagingBucket.Arn}/*' },
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': {
            'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-file-publishing-role-${AWS::AccountId}-${AWS::Region}',
          },
        },
      },
    });
  });

  test.each([
    ['StagingBucketPolicy', 'StagingBucket'],
    ['AccessLogBucketPolicy', 'AccessLogBucket'],
  ])('%s lets only the StackSets execution role change the bucket', (policyId, bucketId) => {
    const statements: Array<Record<string, any>> = resources[policyId].Properties.PolicyDocument.Statement;
    const deny = statements.find((statement) => statement.Sid === 'OnlyStackSetsChangesBucket')!;

    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
      Condition: { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/stacksets-exec-*' } } },
    });
    // Without the policy actions, a principal with PowerUserAccess could remove the other denies.
    // The wildcards cover every PutBucket and DeleteBucket action; the other settings are listed.
    expect(deny.Action).toEqual([
      's3:PutBucket*', 's3:DeleteBucket*', 's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration',
      's3:PutReplicationConfiguration', 's3:PutInventoryConfiguration', 's3:PutAnalyticsConfiguration',
      's3:PutMetricsConfiguration', 's3:PutIntelligentTieringConfiguration', 's3:PutAccelerateConfiguration',
    ]);
  });

  test('access log bucket accepts writes from services only', () => {
    const statements: Array<Record<string, any>> = resources.AccessLogBucketPolicy.Properties.PolicyDocument.Statement;

    expect(statements.find((statement) => statement.Sid === 'OnlyLogDeliveryWrites')).toEqual({
      Sid: 'OnlyLogDeliveryWrites',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject*',
      Resource: { 'Fn::Sub': '${AccessLogBucket.Arn}/*' },
      Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
    });
    // The delivery itself comes from the S3 logging service principal, which the deny leaves.
    expect(statements[0].Principal).toEqual({ Service: 'logging.s3.amazonaws.com' });
  });

  test('access log bucket accepts only staging logs', () => {
    const [delivery] = resources.AccessLogBucketPolicy.Properties.PolicyDocument.Statement;

    expect(delivery).toEqual({
      Sid: 'AllowStagingBucketAccessLogs',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Sub': '${AccessLogBucket.Arn}/staging-bucket/*' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' } },
      },
    });
    expect(resources.StagingBucket.DependsOn).toEqual(['AccessLogBucketPolicy']);
  });

  test('key rotates and its policy allows use only through S3 and ECR', () => {
    const key = resources.StagingKey.Properties;
    const statements: Array<Record<string, any>> = key.KeyPolicy.Statement;
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid)!;

    expect(key.EnableKeyRotation).toBe(true);
    expect(bySid('KeyAdministration').Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
    expect(bySid('KeyAdministration').Action).not.toContain('kms:CreateGrant');
    for (const sid of ['FilePublishingThroughS3', 'AccountPrincipalsDecryptThroughS3']) {
      expect(bySid(sid).Condition).toEqual({
        StringEquals: { 'kms:ViaService': { 'Fn::Sub': 's3.${AWS::Region}.amazonaws.com' }, 'kms:CallerAccount': { Ref: 'AWS::AccountId' } },
      });
    }
    expect(bySid('RepositoryGrantsThroughEcr').Condition.StringEquals['kms:ViaService']).toEqual({ 'Fn::Sub': 'ecr.${AWS::Region}.amazonaws.com' });
    expect(bySid('DenyGrantsExceptForAwsResources')).toEqual({
      Sid: 'DenyGrantsExceptForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  test('only the file publishing role encrypts with the key', () => {
    const statements: Array<Record<string, any>> = resources.StagingKey.Properties.KeyPolicy.Statement;
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid)!;

    expect(bySid('FilePublishingThroughS3')).toMatchObject({
      Principal: { AWS: { 'Fn::GetAtt': ['FilePublishingRole', 'Arn'] } },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
    });
    expect(bySid('DeployRoleDecryptsThroughS3')).toBeUndefined();
    const encrypting = statements.filter((statement) => statement.Effect === 'Allow'
      && [statement.Action].flat().some((action: string) => /^kms:(Encrypt|GenerateDataKey|ReEncrypt)/.test(action)));
    expect(encrypting.map((statement) => statement.Sid)).toEqual(['FilePublishingThroughS3']);
  });

  test('key lets account principals decrypt through S3', () => {
    // Asset.grantRead grants S3 actions only, so a statement for the account root would leave
    // its readers, such as the BucketDeployment handler, without kms:Decrypt.
    const statements: Array<Record<string, any>> = resources.StagingKey.Properties.KeyPolicy.Statement;

    expect(statements.find((statement) => statement.Sid === 'AccountPrincipalsDecryptThroughS3')).toEqual({
      Sid: 'AccountPrincipalsDecryptThroughS3',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': { 'Fn::Sub': 's3.${AWS::Region}.amazonaws.com' }, 'kms:CallerAccount': { Ref: 'AWS::AccountId' } },
      },
    });
  });

  test('key changes are denied except to StackSets', () => {
    const statements: Array<Record<string, any>> = resources.StagingKey.Properties.KeyPolicy.Statement;

    expect(statements.find((statement) => statement.Sid === 'OnlyStackSetsChangesKey')).toEqual({
      Sid: 'OnlyStackSetsChangesKey',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation'],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/stacksets-exec-*' } } },
    });
  });

  test('key policy passes the lockout check for StackSets', () => {
    // KMS rejects a key policy that the caller, the StackSets execution role, could not change
    // again. The account root statement delegates PutKeyPolicy to IAM, and the only deny of it
    // exempts the StackSets execution roles.
    const statements: Array<Record<string, any>> = resources.StagingKey.Properties.KeyPolicy.Statement;
    const denies = statements.filter((statement) => statement.Effect === 'Deny' && [statement.Action].flat().includes('kms:PutKeyPolicy'));

    expect(denies.map((statement) => statement.Condition)).toEqual([
      { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/stacksets-exec-*' } } },
    ]);
    expect(statements.find((statement) => statement.Sid === 'KeyAdministration')).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
      Action: expect.arrayContaining(['kms:PutKeyPolicy']),
    });
  });

  test('container repository restricts pushes and policy changes', () => {
    const statements: Array<Record<string, any>> = resources.ContainerAssetsRepository.Properties.RepositoryPolicyText.Statement;
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid)!;

    expect(bySid('OnlyImagePublishingPushes')).toEqual({
      Sid: 'OnlyImagePublishingPushes',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [
        'ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchDeleteImage',
        'ecr:ReplicateImage', 'ecr:BatchImportUpstreamImage',
      ],
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': {
            'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-image-publishing-role-${AWS::AccountId}-${AWS::Region}',
          },
        },
      },
    });
    expect(bySid('OnlyStackSetsChangesRepository')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/stacksets-exec-*' } } },
    });
    expect(bySid('OnlyStackSetsChangesRepository').Action)
      .toEqual(expect.arrayContaining(['ecr:SetRepositoryPolicy', 'ecr:DeleteRepositoryPolicy', 'ecr:DeleteRepository']));
  });

  test('container repository scans on push, keeps tags immutable and uses the key', () => {
    const repository = resources.ContainerAssetsRepository.Properties;

    expect(repository).toMatchObject({
      RepositoryName: { 'Fn::Sub': 'cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}' },
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': ['StagingKey', 'Arn'] } },
    });
    expect(JSON.parse(repository.LifecyclePolicy.LifecyclePolicyText).rules).toEqual([expect.objectContaining({
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: UNTAGGED_IMAGE_DAYS },
      action: { type: 'expire' },
    })]);
  });

  test.each(['deploy', 'file-publishing', 'image-publishing', 'lookup'])('%s role trusts only the trusted accounts, without external IDs', (tag) => {
    const trust = roleTagged(inner, tag).Properties.AssumeRolePolicyDocument;

    expect(trust.Statement).toEqual([{
      Sid: 'TrustedAccounts',
      Effect: 'Allow',
      Principal: { AWS: { Ref: 'TrustedAccounts' } },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { Null: { 'sts:ExternalId': 'true' } },
    }]);
    // The member account itself must not be trusted: its power users could deploy with the execution role.
    expect(JSON.stringify(trust)).not.toContain(':root');
  });

  test('execution role is denied changes to the bootstrap', () => {
    const statements = statementsOf(roleTagged(inner, 'cfn-exec'));
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid)!;

    expect(statements.every((statement) => statement.Effect === 'Deny')).toBe(true);
    expect(bySid('DenyBootstrapRoleChanges').Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-*' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/stacksets-exec-*' },
    ]);
    expect(bySid('DenyBootstrapRoleChanges').Action).toEqual(expect.arrayContaining([
      'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary',
    ]));
    expect(bySid('DenyStagingKeyChanges')).toMatchObject({
      Action: expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey']),
      Resource: { 'Fn::GetAtt': ['StagingKey', 'Arn'] },
    });
    expect(bySid('DenyBucketChanges')).toMatchObject({
      Action: expect.arrayContaining(['s3:PutBucket*', 's3:DeleteBucket*', 's3:PutLifecycleConfiguration']),
      Resource: [
        { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
        { 'Fn::GetAtt': ['AccessLogBucket', 'Arn'] },
      ],
    });
    expect(bySid('DenyRepositoryChanges')).toMatchObject({
      Action: expect.arrayContaining(['ecr:SetRepositoryPolicy', 'ecr:DeleteRepository']),
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}' },
    });
    expect(bySid('DenyStackSetStacks')).toEqual(statementsOf(roleTagged(inner, 'deploy')).find((statement) => statement.Sid === 'DenyStackSetStacks'));
    expect(bySid('DenyVersionParameterChanges')).toMatchObject({
      Action: expect.arrayContaining(['ssm:PutParameter', 'ssm:DeleteParameter']),
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/cdk-bootstrap/hnb659fds/version' },
    });
  });

  test('only CloudFormation can assume the execution role, which has the given policies', () => {
    const role = roleTagged(inner, 'cfn-exec').Properties;

    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'cloudformation.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(role.ManagedPolicyArns).toEqual({ Ref: 'CloudFormationExecutionPolicies' });
  });

  test('lookup role has the context providers\' read actions only and cannot decrypt', () => {
    const role = roleTagged(inner, 'lookup');
    const statements = statementsOf(role);
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid)!;
    const allowed = statements.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => [statement.Action].flat());

    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(allowed).toEqual(expect.arrayContaining([
      'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeRouteTables', 'ec2:DescribeVpnGateways',
      'ec2:DescribeSecurityGroups', 'ec2:DescribeImages', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeVpcEndpointServices',
      'ssm:GetParameter', 'route53:ListHostedZonesByName', 'route53:GetHostedZone',
      'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeTags',
      'kms:ListAliases', 'cloudformation:GetResource', 'cloudformation:ListResources',
      'cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'cloudformation:ListStackResources',
    ]));
    // No action that reads data: no wildcard, no object, item, log or secret reads.
    expect(allowed.filter((action) => action.includes('*') || /^(s3|dynamodb|logs|secretsmanager|sqs|kinesis):/.test(action)))
      .toEqual([]);
    expect(bySid('SsmParameterLookups').Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*' });
    expect(bySid('NoDecryption')).toEqual({ Sid: 'NoDecryption', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
  });

  test('deploy role is denied every CloudFormation write action on the stacks of StackSets', () => {
    const deny = statementsOf(roleTagged(inner, 'deploy')).find((statement) => statement.Sid === 'DenyStackSetStacks');

    expect(deny).toEqual({
      Sid: 'DenyStackSetStacks',
      Effect: 'Deny',
      Action: [
        'cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:ExecuteChangeSet',
        'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack',
        'cloudformation:CancelUpdateStack', 'cloudformation:ContinueUpdateRollback', 'cloudformation:RollbackStack',
        'cloudformation:UpdateTerminationProtection', 'cloudformation:SetStackPolicy', 'cloudformation:SignalResource',
        'cloudformation:TagResource', 'cloudformation:UntagResource',
        'cloudformation:CreateStackRefactor', 'cloudformation:ExecuteStackRefactor',
      ],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/StackSet-*/*' },
    });
  });

  test('parameters accept only account IDs and AWS managed policy ARNs', () => {
    const trusted = new RegExp(inner.Parameters.TrustedAccounts.AllowedPattern);
    const policies = new RegExp(inner.Parameters.CloudFormationExecutionPolicies.AllowedPattern);

    expect(inner.Parameters.TrustedAccounts.Type).toBe('CommaDelimitedList');
    expect(['111122223333', '*', '', '11112222333', 'arn:aws:iam::111122223333:root'].map((value) => trusted.test(value)))
      .toEqual([true, false, false, false, false]);
    expect([
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaRole',
      '*',
      'arn:aws:iam::111122223333:policy/cdk',
    ].map((value) => policies.test(value))).toEqual([true, true, false, false]);
  });

  test('deploy role permissions', () => {
    const statements = statementsOf(roleTagged(inner, 'deploy'));
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid)!;

    expect(bySid('PassExecutionRole')).toEqual({
      Sid: 'PassExecutionRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}' },
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
    expect(bySid('StagingBucketRead')).toMatchObject({
      Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      Condition: { StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(bySid('ReadBootstrapVersion')).toMatchObject({
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/cdk-bootstrap/hnb659fds/version' },
    });
    expect(bySid('CloudFormationDeployment').Action).toEqual(expect.arrayContaining([
      'cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DescribeStacks',
      'cloudformation:GetTemplateSummary', 'cloudformation:RollbackStack', 'cloudformation:ContinueUpdateRollback',
    ]));
    // The key policy lets the role decrypt the staging bucket's objects; its only KMS statement is for pipeline artifacts.
    expect(statements.filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('kms:')))
      .map((statement) => statement.Sid)).toEqual(['PipelineArtifactsKey']);
  });

  test('deploy role reaches pipeline artifacts of trusted accounts', () => {
    const statements = statementsOf(roleTagged(inner, 'deploy'));
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid)!;
    const trustedOnly = {
      StringEquals: { 'aws:ResourceAccount': { Ref: 'TrustedAccounts' } },
      StringNotEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } },
    };

    expect(bySid('PipelineArtifactsBucket')).toEqual({
      Sid: 'PipelineArtifactsBucket',
      Effect: 'Allow',
      Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*', 's3:DeleteObject*', 's3:PutObject*'],
      Resource: '*',
      Condition: trustedOnly,
    });
    expect(bySid('PipelineArtifactsKey')).toEqual({
      Sid: 'PipelineArtifactsKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { ...trustedOnly.StringEquals, 'kms:ViaService': { 'Fn::Sub': 's3.${AWS::Region}.amazonaws.com' } },
        StringNotEquals: trustedOnly.StringNotEquals,
      },
    });
  });

  test('file publishing role writes only to the staging bucket in its own account', () => {
    const [statement] = statementsOf(roleTagged(inner, 'file-publishing'));

    expect(statement.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/*' },
    ]);
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  test('version parameter and output state the same version', () => {
    expect(resources.CdkBootstrapVersion.Properties).toMatchObject({
      Type: 'String',
      Name: '/cdk-bootstrap/hnb659fds/version',
      Value: '30',
    });
    expect(inner.Outputs.BootstrapVersion.Value).toBe('30');
  });
});

describe('MemberAccountBootstrap trusted principals', () => {
  const DEPLOYER = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/cdk-deployer`;
  const SSO_DEPLOYER = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_PlatformDeployer_*`;

  test('no patterns, no principal condition or parameter', () => {
    const stackSet = stackSetOf(synth());

    expect(JSON.parse(stackSet.TemplateBody).Parameters.TrustedPrincipalArnPatterns).toBeUndefined();
    expect(stackSet.Parameters.map((parameter: any) => parameter.ParameterKey)).not.toContain('TrustedPrincipalArnPatterns');
  });

  test.each(['deploy', 'file-publishing', 'image-publishing', 'lookup'])('%s role trusts only the principals that match the patterns', (tag) => {
    const stackSet = stackSetOf(synth({ trustedPrincipalArnPatterns: [DEPLOYER, SSO_DEPLOYER] }));
    const inner = JSON.parse(stackSet.TemplateBody);

    expect(stackSet.Parameters).toContainEqual({ ParameterKey: 'TrustedPrincipalArnPatterns', ParameterValue: `${DEPLOYER},${SSO_DEPLOYER}` });
    expect(roleTagged(inner, tag).Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Sid: 'TrustedAccounts',
      Effect: 'Allow',
      Principal: { AWS: { Ref: 'TrustedAccounts' } },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        Null: { 'sts:ExternalId': 'true' },
        ArnLike: { 'aws:PrincipalArn': { Ref: 'TrustedPrincipalArnPatterns' } },
      },
    }]);
  });

  test('the patterns parameter accepts only ARN patterns of roles and users', () => {
    const inner = innerOf(synth({ trustedPrincipalArnPatterns: [DEPLOYER] }));
    const pattern = new RegExp(inner.Parameters.TrustedPrincipalArnPatterns.AllowedPattern);

    expect([DEPLOYER, SSO_DEPLOYER, `arn:aws:iam::${MANAGEMENT_ACCOUNT}:user/deployer`, '*', `arn:aws:iam::${MANAGEMENT_ACCOUNT}:root`,
      'arn:aws:iam::*:role/cdk-deployer', `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/a,b`].map((value) => pattern.test(value)))
      .toEqual([true, true, true, false, false, false, false]);
  });

  test('patterns accept tokens', () => {
    expect(() => synth({ trustedPrincipalArnPatterns: [Token.asString({ Ref: 'Deployer' })] })).not.toThrow();
  });

  test('patterns must be ARN patterns of roles or users', () => {
    expect(() => synth({ trustedPrincipalArnPatterns: ['cdk-deployer'] }))
      .toThrow('trustedPrincipalArnPatterns[0] is "cdk-deployer", which is not an ARN pattern of IAM roles or users in one account. '
        + 'Give "arn:<partition>:iam::<12-digit account ID>:role/<path and name>" (or ":user/")');
    expect(() => synth({ trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/cdk-deployer'] }))
      .toThrow(/trustedPrincipalArnPatterns\[0\] is "arn:aws:iam::\*:role\/cdk-deployer", which is not an ARN pattern/);
  });

  test('patterns must name one of the trusted accounts', () => {
    expect(() => synth({ trustedPrincipalArnPatterns: ['arn:aws:iam::444455556666:role/cdk-deployer'] }))
      .toThrow('trustedPrincipalArnPatterns[0] is "arn:aws:iam::444455556666:role/cdk-deployer", in account 444455556666, which is '
        + `not among the trusted accounts (${MANAGEMENT_ACCOUNT}). The bootstrap roles trust only trustedAccountIds`);
  });

  test('patterns are not checked against trusted accounts that are tokens', () => {
    expect(() => synth({
      trustedAccountIds: [Token.asString({ Ref: 'Pipeline' })],
      trustedPrincipalArnPatterns: ['arn:aws:iam::444455556666:role/cdk-deployer'],
    })).not.toThrow();
  });

  test('patterns must not match every role', () => {
    expect(() => synth({ trustedPrincipalArnPatterns: [`arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/*`] }))
      .toThrow(`trustedPrincipalArnPatterns[0] is "arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/*", which matches every role of account `
        + `${MANAGEMENT_ACCOUNT}. Name the roles that deploy`);
  });

  test('patterns must be in the stack\'s partition', () => {
    expect(() => synth({ trustedPrincipalArnPatterns: [`arn:aws-cn:iam::${MANAGEMENT_ACCOUNT}:role/cdk-deployer`] }))
      .toThrow(/trustedPrincipalArnPatterns\[0\] is "[^"]+", in the partition aws-cn, but the stack's region is in aws\./);
  });

  test('patterns must not be empty or repeated', () => {
    expect(() => synth({ trustedPrincipalArnPatterns: [] })).toThrow(/trustedPrincipalArnPatterns is empty, so no principal could assume/);
    expect(() => synth({ trustedPrincipalArnPatterns: [DEPLOYER, DEPLOYER] }))
      .toThrow(`trustedPrincipalArnPatterns[1] is "${DEPLOYER}", the same as trustedPrincipalArnPatterns[0]. Remove the repeat.`);
  });

  test('patterns count towards the length of the trust policy', () => {
    const accounts = Array.from({ length: MAX_TRUSTED_ACCOUNTS }, (_, index) => String(100000000000 + index));

    expect(() => synth({ trustedAccountIds: accounts, trustedPrincipalArnPatterns: ['arn:aws:iam::100000000000:role/cdk-deployer'] }))
      .toThrow(new RegExp(`trustedAccountIds has ${MAX_TRUSTED_ACCOUNTS} accounts, .*\\("arn:aws:iam::111122223333:root"\\), and the `
        + 'trustedPrincipalArnPatterns as given\\. Trust at most \\d+ accounts'));
  });

  test('patterns that alone overflow the trust policy are reported', () => {
    const patterns = Array.from({ length: 30 }, (_, index) => `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/deployment/cdk-deployer-${index}`);

    expect(() => synth({ trustedPrincipalArnPatterns: patterns }))
      .toThrow(/trustedPrincipalArnPatterns makes the trust policy of each bootstrap role \d+ characters long with a single trusted account/);
  });
});

describe('MemberAccountBootstrap execution policies', () => {
  test('customer-managed policies are attached by name, with the member account ID', () => {
    const template = synth({ executionPolicyNames: ['cdk-deployments', 'platform/cdk-boundary'] });
    const stackSet = stackSetOf(template);
    const inner = JSON.parse(stackSet.TemplateBody);

    expect(stackSet.Parameters).toEqual([
      { ParameterKey: 'TrustedAccounts', ParameterValue: MANAGEMENT_ACCOUNT },
      { ParameterKey: 'CloudFormationExecutionPolicyName1', ParameterValue: 'cdk-deployments' },
      { ParameterKey: 'CloudFormationExecutionPolicyName2', ParameterValue: 'platform/cdk-boundary' },
    ]);
    expect(inner.Parameters.CloudFormationExecutionPolicies).toBeUndefined();
    expect(inner.Parameters.CloudFormationExecutionPolicyName1).toMatchObject({ Type: 'String', AllowedPattern: expect.any(String) });
    expect(roleTagged(inner, 'cfn-exec').Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${CloudFormationExecutionPolicyName1}' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${CloudFormationExecutionPolicyName2}' },
    ]);
  });

  test('AWS managed and customer-managed policies are attached together', () => {
    const stackSet = stackSetOf(synth({
      executionPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      executionPolicyNames: ['cdk-deployments'],
    }));

    expect(stackSet.Parameters.map((parameter: any) => parameter.ParameterKey))
      .toEqual(['TrustedAccounts', 'CloudFormationExecutionPolicies', 'CloudFormationExecutionPolicyName1']);
    expect(roleTagged(JSON.parse(stackSet.TemplateBody), 'cfn-exec').Properties.ManagedPolicyArns).toEqual({
      'Fn::Split': [',', {
        'Fn::Join': [',', [
          { 'Fn::Join': [',', { Ref: 'CloudFormationExecutionPolicies' }] },
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${CloudFormationExecutionPolicyName1}' },
        ]],
      }],
    });
  });

  test('the name parameter accepts policy names only', () => {
    const inner = innerOf(synth({ executionPolicyNames: ['cdk-deployments'] }));
    const pattern = new RegExp(inner.Parameters.CloudFormationExecutionPolicyName1.AllowedPattern);

    expect(['cdk-deployments', 'platform/cdk', 'a,b', '*', 'arn:aws:iam::aws:policy/x', ''].map((value) => pattern.test(value)))
      .toEqual([true, true, false, false, false, false]);
  });
});

describe('MemberAccountBootstrap regions', () => {
  const warningId = '@ssd-platform/security-baseline:memberAccountBootstrapRegionOutsideUk';

  test('eu-west-2 alone brings no warning', () => {
    const stack = newStack();
    synth({ regions: ['eu-west-2'] }, stack);

    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('.*'))).toEqual([]);
  });

  test('a region outside the UK brings an acknowledgeable warning', () => {
    const stack = newStack();
    synth({ regions: ['eu-west-2', 'eu-west-1', 'us-east-1'] }, stack);

    Annotations.fromStack(stack).hasWarning('/Management/Bootstrap', Match.stringLikeRegexp(
      '^The StackSet bootstraps eu-west-1, us-east-1, outside eu-west-2\\. The platform keeps its data in the UK.*'
      + 'must exempt the StackSet execution role \\(arn:aws:iam::\\*:role/stacksets-exec-\\*\\) in them.*'
      + `\\[ack: ${warningId}\\]$`));
  });

  test('a stack outside the UK warns for its default region', () => {
    const stack = new Stack(new App(), 'Management', { env: { account: MANAGEMENT_ACCOUNT, region: 'eu-west-1' } });
    synth({}, stack);

    Annotations.fromStack(stack).hasWarning('/Management/Bootstrap', Match.stringLikeRegexp('^The StackSet bootstraps eu-west-1,'));
  });
});

describe('MemberAccountBootstrap uniqueness in the app', () => {
  test('a second bootstrap with the same qualifier in the same stack fails', () => {
    const stack = newStack();
    new MemberAccountBootstrap(stack, 'First', BASE_PROPS);

    expect(() => new MemberAccountBootstrap(stack, 'Second', { ...BASE_PROPS, stackSetName: 'Other' }))
      .toThrow('qualifier "hnb659fds" is already the qualifier of the MemberAccountBootstrap at "Management/First". '
        + 'Both would create the same roles, bucket and repository in the member accounts.');
  });

  test('a second bootstrap with the same qualifier in another stack fails, once', () => {
    const app = new App();
    new MemberAccountBootstrap(newStack(app), 'First', BASE_PROPS);
    const other = new Stack(app, 'Other', { env: { account: MANAGEMENT_ACCOUNT, region: 'eu-west-2' } });

    expect(() => new MemberAccountBootstrap(other, 'Second', BASE_PROPS))
      .toThrow(/^Invalid MemberAccountBootstrap props at Other\/Second:\n  - qualifier "hnb659fds" is already the qualifier of the MemberAccountBootstrap at "Management\/First"\.[^\n]*$/);
  });

  test('a second bootstrap with the same StackSet name fails', () => {
    const app = new App();
    new MemberAccountBootstrap(newStack(app), 'First', { ...BASE_PROPS, stackSetName: 'Bootstrap' });
    const other = new Stack(app, 'Other', { env: { account: MANAGEMENT_ACCOUNT, region: 'eu-west-2' } });

    expect(() => new MemberAccountBootstrap(other, 'Second', { ...BASE_PROPS, qualifier: 'other', stackSetName: 'Bootstrap' }))
      .toThrow('stackSetName "Bootstrap" is already the StackSet name of the MemberAccountBootstrap at "Management/First". '
        + 'StackSet names are unique in an account and region. Give this one another stackSetName.');
  });

  test('bootstraps with different qualifiers and names coexist', () => {
    const stack = newStack();
    new MemberAccountBootstrap(stack, 'First', BASE_PROPS);

    expect(() => new MemberAccountBootstrap(stack, 'Second', { ...BASE_PROPS, qualifier: 'other' })).not.toThrow();
  });
});

describe('MemberAccountBootstrap contract with DefaultStackSynthesizer', () => {
  const ACCOUNT = '111111111111';
  const REGION = 'eu-west-2';
  const QUALIFIER = 'platform1';
  let workDir: string;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'member-account-bootstrap-'));
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Replaces the pseudo parameters in an `Fn::Sub` string, or in a cloud assembly placeholder, with the test environment. */
  function substitute(text: string): string {
    return text.replace(/\$\{AWS::AccountId\}/g, ACCOUNT).replace(/\$\{AWS::Region\}/g, REGION).replace(/\$\{AWS::Partition\}/g, 'aws');
  }

  test('every name and ARN the synthesizer writes is a resource of the bootstrap', () => {
    // The bootstrap as the member account would get it.
    const inner = innerOf(synth({ qualifier: QUALIFIER }));
    const resources = Object.values(inner.Resources as Record<string, any>);
    // The access log bucket has a generated name, which no synthesizer refers to.
    const named = (type: string, property: string) => resources
      .filter((resource) => resource.Type === type && resource.Properties[property] !== undefined)
      .map((resource) => substitute(resource.Properties[property]['Fn::Sub'] ?? resource.Properties[property]));
    const roleArns = named('AWS::IAM::Role', 'RoleName').map((name) => `arn:aws:iam::${ACCOUNT}:role/${name}`);
    const bucketNames = named('AWS::S3::Bucket', 'BucketName');
    const repositoryNames = named('AWS::ECR::Repository', 'RepositoryName');
    const parameterNames = named('AWS::SSM::Parameter', 'Name');
    const version = Number(inner.Resources.CdkBootstrapVersion.Properties.Value);

    // A workload stack that deploys into that account, with a file and an image asset.
    const fileAsset = join(workDir, 'asset.txt');
    writeFileSync(fileAsset, 'asset');
    const imageDirectory = join(workDir, 'image');
    mkdirSync(imageDirectory);
    writeFileSync(join(imageDirectory, 'Dockerfile'), 'FROM scratch\n');
    const app = new App({ outdir: join(workDir, 'cdk.out') });
    const workload = new Stack(app, 'Workload', {
      env: { account: ACCOUNT, region: REGION },
      synthesizer: new DefaultStackSynthesizer({ qualifier: QUALIFIER }),
    });
    new s3Assets.Asset(workload, 'File', { path: fileAsset });
    new ecrAssets.DockerImageAsset(workload, 'Image', { directory: imageDirectory });
    const assembly = app.synth();

    const artifact = assembly.getStackArtifact(workload.artifactId);
    expect(roleArns).toContain(substitute(artifact.assumeRoleArn!));
    expect(roleArns).toContain(substitute(artifact.cloudFormationExecutionRoleArn!));
    expect(roleArns).toContain(substitute(artifact.lookupRole!.arn));
    expect(parameterNames).toContain(artifact.bootstrapStackVersionSsmParameter);
    expect(parameterNames).toContain(artifact.lookupRole!.bootstrapStackVersionSsmParameter);
    expect(version).toBeGreaterThanOrEqual(artifact.requiresBootstrapStackVersion!);
    expect(version).toBeGreaterThanOrEqual(artifact.lookupRole!.requiresBootstrapStackVersion!);

    const manifests = assembly.artifacts.filter((candidate): candidate is cxapi.AssetManifestArtifact =>
      candidate instanceof cxapi.AssetManifestArtifact);
    expect(manifests).toHaveLength(1);
    expect(version).toBeGreaterThanOrEqual(manifests[0].requiresBootstrapStackVersion!);
    expect(parameterNames).toContain(manifests[0].bootstrapStackVersionSsmParameter);

    const manifest = JSON.parse(readFileSync(manifests[0].file, 'utf8'));
    const destinationsOf = (entries: Record<string, any>): any[] => Object.values(entries).flatMap((entry) => Object.values(entry.destinations));
    const fileDestinations = destinationsOf(manifest.files);
    const imageDestinations = destinationsOf(manifest.dockerImages);
    // The stack template itself is a file asset too.
    expect(fileDestinations.length).toBeGreaterThanOrEqual(2);
    expect(imageDestinations).toHaveLength(1);
    for (const destination of fileDestinations) {
      expect(bucketNames).toContain(substitute(destination.bucketName));
      expect(roleArns).toContain(substitute(destination.assumeRoleArn));
    }
    for (const destination of imageDestinations) {
      expect(repositoryNames).toContain(substitute(destination.repositoryName));
      expect(roleArns).toContain(substitute(destination.assumeRoleArn));
    }
  });

  test('session tags need a version that the bootstrap meets', () => {
    const app = new App({ outdir: join(workDir, 'tags.out') });
    const workload = new Stack(app, 'Tagged', {
      env: { account: ACCOUNT, region: REGION },
      synthesizer: new DefaultStackSynthesizer({ qualifier: QUALIFIER, deployRoleAdditionalOptions: { Tags: [{ Key: 'team', Value: 'platform' }] } }),
    });
    const artifact = app.synth().getStackArtifact(workload.artifactId);

    expect(new MemberAccountBootstrap(newStack(), 'Bootstrap', BASE_PROPS).bootstrapVersion)
      .toBeGreaterThanOrEqual(artifact.requiresBootstrapStackVersion!);
  });
});

describe('MemberAccountBootstrap validation', () => {
  test('organizationalUnitIds must not be empty', () => {
    expect(() => synth({ organizationalUnitIds: [] }))
      .toThrow(/organizationalUnitIds is empty, so the StackSet would bootstrap no account\. Give at least one organizational unit/);
  });

  test('organizationalUnitIds is required', () => {
    expect(() => synth({ organizationalUnitIds: undefined }))
      .toThrow(/organizationalUnitIds is missing\. Give the organizational units whose accounts to bootstrap/);
  });

  test.each(['ou-a1b2', 'OU-A1B2-C3D4E5F6', 'r-', '123456789012'])('organizationalUnitIds rejects %s', (ouId) => {
    expect(() => synth({ organizationalUnitIds: [ouId] }))
      .toThrow(`organizationalUnitIds[0] is "${ouId}", which is not the ID of an organizational unit or root. Give an ID such as "ou-a1b2-c3d4e5f6" or "r-a1b2"`);
  });

  test('organizationalUnitIds accepts the root and tokens', () => {
    expect(() => synth({ organizationalUnitIds: ['r-a1b2', Token.asString({ Ref: 'OuId' })] })).not.toThrow();
  });

  test('organizationalUnitIds rejects repeats', () => {
    expect(() => synth({ organizationalUnitIds: [OU_ID, OU_ID] }))
      .toThrow(`organizationalUnitIds[1] is "${OU_ID}", the same as organizationalUnitIds[0]. Remove the repeat.`);
  });

  test('organizationalUnitIds must be a list', () => {
    expect(() => synth({ organizationalUnitIds: OU_ID as unknown as string[] }))
      .toThrow(`organizationalUnitIds is the string "${OU_ID}", but a list is expected.`);
  });

  test('trustedAccountIds must be account IDs', () => {
    expect(() => synth({ trustedAccountIds: ['12345'] }))
      .toThrow('trustedAccountIds[0] is "12345", which is not an AWS account ID. Give 12 digits as a string, for example "111122223333".');
  });

  test('trustedAccountIds must not be empty', () => {
    expect(() => synth({ trustedAccountIds: [] }))
      .toThrow(/trustedAccountIds is empty, so no account could deploy into the member accounts/);
  });

  test('trustedAccountIds rejects repeats', () => {
    expect(() => synth({ trustedAccountIds: ['222233334444', '222233334444'] }))
      .toThrow('trustedAccountIds[1] is "222233334444", the same as trustedAccountIds[0]. Remove the repeat.');
  });

  test.each(['', 'elevenchars', 'has space'])('qualifier rejects %p by the CDK rule', (qualifier) => {
    expect(() => synth({ qualifier }))
      .toThrow(`qualifier is "${qualifier}". The CDK accepts 1 to 10 letters, digits, underscores or hyphens`);
  });

  test('qualifier must suit an S3 bucket name', () => {
    expect(() => synth({ qualifier: 'My_Team' }))
      .toThrow('qualifier is "My_Team". It is part of the staging bucket\'s name, and S3 bucket names take only lowercase letters, '
        + 'digits and hyphens. Give one, for example "my-team".');
  });

  test('qualifier must be literal', () => {
    expect(() => synth({ qualifier: Token.asString({ Ref: 'Qualifier' }) }))
      .toThrow(/qualifier is a token\. Give a literal string/);
  });

  test('executionPolicyArns must not be empty', () => {
    expect(() => synth({ executionPolicyArns: [] }))
      .toThrow(/executionPolicyArns is empty, so CloudFormation could create no resource in the member accounts/);
  });

  test('executionPolicyArns must be AWS managed policy ARNs', () => {
    expect(() => synth({ executionPolicyArns: ['AdministratorAccess'] }))
      .toThrow('executionPolicyArns[0] is "AdministratorAccess", which is not the ARN of an AWS managed policy. Give an ARN such as '
        + '"arn:aws:iam::aws:policy/PowerUserAccess", or the name of a customer-managed policy in executionPolicyNames.');
  });

  test('executionPolicyArns rejects customer-managed policies and names executionPolicyNames', () => {
    expect(() => synth({ executionPolicyArns: ['arn:aws:iam::111122223333:policy/cdk-deployments'] }))
      .toThrow('executionPolicyArns[0] is "arn:aws:iam::111122223333:policy/cdk-deployments", a customer-managed policy of account '
        + '111122223333, which exists in that account only, so the stack instances in the other member accounts could not attach '
        + 'it. Create the policy under the same name in every member account and give its name in executionPolicyNames instead, '
        + 'for example ["cdk-deployments"].');
  });

  test.each(['arn:aws:iam::aws:policy/A,arn:aws:iam::aws:policy/B', 'arn:aws:iam::aws:policy/PowerUserAccess '])(
    'executionPolicyArns rejects commas and whitespace in %p', (arn) => {
      expect(() => synth({ executionPolicyArns: [arn] }))
        .toThrow(`executionPolicyArns[0] is ${JSON.stringify(arn)}, which contains a comma or whitespace. The StackSet passes the `
          + 'ARNs as one comma-delimited list');
    });

  test('executionPolicyArns must be in the stack\'s partition', () => {
    expect(() => synth({ executionPolicyArns: ['arn:aws-us-gov:iam::aws:policy/PowerUserAccess'] }))
      .toThrow('executionPolicyArns[0] is "arn:aws-us-gov:iam::aws:policy/PowerUserAccess", in the partition aws-us-gov, but the '
        + 'stack\'s region is in aws. Give the ARN that starts with "arn:aws:".');
  });

  test('executionPolicyArns follow the regions\' partition in an environment-agnostic stack', () => {
    const stack = new Stack(new App(), 'Management');

    expect(() => synth({ regions: ['eu-west-2'], executionPolicyArns: ['arn:aws-us-gov:iam::aws:policy/PowerUserAccess'] }, stack))
      .toThrow(/executionPolicyArns\[0\] is "arn:aws-us-gov:iam::aws:policy\/PowerUserAccess", in the partition aws-us-gov, but the regions are in aws/);
  });

  test('at most 10 execution policies, names included', () => {
    const arns = Array.from({ length: 6 }, (_, index) => `arn:aws:iam::aws:policy/Policy${index}`);
    const names = Array.from({ length: 5 }, (_, index) => `policy-${index}`);

    expect(() => synth({ executionPolicyArns: arns, executionPolicyNames: names }))
      .toThrow('executionPolicyArns and executionPolicyNames give 11 policies together, and IAM attaches at most 10 managed '
        + 'policies to a role by default. The quota can be raised to 20, which is its hard maximum');
    expect(() => synth({ executionPolicyArns: arns, executionPolicyNames: names.slice(1) })).not.toThrow();
  });

  test('executionPolicyNames rejects ARNs', () => {
    expect(() => synth({ executionPolicyNames: ['arn:aws:iam::111122223333:policy/cdk'] }))
      .toThrow('executionPolicyNames[0] is "arn:aws:iam::111122223333:policy/cdk", an ARN. Give the policy\'s name only');
  });

  test.each(['cdk,deployments', 'cdk deployments', '/cdk', 'a'.repeat(129)])('executionPolicyNames rejects %p', (name) => {
    expect(() => synth({ executionPolicyNames: [name] }))
      .toThrow(`executionPolicyNames[0] is "${name}", which is not a policy name that the StackSet can pass.`);
  });

  test('executionPolicyNames must not be empty', () => {
    expect(() => synth({ executionPolicyNames: [] })).toThrow(/executionPolicyNames is empty\. Give the names of customer-managed policies/);
  });

  test('executionPolicyNames rejects repeats', () => {
    expect(() => synth({ executionPolicyNames: ['cdk', 'cdk'] }))
      .toThrow('executionPolicyNames[1] is "cdk", the same as executionPolicyNames[0]. Remove the repeat.');
  });

  test('executionPolicyNames accepts tokens', () => {
    expect(() => synth({ executionPolicyNames: [Token.asString({ Ref: 'PolicyName' })] })).not.toThrow();
  });

  test('trustedAccountIds is capped so that the trust policy fits IAM\'s default length', () => {
    const accounts = (count: number) => Array.from({ length: count }, (_, index) => String(100000000000 + index));

    expect(() => synth({ trustedAccountIds: accounts(MAX_TRUSTED_ACCOUNTS) })).not.toThrow();
    expect(() => synth({ trustedAccountIds: accounts(MAX_TRUSTED_ACCOUNTS + 1) }))
      .toThrow(new RegExp(`trustedAccountIds has ${MAX_TRUSTED_ACCOUNTS + 1} accounts, and the trust policy of each bootstrap role `
        + 'would have 2,?0\\d\\d characters, over IAM\'s default limit of 2,048\\. The length is computed from the role\'s trust '
        + 'policy with each account written as IAM stores it \\("arn:aws:iam::111122223333:root"\\)\\. '
        + `Trust at most ${MAX_TRUSTED_ACCOUNTS} accounts`));
  });

  test('trustedAccountIds cap follows the regions\' partition in an environment-agnostic stack', () => {
    const accounts = (count: number) => Array.from({ length: count }, (_, index) => String(100000000000 + index));
    const synthAgnostic = (count: number) => synth({ regions: ['eu-west-2'], trustedAccountIds: accounts(count) }, new Stack(new App(), 'Management'));

    expect(() => synthAgnostic(MAX_TRUSTED_ACCOUNTS)).not.toThrow();
    expect(() => synthAgnostic(MAX_TRUSTED_ACCOUNTS + 1)).toThrow(/\("arn:aws:iam::111122223333:root"\)\. Trust at most \d+ accounts/);
  });

  test('regions must be region names that aws-cdk-lib knows', () => {
    expect(() => synth({ regions: ['London'] }))
      .toThrow('regions[0] is "London", which is not an AWS region that aws-cdk-lib knows. Give one such as "eu-west-2". '
        + 'If AWS opened the region after this version of aws-cdk-lib, upgrade aws-cdk-lib.');
    expect(() => synth({ regions: ['eu-west-9'] })).toThrow(/regions\[0\] is "eu-west-9", which is not an AWS region/);
  });

  test('regions must be in the stack\'s partition', () => {
    expect(() => synth({ regions: ['cn-north-1'] }))
      .toThrow('regions[0] is "cn-north-1", in the partition aws-cn, but the stack\'s region is in aws. A StackSet deploys only '
        + 'within its own partition, so give regions of aws.');
  });

  test('regions must be literal', () => {
    expect(() => synth({ regions: [Token.asString({ Ref: 'Region' })] }))
      .toThrow(/regions\[0\] is a token\. Give the region as a literal string/);
  });

  test('regions must not be empty', () => {
    expect(() => synth({ regions: [] })).toThrow(/regions is empty, so the StackSet would deploy nowhere/);
  });

  test('regions rejects repeats', () => {
    expect(() => synth({ regions: ['eu-west-2', 'eu-west-2'] }))
      .toThrow('regions[1] is "eu-west-2", the same as regions[0]. Remove the repeat.');
  });

  test('a stack without a region needs regions', () => {
    expect(() => synth({}, new Stack(new App(), 'Management')))
      .toThrow(/regions is missing and the stack has no region, so the construct cannot tell where to bootstrap/);
  });

  test.each(['1Bootstrap', 'cdk_bootstrap', 'a'.repeat(129)])('stackSetName rejects %s', (stackSetName) => {
    expect(() => synth({ stackSetName }))
      .toThrow(`stackSetName is "${stackSetName}". CloudFormation accepts a literal name of 1 to 128 letters, digits and hyphens`);
  });

  test('activateOrganizationsAccess must be a boolean', () => {
    expect(() => synth({ activateOrganizationsAccess: 'yes' as unknown as boolean }))
      .toThrow('activateOrganizationsAccess is "yes"; use true or false');
  });

  test('all problems are reported at once', () => {
    expect(() => synth({ organizationalUnitIds: ['ou'], trustedAccountIds: ['1'], qualifier: 'x y', regions: ['moon'] }))
      .toThrow(new RegExp('^Invalid MemberAccountBootstrap props at Management/Bootstrap:\\n  - organizationalUnitIds\\[0\\] is "ou".*\\n'
        + '  - trustedAccountIds\\[0\\] is "1".*\\n  - qualifier is "x y".*\\n  - regions\\[0\\] is "moon".*$'));
  });
});

describe('MemberAccountBootstrap compliance checks', () => {
  test.each<[string, Partial<MemberAccountBootstrapProps>]>([
    ['the default policies', {}],
    ['AWS managed and customer-managed policies', {
      executionPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      executionPolicyNames: ['cdk-deployments', 'platform/cdk-iam'],
    }],
    ['customer-managed policies only', { executionPolicyNames: ['cdk-deployments'] }],
  ])('cfn-lint finds no errors in the inner template with %s', (_, props) => {
    const directory = mkdtempSync(join(tmpdir(), 'member-account-bootstrap-lint-'));
    const file = join(directory, 'bootstrap.json');
    writeFileSync(file, JSON.stringify(innerOf(synth(props)), undefined, 2));
    try {
      let output = '';
      try {
        output = execFileSync('cfn-lint', ['--regions', 'eu-west-2', '--', file], { encoding: 'utf8' });
      } catch (error) {
        // cfn-lint exits with a sum of flags: 2 for errors, 4 for warnings, 8 for informational findings.
        const failure = error as { status?: number; stdout?: string };
        output = failure.stdout ?? '';
        const errorFlag = Math.floor((failure.status ?? 2) / 2) % 2;
        expect({ errorFlag, output }).toEqual({ errorFlag: 0, output });
      }
      expect(output).not.toMatch(/^E\d{4}/m);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 120_000);

  test.each([true, false])('no cdk-nag errors remain with activateOrganizationsAccess %s', (activateOrganizationsAccess) => {
    const stack = newStack(new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    synth({ activateOrganizationsAccess }, stack);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
