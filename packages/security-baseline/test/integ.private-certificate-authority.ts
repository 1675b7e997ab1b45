import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PrivateCertificateAuthority } from '../src/private-certificate-authority';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'PrivateCertificateAuthorityInteg');

// One subordinate keeps the test at two CAs. Each CA is charged for the part of the month it
// exists, so delete the stack soon after a real run. DESTROY deletes the CAs, which AWS Private
// CA keeps restorable for 30 days. The CRL bucket must be emptied by hand before the stack
// deletes it, because AWS Private CA writes CRLs into it.
const pki = new PrivateCertificateAuthority(stack, 'Pki', {
  organization: 'SSD Platform Integration Test',
  subordinateNames: ['non-production'],
  rootValidity: Duration.days(30),
  subordinateValidity: Duration.days(7),
  removalPolicy: RemovalPolicy.DESTROY,
});

const test = new IntegTest(app, 'PrivateCertificateAuthorityTest', { testCases: [stack], regions: ['eu-west-2'] });

// The root CA is active, with the key and signing algorithms of the hierarchy.
test.assertions
  .awsApiCall('ACMPCA', 'describeCertificateAuthority', { CertificateAuthorityArn: pki.rootCertificateAuthority.certificateAuthorityArn })
  .expect(ExpectedResult.objectLike({
    CertificateAuthority: {
      Type: 'ROOT',
      Status: 'ACTIVE',
      UsageMode: 'GENERAL_PURPOSE',
      KeyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
      CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_4096', SigningAlgorithm: 'SHA512WITHRSA' },
      RevocationConfiguration: { CrlConfiguration: { Enabled: true, S3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL' } },
    },
  }));

// The subordinate CA is active, signed by the root.
test.assertions
  .awsApiCall('ACMPCA', 'describeCertificateAuthority', { CertificateAuthorityArn: pki.subordinate('non-production').certificateAuthorityArn })
  .expect(ExpectedResult.objectLike({
    CertificateAuthority: { Type: 'SUBORDINATE', Status: 'ACTIVE', UsageMode: 'GENERAL_PURPOSE' },
  }));
