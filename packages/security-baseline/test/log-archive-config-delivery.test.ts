import { App, Aws, Annotations as CoreAnnotations, Fn, Lazy, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
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

  test('each account writes only its folder, with a statement of its own', () => {
    const template = synth({ configSourceAccounts: MEMBERS });
    const deliveries = bucketStatements(template, 'AWSConfigSourceAccountsDelivery');

    // One statement per account, in the form of the AWS Config documentation, with no policy variable
    expect(deliveries).toEqual(MEMBERS.map((account, index) => ({
      Sid: `AWSConfigSourceAccountsDelivery${index + 1}`,
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: expect.anything(),
      Condition: { StringEquals: { 'aws:SourceAccount': account, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    })));
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith(MEMBERS.map((account, index) => Match.objectLike({
          Sid: `AWSConfigSourceAccountsDelivery${index + 1}`,
          Resource: objectsOf(account),
        }))),
      },
    });
    expect(JSON.stringify(deliveries)).not.toContain('${aws:SourceAccount}');
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
    // THEN the repeat is an error too, with what the token resolves to
    expect(() => synth({ configSourceAccounts: [account, account] }))
      .toThrow('configSourceAccounts[1] is (a token that resolves to "444444444444"), which configSourceAccounts[0] already lists.');
  });

  test('two tokens for the same reference are rejected', () => {
    // GIVEN two imports of the same export, which are two different tokens
    const accounts = [Fn.importValue('WorkloadsAccountId'), MEMBERS[1], Fn.importValue('WorkloadsAccountId')];

    // WHEN the archive is created
    // THEN they are compared by what CloudFormation receives
    expect(() => synth({ configSourceAccounts: accounts })).toThrow(
      'configSourceAccounts[2] is (a token that resolves to {"Fn::ImportValue":"WorkloadsAccountId"}), which '
      + 'configSourceAccounts[0] already lists. List each account once: remove configSourceAccounts[2].');
  });

  test.each([
    ['a stack of a given account', () => newStack()],
    ['an environment-agnostic stack', () => new Stack(new App(), 'Security')],
  ])('Aws.ACCOUNT_ID gets the own-account warning in %s', (_name, makeStack) => {
    // GIVEN the archive's own account as the pseudo parameter
    const stack = makeStack();

    // WHEN
    synth({ configSourceAccounts: [MEMBERS[0], Aws.ACCOUNT_ID] }, stack);

    // THEN it is recognised as the own account
    Annotations.fromStack(stack).hasWarning('/Security/ConfigArchive', Match.stringLikeRegexp(
      '^configSourceAccounts\\[1\\] is \\(a token that resolves to \\{"Ref":"AWS::AccountId"\\}\\), the archive\'s own account\\.'));
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

describe('LogArchive bucket policy size', () => {
  const accounts = (count: number) => Array.from({ length: count }, (_, index) => String(300000000000 + index));

  test('49 source accounts fit with a generated bucket name', () => {
    // GIVEN as many accounts as the per-account statements leave room for
    let template: Template | undefined;

    // WHEN the archive is synthesised, which runs the size check
    // THEN synthesis passes, with one delivery statement per account
    expect(() => {
      template = synth({ objectLock: false, configSourceAccounts: accounts(49) });
    }).not.toThrow();
    expect(bucketStatements(template!, 'AWSConfigSourceAccountsDelivery')).toHaveLength(49);
  });

  test('54 source accounts fit with a 31-character bucket name', () => {
    // GIVEN a bucket name shorter than the longest that S3 allows, as the size check counts for a generated name
    const bucketName = 'ssd-config-archive-222222222222';

    // WHEN the archive is synthesised
    // THEN the shorter ARN in each statement leaves room for more accounts
    expect(() => synth({ objectLock: false, bucketName, configSourceAccounts: accounts(54) })).not.toThrow();
    expect(() => synth({ objectLock: false, bucketName, configSourceAccounts: accounts(55) })).toThrow(/The bucket policy of/);
  });

  test('50 source accounts exceed the limit with a generated bucket name', () => {
    // GIVEN one account more than fits
    const stack = newStack();
    new LogArchive(stack, 'ConfigArchive', { objectLock: false, configSourceAccounts: accounts(50) });

    // WHEN the app is synthesised
    // THEN the size check fails it, and suggests a second archive for the other accounts
    expect(() => Template.fromStack(stack)).toThrow(new RegExp('The largest parts: configSourceAccounts \\(51 statements, '
      + 'about \\d+ bytes\\).*Each of the configSourceAccounts adds a statement, so one archive holds about 49 of them: list the '
      + 'others in the configSourceAccounts of a second LogArchive with objectLock: false'));
  });

  test('an oversized bucket policy fails synthesis', () => {
    // GIVEN more AWS Config source accounts than the bucket policy can admit
    const stack = newStack();
    new LogArchive(stack, 'ConfigArchive', { objectLock: false, configSourceAccounts: accounts(80) });

    // WHEN the app is synthesised
    // THEN the error gives the estimate, the limit, the parts by prop and the fix
    expect(() => Template.fromStack(stack)).toThrow(new RegExp('The bucket policy of Security/ConfigArchive/Bucket would have about '
      + '\\d+ bytes, and S3 accepts at most 20480 in a bucket policy, so the deployment would fail although synthesis passes\\. '
      + 'The largest parts: configSourceAccounts \\(81 statements, about \\d+ bytes\\), logSourceAccounts \\(2 statements, '
      + 'about \\d+ bytes\\), .*Send some of these sources to a second LogArchive'));
  });

  test('statements added through the bucket count too', () => {
    // GIVEN a few source accounts, and large statements added to the archive bucket afterwards
    const stack = newStack();
    const archive = new LogArchive(stack, 'ConfigArchive', { objectLock: false, configSourceAccounts: MEMBERS });
    for (let index = 0; index < 60; index++) {
      archive.bucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: `ExtraReader${index}`,
        principals: [new iam.ArnPrincipal(`arn:aws:iam::${300000000000 + index}:role/a-reader-role-with-a-rather-long-name`)],
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectAttributes'],
        resources: [archive.bucket.arnForObjects(`AWSLogs/${300000000000 + index}/*`)],
      }));
    }

    // THEN the check measures the whole policy, and names the largest statements
    expect(() => Template.fromStack(stack)).toThrow(/The largest parts: the statements ExtraReader<n> \(60 statements, about \d+ bytes\), configSourceAccounts \(3 statements/);
  });
});

describe('LogArchive bucket name with dots', () => {
  const DOTTED_WARNING = Match.stringLikeRegexp('logArchiveDottedBucketName');

  test('a dotted bucket name gets a warning', () => {
    // GIVEN a bucket name that S3 accepts but whose dots break TLS for virtual-hosted-style requests
    const stack = newStack();

    // WHEN
    synth({ bucketName: 'ssd.config.archive' }, stack);

    // THEN the warning names the value, the problem, the clash with AccountConfigRecorder and the fix
    Annotations.fromStack(stack).hasWarning('/Security/ConfigArchive', Match.stringLikeRegexp(
      '^bucketName "ssd\\.config\\.archive" has a problem: it contains dots, and the TLS certificate that S3 presents .*'
      + 'AccountConfigRecorder rejects a delivery bucket name with dots.*Choose a name without dots.*'
      + '\\[ack: @ssd-platform/security-baseline:logArchiveDottedBucketName\\]$'));
  });

  test('undotted or generated names get no warning', () => {
    for (const bucketName of ['ssd-config-archive-222222222222', undefined]) {
      const stack = newStack();
      synth({ bucketName }, stack);
      Annotations.fromStack(stack).hasNoWarning('/Security/ConfigArchive', DOTTED_WARNING);
    }
  });
});
