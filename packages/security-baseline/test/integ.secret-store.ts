import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { KeyFamily, KeyPurpose } from '../src/key-family';
import { KeyPairType, KeyPairUse, SecretRotation, SecretStore, SecretType } from '../src/secret-store';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'SecretStoreInteg');

// Set the organization ID of the account that runs the test with -c organizationId=o-...,
// or the resource policies deny every caller, the assertions included.
const organizationId: string = app.node.tryGetContext('organizationId') ?? 'o-exampleorgid';

const keys = new KeyFamily(stack, 'Keys', {
  aliasPrefix: 'ssd-integ-secrets',
  purposes: [KeyPurpose.SECRETS],
  removalPolicy: RemovalPolicy.DESTROY,
});
const reason = 'Integration test secret, deleted with the stack after each run.';
const store = new SecretStore(stack, 'Secrets', {
  encryptionKey: keys.keyFor(KeyPurpose.SECRETS),
  organizationId,
  secrets: [{ name: 'ssd-integ/api-token', type: SecretType.TOKEN, rotation: SecretRotation.manual(reason) }],
  keyPairs: [{ use: KeyPairUse.SFTP, name: 'ssd-integ-partner', keyType: KeyPairType.ED25519, rotation: SecretRotation.manual(reason) }],
  removalPolicy: RemovalPolicy.DESTROY,
});

const test = new IntegTest(app, 'SecretStoreTest', { testCases: [stack], regions: ['eu-west-2'] });

// The token is encrypted with the SECRETS key and tagged with its type.
test.assertions
  .awsApiCall('SecretsManager', 'describeSecret', { SecretId: store.secret('ssd-integ/api-token').secretArn })
  .expect(ExpectedResult.objectLike({
    Name: 'ssd-integ/api-token',
    KmsKeyId: keys.keyFor(KeyPurpose.SECRETS).keyArn,
    Tags: [{ Key: 'SecretType', Value: 'token' }],
  }));

// The SFTP key pair is stored under its naming convention, empty until a key is uploaded.
test.assertions
  .awsApiCall('SecretsManager', 'describeSecret', { SecretId: store.secret('sftp/ssd-integ-partner').secretArn })
  .expect(ExpectedResult.objectLike({ Name: 'sftp/ssd-integ-partner', KmsKeyId: keys.keyFor(KeyPurpose.SECRETS).keyArn }));
