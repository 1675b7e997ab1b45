import { App, Annotations as CoreAnnotations, Lazy, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { LogArchive, LogArchiveProps } from '../src/log-archive';

const ACCOUNT = '222222222222';
const MEMBERS = ['444444444444', '555555555555'];
const OWN_ACCOUNT_WARNING = Match.stringLikeRegexp('logArchiveConfigSourceOwnAccount');

function newStack(): Stack {
  return new Stack(new App(), 'Security', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

function synth(props: LogArchiveProps, stack: Stack = newStack()): Template {
  new LogArchive(stack, 'ConfigArchive', props);
  return Template.fromStack(stack);
}

/** Returns the statements of the archive bucket's policy whose Sid starts with `prefix`. */
function bucketStatements(template: Template, prefix: string): Array<Record<string, any>> {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
    .filter((statement) => typeof statement.Sid === 'string' && statement.Sid.startsWith(prefix));
}

function objectsOf(account: string) {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, `/AWSLogs/${account}/Config/*`]] };
}

describe('LogArchive AWS Config delivery from other accounts', () => {
  test('no AWS Config statement without source accounts', () => {
    const template = synth({});

    expect(bucketStatements(template, 'AWSConfig')).toEqual([]);
  });

  test('AWS Config may check the bucket', () => {
    const [check] = bucketStatements(synth({ configSourceAccounts: MEMBERS }), 'AWSConfigSourceAccountsBucketCheck');

    expect(check).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: ['s3:GetBucketAcl', 's3:ListBucket'],
      Condition: { StringEquals: { 'aws:SourceAccount': MEMBERS } },
    });
  });

  test('each account writes only its folder', () => {
    const template = synth({ configSourceAccounts: MEMBERS });
    const deliveries = bucketStatements(template, 'AWSConfigSourceAccountsDelivery');

    expect(deliveries).toHaveLength(2);
    MEMBERS.forEach((account, index) => {
      expect(deliveries[index]).toEqual({
        Sid: `AWSConfigSourceAccountsDelivery${index + 1}`,
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: expect.anything(),
        Condition: { StringEquals: { 'aws:SourceAccount': account, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      });
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AWSConfigSourceAccountsDelivery2', Resource: objectsOf(MEMBERS[1]) })]) },
    });
  });

  test('AWS Config may use the key', () => {
    synth({ configSourceAccounts: MEMBERS }).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AWSConfigSourceAccountsDelivery',
          Effect: 'Allow',
          Principal: { Service: 'config.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': MEMBERS } },
        }]),
      },
    });
  });

  test('a repeated account is rejected with the fix', () => {
    // GIVEN a list that names one member twice
    const accounts = [MEMBERS[0], MEMBERS[1], MEMBERS[0]];

    // WHEN the archive is created
    // THEN the error names the prop, the repeated value, where it was first listed and the fix
    expect(() => synth({ configSourceAccounts: accounts })).toThrow(
      'configSourceAccounts[2] is "444444444444", which configSourceAccounts[0] already lists. '
      + 'List each account once: remove configSourceAccounts[2].');
  });

  test('the same account token twice is rejected', () => {
    // GIVEN one account token listed twice
    const account = Lazy.string({ produce: () => MEMBERS[0] });

    // WHEN the archive is created
    // THEN the repeat is an error too
    expect(() => synth({ configSourceAccounts: [account, account] }))
      .toThrow('configSourceAccounts[1] is a token, which configSourceAccounts[0] already lists.');
  });

  test('the archive\'s own account gets a warning, and its delivery is still allowed', () => {
    // GIVEN a member account and the archive's own account
    const stack = newStack();

    // WHEN
    const template = synth({ configSourceAccounts: [MEMBERS[0], ACCOUNT] }, stack);

    // THEN the warning explains when the entry is redundant and when to keep it
    Annotations.fromStack(stack).hasWarning('/Security/ConfigArchive', Match.stringLikeRegexp(
      '^configSourceAccounts\\[1\\] is "222222222222", the archive\'s own account\\. DetectiveControls already lets AWS Config '
      + 'of its own account deliver .* remove the account from configSourceAccounts\\. Keep it only when this account records '
      + 'with AccountConfigRecorder instead, and then acknowledge this warning\\. '
      + '\\[ack: @ssd-platform/security-baseline:logArchiveConfigSourceOwnAccount\\]$'));
    // AND the statements are as for any other account, because they are harmless
    const [check] = bucketStatements(template, 'AWSConfigSourceAccountsBucketCheck');
    expect(check.Condition.StringEquals['aws:SourceAccount']).toEqual([MEMBERS[0], ACCOUNT]);
  });

  test('member accounts alone get no own-account warning', () => {
    // GIVEN an archive for the member accounts only
    const stack = newStack();

    // WHEN
    synth({ configSourceAccounts: MEMBERS }, stack);

    // THEN
    Annotations.fromStack(stack).hasNoWarning('/Security/ConfigArchive', OWN_ACCOUNT_WARNING);
  });

  test('the own-account warning can be acknowledged', () => {
    // GIVEN an archive that lists its own account, because this account records with AccountConfigRecorder
    const stack = newStack();
    const archive = new LogArchive(stack, 'ConfigArchive', { objectLock: false, configSourceAccounts: [ACCOUNT] });

    // WHEN the warning is acknowledged
    CoreAnnotations.of(archive).acknowledgeWarning('@ssd-platform/security-baseline:logArchiveConfigSourceOwnAccount',
      'This account records with AccountConfigRecorder.');

    // THEN it is gone
    Annotations.fromStack(stack).hasNoWarning('/Security/ConfigArchive', OWN_ACCOUNT_WARNING);
  });

  test('an environment-agnostic stack gets no own-account warning', () => {
    // GIVEN a stack whose account is known only at deploy time
    const stack = new Stack(new App(), 'Agnostic');

    // WHEN
    synth({ configSourceAccounts: MEMBERS }, stack);

    // THEN the own account cannot be compared, so there is no warning
    Annotations.fromStack(stack).hasNoWarning('/Agnostic/ConfigArchive', OWN_ACCOUNT_WARNING);
  });

  test('imported key gets a warning', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    synth({ encryptionKey: key, configSourceAccounts: MEMBERS }, stack);

    Annotations.fromStack(stack).hasWarning('/Security/ConfigArchive', Match.stringLikeRegexp(
      'AWS Config cannot encrypt what the configSourceAccounts deliver until the key policy allows principal service '
      + 'config.amazonaws.com kms:Decrypt and kms:GenerateDataKey on resource "\\*" with StringEquals aws:SourceAccount '
      + '\\[444444444444, 555555555555\\]'));
  });

  test('account tokens are accepted', () => {
    const account = Lazy.string({ produce: () => MEMBERS[0] });
    const [check] = bucketStatements(synth({ configSourceAccounts: [account] }), 'AWSConfigSourceAccountsBucketCheck');

    expect(check.Condition.StringEquals['aws:SourceAccount']).toEqual([MEMBERS[0]]);
  });

  test('empty source accounts are rejected', () => {
    expect(() => synth({ configSourceAccounts: [] })).toThrow(/configSourceAccounts is empty\. List the 12-digit IDs/);
  });

  test('source accounts that are not a list are rejected', () => {
    expect(() => synth({ configSourceAccounts: '444444444444' as unknown as string[] }))
      .toThrow(/configSourceAccounts is the string "444444444444", but a list is expected/);
  });

  test('invalid account ID is rejected', () => {
    expect(() => synth({ configSourceAccounts: ['4444'] }))
      .toThrow(/configSourceAccounts\[0\] is "4444", which is not an AWS account ID\. Use the 12-digit account ID/);
  });

  test('account that is not a string is rejected', () => {
    expect(() => synth({ configSourceAccounts: [444444444444 as unknown as string] }))
      .toThrow(/configSourceAccounts\[0\] is 444444444444, which is not a string/);
  });
});
