import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { KeyFamily, KeyPurpose } from '../src/key-family';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'KeyFamilyInteg');

// DESTROY schedules the keys for deletion when a maintainer's real run deletes the stack.
const family = new KeyFamily(stack, 'Keys', {
  aliasPrefix: 'ssd-integ',
  purposes: [KeyPurpose.LOGS, KeyPurpose.SECRETS],
  rotationPeriod: Duration.days(180),
  removalPolicy: RemovalPolicy.DESTROY,
});

const test = new IntegTest(app, 'KeyFamilyTest', { testCases: [stack], regions: ['eu-west-2'] });

// The alias leads to an enabled, customer managed, symmetric key.
test.assertions
  .awsApiCall('KMS', 'describeKey', { KeyId: 'alias/ssd-integ/secrets' })
  .expect(ExpectedResult.objectLike({
    KeyMetadata: {
      KeyId: family.keyFor(KeyPurpose.SECRETS).keyId,
      KeyManager: 'CUSTOMER',
      KeyState: 'Enabled',
      KeySpec: 'SYMMETRIC_DEFAULT',
      MultiRegion: false,
    },
  }));

// Automatic rotation is on, with the given period.
test.assertions
  .awsApiCall('KMS', 'getKeyRotationStatus', { KeyId: family.keyFor(KeyPurpose.LOGS).keyId })
  .expect(ExpectedResult.objectLike({ KeyRotationEnabled: true, RotationPeriodInDays: 180 }));
