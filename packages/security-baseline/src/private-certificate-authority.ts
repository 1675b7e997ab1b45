import {
  Annotations,
  ArnFormat,
  CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  Tags,
  aws_acmpca as acmpca,
  aws_iam as iam,
  aws_ram as ram,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addNagSuppressions } from './private/nag-suppressions';
import { CertificateAuthoritySettings, validateCertificateAuthorityProps } from './private/private-certificate-authority-validation';
import { show } from './private/validation';
import { DataClassification, TaggingStandard } from './tagging-standard';

/**
 * The method by which relying parties learn that a certificate issued by the hierarchy was revoked.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/userguide/revocation-setup.html
 */
export enum RevocationMethod {
  /**
   * Certificate revocation lists, which each CA writes to a private S3 bucket. Relying parties
   * need a way to read them, for example a CloudFront distribution with origin access control
   * on `crlCustomCname`.
   */
  CRL = 'CRL',

  /** OCSP, served by an AWS-managed responder on the internet and charged per request. */
  OCSP = 'OCSP',

  /** Both CRLs and OCSP. */
  CRL_AND_OCSP = 'CRL_AND_OCSP',
}

/**
 * The accounts and organizational units of the organisation that may issue certificates
 * from one subordinate CA, through an AWS RAM resource share.
 */
export interface SubordinateCaShare {
  /** The name of the subordinate CA, one of `subordinateNames`. */
  readonly subordinateName: string;

  /**
   * The 12-digit IDs of the accounts to share the CA with, usually the accounts of the tier.
   *
   * @default - no account; give `accountIds`, `organizationalUnitArns` or both
   */
  readonly accountIds?: string[];

  /**
   * The ARNs of the organizational units to share the CA with, for example
   * `arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-ex12-abcd1234`. Every account in
   * the OU and in the OUs below it gets the share, including accounts that join later.
   *
   * The organisation's ARN (`arn:aws:organizations::<management account>:organization/o-...`)
   * is accepted too, but it shares the tier's CA with every other tier, so it is reported as
   * a warning.
   *
   * @default - no organizational unit
   */
  readonly organizationalUnitArns?: string[];
}

/** Properties of a private certificate authority hierarchy. */
export interface PrivateCertificateAuthorityProps {
  /** The organization (O) in the subject of every CA certificate, at most 64 characters. */
  readonly organization: string;

  /**
   * The organizational unit (OU) in the subject of every CA certificate, at most 64 characters.
   *
   * @default - none
   */
  readonly organizationalUnit?: string;

  /**
   * The country (C) in the subject of every CA certificate, as an ISO 3166 two-letter code.
   *
   * @default 'GB'
   */
  readonly country?: string;

  /**
   * The common name (CN) of the root CA, at most 64 characters.
   *
   * @default - `<organization> Root CA`
   */
  readonly rootCommonName?: string;

  /**
   * The names of the subordinate CAs, one for each tier of the estate. Each subordinate's
   * common name is `<organization> <name> Issuing CA`.
   *
   * Lowercase letters, digits and hyphens, starting with a letter, at most 32 characters.
   * Each CA is charged monthly, so list only the tiers that need their own trust boundary.
   *
   * @default ['production', 'non-production']
   */
  readonly subordinateNames?: string[];

  /**
   * How long the root CA certificate is valid, in whole days.
   *
   * @default Duration.days(3650)
   */
  readonly rootValidity?: Duration;

  /**
   * How long each subordinate CA certificate is valid, in whole days. It must be shorter than
   * `rootValidity`, because AWS Private CA does not issue a certificate that outlives its
   * issuer's.
   *
   * @default Duration.days(1825)
   */
  readonly subordinateValidity?: Duration;

  /**
   * The revocation method that relying parties use.
   *
   * @default RevocationMethod.CRL
   */
  readonly revocation?: RevocationMethod;

  /**
   * How long each CRL is valid, from 1 to 5000 whole days. AWS Private CA writes a new CRL
   * after each revocation, and before the current one expires.
   *
   * @default Duration.days(7)
   */
  readonly crlValidity?: Duration;

  /**
   * A host name to put in the CRL distribution point of each issued certificate instead of
   * the bucket's name, for example `crl.pki.example.gov.uk`. Without a protocol prefix.
   *
   * @default - the CRL bucket's S3 host name
   */
  readonly crlCustomCname?: string;

  /**
   * The bucket that receives the S3 server access logs of the CRL bucket.
   *
   * @default - a new bucket, with SSE-S3 encryption, versioning and TLS only, that deletes
   * access logs after 365 days and replaced or deleted versions 90 days later
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Whether ACM may issue and renew certificates from the subordinate CAs without a request
   * from a person. ACM renews a private certificate only with this permission.
   *
   * @default true
   * @see https://docs.aws.amazon.com/privateca/latest/userguide/assign-permissions.html
   */
  readonly acmRenewal?: boolean;

  /**
   * Shares of subordinate CAs with other accounts of the organisation, so that ACM in those
   * accounts can issue private certificates from them and renew them.
   *
   * Each share is an AWS RAM resource share of one subordinate CA, with the AWS managed
   * permission `AWSRAMDefaultPermissionCertificateAuthority`, and only with the principals
   * of that share. Shares stay inside the organisation, so sharing with AWS Organizations
   * must be enabled in AWS RAM. The root CA is never shared.
   *
   * @default - no subordinate CA is shared
   * @see https://docs.aws.amazon.com/privateca/latest/userguide/pca-ram.html
   */
  readonly subordinateShares?: SubordinateCaShare[];

  /**
   * The removal policy of the CAs, their certificates and activations, and the buckets.
   *
   * With `DESTROY`, deleting the stack disables and deletes the CAs. AWS Private CA keeps a
   * deleted CA restorable for 30 days.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The root CA's key and signing algorithms. */
const ROOT_KEY_ALGORITHM = 'RSA_4096';
const ROOT_SIGNING_ALGORITHM = 'SHA512WITHRSA';

/**
 * The subordinates' key and signing algorithms. They sign the end-entity certificates, so
 * they use SHA-256, which every TLS client accepts.
 */
const SUBORDINATE_KEY_ALGORITHM = 'RSA_4096';
const SUBORDINATE_SIGNING_ALGORITHM = 'SHA256WITHRSA';

/** CA private keys stay in HSMs validated to FIPS 140-2 Level 3 or higher. */
const KEY_STORAGE_STANDARD = 'FIPS_140_2_LEVEL_3_OR_HIGHER';

/** The certificates that AWS Private CA needs from a CA hierarchy, by template. */
const ROOT_TEMPLATE = 'RootCACertificate/V1';
/** Path length 0: a subordinate issues end-entity certificates only, never another CA. */
const SUBORDINATE_TEMPLATE = 'SubordinateCACertificate_PathLen0/V1';

/** The actions ACM needs on a CA to issue and renew private certificates. */
const ACM_ACTIONS = ['IssueCertificate', 'GetCertificate', 'ListPermissions'];

/**
 * The AWS RAM managed permission that lets ACM in another account issue end-entity
 * certificates from a shared CA, and renew them.
 */
const SHARE_PERMISSION = 'AWSRAMDefaultPermissionCertificateAuthority';

/** How long S3 keeps CRLs that a newer CRL has replaced. */
const NONCURRENT_CRL_EXPIRATION = Duration.days(30);

/** How long the bucket that the construct creates keeps the S3 server access logs of the CRL bucket. */
const ACCESS_LOGS_EXPIRATION = Duration.days(365);

/** How long a replaced or deleted access log stays, as in the log archive's buckets. */
const NONCURRENT_ACCESS_LOGS_EXPIRATION = Duration.days(90);

/** How long S3 keeps the parts of a multipart upload that never completed. */
const INCOMPLETE_UPLOAD_EXPIRATION = Duration.days(7);

/** The data classification of the CRL bucket, whatever the rest of the app is classified as. */
const CRL_CLASSIFICATION = DataClassification.OFFICIAL;

const NO_REPLICATION_REASON = 'OFFICIAL-SENSITIVE systems stay in the UK, and eu-west-2 (London) is the only UK AWS region, '
  + 'so there is no second UK region to replicate to.';

/** One CA of the hierarchy, with the resources that make it active. */
interface CaResources {
  readonly authority: acmpca.CfnCertificateAuthority;
  readonly certificate: acmpca.CfnCertificate;
  readonly activation: acmpca.CfnCertificateAuthorityActivation;
}

/**
 * A private certificate authority hierarchy in AWS Private CA: a root CA and one subordinate
 * CA for each tier, for example production and non-production, from which ACM issues TLS
 * certificates for internal load balancers.
 *
 * The root CA has an RSA 4096 key and signs with SHA512WITHRSA. Its self-signed certificate
 * is issued and installed in the same deployment. Each subordinate CA has an RSA 4096 key,
 * a certificate signed by the root (path length 0, so it cannot sign further CAs), and is
 * activated with the root certificate as its chain. Every CA is a GENERAL_PURPOSE CA, keeps
 * its key in FIPS 140-2 Level 3 HSMs, and publishes revocation by CRL, OCSP or both.
 *
 * CRLs go to a bucket that blocks all public access: AWS Private CA writes them with the
 * `BUCKET_OWNER_FULL_CONTROL` ACL, and relying parties need their own route to read them.
 * The bucket is encrypted with SSE-S3 and tagged `DataClassification: OFFICIAL`, even in an
 * app tagged OFFICIAL-SENSITIVE: a CRL is signed, published data that every relying party
 * reads, so it needs neither a customer-managed key nor the OFFICIAL-SENSITIVE handling.
 *
 * Cost: AWS Private CA charges each general-purpose CA USD 400 a month (AWS Private CA
 * pricing page), so the default hierarchy of three CAs costs USD 1,200 a month, plus a charge
 * for each certificate issued.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/userguide/ca-hierarchy.html
 */
export class PrivateCertificateAuthority extends Construct {
  /** The root CA. Keep it for signing the subordinates; issue no end-entity certificate from it. */
  public readonly rootCertificateAuthority: acmpca.ICertificateAuthority;

  /** The root CA certificate in PEM, for the trust stores of relying parties. */
  public readonly rootCertificatePem: string;

  /** The names of the subordinate CAs. */
  public readonly subordinateNames: string[];

  /** The bucket that receives the CRLs, when revocation uses CRLs. */
  public readonly crlBucket?: s3.IBucket;

  private readonly subordinates = new Map<string, acmpca.ICertificateAuthority>();

  constructor(scope: Construct, id: string, props: PrivateCertificateAuthorityProps) {
    super(scope, id);
    const settings = validateCertificateAuthorityProps(scope, id, props);
    this.subordinateNames = settings.subordinates.map((subordinate) => subordinate.name);
    for (const warning of settings.warnings) {
      Annotations.of(this).addWarningV2(`@ssd-platform/security-baseline:${warning.id}`, warning.message);
    }

    let bucketPolicy: Construct | undefined;
    if (settings.crl) {
      const bucket = this.createCrlBucket(settings);
      this.crlBucket = bucket;
      bucketPolicy = bucket.policy;
    }

    const root = this.createCertificateAuthority('Root', settings, {
      type: 'ROOT',
      commonName: settings.rootCommonName,
      keyAlgorithm: ROOT_KEY_ALGORITHM,
      signingAlgorithm: ROOT_SIGNING_ALGORITHM,
    }, bucketPolicy);
    const rootScope = root.node.scope as Construct;
    const rootCertificate = new acmpca.CfnCertificate(rootScope, 'Certificate', {
      certificateAuthorityArn: root.attrArn,
      certificateSigningRequest: root.attrCertificateSigningRequest,
      signingAlgorithm: ROOT_SIGNING_ALGORITHM,
      templateArn: templateArn(this, ROOT_TEMPLATE),
      validity: { type: 'DAYS', value: settings.rootValidityDays },
    });
    const rootActivation = new acmpca.CfnCertificateAuthorityActivation(rootScope, 'Activation', {
      certificateAuthorityArn: root.attrArn,
      certificate: rootCertificate.attrCertificate,
      status: 'ACTIVE',
    });
    applyRemovalPolicy([rootCertificate, rootActivation], settings.removalPolicy);
    this.rootCertificateAuthority = acmpca.CertificateAuthority.fromCertificateAuthorityArn(this, 'RootArn', root.attrArn);
    this.rootCertificatePem = rootCertificate.attrCertificate;

    for (const subordinate of settings.subordinates) {
      const resources = this.createSubordinate(subordinate.constructId, subordinate.commonName, settings, {
        authority: root,
        certificate: rootCertificate,
        activation: rootActivation,
      }, bucketPolicy);
      if (subordinate.sharedWith.length > 0) {
        this.shareSubordinate(subordinate.name, subordinate.sharedWith, resources);
      }
      this.subordinates.set(subordinate.name, acmpca.CertificateAuthority.fromCertificateAuthorityArn(
        this, `${subordinate.constructId}Arn`, resources.authority.attrArn));
    }
  }

  /**
   * Returns a subordinate CA by name, for example to issue ACM certificates with
   * `acm.PrivateCertificate`.
   *
   * @throws if the hierarchy has no subordinate of that name
   */
  public subordinate(name: string): acmpca.ICertificateAuthority {
    const found = this.subordinates.get(name);
    if (found === undefined) {
      throw new Error(`PrivateCertificateAuthority ${this.node.path} has no subordinate CA named ${show(name)}. `
        + `Its subordinates are ${this.subordinateNames.map((entry) => show(entry)).join(', ')}.`);
    }
    return found;
  }

  private createSubordinate(constructId: string, commonName: string, settings: CertificateAuthoritySettings,
    root: CaResources, bucketPolicy: Construct | undefined): CaResources {
    const authority = this.createCertificateAuthority(constructId, settings, {
      type: 'SUBORDINATE',
      commonName,
      keyAlgorithm: SUBORDINATE_KEY_ALGORITHM,
      signingAlgorithm: SUBORDINATE_SIGNING_ALGORITHM,
    }, bucketPolicy);

    // The root signs the subordinate's certificate, which it can do only once it is active.
    const scope = authority.node.scope as Construct;
    const certificate = new acmpca.CfnCertificate(scope, 'Certificate', {
      certificateAuthorityArn: root.authority.attrArn,
      certificateSigningRequest: authority.attrCertificateSigningRequest,
      signingAlgorithm: ROOT_SIGNING_ALGORITHM,
      templateArn: templateArn(this, SUBORDINATE_TEMPLATE),
      validity: { type: 'DAYS', value: settings.subordinateValidityDays },
    });
    certificate.addDependency(root.activation);

    const activation = new acmpca.CfnCertificateAuthorityActivation(scope, 'Activation', {
      certificateAuthorityArn: authority.attrArn,
      certificate: certificate.attrCertificate,
      certificateChain: root.certificate.attrCertificate,
      status: 'ACTIVE',
    });
    applyRemovalPolicy([certificate, activation], settings.removalPolicy);

    if (settings.acmRenewal) {
      const permission = new acmpca.CfnPermission(scope, 'AcmRenewal', {
        certificateAuthorityArn: authority.attrArn,
        principal: 'acm.amazonaws.com',
        actions: ACM_ACTIONS,
        sourceAccount: Stack.of(this).account,
      });
      permission.addDependency(activation);
    }
    return { authority, certificate, activation };
  }

  /**
   * Shares a subordinate CA through AWS RAM, once it is active: a CA that is not yet active
   * cannot issue the certificates that the other accounts request.
   */
  private shareSubordinate(name: string, principals: string[], subordinate: CaResources): void {
    const scope = subordinate.authority.node.scope as Construct;
    const share = new ram.CfnResourceShare(scope, 'Share', {
      name: `${name}-issuing-ca`,
      resourceArns: [subordinate.authority.attrArn],
      principals,
      allowExternalPrincipals: false,
      permissionArns: [`arn:${Stack.of(this).partition}:ram::aws:permission/${SHARE_PERMISSION}`],
    });
    share.addDependency(subordinate.activation);
  }

  private createCertificateAuthority(constructId: string, settings: CertificateAuthoritySettings,
    options: { type: string; commonName: string; keyAlgorithm: string; signingAlgorithm: string },
    bucketPolicy: Construct | undefined): acmpca.CfnCertificateAuthority {
    const scope = new Construct(this, constructId);
    const authority = new acmpca.CfnCertificateAuthority(scope, 'Resource', {
      type: options.type,
      keyAlgorithm: options.keyAlgorithm,
      signingAlgorithm: options.signingAlgorithm,
      keyStorageSecurityStandard: KEY_STORAGE_STANDARD,
      usageMode: 'GENERAL_PURPOSE',
      subject: {
        commonName: options.commonName,
        organization: settings.organization,
        organizationalUnit: settings.organizationalUnit,
        country: settings.country,
      },
      revocationConfiguration: {
        crlConfiguration: this.crlBucket === undefined ? undefined : {
          enabled: true,
          expirationInDays: settings.crlValidityDays,
          s3BucketName: this.crlBucket.bucketName,
          // With Block Public Access on, AWS Private CA can write CRLs only with this ACL.
          s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL',
          customCname: settings.crlCustomCname,
        },
        ocspConfiguration: settings.ocsp ? { enabled: true } : undefined,
      },
    });
    // AWS Private CA checks that it can write to the CRL bucket when it creates the CA.
    if (bucketPolicy !== undefined) {
      authority.node.addDependency(bucketPolicy);
    }
    authority.applyRemovalPolicy(settings.removalPolicy);
    return authority;
  }

  private createCrlBucket(settings: CertificateAuthoritySettings): s3.Bucket {
    const stack = Stack.of(this);
    const accessLogsBucket = settings.serverAccessLogsBucket ?? this.createAccessLogsBucket(settings);

    // NOTE: no deployment has yet confirmed that AWS Private CA writes CRLs to a bucket whose
    // ACLs are disabled (bucket owner enforced). S3 accepts writes with the
    // BUCKET_OWNER_FULL_CONTROL ACL on such a bucket, and the CloudFormation reference requires
    // that ACL when Block Public Access is on.
    const bucket = new s3.Bucket(this, 'CrlBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'ExpireReplacedCrls', noncurrentVersionExpiration: NONCURRENT_CRL_EXPIRATION }],
      removalPolicy: settings.removalPolicy,
    });
    // Without this tag, an app-wide OFFICIAL-SENSITIVE classification would ask for a
    // customer-managed key that every relying party would then need to read the CRLs. A tag
    // added on a nearer scope wins over one of the same priority on an ancestor, so this tag
    // wins over TaggingStandard.applyTags on the app. A tag added on the bucket itself after
    // the construct wins over this one.
    Tags.of(bucket).add(TaggingStandard.DATA_CLASSIFICATION_KEY, CRL_CLASSIFICATION);
    (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: accessLogsBucket.bucketName };
    const logging = accessLogsBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3ServerAccessLogsDelivery',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [accessLogsBucket.arnForObjects('*')],
      conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    if (!logging.statementAdded) {
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:crlAccessLogsPolicyNotUpdated',
        'The policy of serverAccessLogsBucket cannot be changed from this stack. Add a statement that allows the service '
        + 'principal logging.s3.amazonaws.com s3:PutObject on its objects, for the CRL bucket as aws:SourceArn, or S3 '
        + 'server access logs of the CRL bucket are not delivered.');
    }

    // The CAs' ARNs are not known before the CAs exist, and each CA needs this policy to be
    // created, so the policy admits every CA of this account and region.
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'acm-pca',
          resource: 'certificate-authority',
          resourceName: '*',
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      },
    };
    const principal = new iam.ServicePrincipal('acm-pca.amazonaws.com');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'PrivateCaWriteCrls',
      principals: [principal],
      actions: ['s3:PutObject', 's3:PutObjectAcl'],
      resources: [bucket.arnForObjects('*')],
      conditions,
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'PrivateCaCheckBucket',
      principals: [principal],
      actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'],
      resources: [bucket.bucketArn],
      conditions,
    }));

    addNagSuppressions(bucket.node.defaultChild as s3.CfnBucket, [
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason: 'CRLs are signed lists of revoked serial numbers meant for every relying party; with a KMS key each reader would also need kms:Decrypt.',
      },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: NO_REPLICATION_REASON },
    ]);
    return bucket;
  }

  private createAccessLogsBucket(settings: CertificateAuthoritySettings): s3.Bucket {
    // S3 server access logging delivers only to buckets with SSE-S3 default encryption.
    const bucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{
        id: 'ExpireAccessLogs',
        expiration: ACCESS_LOGS_EXPIRATION,
        noncurrentVersionExpiration: NONCURRENT_ACCESS_LOGS_EXPIRATION,
        abortIncompleteMultipartUploadAfter: INCOMPLETE_UPLOAD_EXPIRATION,
      }],
      removalPolicy: settings.removalPolicy,
    });
    addNagSuppressions(bucket.node.defaultChild as s3.CfnBucket, [
      { id: 'AwsSolutions-S1', reason: 'This bucket is the server access logs target of the CRL bucket; logging it to itself would never end.' },
      { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: 'This bucket is the server access logs target of the CRL bucket and cannot log to itself.' },
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'S3 server access logging delivers only to buckets whose default encryption is SSE-S3, not SSE-KMS.' },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: NO_REPLICATION_REASON },
    ]);
    return bucket;
  }
}

function templateArn(scope: Construct, template: string): string {
  return `arn:${Stack.of(scope).partition}:acm-pca:::template/${template}`;
}

function applyRemovalPolicy(resources: CfnResource[], removalPolicy: RemovalPolicy): void {
  for (const resource of resources) {
    resource.applyRemovalPolicy(removalPolicy);
  }
}
