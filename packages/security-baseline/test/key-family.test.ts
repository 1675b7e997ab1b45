import { App, Aspects, Duration, Lazy, RemovalPolicy, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { KeyFamily, KeyFamilyProps, KeyPurpose } from '../src/key-family';
import { DENY_GRANTS_STATEMENT, expectEveryKeyToDenyGrants } from './support/key-policy';

const ACCOUNT = '111122223333';
const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:role/key-admin`;
const APP_ARN = `arn:aws:iam::${ACCOUNT}:role/app`;

function newStack(): Stack {
  return new Stack(new App(), 'Security', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

function synth(props: Partial<KeyFamilyProps> = {}, stack: Stack = newStack()): Template {
  new KeyFamily(stack, 'Keys', { aliasPrefix: 'ssd', ...props });
  return Template.fromStack(stack);
}

function role(stack: Stack, id: string, arn: string): iam.IRole {
  return iam.Role.fromRoleArn(stack, id, arn);
}

/** Returns the key policy statements of the key whose description names the purpose's resources. */
function statementsOf(template: Template, description: string): Array<Record<string, any>> {
  const keys = Object.values(template.findResources('AWS::KMS::Key', {
    Properties: { Description: Match.stringLikeRegexp(description) },
  }));
  expect(keys).toHaveLength(1);
  return keys[0].Properties.KeyPolicy.Statement;
}

function sids(statements: Array<Record<string, any>>): unknown[] {
  return statements.map((statement) => statement.Sid);
}

describe('KeyFamily defaults', () => {
  test('creates a key and an alias for every purpose', () => {
    const template = synth();

    template.resourceCountIs('AWS::KMS::Key', 5);
    for (const purpose of ['logs', 'storage', 'databases', 'backup', 'secrets']) {
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/ssd/${purpose}` });
    }
  });

  test('keys rotate yearly and are retained', () => {
    const template = synth();

    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    for (const key of keys) {
      expect(key.Properties).toMatchObject({ EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 });
      expect(key.DeletionPolicy).toBe('Retain');
      expect(key.UpdateReplacePolicy).toBe('Retain');
    }
  });

  test('aliases are retained', () => {
    const aliases = Object.values(synth().findResources('AWS::KMS::Alias'));

    expect(aliases.map((alias) => alias.DeletionPolicy)).toEqual(Array(5).fill('Retain'));
  });

  test('account root manages keys only through IAM', () => {
    const statements = statementsOf(synth(), 'Secrets Manager');

    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([{
      Action: 'kms:*',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:root`]] } },
      Resource: '*',
    }]);
  });

  test('logs key lets CloudWatch Logs use it for this account', () => {
    const statement = statementsOf(synth(), 'CloudWatch Logs').find((entry) => entry.Sid === 'CloudWatchLogsUse');

    expect(statement).toEqual({
      Sid: 'CloudWatchLogsUse',
      Effect: 'Allow',
      Principal: { Service: 'logs.eu-west-2.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-2:${ACCOUNT}:log-group:*`]],
          },
        },
      },
    });
  });

  test('keys are symmetric and single-region', () => {
    for (const key of Object.values(synth().findResources('AWS::KMS::Key'))) {
      expect(key.Properties.KeySpec).toBeUndefined();
      expect(key.Properties.MultiRegion).toBeUndefined();
    }
  });
});

describe('KeyFamily overrides', () => {
  test('purposes limit the keys created', () => {
    const template = synth({ purposes: [KeyPurpose.LOGS, KeyPurpose.SECRETS] });

    template.resourceCountIs('AWS::KMS::Key', 2);
    template.resourceCountIs('AWS::KMS::Alias', 2);
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ssd/secrets' });
  });

  test('rotation period is configurable', () => {
    const template = synth({ rotationPeriod: Duration.days(90) });

    template.allResourcesProperties('AWS::KMS::Key', { RotationPeriodInDays: 90 });
  });

  test('alias prefix may have several segments', () => {
    synth({ aliasPrefix: 'ssd/security' }).hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ssd/security/backup' });
  });

  test('administrators manage keys without using them', () => {
    const stack = newStack();
    const statement = statementsOf(synth({ keyAdministrators: [role(stack, 'Admin', ADMIN_ARN)] }, stack), 'RDS')
      .find((entry) => entry.Sid === 'KeyAdministration');

    expect(statement?.Principal).toEqual({ AWS: ADMIN_ARN });
    expect(statement?.Action).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey']));
    for (const forbidden of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:CreateGrant', 'kms:*']) {
      expect(statement?.Action).not.toContain(forbidden);
    }
  });

  test('database users reach the key through RDS', () => {
    const stack = newStack();
    const statements = statementsOf(synth({ keyUsers: { databases: [role(stack, 'App', APP_ARN)] } }, stack), 'RDS');

    expect(statements.find((entry) => entry.Sid === 'KeyUse')).toEqual({
      Sid: 'KeyUse',
      Effect: 'Allow',
      Principal: { AWS: APP_ARN },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'rds.eu-west-2.amazonaws.com' } },
    });
    expect(statements.find((entry) => entry.Sid === 'KeyAttachmentToAwsResources')).toEqual({
      Sid: 'KeyAttachmentToAwsResources',
      Effect: 'Allow',
      Principal: { AWS: APP_ARN },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': 'rds.eu-west-2.amazonaws.com' },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      },
    });
  });

  test('storage users reach the key through S3 and EC2', () => {
    const stack = newStack();
    const statement = statementsOf(synth({ keyUsers: { storage: [role(stack, 'App', APP_ARN)] } }, stack), 'S3 buckets')
      .find((entry) => entry.Sid === 'KeyUse');

    expect(statement?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com', 'ec2.eu-west-2.amazonaws.com'] },
    });
  });

  test('backup users reach the key through AWS Backup', () => {
    const stack = newStack();
    const statements = statementsOf(synth({ keyUsers: { backup: [role(stack, 'App', APP_ARN)] } }, stack), 'AWS Backup');

    expect(statements.find((entry) => entry.Sid === 'KeyUse')?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'backup.eu-west-2.amazonaws.com' },
    });
    expect(sids(statements)).toContain('KeyAttachmentToAwsResources');
  });

  test('secret users reach the key through Secrets Manager', () => {
    const stack = newStack();
    const statements = statementsOf(synth({ keyUsers: { secrets: [role(stack, 'App', APP_ARN)] } }, stack), 'Secrets Manager');

    expect(statements.find((entry) => entry.Sid === 'KeyUse')?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-2.amazonaws.com' },
    });
    expect(sids(statements)).not.toContain('KeyAttachmentToAwsResources');
  });

  test('log users use the key directly', () => {
    const stack = newStack();
    const statement = statementsOf(synth({ keyUsers: { logs: [role(stack, 'App', APP_ARN)] } }, stack), 'CloudWatch Logs')
      .find((entry) => entry.Sid === 'KeyUse');

    expect(statement?.Principal).toEqual({ AWS: APP_ARN });
    expect(statement?.Condition).toBeUndefined();
  });

  test('users of one purpose reach no other key', () => {
    const stack = newStack();
    const template = synth({ keyUsers: { databases: [role(stack, 'App', APP_ARN)] } }, stack);

    expect(sids(statementsOf(template, 'S3 buckets'))).not.toContain('KeyUse');
    expect(sids(statementsOf(template, 'Secrets Manager'))).not.toContain('KeyUse');
  });

  test('additional statements go to their key only', () => {
    const statement = new iam.PolicyStatement({
      sid: 'AuditRead',
      principals: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/audit`)],
      actions: ['kms:DescribeKey', 'kms:GetKeyPolicy'],
      resources: ['*'],
    });
    const template = synth({ additionalStatements: [{ purpose: KeyPurpose.BACKUP, statement }] });

    expect(sids(statementsOf(template, 'AWS Backup'))).toContain('AuditRead');
    expect(sids(statementsOf(template, 'RDS'))).not.toContain('AuditRead');
  });

  test('principal "*" with a condition is accepted', () => {
    const statement = new iam.PolicyStatement({
      sid: 'OrganizationDecrypt',
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });

    expect(sids(statementsOf(synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement }] }), 'CloudWatch Logs')))
      .toContain('OrganizationDecrypt');
  });

  test('deny statements may name kms:*', () => {
    const statement = new iam.PolicyStatement({
      sid: 'DenyOutsideOrganization',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:*'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });

    expect(() => synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement }] })).not.toThrow();
  });

  test('destroy removal policy applies to keys and aliases', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    for (const resource of Object.values({ ...template.findResources('AWS::KMS::Key'), ...template.findResources('AWS::KMS::Alias') })) {
      expect(resource.DeletionPolicy).toBe('Delete');
    }
  });

  test('keyFor and aliasFor return the purpose key', () => {
    const stack = newStack();
    const family = new KeyFamily(stack, 'Keys', { aliasPrefix: 'ssd', purposes: [KeyPurpose.SECRETS] });

    expect(stack.resolve(family.keyFor(KeyPurpose.SECRETS).keyArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^KeysSecretsKey/), 'Arn'] });
    expect(stack.resolve(family.aliasFor(KeyPurpose.SECRETS).aliasName)).toBe('alias/ssd/secrets');
    expect(family.purposes).toEqual([KeyPurpose.SECRETS]);
  });

  test('keyFor rejects a purpose without a key', () => {
    const family = new KeyFamily(newStack(), 'Keys', { aliasPrefix: 'ssd', purposes: [KeyPurpose.SECRETS] });

    expect(() => family.keyFor(KeyPurpose.LOGS)).toThrow(/has no key for purpose "logs"\. It has keys for secrets/);
    expect(() => family.aliasFor(KeyPurpose.BACKUP)).toThrow(/has no key for purpose "backup"/);
  });
});

describe('KeyFamily validation', () => {
  function synthProps(props: unknown): void {
    new KeyFamily(newStack(), 'Keys', props as KeyFamilyProps);
  }

  function allowAll(sid?: string): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid,
      principals: [new iam.ArnPrincipal(APP_ARN)],
      actions: ['kms:*'],
      resources: ['*'],
    });
  }

  test('missing props are rejected', () => {
    expect(() => synthProps(undefined)).toThrow(/props is undefined\. Give the props as an object with at least aliasPrefix/);
  });

  test('alias prefix with invalid characters is rejected', () => {
    expect(() => synth({ aliasPrefix: 'ssd keys' })).toThrow(/aliasPrefix "ssd keys" is not a valid alias prefix/);
    expect(() => synth({ aliasPrefix: '/ssd' })).toThrow(/aliasPrefix "\/ssd" is not a valid alias prefix/);
  });

  test('alias prefix aws is rejected', () => {
    expect(() => synth({ aliasPrefix: 'aws' })).toThrow(/aliasPrefix "aws" starts with 'aws', which AWS KMS reserves/);
  });

  test('alias over 256 characters is rejected', () => {
    expect(() => synth({ aliasPrefix: 'a'.repeat(241) }))
      .toThrow(/aliasPrefix is 241 characters, which makes the alias 257 characters\. AWS KMS accepts alias names of at most 256/);
  });

  test('alias prefix token is rejected', () => {
    expect(() => synth({ aliasPrefix: Lazy.string({ produce: () => 'ssd' }) })).toThrow(/aliasPrefix is a token/);
  });

  test('empty purposes are rejected', () => {
    expect(() => synth({ purposes: [] })).toThrow(/purposes is empty/);
  });

  test('unknown purpose is rejected', () => {
    expect(() => synth({ purposes: ['logs', 'email'] as KeyPurpose[] })).toThrow(/purposes\[1\] is "email", which is not a key purpose/);
  });

  test('repeated purpose is rejected', () => {
    expect(() => synth({ purposes: [KeyPurpose.LOGS, KeyPurpose.LOGS] })).toThrow(/purposes\[1\] is "logs", which is listed twice/);
  });

  test.each([
    [Duration.days(89), '89 days'],
    [Duration.days(2600), '2600 days'],
    [Duration.hours(2200), '91 days 16 hours'],
  ])('rotation period %s is rejected', (rotationPeriod, shown) => {
    expect(() => synth({ rotationPeriod })).toThrow(new RegExp(`rotationPeriod is ${shown}\\. AWS KMS accepts a whole number of days from 90 to 2560`));
  });

  test('rotation period token is rejected', () => {
    expect(() => synth({ rotationPeriod: Duration.days(Lazy.number({ produce: () => 365 })) })).toThrow(/rotationPeriod is a token/);
  });

  test('administrator that is not a role is rejected', () => {
    expect(() => synth({ keyAdministrators: [ADMIN_ARN] as unknown as iam.IRole[] }))
      .toThrow(/keyAdministrators\[0\] is "arn:aws:iam::111122223333:role\/key-admin", which is not an IAM role/);
  });

  test('users for a purpose without a key are rejected', () => {
    const stack = newStack();

    expect(() => synth({ purposes: [KeyPurpose.LOGS], keyUsers: { secrets: [role(stack, 'App', APP_ARN)] } }, stack))
      .toThrow(/keyUsers\.secrets lists principals, but the family has no secrets key\. Add KeyPurpose\.SECRETS/);
  });

  test('service principal as user is rejected', () => {
    expect(() => synth({ keyUsers: { logs: [new iam.ServicePrincipal('firehose.amazonaws.com')] } }))
      .toThrow(/keyUsers\.logs\[0\] is a principal of type Service\. Give IAM roles, users or accounts only/);
  });

  test('any principal as user is rejected', () => {
    expect(() => synth({ keyUsers: { secrets: [new iam.AnyPrincipal()] } }))
      .toThrow(/keyUsers\.secrets\[0\] is principal "\*", which would let any AWS account use the key/);
  });

  test('unknown key user field is rejected', () => {
    expect(() => synth({ keyUsers: { email: [] } as unknown as KeyFamilyProps['keyUsers'] }))
      .toThrow(/keyUsers\.email is not a key purpose/);
  });

  test('statement granting kms:* is rejected by Sid', () => {
    expect(() => synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement: allowAll('TooBroad') }] }))
      .toThrow(/additionalStatements\[0\]\.statement \(Sid "TooBroad"\) allows the action "kms:\*".*List only the actions the principal needs/);
  });

  test('statement granting * is rejected', () => {
    const statement = new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(APP_ARN)], actions: ['*'], resources: ['*'] });

    expect(() => synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement }] }))
      .toThrow(/additionalStatements\[0\]\.statement allows the action "\*"/);
  });

  test('principal "*" without a condition is rejected', () => {
    const statement = new iam.PolicyStatement({ sid: 'Everyone', principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] });

    expect(() => synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement }] }))
      .toThrow(/\(Sid "Everyone"\) allows principal "\*" without a condition.*aws:PrincipalOrgID or kms:CallerAccount/);
  });

  test('NotAction is rejected', () => {
    const statement = new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(APP_ARN)], notActions: ['kms:ScheduleKeyDeletion'], resources: ['*'] });

    expect(() => synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement }] }))
      .toThrow(/allows with NotAction, which grants every action not listed.*List the allowed actions in Action instead/);
  });

  test('NotPrincipal is rejected', () => {
    const statement = new iam.PolicyStatement({ notPrincipals: [new iam.ArnPrincipal(APP_ARN)], actions: ['kms:Decrypt'], resources: ['*'] });

    expect(() => synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement }] }))
      .toThrow(/allows with NotPrincipal.*Name the allowed principals in Principal instead/);
  });

  test('statement without principal is rejected', () => {
    const statement = new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] });

    expect(() => synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement }] }))
      .toThrow(/additionalStatements\[0\]\.statement is not a valid key policy statement: .*principal/i);
  });

  test('statement that is not a PolicyStatement is rejected', () => {
    const statement = { Effect: 'Allow', Action: 'kms:Decrypt' } as unknown as iam.PolicyStatement;

    expect(() => synth({ additionalStatements: [{ purpose: KeyPurpose.LOGS, statement }] }))
      .toThrow(/additionalStatements\[0\]\.statement is .*which is not an iam\.PolicyStatement/);
  });

  test('statement for a purpose without a key is rejected', () => {
    const statement = new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(APP_ARN)], actions: ['kms:Decrypt'], resources: ['*'] });

    expect(() => synth({ purposes: [KeyPurpose.LOGS], additionalStatements: [{ purpose: KeyPurpose.BACKUP, statement }] }))
      .toThrow(/additionalStatements\[0\]\.purpose is "backup", but the family has no key for it/);
  });

  test('unsupported removal policy is rejected', () => {
    expect(() => synth({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/removalPolicy is "snapshot", which KMS keys do not support/);
  });

  test('values of the wrong type are rejected', () => {
    const statement = new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(APP_ARN)], actions: ['kms:Decrypt'], resources: ['*'] });

    expect(() => synthProps({ aliasPrefix: 5 })).toThrow(/aliasPrefix is 5, which is not a string/);
    expect(() => synthProps({ aliasPrefix: 'ssd', rotationPeriod: 365 })).toThrow(/rotationPeriod is 365, which is not a Duration/);
    expect(() => synthProps({ aliasPrefix: 'ssd', keyUsers: [] })).toThrow(/keyUsers is \[\], which is not an object/);
    expect(() => synthProps({ aliasPrefix: 'ssd', keyUsers: { logs: [APP_ARN] } })).toThrow(/keyUsers\.logs\[0\] is "arn:.*", which is not an IAM principal/);
    expect(() => synthProps({ aliasPrefix: 'ssd', additionalStatements: ['x'] })).toThrow(/additionalStatements\[0\] is "x", which is not an object/);
    expect(() => synthProps({ aliasPrefix: 'ssd', additionalStatements: [{ purpose: 'email', statement }] }))
      .toThrow(/additionalStatements\[0\]\.purpose is "email", which is not a key purpose/);
  });

  test('all problems are reported at once', () => {
    expect(() => synth({ aliasPrefix: 'aws', rotationPeriod: Duration.days(30), purposes: [] }))
      .toThrow(new RegExp('^Invalid KeyFamily props at Security/Keys:\\n  - aliasPrefix "aws".*\\n  - purposes is empty.*\\n  - rotationPeriod is 30 days.*$'));
  });
});

describe('KeyFamily compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    const stack = new Stack(new App({ context: RECOMMENDED_FEATURE_FLAGS }), 'Security', { env: { account: ACCOUNT, region: 'eu-west-2' } });
    new KeyFamily(stack, 'Keys', {
      aliasPrefix: 'ssd',
      keyAdministrators: [role(stack, 'Admin', ADMIN_ARN)],
      keyUsers: { databases: [role(stack, 'App', APP_ARN)] },
    });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});

describe('KeyFamily grants', () => {
  test('every key denies grants that are not for AWS resources', () => {
    expectEveryKeyToDenyGrants(synth(), 5);
  });

  test('the deny statement still lets key users attach the key to AWS resources', () => {
    const stack = newStack();
    const statements = statementsOf(synth({ keyUsers: { storage: [role(stack, 'App', APP_ARN)] } }, stack), 'S3 buckets');

    // The allow needs kms:GrantIsForAWSResource true, and the deny applies only when it is false.
    expect(statements.find((statement) => statement.Sid === 'KeyAttachmentToAwsResources').Condition.Bool)
      .toEqual({ 'kms:GrantIsForAWSResource': 'true' });
    expect(statements).toContainEqual(DENY_GRANTS_STATEMENT);
  });
});
