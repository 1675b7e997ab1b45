import {
  ChangeDetection,
  DataClassification,
  DelegatedAdministration,
  DelegatedService,
  DetectiveControls,
  IamAccountBaseline,
  KeyFamily,
  KeyPairType,
  KeyPairUse,
  KeyPurpose,
  LogArchive,
  MemberAccountBootstrap,
  OrganisationDetectiveControls,
  OrganisationTrail,
  PermissionSetDuty,
  PermissionSets,
  PlatformOrganisation,
  PlatformOrganizationalUnit,
  PrivateCertificateAuthority,
  SecretRotation,
  SecretStore,
  SocFeed,
  TaggingStandard,
} from '@ssd-platform/security-baseline';
import { App, ArnFormat, Duration, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { addBackupTarget, addConfigRecorder } from './account-baseline';
import { alertByEmail } from './alerting';
import { EstateConfig } from './estate';

/** The name of the organisation trail, and the ARN the Security account's archive admits it by. */
const TRAIL_NAME = 'organisation-trail';

function trailArn(estate: EstateConfig): string {
  return `arn:aws:cloudtrail:${estate.region}:${estate.accounts.management}:trail/${TRAIL_NAME}`;
}

/** Returns the bucket name of the Security account's archive of the organisation trail. */
function auditArchiveName(estate: EstateConfig): string {
  return `ssd-audit-archive-${estate.accounts.security}`;
}

/**
 * Builds the management account's stacks: the policy types, trusted access and RAM sharing
 * of the organisation (the Security app designates the delegated administrator), the organisation
 * with its member accounts and guardrails (service control, tag and backup policies),
 * the organisation trail, the permission sets of IAM Identity Center, and the account's
 * own AWS Config recorder, IAM baseline and change detection.
 */
export function buildManagement(app: App, estate: EstateConfig): void {
  const env = { account: estate.accounts.management, region: estate.region };
  const stack = new Stack(app, 'Management-Organisation', {
    env,
    description: 'The organisation, its member accounts and its guardrail policies',
  });
  // The policy types come first. The Security account is designated delegated administrator
  // by the Security app, after its detective controls exist, because each designation turns
  // the service on in the Security account and its detector, hub or session would then fail.
  const delegated = new DelegatedAdministration(stack, 'DelegatedAdministration', {
    securityAccountId: estate.accounts.security,
    rootId: estate.organisation.rootId,
    services: [],
  });
  const emails = estate.organisation.accountEmails;
  const organisation = new PlatformOrganisation(stack, 'Organisation', {
    rootId: estate.organisation.rootId,
    accounts: [
      { accountName: 'security', email: emails.security, organizationalUnit: PlatformOrganizationalUnit.SECURITY },
      { accountName: 'shared-services', email: emails.sharedServices, organizationalUnit: PlatformOrganizationalUnit.INFRASTRUCTURE },
      { accountName: 'non-production', email: emails.nonProduction, organizationalUnit: PlatformOrganizationalUnit.NON_PRODUCTION },
      { accountName: 'production', email: emails.production, organizationalUnit: PlatformOrganizationalUnit.PRODUCTION },
    ],
    securityServicesProtection: { securityAdminRoleArnPatterns: estate.organisation.securityAdminRoleArnPatterns },
    backupPolicy: { backupVaultName: estate.backup.vaultName, backupRoleName: estate.backup.roleName, retention: Duration.days(35) },
  });
  organisation.node.addDependency(delegated.policyTypesEnabled);

  // A StackSet bootstraps every member account for the CDK, trusting this account, so no one
  // runs `cdk bootstrap` in them. It has its own stack, deployed after the accounts exist, so
  // that a failed stack instance rolls back only the StackSet. A rollback of the organisation
  // stack would leave its retained accounts outside the stack.
  const bootstrapStack = new Stack(app, 'Management-Bootstrap', {
    env,
    description: 'The CDK bootstrap of every member account, through a service-managed StackSet',
  });
  const bootstrap = new MemberAccountBootstrap(bootstrapStack, 'MemberAccountBootstrap', {
    organizationalUnitIds: [
      PlatformOrganizationalUnit.SECURITY,
      PlatformOrganizationalUnit.INFRASTRUCTURE,
      PlatformOrganizationalUnit.WORKLOADS,
    ].map((unit) => organisation.organizationalUnitId(unit)),
  });
  bootstrap.node.addDependency(organisation.accountsCreated);

  const auditStack = new Stack(app, 'Management-Audit', {
    env,
    description: 'The organisation trail, its alarms, and this account\'s AWS Config recorder, change detection and backup vault',
  });
  const trail = new OrganisationTrail(auditStack, 'Trail', {
    trailName: TRAIL_NAME,
    organizationId: estate.organisation.organizationId,
    logArchiveBucketName: auditArchiveName(estate),
    logReaderAccounts: [estate.accounts.security],
  });
  alertByEmail(trail.alarmTopic, estate.alerting.securityOperationsEmail);
  // The account's Config rules need its configuration recorder, so they wait for it.
  const recorder = addConfigRecorder(auditStack, estate);
  new IamAccountBaseline(auditStack, 'IamBaseline').node.addDependency(recorder);
  // The backup policy is a management policy, which applies to the management account too.
  addBackupTarget(auditStack, estate);
  const changes = new ChangeDetection(auditStack, 'ChangeDetection');
  changes.node.addDependency(recorder);
  alertByEmail(changes.alertTopic, estate.alerting.securityOperationsEmail);

  const identityStack = new Stack(app, 'Management-Identity', { env, description: 'IAM Identity Center permission sets by separation of duties' });
  const groups = estate.identity.groups;
  const workloadAccounts = [estate.accounts.sharedServices, estate.accounts.nonProduction, estate.accounts.production];
  const everyAccount = [estate.accounts.security, ...workloadAccounts];
  new PermissionSets(identityStack, 'PermissionSets', {
    instanceArn: estate.identity.instanceArn,
    permissionSets: [
      { name: 'AWSAdmins', duty: PermissionSetDuty.AWS_ADMINISTRATOR, assignments: [{ groupIds: [groups.awsAdmins], accountIds: everyAccount }] },
      {
        name: 'DevOpsEngineers',
        duty: PermissionSetDuty.DEVOPS_ENGINEER,
        assignments: [{ groupIds: [groups.devOpsEngineers], accountIds: workloadAccounts }],
      },
      { name: 'SecurityEngineers', duty: PermissionSetDuty.SECURITY_ENGINEER, assignments: [{ groupIds: [groups.securityEngineers], accountIds: everyAccount }] },
      { name: 'SecurityAuditors', duty: PermissionSetDuty.SECURITY_AUDITOR, assignments: [{ groupIds: [groups.securityAuditors], accountIds: everyAccount }] },
      {
        // The vendor deploys to Pre-production (the Non-Production account) and Production only.
        name: 'ApplicationVendor',
        duty: PermissionSetDuty.APPLICATION_VENDOR,
        vendorAccess: { tagKey: 'Vendor', tagValue: estate.vendor.name, region: estate.region },
        assignments: [{ groupIds: [groups.applicationVendor], accountIds: [estate.accounts.nonProduction, estate.accounts.production] }],
      },
    ],
  });
  tagPlatformStack(app, estate, 'management');
}

/**
 * Builds the Security account's stacks: the key family, the private certificate
 * authorities, each issuing CA shared with its tier's account, and the secret store. It
 * also builds the detective controls and the AWS Config archive that every account
 * delivers to, and the trail archive, SOC feed and change detection. The detective
 * controls come in two parts, around a stack of the management account that designates
 * the Security account as delegated administrator.
 */
export function buildSecurity(app: App, estate: EstateConfig): void {
  const env = { account: estate.accounts.security, region: estate.region };

  const keysStack = new Stack(app, 'Security-Keys', { env, description: 'Customer-managed keys, private certificate authorities and secrets' });
  const keys = new KeyFamily(keysStack, 'Keys', { aliasPrefix: 'ssd-platform' });
  // Each tier's issuing CA is shared with that tier's account only, so that a tier cannot
  // issue certificates that the other tier trusts.
  const tiers = [estate.production, estate.nonProduction];
  new PrivateCertificateAuthority(keysStack, 'PrivateCa', {
    organization: 'SSD Platform',
    subordinateNames: tiers.map((tier) => tier.name),
    subordinateShares: tiers.map((tier) => ({ subordinateName: tier.name, accountIds: [tier.account] })),
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
  // Every other account's configuration recorder delivers here too. AWS Config does not
  // deliver to a bucket with S3 Object Lock enabled (CloudFormation reference of
  // AWS::Config::DeliveryChannel), so this archive has none. Its bucket policy denies
  // deleting configuration files instead, and the construct warns about it.
  const configArchive = new LogArchive(controlsStack, 'ConfigArchive', {
    bucketName: estate.configArchive.bucketName,
    objectLock: false,
    configSourceAccounts: [estate.accounts.management, estate.accounts.sharedServices, estate.accounts.nonProduction, estate.accounts.production],
  });
  // The account-level controls. The organisation settings come in a later stack, after the designations.
  const controls = new DetectiveControls(controlsStack, 'Controls', {
    organizationWide: false,
    config: { deliveryBucket: configArchive.bucket, deliveryKey: configArchive.encryptionKey },
  });
  addOrganisationControls(app, estate, controls);

  const auditStack = new Stack(app, 'Security-Audit', { env, description: 'The archive of the organisation trail, the SOC feed, and this account\'s change detection and backup vault' });
  new LogArchive(auditStack, 'AuditArchive', {
    bucketName: auditArchiveName(estate),
    cloudTrailSources: [{ trailArn: trailArn(estate), organizationId: estate.organisation.organizationId }],
  });
  const socFeed = new SocFeed(auditStack, 'SocFeed', {
    deliveryBucket: s3.Bucket.fromBucketArn(auditStack, 'SocDrop', auditStack.formatArn({
      service: 's3', region: '', account: '', resource: estate.socDeliveryBucketName, arnFormat: ArnFormat.NO_RESOURCE_NAME,
    })),
  });
  alertByEmail(socFeed.alarmTopic, estate.alerting.securityOperationsEmail);
  new IamAccountBaseline(auditStack, 'IamBaseline');
  addBackupTarget(auditStack, estate);
  alertByEmail(new ChangeDetection(auditStack, 'ChangeDetection').alertTopic, estate.alerting.securityOperationsEmail);

  tagPlatformStack(app, estate, 'security');
}

/**
 * Adds the designation of the Security account as delegated administrator, in a stack of the
 * management account, then the organisation-wide detective controls. The stack dependencies
 * make `cdk deploy --all` deploy the account-level controls, then the designations, then the
 * organisation settings, so an empty organisation needs each stack deployed once.
 *
 * Deploying the designations stack needs credentials for the management account, or the
 * management account bootstrapped with `--trust` for the account that deploys.
 */
function addOrganisationControls(app: App, estate: EstateConfig, controls: DetectiveControls): void {
  const controlsStack = Stack.of(controls);
  const designationsStack = new Stack(app, 'Security-DelegatedAdministration', {
    env: { account: estate.accounts.management, region: estate.region },
    description: 'The Security account as delegated administrator of the security services, in the management account',
  });
  // The management app enables the policy types, CloudTrail's trusted access and RAM sharing,
  // so this stack designates the services and enables their trusted access only.
  new DelegatedAdministration(designationsStack, 'DelegatedAdministration', {
    securityAccountId: estate.accounts.security,
    rootId: estate.organisation.rootId,
    services: [
      DelegatedService.GUARDDUTY,
      DelegatedService.SECURITY_HUB,
      DelegatedService.INSPECTOR,
      DelegatedService.MACIE,
      DelegatedService.ACCESS_ANALYZER,
      DelegatedService.CONFIG,
    ],
    policyTypes: [],
    organisationTrailAccess: false,
    organisationResourceSharing: false,
  });
  designationsStack.addDependency(controlsStack, 'the Security account\'s detector, hub and Macie session exist before the designations turn the services on');

  const organisationStack = new Stack(app, 'Security-OrganisationControls', {
    env: { account: estate.accounts.security, region: estate.region },
    description: 'Organisation settings of GuardDuty, Security Hub, Inspector, Macie, Access Analyzer and AWS Config',
  });
  // The member accounts exist before these settings, and the organisation configuration of
  // Inspector and Macie covers only accounts that join later, so each account is listed here.
  const emails = estate.organisation.accountEmails;
  new OrganisationDetectiveControls(organisationStack, 'Controls', {
    detectiveControls: controls,
    organizationRootId: estate.organisation.rootId,
    existingMemberAccounts: [
      { accountId: estate.accounts.sharedServices, email: emails.sharedServices },
      { accountId: estate.accounts.nonProduction, email: emails.nonProduction },
      { accountId: estate.accounts.production, email: emails.production },
    ],
  });
  organisationStack.addDependency(designationsStack, 'only the delegated administrator can change the organisation settings');
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
