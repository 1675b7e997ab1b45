import { App, Aspects, CfnResource, Duration, Fn, RemovalPolicy, Stack, Tags, Token, aws_kms as kms } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { LogArchive, LogArchiveProps, ObjectLockMode, OrganisationTrail } from '../src';
import { NcscChecks } from '../src/ncsc';
import { expectEveryKeyToDenyGrants } from './support/key-policy';
import { addNagSuppressions } from '../src/private/nag-suppressions';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';

function newStack(): Stack {
  return new Stack(new App(), 'Security', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

function synth(props: LogArchiveProps = {}): Template {
  const stack = newStack();
  new LogArchive(stack, 'LogArchive', props);
  return Template.fromStack(stack);
}

/** Finds the logical ID of the only resource of `type` whose properties match `props`. */
function logicalIdOf(template: Template, type: string, props: object = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

const archiveBucketProps = { ObjectLockEnabled: true };
const accessLogsBucketProps = { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } };

/** Builds the `ArnLike aws:SourceArn` value expected for one log source account in eu-west-2. */
function logsArn(account: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-2:${account}:*`]] };
}

describe('LogArchive defaults', () => {
  test('creates a rotating customer managed key that is retained', () => {
    const template = synth();

    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('archive bucket encrypts with the key and bucket keys', () => {
    const template = synth();
    const keyId = logicalIdOf(template, 'AWS::KMS::Key');

    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        }],
      },
    });
  });

  test('archive bucket locks objects in governance mode for 365 days', () => {
    synth().hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
      },
    });
  });

  test('archive bucket blocks public access and disables ACLs', () => {
    synth().hasResourceProperties('AWS::S3::Bucket', {
      ...archiveBucketProps,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('archive bucket moves logs to colder classes and never expires them', () => {
    synth().hasResourceProperties('AWS::S3::Bucket', {
      ...archiveBucketProps,
      LifecycleConfiguration: {
        Rules: [{
          Id: 'ArchiveLogs',
          Status: 'Enabled',
          Transitions: [
            { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
            { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 },
          ],
          ExpirationInDays: Match.absent(),
          NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        }],
      },
    });
  });

  test('both buckets are retained', () => {
    const template = synth();

    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.UpdateReplacePolicy).toBe('Retain');
    }
  });

  test('both bucket policies deny plain HTTP and TLS before 1.2', () => {
    const template = synth();

    const policies = template.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const id of Object.keys(policies)) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: policies[id].Properties.Bucket,
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      });
    }
  });

  test('log delivery writes only for the stack account', () => {
    const template = synth();
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', archiveBucketProps);

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AWSLogDeliveryWrite',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
            Condition: {
              StringEquals: { 'aws:SourceAccount': [ACCOUNT], 's3:x-amz-acl': 'bucket-owner-full-control' },
              ArnLike: { 'aws:SourceArn': [logsArn(ACCOUNT)] },
            },
          }),
          Match.objectLike({
            Sid: 'AWSLogDeliveryAclCheck',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: ['s3:GetBucketAcl', 's3:ListBucket'],
            Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
            Condition: {
              StringEquals: { 'aws:SourceAccount': [ACCOUNT] },
              ArnLike: { 'aws:SourceArn': [logsArn(ACCOUNT)] },
            },
          }),
        ]),
      },
    });
  });

  test('key policy lets log delivery use the key', () => {
    synth().hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': [ACCOUNT] },
              ArnLike: { 'aws:SourceArn': [logsArn(ACCOUNT)] },
            },
          }),
        ]),
      },
    });
  });

  test('access logs go to a second bucket', () => {
    const template = synth();
    const accessLogsId = logicalIdOf(template, 'AWS::S3::Bucket', accessLogsBucketProps);

    template.hasResourceProperties('AWS::S3::Bucket', {
      ...archiveBucketProps,
      LoggingConfiguration: { DestinationBucketName: { Ref: accessLogsId } },
    });
  });

  test('access logs bucket uses S3 managed keys and no Object Lock', () => {
    synth().hasResourceProperties('AWS::S3::Bucket', {
      ...accessLogsBucketProps,
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: Match.absent(),
      ObjectLockConfiguration: Match.absent(),
      LoggingConfiguration: Match.absent(),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
    });
  });

  test('access logs bucket policy admits only the archive bucket', () => {
    const template = synth();
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', archiveBucketProps);
    const accessLogsId = logicalIdOf(template, 'AWS::S3::Bucket', accessLogsBucketProps);

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: accessLogsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': ACCOUNT },
            },
          }),
        ]),
      },
    });
  });

  test('exposes the bucket, key and access logs bucket', () => {
    const stack = newStack();
    const archive = new LogArchive(stack, 'LogArchive');

    expect(stack.resolve(archive.bucket.bucketName)).toEqual({ Ref: 'LogArchiveBucket6951A440' });
    expect(stack.resolve(archive.encryptionKey.keyArn)).toEqual({ 'Fn::GetAtt': ['LogArchiveKey11A44769', 'Arn'] });
    expect(stack.resolve(archive.accessLogsBucket.bucketName)).toEqual({ Ref: 'LogArchiveAccessLogsBucket49D3EA0C' });
  });
});

describe('LogArchive overrides', () => {
  test('compliance mode and retention are applied', () => {
    synth({ objectLockMode: ObjectLockMode.COMPLIANCE, objectLockRetention: Duration.days(2555) })
      .hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } },
      });
  });

  test('lifecycle periods are applied', () => {
    const template = synth({
      transitionAfter: Duration.days(30),
      archiveAfter: Duration.days(180),
      expiration: Duration.days(2555),
      objectLockRetention: Duration.days(400),
    });

    const buckets = template.findResources('AWS::S3::Bucket');
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
        Transitions: [
          { StorageClass: 'GLACIER_IR', TransitionInDays: 30 },
          { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 },
        ],
        ExpirationInDays: 2555,
      });
    }
  });

  test('removal policy applies to both buckets and the key', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Delete');
      }
    }
  });

  test('bucket name is applied', () => {
    synth({ bucketName: 'ssd-security-log-archive-eu-west-2' }).hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'ssd-security-log-archive-eu-west-2',
      ObjectLockEnabled: true,
    });
  });

  test('several log source accounts are accepted', () => {
    synth({ logSourceAccounts: [ACCOUNT, OTHER_ACCOUNT] }).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AWSLogDeliveryWrite',
            Condition: {
              StringEquals: Match.objectLike({ 'aws:SourceAccount': [ACCOUNT, OTHER_ACCOUNT] }),
              ArnLike: { 'aws:SourceArn': [logsArn(ACCOUNT), logsArn(OTHER_ACCOUNT)] },
            },
          }),
        ]),
      },
    });
  });

  test('repeated log source accounts are listed once', () => {
    synth({ logSourceAccounts: [OTHER_ACCOUNT, OTHER_ACCOUNT] }).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': [OTHER_ACCOUNT] } }) }),
        ]),
      },
    });
  });

  test('token account defaults to the deploying account', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new LogArchive(stack, 'LogArchive');

    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': [{ Ref: 'AWS::AccountId' }] } }) }),
        ]),
      },
    });
  });

  test('given key is used and its policy extended', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
    const archive = new LogArchive(stack, 'LogArchive', { encryptionKey: key });
    const template = Template.fromStack(stack);

    expect(archive.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'delivery.logs.amazonaws.com' } })]) },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('imported key gets a warning naming the statement', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    new LogArchive(stack, 'LogArchive', { encryptionKey: key, logSourceAccounts: [OTHER_ACCOUNT] });

    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
    Annotations.fromStack(stack).hasWarning('/Security/LogArchive', Match.stringLikeRegexp(
      'key policy.*delivery\\.logs\\.amazonaws\\.com.*kms:GenerateDataKey\\*.*aws:SourceAccount \\[444455556666\\]'
      + '.*arn:aws:logs:eu-west-2:444455556666:\\*.*logArchiveKeyPolicyNotUpdated'));
  });
});

describe('LogArchive validation', () => {
  test('rejects a retention of part of a day', () => {
    expect(() => synth({ objectLockRetention: Duration.hours(36) }))
      .toThrow(/objectLockRetention is 1 day 12 hours\. S3 Object Lock needs a whole number of days from 1 to 36500/);
  });

  test('rejects a retention over 100 years', () => {
    expect(() => synth({ objectLockRetention: Duration.days(36501) })).toThrow(/objectLockRetention is 36501 days/);
  });

  test('rejects a zero retention', () => {
    expect(() => synth({ objectLockRetention: Duration.days(0) })).toThrow(/objectLockRetention is 0 days/);
  });

  test('rejects transition not before archive', () => {
    expect(() => synth({ transitionAfter: Duration.days(400) }))
      .toThrow(/transitionAfter \(400 days\) is not earlier than archiveAfter \(365 days, the default\)/);
  });

  test('rejects lifecycle periods of part of a day', () => {
    expect(() => synth({ transitionAfter: Duration.hours(12) }))
      .toThrow(/transitionAfter is 12 hours\. S3 lifecycle rules count in whole days/);
  });

  test('rejects expiration not after archive', () => {
    expect(() => synth({ expiration: Duration.days(365) }))
      .toThrow(/expiration \(365 days\) is not later than archiveAfter \(365 days, the default\)/);
  });

  test('rejects expiration shorter than retention', () => {
    expect(() => synth({ archiveAfter: Duration.days(180), expiration: Duration.days(200), objectLockRetention: Duration.days(730) }))
      .toThrow(/expiration \(200 days\) is shorter than objectLockRetention \(730 days\)/);
  });

  test('rejects an invalid account id', () => {
    expect(() => synth({ logSourceAccounts: ['12345'] }))
      .toThrow(/logSourceAccounts\[0\] is "12345", which is not an AWS account ID\. Use the 12-digit account ID/);
  });

  test('rejects an empty account list', () => {
    expect(() => synth({ logSourceAccounts: [] })).toThrow(/logSourceAccounts is empty/);
  });

  test.each([
    ['Log_Archive', /characters other than lower-case letters/],
    ['ab', /it is 2 characters long, and S3 allows 3 to 63/],
    ['-log-archive', /must begin and end with a lower-case letter or a digit/],
    ['log..archive', /two adjacent dots/],
    ['192.168.5.4', /formatted as an IP address/],
    ['xn--log-archive', /reserved prefix "xn--"/],
    ['log-archive-s3alias', /reserved suffix "-s3alias"/],
  ])('rejects bucket name %s', (bucketName, message) => {
    expect(() => synth({ bucketName })).toThrow(message);
  });

  test('null props mean the defaults', () => {
    const stack = newStack();
    new LogArchive(stack, 'LogArchive', null as unknown as LogArchiveProps);

    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
    });
  });

  test('rejects props that are not an object', () => {
    expect(() => synth('archive' as unknown as LogArchiveProps))
      .toThrow(/props is "archive"\. Give the props as an object, or omit them to use the defaults/);
  });

  test.each(['objectLockRetention', 'transitionAfter', 'archiveAfter', 'expiration'])('rejects a number for %s', (propName) => {
    expect(() => synth({ [propName]: 365 } as unknown as LogArchiveProps))
      .toThrow(new RegExp(`${propName} is 365, which is not a Duration\\. Give a Duration, for example Duration\\.days\\(`));
  });

  test.each(['objectLockRetention', 'transitionAfter', 'archiveAfter', 'expiration'])('rejects a token for %s', (propName) => {
    const duration = Duration.days(Token.asNumber({ Ref: 'Days' }));

    expect(() => synth({ [propName]: duration }))
      .toThrow(new RegExp(`${propName} is a token, whose value is known only at deploy time\\. Give a literal number of days.*`
        + 'checks the Object Lock retention and the lifecycle periods against each other'));
  });

  test('rejects an unknown object lock mode', () => {
    expect(() => synth({ objectLockMode: 'compliance' as ObjectLockMode }))
      .toThrow(/objectLockMode is "compliance", which is not an Object Lock mode\. Use ObjectLockMode\.GOVERNANCE or ObjectLockMode\.COMPLIANCE/);
  });

  test('rejects an unknown removal policy', () => {
    expect(() => synth({ removalPolicy: 'delete' as RemovalPolicy }))
      .toThrow(/removalPolicy is "delete", which is not a removal policy\. Use a RemovalPolicy value/);
  });

  test('rejects a bucket name that is not a string', () => {
    expect(() => synth({ bucketName: 5 as unknown as string }))
      .toThrow(/bucketName is 5, which is not a string\. Give the bucket name as a string/);
  });

  test('rejects a single account string', () => {
    expect(() => synth({ logSourceAccounts: OTHER_ACCOUNT as unknown as string[] }))
      .toThrow(/Invalid LogArchive props at Security\/LogArchive:\n  - logSourceAccounts is the string "444455556666", but a list is expected\. Put the value in a list, for example \["222222222222"\]\.$/);
  });

  test('rejects accounts that are not a list', () => {
    expect(() => synth({ logSourceAccounts: 222222222222 as unknown as string[] }))
      .toThrow(/logSourceAccounts is 222222222222, which is not a list\. Give a list, for example \["222222222222"\]/);
  });

  test('rejects a list token of accounts', () => {
    expect(() => synth({ logSourceAccounts: Token.asList(Fn.importValue('LogSourceAccounts')) }))
      .toThrow(/logSourceAccounts is a list token, whose entries are known only at deploy time\. Give a literal list/);
  });

  test('rejects accounts that are not strings', () => {
    const accounts = [null, {}, 222222222222] as unknown as string[];

    expect(() => synth({ logSourceAccounts: accounts })).toThrow(new RegExp([
      'logSourceAccounts\\[0\\] is null, which is not a string\\. Give each account as a 12-digit account ID in a string',
      'logSourceAccounts\\[1\\] is \\{\\}, which is not a string',
      'logSourceAccounts\\[2\\] is 222222222222, which is not a string',
    ].join('.*\\n  - ')));
  });

  test('accepts a token account', () => {
    const template = synth({ logSourceAccounts: [Fn.importValue('WorkloadAccount')] });

    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': [{ 'Fn::ImportValue': 'WorkloadAccount' }] } }) }),
        ]),
      },
    });
  });

  test('rejects a key ARN string as the key', () => {
    const keyArn = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

    expect(() => synth({ encryptionKey: keyArn as unknown as kms.IKey }))
      .toThrow(/encryptionKey is "arn:aws:kms:eu-west-2:111122223333:key\/1234abcd-.*", which is not a KMS key\. Pass an IKey, for example kms\.Key\.fromKeyArn/);
  });

  test('rejects a construct that is not a key', () => {
    const stack = newStack();
    const notAKey = new CfnResource(stack, 'NotAKey', { type: 'AWS::SQS::Queue' });

    expect(() => new LogArchive(stack, 'LogArchive', { encryptionKey: notAKey as unknown as kms.IKey }))
      .toThrow(/encryptionKey is the construct at "Security\/NotAKey", which is not a KMS key/);
  });

  test('rejects a key in another region', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);

    expect(() => new LogArchive(stack, 'LogArchive', { encryptionKey: key }))
      .toThrow(/encryptionKey is a key in us-east-1, but the archive is in eu-west-2\. S3 can use only a KMS key in the bucket's region, so pass a key from eu-west-2/);
  });

  test('reads the region from the ARN of a key with no environment', () => {
    const key = {
      keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      addToResourcePolicy: () => ({ statementAdded: false }),
    } as unknown as kms.IKey;

    expect(() => synth({ encryptionKey: key })).toThrow(/encryptionKey is a key in eu-west-1, but the archive is in eu-west-2/);
  });

  test('rejects a key alias', () => {
    const stack = newStack();
    const alias = kms.Alias.fromAliasName(stack, 'Alias', 'alias/log-archive');

    expect(() => new LogArchive(stack, 'LogArchive', { encryptionKey: alias }))
      .toThrow(/encryptionKey is the KMS alias "alias\/log-archive"\. S3 resolves an alias in the account that writes each object.*Pass the key itself/);
  });

  test('rejects an alias ARN imported as a key', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:eu-west-2:${ACCOUNT}:alias/log-archive`);

    expect(() => new LogArchive(stack, 'LogArchive', { encryptionKey: key }))
      .toThrow(/encryptionKey is the KMS alias "alias\/log-archive"/);
  });

  test('rejects a new alias of a new key', () => {
    const stack = newStack();
    const alias = new kms.Alias(stack, 'Alias', { aliasName: 'alias/log-archive', targetKey: new kms.Key(stack, 'Key') });

    expect(() => new LogArchive(stack, 'LogArchive', { encryptionKey: alias })).toThrow(/encryptionKey is a KMS alias\. S3 resolves an alias/);
  });

  test('accepts a key whose region is a token', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', Fn.importValue('LogArchiveKeyArn'));

    expect(() => new LogArchive(stack, 'LogArchive', { encryptionKey: key })).not.toThrow();
  });

  test('lists every problem in one error', () => {
    expect(() => synth({
      bucketName: 'Bad_Name',
      logSourceAccounts: ['not-an-account'],
      objectLockRetention: Duration.days(0),
      transitionAfter: Duration.days(500),
    })).toThrow(/Invalid LogArchive props at Security\/LogArchive:\n(  - .*\n){4}  - transitionAfter/);
  });

  test('lists wrong types in one error', () => {
    const props = {
      bucketName: 5,
      logSourceAccounts: 222222222222,
      encryptionKey: 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      objectLockRetention: 365,
    } as unknown as LogArchiveProps;

    expect(() => synth(props)).toThrow(new RegExp('^Invalid LogArchive props at Security/LogArchive:\\n'
      + '  - bucketName is 5.*\\n  - logSourceAccounts is 222222222222.*\\n  - encryptionKey is "arn:.*\\n  - objectLockRetention is 365.*$'));
  });
});

describe('LogArchive compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    // The feature flags a new CDK app enables, because some add resources the packs check.
    const stack = new Stack(new App({ context: RECOMMENDED_FEATURE_FLAGS }), 'Security', { env: { account: ACCOUNT, region: 'eu-west-2' } });
    new LogArchive(stack, 'LogArchive', {
      logSourceAccounts: [ACCOUNT, OTHER_ACCOUNT],
      cloudTrailSources: [{ trailArn: 'arn:aws:cloudtrail:eu-west-2:777788889999:trail/organisation-trail', organizationId: 'o-a1b2c3d4e5' }],
    });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });

  test('no cdk-nag errors remain without Object Lock', () => {
    const stack = new Stack(new App({ context: RECOMMENDED_FEATURE_FLAGS }), 'Security', { env: { account: ACCOUNT, region: 'eu-west-2' } });
    new LogArchive(stack, 'LogArchive', { objectLock: false, configSourceAccounts: [OTHER_ACCOUNT] });
    Tags.of(stack).add('DataClassification', 'OFFICIAL-SENSITIVE');
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());
    Aspects.of(stack).add(new NcscChecks({ reports: false }));

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });

  test('suppressions carry reasons', () => {
    const template = synth();

    const accessLogsBucket = Object.values(template.findResources('AWS::S3::Bucket', { Properties: accessLogsBucketProps }))[0];
    const rules = accessLogsBucket.Metadata.cdk_nag.rules_to_suppress as Array<{ id: string; reason: string }>;
    expect(rules.map((rule) => rule.id)).toEqual([
      'AwsSolutions-S1',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
    ]);
    for (const rule of rules) {
      expect(rule.reason.length).toBeGreaterThan(40);
    }
  });
});

describe('addNagSuppressions', () => {
  test('keeps existing suppressions and replaces same ids', () => {
    const stack = newStack();
    const resource = new CfnResource(stack, 'Thing', { type: 'AWS::SQS::Queue' });
    resource.addMetadata('cdk_nag', { rules_to_suppress: [{ id: 'A', reason: 'first reason' }, { id: 'B', reason: 'old reason' }] });

    addNagSuppressions(resource, [{ id: 'B', reason: 'new reason' }, { id: 'C', reason: 'third reason' }]);

    expect(resource.getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [
        { id: 'A', reason: 'first reason' },
        { id: 'B', reason: 'new reason' },
        { id: 'C', reason: 'third reason' },
      ],
    });
  });
});

describe('LogArchive CloudTrail sources', () => {
  const MANAGEMENT = '777788889999';
  const ORGANIZATION = 'o-a1b2c3d4e5';
  const ORGANISATION_TRAIL = `arn:aws:cloudtrail:eu-west-2:${MANAGEMENT}:trail/organisation-trail`;
  const ACCOUNT_TRAIL = `arn:aws:cloudtrail:eu-west-2:${OTHER_ACCOUNT}:trail/account-trail`;

  /** Returns the archive bucket policy statements whose Sid starts with AWSCloudTrail. */
  function cloudTrailStatements(template: Template): any[] {
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .find((resource) => (resource.Properties.PolicyDocument.Statement as any[]).some((statement) => statement.Sid === 'AWSLogDeliveryWrite'));
    return (policy!.Properties.PolicyDocument.Statement as any[]).filter((statement) => `${statement.Sid}`.startsWith('AWSCloudTrail'));
  }

  function folder(bucketId: string, path: string) {
    return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${path}`]] };
  }

  test('no trail may write by default', () => {
    expect(cloudTrailStatements(synth())).toEqual([]);
  });

  test('listed trails may check the bucket ACL', () => {
    const template = synth({ cloudTrailSources: [{ trailArn: ORGANISATION_TRAIL, organizationId: ORGANIZATION }, { trailArn: ACCOUNT_TRAIL }] });
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', archiveBucketProps);

    expect(cloudTrailStatements(template)[0]).toEqual({
      Sid: 'AWSCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
      Condition: { StringEquals: { 'aws:SourceArn': [ORGANISATION_TRAIL, ACCOUNT_TRAIL] } },
    });
  });

  test('organisation trail writes its account and organisation folders', () => {
    const template = synth({ cloudTrailSources: [{ trailArn: ORGANISATION_TRAIL, organizationId: ORGANIZATION }] });
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', archiveBucketProps);

    expect(cloudTrailStatements(template)[1]).toEqual({
      Sid: 'AWSCloudTrailWrite0',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: [folder(bucketId, `AWSLogs/${MANAGEMENT}/*`), folder(bucketId, `AWSLogs/${ORGANIZATION}/*`)],
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': ORGANISATION_TRAIL } },
    });
  });

  test('account trail writes only its account folder', () => {
    const template = synth({ cloudTrailSources: [{ trailArn: ACCOUNT_TRAIL }] });
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', archiveBucketProps);

    const write = cloudTrailStatements(template)[1];
    expect(write.Resource).toEqual(folder(bucketId, `AWSLogs/${OTHER_ACCOUNT}/*`));
    expect(write.Condition.StringEquals['aws:SourceArn']).toBe(ACCOUNT_TRAIL);
  });

  test('archive key gets no statement for trails', () => {
    const template = synth({ cloudTrailSources: [{ trailArn: ORGANISATION_TRAIL, organizationId: ORGANIZATION }] });

    const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as any[];
    expect(JSON.stringify(statements)).not.toContain('cloudtrail.amazonaws.com');
  });

  test('token trail ARN takes its account from the ARN', () => {
    const template = synth({ cloudTrailSources: [{ trailArn: Token.asString({ Ref: 'TrailArn' }) }] });

    const write = cloudTrailStatements(template)[1];
    expect(JSON.stringify(write.Resource)).toContain('"Fn::Select":[4,{"Fn::Split":[":",{"Ref":"TrailArn"}]}]');
  });

  test('rejects a malformed trail ARN', () => {
    expect(() => synth({ cloudTrailSources: [{ trailArn: 'arn:aws:cloudtrail:eu-west-2:7777:trail/x' }] }))
      .toThrow(/cloudTrailSources\[0\]\.trailArn is "arn:aws:cloudtrail:eu-west-2:7777:trail\/x", which is not a trail ARN/);
  });

  test('rejects a trail ARN that is not a string', () => {
    expect(() => synth({ cloudTrailSources: [{ trailArn: 42 as unknown as string }] }))
      .toThrow(/cloudTrailSources\[0\]\.trailArn is 42, which is not a string/);
  });

  test('rejects a malformed organization id', () => {
    expect(() => synth({ cloudTrailSources: [{ trailArn: ORGANISATION_TRAIL, organizationId: 'r-a1b2' }] }))
      .toThrow(/cloudTrailSources\[0\]\.organizationId is "r-a1b2", which is not an organization ID/);
  });

  test('rejects a trail listed twice', () => {
    expect(() => synth({ cloudTrailSources: [{ trailArn: ACCOUNT_TRAIL }, { trailArn: ACCOUNT_TRAIL }] }))
      .toThrow(/cloudTrailSources lists the trail "arn:aws:cloudtrail:eu-west-2:444455556666:trail\/account-trail" more than once/);
  });

  test('rejects sources that are not a list', () => {
    expect(() => synth({ cloudTrailSources: { trailArn: ACCOUNT_TRAIL } as unknown as [] }))
      .toThrow(/cloudTrailSources is \{"trailArn":.*\}, which is not a list/);
  });

  test('rejects a source that is not an object', () => {
    expect(() => synth({ cloudTrailSources: [ACCOUNT_TRAIL as unknown as { trailArn: string }] }))
      .toThrow(/cloudTrailSources\[0\] is "arn:aws:cloudtrail:.*", which is not an object/);
  });

  test('organisation trail archive source is accepted', () => {
    const managementStack = new Stack(new App(), 'Management', { env: { account: MANAGEMENT, region: 'eu-west-2' } });
    const trail = new OrganisationTrail(managementStack, 'Trail', { organizationId: ORGANIZATION, logArchiveBucketName: 'ssd-log-archive' });

    const template = synth({ cloudTrailSources: [trail.archiveSource] });

    expect(cloudTrailStatements(template)[0].Condition).toEqual({ StringEquals: { 'aws:SourceArn': [ORGANISATION_TRAIL] } });
  });
});

describe('LogArchive grants', () => {
  test('the archive key denies grants that are not for AWS resources', () => {
    expectEveryKeyToDenyGrants(synth(), 1);
  });
});

describe('LogArchive without Object Lock', () => {
  /** Returns the logical ID of the archive bucket: the bucket encrypted with SSE-KMS. */
  function archiveBucketId(template: Template): string {
    const ids = Object.keys(template.findResources('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: Match.objectLike({
          ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })],
        }),
      },
    }));
    expect(ids).toHaveLength(1);
    return ids[0];
  }

  function archiveBucket(template: Template): Record<string, any> {
    return template.toJSON().Resources[archiveBucketId(template)].Properties;
  }

  test('the archive bucket has no Object Lock but stays versioned', () => {
    const bucket = archiveBucket(synth({ objectLock: false }));

    expect(bucket.ObjectLockEnabled).toBe(false);
    expect(bucket.ObjectLockConfiguration).toBeUndefined();
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('the bucket policy denies deleting log files to every principal', () => {
    const template = synth({ objectLock: false });
    const bucketId = archiveBucketId(template);

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'DenyLogFileDeletion',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        }]),
      },
    });
  });

  test('warns that the log files are not locked', () => {
    const stack = newStack();
    new LogArchive(stack, 'LogArchive', { objectLock: false });

    Annotations.fromStack(stack).hasWarning('/Security/LogArchive',
      Match.stringLikeRegexp('objectLock is false, so S3 Object Lock does not protect the log files.*logArchiveObjectLockDisabled'));
  });

  test('Object Lock stays on by default, with no deletion statement and no warning', () => {
    const stack = newStack();
    new LogArchive(stack, 'LogArchive');
    const template = Template.fromStack(stack);

    expect(archiveBucket(template).ObjectLockEnabled).toBe(true);
    expect(JSON.stringify(template.findResources('AWS::S3::BucketPolicy'))).not.toContain('DenyLogFileDeletion');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('logArchiveObjectLockDisabled'))).toEqual([]);
  });

  test('warns when AWS Config accounts deliver to an archive with Object Lock', () => {
    const stack = newStack();
    new LogArchive(stack, 'LogArchive', { configSourceAccounts: [OTHER_ACCOUNT] });

    Annotations.fromStack(stack).hasWarning('/Security/LogArchive',
      Match.stringLikeRegexp('AWS Config does not deliver to a bucket with Object Lock enabled.*logArchiveConfigDeliveryWithObjectLock'));
  });

  test('no Object Lock warning for AWS Config accounts once objectLock is false', () => {
    const stack = newStack();
    new LogArchive(stack, 'LogArchive', { configSourceAccounts: [OTHER_ACCOUNT], objectLock: false });

    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('logArchiveConfigDeliveryWithObjectLock'))).toEqual([]);
  });

  test('an expiration shorter than the default retention is accepted without Object Lock', () => {
    const props = { objectLock: false, transitionAfter: Duration.days(30), archiveAfter: Duration.days(90), expiration: Duration.days(180) };

    const bucket = archiveBucket(synth(props));

    expect(bucket.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(180);
  });

  test('rejects objectLockMode and objectLockRetention with objectLock false', () => {
    expect(() => synth({ objectLock: false, objectLockMode: ObjectLockMode.COMPLIANCE, objectLockRetention: Duration.days(30) }))
      .toThrow(/objectLock is false, but objectLockMode and objectLockRetention are given\. Without Object Lock there is no lock mode or retention: remove objectLockMode and objectLockRetention, or set objectLock to true\./);
  });

  test('rejects objectLockRetention alone with objectLock false', () => {
    expect(() => synth({ objectLock: false, objectLockRetention: Duration.days(30) }))
      .toThrow(/objectLock is false, but objectLockRetention is given\./);
  });

  test('rejects an objectLock that is not a boolean', () => {
    expect(() => synth({ objectLock: 'false' as unknown as boolean }))
      .toThrow(/objectLock is "false", which is not a boolean\. Give true or false, or omit objectLock to keep Object Lock on\./);
  });
});
