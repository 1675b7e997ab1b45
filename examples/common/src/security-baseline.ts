import {
  DataClassification,
  DetectiveControls,
  KeyFamily,
  KeyPairType,
  KeyPairUse,
  KeyPurpose,
  LogArchive,
  PlatformOrganisation,
  PlatformOrganizationalUnit,
  PrivateCertificateAuthority,
  SecretRotation,
  SecretStore,
  TaggingStandard,
} from '@ssd-platform/security-baseline';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { EstateConfig } from './estate';

/**
 * Builds the management account's stacks: the organisation, its member accounts and its
 * guardrails (service control, tag and backup policies).
 */
export function buildManagement(app: App, estate: EstateConfig): void {
  const stack = new Stack(app, 'Management-Organisation', {
    env: { account: estate.accounts.management, region: estate.region },
    description: 'The organisation, its member accounts and its guardrail policies',
  });
  const emails = estate.organisation.accountEmails;
  new PlatformOrganisation(stack, 'Organisation', {
    rootId: estate.organisation.rootId,
    accounts: [
      { accountName: 'security', email: emails.security, organizationalUnit: PlatformOrganizationalUnit.SECURITY },
      { accountName: 'shared-services', email: emails.sharedServices, organizationalUnit: PlatformOrganizationalUnit.INFRASTRUCTURE },
      { accountName: 'non-production', email: emails.nonProduction, organizationalUnit: PlatformOrganizationalUnit.NON_PRODUCTION },
      { accountName: 'production', email: emails.production, organizationalUnit: PlatformOrganizationalUnit.PRODUCTION },
    ],
    securityServicesProtection: { securityAdminRoleArnPatterns: estate.organisation.securityAdminRoleArnPatterns },
    backupPolicy: { backupVaultName: 'ssd-platform-backups', backupRoleName: 'ssd-platform-backup', retention: Duration.days(35) },
  });
  tagPlatformStack(app, estate, 'management');
}

/**
 * Builds the Security account's stacks: the key family, the private certificate
 * authorities and the secret store; and the detective controls, with the AWS Config
 * archive they deliver to.
 */
export function buildSecurity(app: App, estate: EstateConfig): void {
  const env = { account: estate.accounts.security, region: estate.region };

  const keysStack = new Stack(app, 'Security-Keys', { env, description: 'Customer-managed keys, private certificate authorities and secrets' });
  const keys = new KeyFamily(keysStack, 'Keys', { aliasPrefix: 'ssd-platform' });
  new PrivateCertificateAuthority(keysStack, 'PrivateCa', {
    organization: 'SSD Platform',
    subordinateNames: [estate.production.name, estate.nonProduction.name],
  });
  new SecretStore(keysStack, 'Secrets', {
    encryptionKey: keys.keyFor(KeyPurpose.SECRETS),
    organizationId: estate.organisation.organizationId,
    keyPairs: [
      {
        use: KeyPairUse.SFTP,
        name: 'partner-file-exchange',
        keyType: KeyPairType.ED25519,
        rotation: SecretRotation.manual('The partner departments hold the public key; a new key pair is exchanged with them by agreement each year.'),
        description: 'Key pair for the SFTP file exchange with partner departments',
      },
    ],
  });

  const controlsStack = new Stack(app, 'Security-DetectiveControls', { env, description: 'GuardDuty, Security Hub, Inspector, Macie, Access Analyzer and AWS Config' });
  const configArchive = new LogArchive(controlsStack, 'ConfigArchive', {
    bucketName: `ssd-config-archive-${estate.accounts.security}`,
  });
  new DetectiveControls(controlsStack, 'Controls', {
    organizationRootId: estate.organisation.rootId,
    config: { deliveryBucket: configArchive.bucket, deliveryKey: configArchive.encryptionKey },
  });

  tagPlatformStack(app, estate, 'security');
}

/** Applies the mandatory tags to every stack of an account's app. */
function tagPlatformStack(app: App, estate: EstateConfig, environment: string): void {
  TaggingStandard.applyTags(app, {
    costCentre: estate.tags.costCentre,
    owner: estate.tags.owner,
    environment,
    service: 'security-baseline',
    dataClassification: DataClassification.OFFICIAL_SENSITIVE,
  });
}
