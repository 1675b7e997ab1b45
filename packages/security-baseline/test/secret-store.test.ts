import { App, Aspects, Duration, Lazy, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import {
  KeyPairSecretOptions,
  KeyPairType,
  KeyPairUse,
  SecretOptions,
  SecretRotation,
  SecretStore,
  SecretStoreProps,
  SecretType,
} from '../src/secret-store';

const ACCOUNT = '111122223333';
const ORGANIZATION = 'o-a1b2c3d4e5';
const KEY_ARN = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROTATION_ARN = `arn:aws:lambda:eu-west-2:${ACCOUNT}:function:rotate-token`;
const MANUAL_REASON = 'The partner issues this key and replaces it by hand every 90 days.';

function newStack(app: App = new App()): Stack {
  return new Stack(app, 'Shared', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

interface Fixture {
  readonly stack: Stack;
  readonly key: kms.IKey;
  readonly rotationFunction: lambda.IFunction;
}

function fixture(stack: Stack = newStack()): Fixture {
  return {
    stack,
    key: kms.Key.fromKeyArn(stack, 'SecretsKey', KEY_ARN),
    rotationFunction: lambda.Function.fromFunctionArn(stack, 'RotationFunction', ROTATION_ARN),
  };
}

function storeProps(f: Fixture, props: Partial<SecretStoreProps> = {}): SecretStoreProps {
  return { encryptionKey: f.key, organizationId: ORGANIZATION, ...props };
}

function synth(props: (f: Fixture) => Partial<SecretStoreProps>): Template {
  const f = fixture();
  new SecretStore(f.stack, 'Secrets', storeProps(f, props(f)));
  return Template.fromStack(f.stack);
}

function token(f: Fixture, overrides: Partial<SecretOptions> = {}): SecretOptions {
  return { name: 'app/api-token', type: SecretType.TOKEN, rotation: SecretRotation.byFunction(f.rotationFunction), ...overrides };
}

function sshKey(overrides: Partial<KeyPairSecretOptions> = {}): KeyPairSecretOptions {
  return { use: KeyPairUse.SSH, name: 'bastion-1', keyType: KeyPairType.ED25519, rotation: SecretRotation.manual(MANUAL_REASON), ...overrides };
}

function secretNamed(template: Template, name: string): Record<string, any> {
  const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: name } }));
  expect(secrets).toHaveLength(1);
  return secrets[0];
}

describe('SecretStore defaults', () => {
  test('secrets are encrypted with the given key', () => {
    synth((f) => ({ secrets: [token(f)] })).hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'app/api-token',
      KmsKeyId: KEY_ARN,
    });
  });

  test('secrets are retained', () => {
    const secret = secretNamed(synth((f) => ({ secrets: [token(f)] })), 'app/api-token');

    expect(secret.DeletionPolicy).toBe('Retain');
    expect(secret.UpdateReplacePolicy).toBe('Retain');
  });

  test('resource policy denies outside the organization and without TLS', () => {
    synth((f) => ({ secrets: [token(f)] })).hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      BlockPublicPolicy: true,
      ResourcePolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyOutsideOrganization',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'secretsmanager:*',
            Resource: '*',
            Condition: {
              StringNotEquals: { 'aws:PrincipalOrgID': ORGANIZATION },
              Bool: { 'aws:PrincipalIsAWSService': 'false' },
            },
          },
          {
            Sid: 'DenyWithoutTls',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'secretsmanager:*',
            Resource: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      },
    });
  });

  test('token is 64 generated letters and digits', () => {
    const secret = secretNamed(synth((f) => ({ secrets: [token(f)] })), 'app/api-token');

    expect(secret.Properties.GenerateSecretString).toEqual({
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
      RequireEachIncludedType: true,
    });
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  test('password is 32 characters without shell and URL characters', () => {
    const secret = secretNamed(synth((f) => ({ secrets: [token(f, { name: 'app/password', type: SecretType.PASSWORD })] })), 'app/password');

    expect(secret.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 32,
      ExcludePunctuation: false,
      ExcludeCharacters: ' "\'`\\/@:;%&?#',
    });
  });

  test('API key is 40 generated letters and digits', () => {
    const secret = secretNamed(synth((f) => ({ secrets: [token(f, { name: 'app/key', type: SecretType.API_KEY })] })), 'app/key');

    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 40, ExcludePunctuation: true });
  });

  test('connection string is created empty', () => {
    const secret = secretNamed(
      synth((f) => ({ secrets: [token(f, { name: 'app/database-url', type: SecretType.CONNECTION_STRING })] })), 'app/database-url');

    expect(secret.Properties.GenerateSecretString).toBeUndefined();
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  test('secrets carry their type tag', () => {
    synth((f) => ({ secrets: [token(f)] })).hasResourceProperties('AWS::SecretsManager::Secret', {
      Tags: [{ Key: 'SecretType', Value: 'token' }],
    });
  });

  test('rotation waits 30 days and does not run at deployment', () => {
    synth((f) => ({ secrets: [token(f)] })).hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationLambdaARN: ROTATION_ARN,
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotateImmediatelyOnUpdate: false,
    });
  });

  test('key pairs are named by use and created empty', () => {
    const template = synth(() => ({ keyPairs: [sshKey(), sshKey({ use: KeyPairUse.SFTP, name: 'hmrc', keyType: KeyPairType.RSA_4096 })] }));

    const ssh = secretNamed(template, 'ssh/bastion-1');
    const sftp = secretNamed(template, 'sftp/hmrc');
    expect(ssh.Properties.GenerateSecretString).toBeUndefined();
    expect(sftp.Properties.GenerateSecretString).toBeUndefined();
    expect(ssh.Properties.KmsKeyId).toBe(KEY_ARN);
    expect(ssh.Properties.Tags).toEqual([{ Key: 'KeyType', Value: 'ed25519' }, { Key: 'KeyUse', Value: 'ssh' }]);
    expect(sftp.Properties.Tags).toEqual([{ Key: 'KeyType', Value: 'rsa-4096' }, { Key: 'KeyUse', Value: 'sftp' }]);
  });

  test('no secret value appears in the template', () => {
    const template = synth((f) => ({ secrets: [token(f)], keyPairs: [sshKey()] }));

    for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.SecretString).toBeUndefined();
    }
  });
});

describe('SecretStore overrides', () => {
  test('rotation interval is configurable', () => {
    synth((f) => ({ secrets: [token(f, { rotation: SecretRotation.byFunction(f.rotationFunction, Duration.days(7)) })] }))
      .hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(7 days)' } });
  });

  test('generated length is configurable', () => {
    const secret = secretNamed(synth((f) => ({ secrets: [token(f, { length: 128 })] })), 'app/api-token');

    expect(secret.Properties.GenerateSecretString.PasswordLength).toBe(128);
  });

  test('description is passed on', () => {
    synth((f) => ({ secrets: [token(f, { description: 'Token for the payments API' })] }))
      .hasResourceProperties('AWS::SecretsManager::Secret', { Description: 'Token for the payments API' });
  });

  test('database password uses hosted rotation', () => {
    const template = synth((f) => ({
      secrets: [token(f, {
        name: 'db/admin',
        type: SecretType.PASSWORD,
        jsonTemplate: { engine: 'mysql', host: 'db.internal', username: 'admin' },
        rotation: SecretRotation.hosted(secretsmanager.HostedRotation.mysqlSingleUser()),
      })],
    }));

    expect(secretNamed(template, 'db/admin').Properties.GenerateSecretString).toMatchObject({
      SecretStringTemplate: '{"engine":"mysql","host":"db.internal","username":"admin"}',
      GenerateStringKey: 'password',
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      HostedRotationLambda: { RotationType: 'MySQLSingleUser', KmsKeyArn: KEY_ARN },
    });
  });

  test('manual rotation warns and records its reason', () => {
    const f = fixture();
    new SecretStore(f.stack, 'Secrets', storeProps(f, { keyPairs: [sshKey()] }));
    const template = Template.fromStack(f.stack);

    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(secretNamed(template, 'ssh/bastion-1').Metadata.cdk_nag.rules_to_suppress).toEqual([
      { id: 'AwsSolutions-SMG4', reason: `Rotation is manual: ${MANUAL_REASON}` },
      { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason: `Rotation is manual: ${MANUAL_REASON}` },
    ]);
    Annotations.fromStack(f.stack).hasWarning('/Shared/Secrets/ssh:bastion-1',
      Match.stringLikeRegexp('does not rotate automatically: The partner issues this key.*secretRotationManual'));
  });

  test('name that looks like an ARN suffix warns', () => {
    const f = fixture();
    new SecretStore(f.stack, 'Secrets', storeProps(f, { secrets: [token(f, { name: 'app/stripe-apikey' })] }));

    Annotations.fromStack(f.stack).hasWarning('/Shared/Secrets',
      Match.stringLikeRegexp('"app/stripe-apikey" ends with a hyphen and six characters'));
  });

  test('destroy removal policy applies to secrets', () => {
    const secret = secretNamed(synth((f) => ({ secrets: [token(f)], removalPolicy: RemovalPolicy.DESTROY })), 'app/api-token');

    expect(secret.DeletionPolicy).toBe('Delete');
  });

  test('grantRead gives read access to one secret', () => {
    const f = fixture();
    const store = new SecretStore(f.stack, 'Secrets', storeProps(f, { keyPairs: [sshKey()] }));
    const reader = new iam.Role(f.stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });

    store.grantRead('ssh/bastion-1', reader);

    Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: { Ref: Match.stringLikeRegexp('^Secretssshbastion1') },
          }),
        ]),
      },
    });
    expect(store.secretNames).toEqual(['ssh/bastion-1']);
  });

  test('secret rejects an unknown name', () => {
    const f = fixture();
    const store = new SecretStore(f.stack, 'Secrets', storeProps(f, { keyPairs: [sshKey()] }));

    expect(() => store.secret('ssh/other')).toThrow(/has no secret named "ssh\/other"\. Its secrets are "ssh\/bastion-1"/);
  });
});

describe('SecretStore validation', () => {
  function synthProps(props: (f: Fixture) => unknown): void {
    const f = fixture();
    new SecretStore(f.stack, 'Secrets', props(f) as SecretStoreProps);
  }

  test('missing props are rejected', () => {
    expect(() => synthProps(() => undefined)).toThrow(/props is undefined\. Give the props as an object with at least encryptionKey and organizationId/);
  });

  test('encryption key that is not a key is rejected', () => {
    expect(() => synthProps(() => ({ encryptionKey: KEY_ARN, organizationId: ORGANIZATION })))
      .toThrow(/encryptionKey is "arn:aws:kms:.*", which is not a KMS key/);
  });

  test('key in another region is rejected', () => {
    expect(() => synthProps((f) => ({
      encryptionKey: kms.Key.fromKeyArn(f.stack, 'Other', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
      organizationId: ORGANIZATION,
    }))).toThrow(/encryptionKey is a key in eu-west-1, but the store is in eu-west-2/);
  });

  test('malformed organization ID is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { organizationId: 'r-ab12' })))
      .toThrow(/organizationId is "r-ab12", which is not an AWS Organizations organization ID/);
  });

  test('organization ID token is accepted', () => {
    expect(() => synthProps((f) => storeProps(f, { organizationId: Lazy.string({ produce: () => ORGANIZATION }), secrets: [token(f)] })))
      .not.toThrow();
  });

  test('missing rotation is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { rotation: undefined })] })))
      .toThrow(/secrets\[0\]\.rotation is missing\. Give SecretRotation\.byFunction\(rotationFunction\).*SecretRotation\.manual/);
  });

  test('rotation that is not a SecretRotation is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { rotation: 'monthly' as unknown as SecretRotation })] })))
      .toThrow(/secrets\[0\]\.rotation is "monthly", which is not a SecretRotation/);
  });

  test('short manual reason is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { keyPairs: [sshKey({ rotation: SecretRotation.manual('by hand') })] })))
      .toThrow(/keyPairs\[0\]\.rotation is manual with the reason "by hand"\. Give a reason of at least 20/);
  });

  test.each([
    [Duration.hours(3), '3 hours'],
    [Duration.days(1001), '1001 days'],
  ])('rotation interval %s is rejected', (interval, shown) => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { rotation: SecretRotation.byFunction(f.rotationFunction, interval) })] })))
      .toThrow(new RegExp(`secrets\\[0\\]\\.rotation\\.automaticallyAfter is ${shown}`));
  });

  test('rotation interval of minutes is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, {
      secrets: [token(f, { rotation: SecretRotation.byFunction(f.rotationFunction, Duration.minutes(270)) })],
    }))).toThrow(/automaticallyAfter is 4 hours 30 minutes\. Secrets Manager rotates at most every 4 hours/);
  });

  test('invalid secret name is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { name: 'app token' })] })))
      .toThrow(/secrets\[0\]\.name "app token" is not a valid secret name/);
  });

  test('secret name token is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { name: Lazy.string({ produce: () => 'x' }) })] })))
      .toThrow(/secrets\[0\]\.name is a token/);
  });

  test('key pair prefix in a secret name is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { name: 'ssh/bastion-1' })] })))
      .toThrow(/secrets\[0\]\.name "ssh\/bastion-1" starts with ssh\/ or sftp\/, which the store keeps for key pairs/);
  });

  test('unknown secret type is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { type: 'certificate' as SecretType })] })))
      .toThrow(/secrets\[0\]\.type is "certificate", which is not a secret type/);
  });

  test('length for a connection string is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { type: SecretType.CONNECTION_STRING, length: 32 })] })))
      .toThrow(/secrets\[0\]\.length is 32, but a CONNECTION_STRING secret is uploaded, not generated/);
  });

  test.each([8, 5000, 20.5])('length %s is rejected', (length) => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { length })] })))
      .toThrow(new RegExp(`secrets\\[0\\]\\.length is ${length}\\. Give a whole number of characters from 16 to 4096`));
  });

  test('JSON template for a token is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { jsonTemplate: { user: 'a' } })] })))
      .toThrow(/secrets\[0\]\.jsonTemplate is given for a "token" secret/);
  });

  test('JSON template with a password field is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, {
      secrets: [token(f, { type: SecretType.PASSWORD, jsonTemplate: { username: 'admin', password: 'hunter2' } })],
    }))).toThrow(/secrets\[0\]\.jsonTemplate has a password field, which the store generates/);
  });

  test('JSON template with a non-string field is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, {
      secrets: [token(f, { type: SecretType.PASSWORD, jsonTemplate: { port: 3306 } as unknown as Record<string, string> })],
    }))).toThrow(/secrets\[0\]\.jsonTemplate\.port is 3306, which is not a string/);
  });

  test('hosted rotation without database fields is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, {
      secrets: [token(f, {
        type: SecretType.PASSWORD,
        jsonTemplate: { username: 'admin' },
        rotation: SecretRotation.hosted(secretsmanager.HostedRotation.mysqlSingleUser()),
      })],
    }))).toThrow(/secrets\[0\]\.rotation is a hosted rotation, which rotates database passwords only.*that has engine, host/);
  });

  test('hosted rotation for a token is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, {
      secrets: [token(f, { rotation: SecretRotation.hosted(secretsmanager.HostedRotation.postgreSqlSingleUser()) })],
    }))).toThrow(/secrets\[0\]\.rotation is a hosted rotation/);
  });

  test('hosted rotation for a key pair is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, {
      keyPairs: [sshKey({ rotation: SecretRotation.hosted(secretsmanager.HostedRotation.mysqlSingleUser()) })],
    }))).toThrow(/keyPairs\[0\]\.rotation is a hosted rotation, which rotates database passwords only/);
  });

  test('invalid key pair host is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { keyPairs: [sshKey({ name: 'host/1' })] })))
      .toThrow(/keyPairs\[0\]\.name is "host\/1"\. Give the host or partner name/);
  });

  test('unknown key pair use and type are rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { keyPairs: [sshKey({ use: 'ftp' as KeyPairUse, keyType: 'dsa' as KeyPairType })] })))
      .toThrow(/keyPairs\[0\]\.use is "ftp", which is not a key pair use[\s\S]*keyPairs\[0\]\.keyType is "dsa", which is not a key type/);
  });

  test('repeated names are rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { keyPairs: [sshKey(), sshKey({ keyType: KeyPairType.RSA_3072 })] })))
      .toThrow(/keyPairs\[1\] is named "ssh\/bastion-1", like keyPairs\[0\]/);
  });

  test('long description is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { description: 'x'.repeat(2049) })] })))
      .toThrow(/secrets\[0\]\.description is 2049 characters\. Secrets Manager accepts at most 2048/);
  });

  test('unsupported removal policy is rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { removalPolicy: RemovalPolicy.SNAPSHOT })))
      .toThrow(/removalPolicy is "snapshot", which secrets do not support/);
  });

  test('secrets that are not a list are rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { secrets: token(f) as unknown as SecretOptions[] })))
      .toThrow(/secrets is .*which is not a list/);
  });

  test('values of the wrong type are rejected', () => {
    expect(() => synthProps((f) => storeProps(f, { organizationId: 5 as unknown as string }))).toThrow(/organizationId is 5, which is not a string/);
    expect(() => synthProps((f) => storeProps(f, { secrets: ['x' as unknown as SecretOptions] }))).toThrow(/secrets\[0\] is "x", which is not an object/);
    expect(() => synthProps((f) => storeProps(f, { keyPairs: [7 as unknown as KeyPairSecretOptions] }))).toThrow(/keyPairs\[0\] is 7, which is not an object/);
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { name: 3 as unknown as string })] })))
      .toThrow(/secrets\[0\]\.name is 3, which is not a string/);
    expect(() => synthProps((f) => storeProps(f, { secrets: [token(f, { description: 3 as unknown as string })] })))
      .toThrow(/secrets\[0\]\.description is 3, which is not a string/);
    expect(() => synthProps((f) => storeProps(f, {
      secrets: [token(f, { type: SecretType.PASSWORD, jsonTemplate: ['admin'] as unknown as Record<string, string> })],
    }))).toThrow(/secrets\[0\]\.jsonTemplate is \["admin"\], which is not an object/);
    expect(() => synthProps((f) => storeProps(f, {
      secrets: [token(f, { rotation: SecretRotation.byFunction({} as lambda.IFunction) })],
    }))).toThrow(/secrets\[0\]\.rotation has a rotation function of \{\}, which is not a Lambda function/);
    expect(() => synthProps((f) => storeProps(f, {
      secrets: [token(f, { rotation: SecretRotation.byFunction(f.rotationFunction, 30 as unknown as Duration) })],
    }))).toThrow(/secrets\[0\]\.rotation\.automaticallyAfter is 30, which is not a Duration/);
  });

  test('all problems are reported at once', () => {
    expect(() => synthProps((f) => storeProps(f, { organizationId: 'org', secrets: [token(f, { name: 'a b', rotation: undefined })] })))
      .toThrow(new RegExp('^Invalid SecretStore props at Shared/Secrets:\\n  - organizationId is "org".*\\n  - secrets\\[0\\]\\.name "a b".*\\n'
        + '  - secrets\\[0\\]\\.rotation is missing.*$'));
  });
});

describe('SecretStore compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    const f = fixture(newStack(new App({ context: RECOMMENDED_FEATURE_FLAGS })));
    new SecretStore(f.stack, 'Secrets', storeProps(f, {
      encryptionKey: new kms.Key(f.stack, 'Key', { enableKeyRotation: true }),
      secrets: [token(f), token(f, { name: 'app/database-url', type: SecretType.CONNECTION_STRING })],
      keyPairs: [sshKey()],
    }));
    Aspects.of(f.stack).add(new AwsSolutionsChecks());
    Aspects.of(f.stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(f.stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
