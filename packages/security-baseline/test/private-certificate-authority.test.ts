import { App, Aspects, Duration, Lazy, RemovalPolicy, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { NcscChecks } from '../src/ncsc';
import { PrivateCertificateAuthority, PrivateCertificateAuthorityProps, RevocationMethod } from '../src/private-certificate-authority';
import { DataClassification, TaggingStandard } from '../src/tagging-standard';

const ACCOUNT = '111122223333';

function newStack(app: App = new App()): Stack {
  return new Stack(app, 'SharedServices', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

function synth(props: Partial<PrivateCertificateAuthorityProps> = {}, stack: Stack = newStack()): Template {
  new PrivateCertificateAuthority(stack, 'Pki', { organization: 'SSD Platform', ...props });
  return Template.fromStack(stack);
}

function resourcesOf(template: Template, type: string, properties: Record<string, unknown> = {}): Array<[string, Record<string, any>]> {
  return Object.entries(template.findResources(type, { Properties: properties }));
}

/** Returns the logical ID of the only resource of a type whose logical ID starts with a prefix. */
function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function templateArn(name: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:acm-pca:::template/${name}`]] };
}

describe('PrivateCertificateAuthority defaults', () => {
  test('root CA uses RSA 4096 and SHA512WITHRSA', () => {
    synth().hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      Type: 'ROOT',
      KeyAlgorithm: 'RSA_4096',
      SigningAlgorithm: 'SHA512WITHRSA',
      KeyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
      UsageMode: 'GENERAL_PURPOSE',
      Subject: { CommonName: 'SSD Platform Root CA', Organization: 'SSD Platform', Country: 'GB' },
    });
  });

  test('CRLs go to the private bucket with bucket-owner ACL', () => {
    const template = synth();
    const bucketId = logicalId(template, 'AWS::S3::Bucket', 'PkiCrlBucket');

    const authorities = resourcesOf(template, 'AWS::ACMPCA::CertificateAuthority');
    expect(authorities).toHaveLength(3);
    for (const [, authority] of authorities) {
      expect(authority.Properties.RevocationConfiguration).toEqual({
        CrlConfiguration: { Enabled: true, ExpirationInDays: 7, S3BucketName: { Ref: bucketId }, S3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL' },
      });
    }
  });

  test('root certificate is self-signed for ten years', () => {
    const template = synth();
    const rootId = logicalId(template, 'AWS::ACMPCA::CertificateAuthority', 'PkiRoot');

    template.hasResourceProperties('AWS::ACMPCA::Certificate', {
      CertificateAuthorityArn: { 'Fn::GetAtt': [rootId, 'Arn'] },
      CertificateSigningRequest: { 'Fn::GetAtt': [rootId, 'CertificateSigningRequest'] },
      SigningAlgorithm: 'SHA512WITHRSA',
      TemplateArn: templateArn('RootCACertificate/V1'),
      Validity: { Type: 'DAYS', Value: 3650 },
    });
  });

  test('root CA is activated with its certificate', () => {
    const template = synth();
    const rootId = logicalId(template, 'AWS::ACMPCA::CertificateAuthority', 'PkiRoot');
    const certificateId = logicalId(template, 'AWS::ACMPCA::Certificate', 'PkiRootCertificate');

    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      CertificateAuthorityArn: { 'Fn::GetAtt': [rootId, 'Arn'] },
      Certificate: { 'Fn::GetAtt': [certificateId, 'Certificate'] },
      CertificateChain: Match.absent(),
      Status: 'ACTIVE',
    });
  });

  test('production and non-production subordinates are created', () => {
    const template = synth();

    for (const [tier, name] of [['Production', 'production'], ['NonProduction', 'non-production']]) {
      const id = logicalId(template, 'AWS::ACMPCA::CertificateAuthority', `Pki${tier}`);
      expect(template.toJSON().Resources[id].Properties).toMatchObject({
        Type: 'SUBORDINATE',
        KeyAlgorithm: 'RSA_4096',
        SigningAlgorithm: 'SHA256WITHRSA',
        UsageMode: 'GENERAL_PURPOSE',
        Subject: { CommonName: `SSD Platform ${name} Issuing CA`, Organization: 'SSD Platform', Country: 'GB' },
      });
    }
  });

  test('root signs each subordinate once active', () => {
    const template = synth();
    const rootId = logicalId(template, 'AWS::ACMPCA::CertificateAuthority', 'PkiRoot');
    const productionId = logicalId(template, 'AWS::ACMPCA::CertificateAuthority', 'PkiProduction');
    const rootActivationId = logicalId(template, 'AWS::ACMPCA::CertificateAuthorityActivation', 'PkiRootActivation');

    template.hasResource('AWS::ACMPCA::Certificate', {
      Properties: {
        CertificateAuthorityArn: { 'Fn::GetAtt': [rootId, 'Arn'] },
        CertificateSigningRequest: { 'Fn::GetAtt': [productionId, 'CertificateSigningRequest'] },
        SigningAlgorithm: 'SHA512WITHRSA',
        TemplateArn: templateArn('SubordinateCACertificate_PathLen0/V1'),
        Validity: { Type: 'DAYS', Value: 1825 },
      },
      DependsOn: Match.arrayWith([rootActivationId]),
    });
  });

  test('subordinates are activated with the root as chain', () => {
    const template = synth();
    const productionId = logicalId(template, 'AWS::ACMPCA::CertificateAuthority', 'PkiProduction');
    const certificateId = logicalId(template, 'AWS::ACMPCA::Certificate', 'PkiProductionCertificate');
    const rootCertificateId = logicalId(template, 'AWS::ACMPCA::Certificate', 'PkiRootCertificate');

    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      CertificateAuthorityArn: { 'Fn::GetAtt': [productionId, 'Arn'] },
      Certificate: { 'Fn::GetAtt': [certificateId, 'Certificate'] },
      CertificateChain: { 'Fn::GetAtt': [rootCertificateId, 'Certificate'] },
      Status: 'ACTIVE',
    });
  });

  test('ACM may renew from each subordinate', () => {
    const template = synth();
    const permissions = resourcesOf(template, 'AWS::ACMPCA::Permission');

    expect(permissions).toHaveLength(2);
    template.hasResourceProperties('AWS::ACMPCA::Permission', {
      CertificateAuthorityArn: { 'Fn::GetAtt': [logicalId(template, 'AWS::ACMPCA::CertificateAuthority', 'PkiNonProduction'), 'Arn'] },
      Principal: 'acm.amazonaws.com',
      Actions: ['IssueCertificate', 'GetCertificate', 'ListPermissions'],
      SourceAccount: ACCOUNT,
    });
  });

  test('CRL bucket is private, encrypted, versioned and logged', () => {
    const template = synth();
    const logsId = logicalId(template, 'AWS::S3::Bucket', 'PkiAccessLogsBucket');

    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId } },
      LifecycleConfiguration: { Rules: [{ Id: 'ExpireReplacedCrls', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }] },
    });
  });

  test('access logs expire after a year, and replaced versions 90 days later', () => {
    const template = synth();
    const logsId = logicalId(template, 'AWS::S3::Bucket', 'PkiAccessLogsBucket');

    expect(template.toJSON().Resources[logsId].Properties.LifecycleConfiguration).toEqual({
      Rules: [{
        Id: 'ExpireAccessLogs',
        ExpirationInDays: 365,
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        Status: 'Enabled',
      }],
    });
  });

  test('CRL bucket is classified OFFICIAL', () => {
    const template = synth();
    const bucketId = logicalId(template, 'AWS::S3::Bucket', 'PkiCrlBucket');

    expect(template.toJSON().Resources[bucketId].Properties.Tags).toEqual([{ Key: 'DataClassification', Value: 'OFFICIAL' }]);
  });

  test('CRL bucket stays OFFICIAL in an app tagged OFFICIAL-SENSITIVE', () => {
    const app = new App();
    const stack = newStack(app);
    TaggingStandard.applyTags(app, {
      costCentre: 'CC-1234',
      environment: 'production',
      service: 'pki',
      owner: 'platform-team',
      dataClassification: DataClassification.OFFICIAL_SENSITIVE,
    });

    const template = synth({}, stack);

    const tagsOf = (prefix: string) => template.toJSON().Resources[logicalId(template, 'AWS::S3::Bucket', prefix)].Properties.Tags;
    expect(tagsOf('PkiCrlBucket')).toContainEqual({ Key: 'DataClassification', Value: 'OFFICIAL' });
    expect(tagsOf('PkiAccessLogsBucket')).toContainEqual({ Key: 'DataClassification', Value: 'OFFICIAL-SENSITIVE' });
  });

  test('bucket policy lets Private CA of this account write CRLs', () => {
    const template = synth();
    const bucketId = logicalId(template, 'AWS::S3::Bucket', 'PkiCrlBucket');
    const conditions = {
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:acm-pca:eu-west-2:${ACCOUNT}:certificate-authority/*`]] } },
    };

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'PrivateCaWriteCrls',
            Effect: 'Allow',
            Principal: { Service: 'acm-pca.amazonaws.com' },
            Action: ['s3:PutObject', 's3:PutObjectAcl'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
            Condition: conditions,
          },
          {
            Sid: 'PrivateCaCheckBucket',
            Effect: 'Allow',
            Principal: { Service: 'acm-pca.amazonaws.com' },
            Action: ['s3:GetBucketAcl', 's3:GetBucketLocation'],
            Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
            Condition: conditions,
          },
        ]),
      },
    });
  });

  test('CAs wait for the CRL bucket policy', () => {
    const template = synth();
    const policyId = logicalId(template, 'AWS::S3::BucketPolicy', 'PkiCrlBucketPolicy');

    for (const [, authority] of resourcesOf(template, 'AWS::ACMPCA::CertificateAuthority')) {
      expect(authority.DependsOn).toEqual([policyId]);
    }
  });

  test('CAs, certificates, activations and buckets are retained', () => {
    const template = synth();

    for (const type of ['AWS::ACMPCA::CertificateAuthority', 'AWS::ACMPCA::Certificate', 'AWS::ACMPCA::CertificateAuthorityActivation', 'AWS::S3::Bucket']) {
      for (const [id, resource] of resourcesOf(template, type)) {
        expect([id, resource.DeletionPolicy]).toEqual([id, 'Retain']);
      }
    }
  });

  test('exposes the root certificate and subordinates', () => {
    const stack = newStack();
    const pki = new PrivateCertificateAuthority(stack, 'Pki', { organization: 'SSD Platform' });

    expect(stack.resolve(pki.rootCertificatePem)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PkiRootCertificate/), 'Certificate'] });
    expect(stack.resolve(pki.subordinate('production').certificateAuthorityArn))
      .toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PkiProduction/), 'Arn'] });
    expect(stack.resolve(pki.rootCertificateAuthority.certificateAuthorityArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PkiRoot/), 'Arn'] });
    expect(pki.subordinateNames).toEqual(['production', 'non-production']);
    expect(pki.crlBucket).toBeDefined();
  });

  test('subordinate rejects an unknown name', () => {
    const pki = new PrivateCertificateAuthority(newStack(), 'Pki', { organization: 'SSD Platform' });

    expect(() => pki.subordinate('staging')).toThrow(/has no subordinate CA named "staging"\. Its subordinates are "production", "non-production"/);
  });
});

describe('PrivateCertificateAuthority overrides', () => {
  test('OCSP only creates no CRL bucket', () => {
    const template = synth({ revocation: RevocationMethod.OCSP });

    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.allResourcesProperties('AWS::ACMPCA::CertificateAuthority', {
      RevocationConfiguration: { OcspConfiguration: { Enabled: true }, CrlConfiguration: Match.absent() },
    });
  });

  test('CRL and OCSP are both enabled', () => {
    synth({ revocation: RevocationMethod.CRL_AND_OCSP }).allResourcesProperties('AWS::ACMPCA::CertificateAuthority', {
      RevocationConfiguration: { OcspConfiguration: { Enabled: true }, CrlConfiguration: Match.objectLike({ Enabled: true }) },
    });
  });

  test('custom CNAME and CRL validity are passed on', () => {
    synth({ crlCustomCname: 'crl.pki.example.gov.uk', crlValidity: Duration.days(2) }).allResourcesProperties('AWS::ACMPCA::CertificateAuthority', {
      RevocationConfiguration: { CrlConfiguration: Match.objectLike({ CustomCname: 'crl.pki.example.gov.uk', ExpirationInDays: 2 }) },
    });
  });

  test('subordinate names and subject are configurable', () => {
    const template = synth({
      subordinateNames: ['workloads'],
      organizationalUnit: 'Security',
      country: 'IE',
      rootCommonName: 'Platform Root',
    });

    template.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 2);
    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      Type: 'ROOT',
      Subject: { CommonName: 'Platform Root', Organization: 'SSD Platform', OrganizationalUnit: 'Security', Country: 'IE' },
    });
    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      Type: 'SUBORDINATE',
      Subject: Match.objectLike({ CommonName: 'SSD Platform workloads Issuing CA' }),
    });
  });

  test('validity periods are configurable', () => {
    const template = synth({ rootValidity: Duration.days(7300), subordinateValidity: Duration.days(730) });

    template.hasResourceProperties('AWS::ACMPCA::Certificate', { TemplateArn: templateArn('RootCACertificate/V1'), Validity: { Type: 'DAYS', Value: 7300 } });
    template.hasResourceProperties('AWS::ACMPCA::Certificate', {
      TemplateArn: templateArn('SubordinateCACertificate_PathLen0/V1'),
      Validity: { Type: 'DAYS', Value: 730 },
    });
  });

  test('ACM renewal can be left out', () => {
    synth({ acmRenewal: false }).resourceCountIs('AWS::ACMPCA::Permission', 0);
  });

  test('given access logs bucket receives the CRL bucket logs', () => {
    const stack = newStack();
    const logs = new s3.Bucket(stack, 'Logs', { enforceSSL: true });
    const template = synth({ serverAccessLogsBucket: logs }, stack);

    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(template, 'AWS::S3::Bucket', 'Logs') } },
    });
  });

  test('imported access logs bucket gets a warning', () => {
    const stack = newStack();
    synth({ serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'ssd-access-logs') }, stack);

    Annotations.fromStack(stack).hasWarning('/SharedServices/Pki',
      Match.stringLikeRegexp('The policy of serverAccessLogsBucket cannot be changed from this stack.*crlAccessLogsPolicyNotUpdated'));
  });

  test('destroy removal policy applies to the hierarchy', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    for (const [, authority] of resourcesOf(template, 'AWS::ACMPCA::CertificateAuthority')) {
      expect(authority.DeletionPolicy).toBe('Delete');
    }
  });
});

describe('PrivateCertificateAuthority validation', () => {
  function synthProps(props: unknown): void {
    new PrivateCertificateAuthority(newStack(), 'Pki', props as PrivateCertificateAuthorityProps);
  }

  test('missing props are rejected', () => {
    expect(() => synthProps(undefined)).toThrow(/props is undefined\. Give the props as an object with at least organization/);
  });

  test('missing organization is rejected', () => {
    expect(() => synthProps({})).toThrow(/organization is missing/);
  });

  test('long organization is rejected', () => {
    expect(() => synth({ organization: 'x'.repeat(65) })).toThrow(/organization "x+" has 65 characters\. Certificate subject names have 1 to 64/);
  });

  test('lowercase country is rejected', () => {
    expect(() => synth({ country: 'gb' })).toThrow(/country is "gb"\. Give the ISO 3166 two-letter country code in capitals/);
  });

  test('long default root name is rejected', () => {
    expect(() => synth({ organization: 'x'.repeat(60) })).toThrow(/rootCommonName \(from organization\) "x+ Root CA" has 68 characters/);
  });

  test('invalid subordinate name is rejected', () => {
    expect(() => synth({ subordinateNames: ['Production'] })).toThrow(/subordinateNames\[0\] is "Production"\. Give a literal name of lowercase letters/);
  });

  test('repeated subordinate name is rejected', () => {
    expect(() => synth({ subordinateNames: ['production', 'production'] }))
      .toThrow(/subordinateNames\[1\] is "production", which is the same tier as subordinateNames\[0\]/);
  });

  test('empty subordinate list is rejected', () => {
    expect(() => synth({ subordinateNames: [] })).toThrow(/subordinateNames is empty/);
  });

  test('long subordinate common name is rejected', () => {
    expect(() => synth({ organization: 'x'.repeat(40), subordinateNames: ['non-production-workloads'] }))
      .toThrow(/subordinateNames\[0\] makes the common name .* which has 76 characters/);
  });

  test('subordinate validity not shorter than root is rejected', () => {
    expect(() => synth({ rootValidity: Duration.days(1825) }))
      .toThrow(/subordinateValidity \(1825 days\) is not shorter than rootValidity \(1825 days\)/);
  });

  test('validity in partial days is rejected', () => {
    expect(() => synth({ rootValidity: Duration.hours(36) })).toThrow(/rootValidity is 1 day 12 hours\. Give a whole number of days/);
  });

  test('validity token is rejected', () => {
    expect(() => synth({ subordinateValidity: Duration.days(Lazy.number({ produce: () => 1 })) })).toThrow(/subordinateValidity is a token/);
  });

  test('CRL validity of 0 days is rejected', () => {
    expect(() => synth({ crlValidity: Duration.days(0) })).toThrow(/crlValidity is 0 days\. Give a whole number of days of at least 1/);
  });

  test('CRL validity over 5000 days is rejected', () => {
    expect(() => synth({ crlValidity: Duration.days(5001) })).toThrow(/crlValidity is 5001 days\. AWS Private CA accepts 1 to 5000 days/);
  });

  test('unknown revocation method is rejected', () => {
    expect(() => synth({ revocation: 'NONE' as RevocationMethod })).toThrow(/revocation is "NONE", which is not a revocation method/);
  });

  test('CNAME with a protocol is rejected', () => {
    expect(() => synth({ crlCustomCname: 'https://crl.example.gov.uk' })).toThrow(/crlCustomCname is "https:\/\/crl\.example\.gov\.uk", which is not a host name/);
  });

  test('CNAME without CRLs is rejected', () => {
    expect(() => synth({ revocation: RevocationMethod.OCSP, crlCustomCname: 'crl.example.gov.uk' }))
      .toThrow(/crlCustomCname is given, but revocation is OCSP only/);
  });

  test('access logs bucket without CRLs is rejected', () => {
    const stack = newStack();
    expect(() => synth({ revocation: RevocationMethod.OCSP, serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'logs') }, stack))
      .toThrow(/serverAccessLogsBucket is given, but revocation is OCSP only/);
  });

  test('non-boolean ACM renewal is rejected', () => {
    expect(() => synth({ acmRenewal: 'yes' as unknown as boolean })).toThrow(/acmRenewal is "yes", which is not a boolean/);
  });

  test('unsupported removal policy is rejected', () => {
    expect(() => synth({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/removalPolicy is "snapshot", which certificate authorities do not support/);
  });

  test('values of the wrong type are rejected', () => {
    expect(() => synth({ organization: 5 as unknown as string })).toThrow(/organization is 5, which is not a string/);
    expect(() => synth({ serverAccessLogsBucket: 'logs' as unknown as s3.IBucket })).toThrow(/serverAccessLogsBucket is "logs", which is not an S3 bucket/);
  });

  test('all problems are reported at once', () => {
    expect(() => synth({ country: 'UK1', subordinateNames: [], rootValidity: Duration.days(100) }))
      .toThrow(new RegExp('^Invalid PrivateCertificateAuthority props at SharedServices/Pki:\\n  - country is "UK1".*\\n'
        + '  - subordinateNames is empty.*\\n  - subordinateValidity \\(1825 days\\) is not shorter than rootValidity \\(100 days\\).*$'));
  });
});

describe('PrivateCertificateAuthority sharing', () => {
  const PRODUCTION_ACCOUNT = '555555555555';
  const OU_ARN = 'arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-ex12-abcd1234';
  const ORGANIZATION_ARN = 'arn:aws:organizations::111111111111:organization/o-exampleorg1';
  const permissionArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ram::aws:permission/AWSRAMDefaultPermissionCertificateAuthority']] };

  test('no subordinate is shared by default', () => {
    synth().resourceCountIs('AWS::RAM::ResourceShare', 0);
  });

  test('subordinate shared only with its accounts', () => {
    const template = synth({ subordinateShares: [{ subordinateName: 'production', accountIds: [PRODUCTION_ACCOUNT] }] });
    const productionId = logicalId(template, 'AWS::ACMPCA::CertificateAuthority', 'PkiProduction');

    template.resourceCountIs('AWS::RAM::ResourceShare', 1);
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'production-issuing-ca',
      ResourceArns: [{ 'Fn::GetAtt': [productionId, 'Arn'] }],
      Principals: [PRODUCTION_ACCOUNT],
      AllowExternalPrincipals: false,
      PermissionArns: [permissionArn],
    });
  });

  test('each subordinate gets its own share', () => {
    const template = synth({
      subordinateShares: [
        { subordinateName: 'production', accountIds: [PRODUCTION_ACCOUNT] },
        { subordinateName: 'non-production', accountIds: ['444444444444'], organizationalUnitArns: [OU_ARN] },
      ],
    });
    const nonProductionId = logicalId(template, 'AWS::ACMPCA::CertificateAuthority', 'PkiNonProduction');

    template.resourceCountIs('AWS::RAM::ResourceShare', 2);
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'non-production-issuing-ca',
      ResourceArns: [{ 'Fn::GetAtt': [nonProductionId, 'Arn'] }],
      Principals: ['444444444444', OU_ARN],
    });
  });

  test('the share waits for the CA to be active', () => {
    const template = synth({ subordinateShares: [{ subordinateName: 'production', accountIds: [PRODUCTION_ACCOUNT] }] });
    const activationId = logicalId(template, 'AWS::ACMPCA::CertificateAuthorityActivation', 'PkiProductionActivation');

    template.hasResource('AWS::RAM::ResourceShare', { DependsOn: [activationId] });
  });

  test('tokens are accepted as principals', () => {
    const account = Lazy.string({ produce: () => PRODUCTION_ACCOUNT });
    const unit = Lazy.string({ produce: () => OU_ARN });

    synth({ subordinateShares: [{ subordinateName: 'production', accountIds: [account], organizationalUnitArns: [unit] }] })
      .hasResourceProperties('AWS::RAM::ResourceShare', { Principals: [PRODUCTION_ACCOUNT, OU_ARN] });
  });

  test('sharing with the organisation is a warning', () => {
    const stack = newStack();
    synth({ subordinateShares: [{ subordinateName: 'production', organizationalUnitArns: [ORGANIZATION_ARN] }] }, stack);

    Annotations.fromStack(stack).hasWarning('/SharedServices/Pki', Match.stringLikeRegexp(
      'subordinateShares\\[0\\]\\.organizationalUnitArns\\[0\\] is the organisation .* so every account of every tier can issue'));
  });

  test('an account in the shares of two tiers is a warning', () => {
    const stack = newStack();
    synth({
      subordinateShares: [
        { subordinateName: 'production', accountIds: [PRODUCTION_ACCOUNT] },
        { subordinateName: 'non-production', accountIds: ['444444444444', PRODUCTION_ACCOUNT] },
      ],
    }, stack);

    Annotations.fromStack(stack).hasWarning('/SharedServices/Pki', Match.stringLikeRegexp(
      `"${PRODUCTION_ACCOUNT}" is in the shares of the subordinate CAs "production" and "non-production"`));
  });

  test('accounts of one tier only raise no cross-tier warning', () => {
    const stack = newStack();
    synth({
      subordinateShares: [
        { subordinateName: 'production', accountIds: [PRODUCTION_ACCOUNT] },
        { subordinateName: 'non-production', accountIds: ['444444444444'] },
      ],
    }, stack);

    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('in the shares of the subordinate CAs'))).toEqual([]);
  });

  test('unknown subordinate is rejected', () => {
    expect(() => synth({ subordinateShares: [{ subordinateName: 'staging', accountIds: [PRODUCTION_ACCOUNT] }] }))
      .toThrow(/subordinateShares\[0\]\.subordinateName is "staging", which is not a subordinate CA of the hierarchy\. Use one of "production", "non-production"/);
  });

  test('a second share of the same subordinate is rejected', () => {
    expect(() => synth({
      subordinateShares: [
        { subordinateName: 'production', accountIds: [PRODUCTION_ACCOUNT] },
        { subordinateName: 'production', accountIds: ['444444444444'] },
      ],
    })).toThrow(/subordinateShares\[1\]\.subordinateName is "production", which subordinateShares\[0\] already shares/);
  });

  test('a share without principals is rejected', () => {
    expect(() => synth({ subordinateShares: [{ subordinateName: 'production' }] }))
      .toThrow(/subordinateShares\[0\] shares "production" with no principal\. Give accountIds, organizationalUnitArns or both/);
  });

  test('invalid account ID is rejected', () => {
    expect(() => synth({ subordinateShares: [{ subordinateName: 'production', accountIds: ['5555'] }] }))
      .toThrow(/subordinateShares\[0\]\.accountIds\[0\] is "5555", which is not an AWS account ID/);
  });

  test('the CA\'s own account is rejected', () => {
    expect(() => synth({ subordinateShares: [{ subordinateName: 'production', accountIds: [ACCOUNT] }] }))
      .toThrow(/subordinateShares\[0\]\.accountIds\[0\] is "111122223333", the account of the CA itself/);
  });

  test('invalid organizational unit ARN is rejected', () => {
    expect(() => synth({ subordinateShares: [{ subordinateName: 'production', organizationalUnitArns: ['ou-ex12-abcd1234'] }] }))
      .toThrow(/subordinateShares\[0\]\.organizationalUnitArns\[0\] is "ou-ex12-abcd1234", which is not the ARN of an organizational unit or organisation/);
  });

  test('shares that are not a list are rejected', () => {
    expect(() => synth({ subordinateShares: { subordinateName: 'production' } as unknown as [] }))
      .toThrow(/subordinateShares is \{"subordinateName":"production"\}, which is not a list/);
  });

  test('a share that is not an object is rejected', () => {
    expect(() => synth({ subordinateShares: ['production'] as unknown as [] }))
      .toThrow(/subordinateShares\[0\] is "production", which is not a share/);
  });

  test('account IDs that are not a list are rejected', () => {
    expect(() => synth({ subordinateShares: [{ subordinateName: 'production', accountIds: PRODUCTION_ACCOUNT as unknown as string[] }] }))
      .toThrow(/subordinateShares\[0\]\.accountIds is the string "555555555555", but a list is expected/);
  });
});

describe('PrivateCertificateAuthority compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    const stack = newStack(new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    synth({ revocation: RevocationMethod.CRL_AND_OCSP, subordinateShares: [{ subordinateName: 'production', accountIds: ['555555555555'] }] }, stack);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });

  test('the CRL bucket meets the NCSC customer-key rule in an OFFICIAL-SENSITIVE app', () => {
    const app = new App({ context: RECOMMENDED_FEATURE_FLAGS });
    const stack = newStack(app);
    TaggingStandard.applyTags(app, {
      costCentre: 'CC-1234',
      environment: 'production',
      service: 'pki',
      owner: 'platform-team',
      dataClassification: DataClassification.OFFICIAL_SENSITIVE,
    });
    Aspects.of(app).add(new NcscChecks({ reports: false }));
    synth({}, stack);

    const findings = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^NCSC-P02-SensitiveDataCustomerKey'));

    expect(findings.map((finding) => finding.id)).toEqual([]);
  });
});
