import { ArnFormat, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  CLOUDWATCH_LOGS_ACTIONS,
  KEY_ADMINISTRATOR_ACTIONS,
  KEY_USER_ACTIONS,
  denyGrantsExceptForAwsResources,
  keyPolicyStatementProblems,
  keyPrincipalProblems,
} from './private/key-policy';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show, showDuration } from './private/validation';

/** The kind of data that a key of a key family encrypts. Each purpose gets its own key, alias and key policy. */
export enum KeyPurpose {
  /** CloudWatch Logs log groups. The key policy lets CloudWatch Logs use the key for this account's log groups. */
  LOGS = 'logs',

  /** S3 buckets and EBS volumes. Key users can use the key only through Amazon S3 and Amazon EC2. */
  STORAGE = 'storage',

  /** Amazon RDS databases. Key users can use the key only through Amazon RDS. */
  DATABASES = 'databases',

  /** AWS Backup vaults. Key users can use the key only through AWS Backup. */
  BACKUP = 'backup',

  /** AWS Secrets Manager secrets. Key users can use the key only through Secrets Manager. */
  SECRETS = 'secrets',
}

/** The principals that may use each key of a key family, by purpose. */
export interface KeyUsers {
  /**
   * Principals that may use the LOGS key directly, for example a role that reads exported logs.
   *
   * @default - none
   */
  readonly logs?: iam.IPrincipal[];

  /**
   * Principals that may use the STORAGE key through Amazon S3 and Amazon EC2 (EBS).
   *
   * @default - none
   */
  readonly storage?: iam.IPrincipal[];

  /**
   * Principals that may use the DATABASES key through Amazon RDS, for example the role that
   * deploys the databases.
   *
   * @default - none
   */
  readonly databases?: iam.IPrincipal[];

  /**
   * Principals that may use the BACKUP key through AWS Backup, for example the AWS Backup
   * service role.
   *
   * @default - none
   */
  readonly backup?: iam.IPrincipal[];

  /**
   * Principals that may use the SECRETS key through Secrets Manager, for example the
   * application roles that read secrets.
   *
   * @default - none
   */
  readonly secrets?: iam.IPrincipal[];
}

/** A statement to add to the key policy of one key of a key family. */
export interface AdditionalKeyPolicyStatement {
  /** The key whose policy gets the statement. */
  readonly purpose: KeyPurpose;

  /**
   * The statement. An Allow statement must not grant `kms:*` or `*`, use `NotAction` or
   * `NotPrincipal`, or allow principal `"*"` without a condition.
   */
  readonly statement: iam.PolicyStatement;
}

/** Properties of a key family. */
export interface KeyFamilyProps {
  /**
   * The prefix of the keys' aliases. Each key gets the alias `alias/<aliasPrefix>/<purpose>`,
   * for example `alias/ssd/logs`.
   *
   * Letters, digits, `/`, `_` and `-`, not starting or ending with `/`. Alias names are
   * unique in an account and region, so two key families there need different prefixes.
   * `aws` is reserved for AWS managed keys.
   */
  readonly aliasPrefix: string;

  /**
   * The purposes to create a key for.
   *
   * @default - every purpose: LOGS, STORAGE, DATABASES, BACKUP and SECRETS
   */
  readonly purposes?: KeyPurpose[];

  /**
   * How often AWS KMS rotates the key material of each key.
   *
   * A whole number of days from 90 to 2560, the range AWS KMS accepts.
   *
   * @default Duration.days(365)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys.html
   */
  readonly rotationPeriod?: Duration;

  /**
   * IAM roles that administer the keys: change their policies, aliases, tags and rotation,
   * disable them and schedule their deletion. They get no cryptographic operation and
   * cannot create grants.
   *
   * AWS KMS rejects a key policy that names a role that does not exist, so the roles must
   * exist before deployment.
   *
   * @default - none: principals of this account administer the keys through their IAM policies
   */
  readonly keyAdministrators?: iam.IRole[];

  /**
   * The principals that may encrypt and decrypt with each key.
   *
   * Key users get `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey`,
   * `kms:GenerateDataKeyWithoutPlaintext` and `kms:DescribeKey`, through the purpose's AWS
   * services only (see `KeyPurpose`), and for STORAGE, DATABASES and BACKUP also
   * `kms:CreateGrant` for AWS resources.
   *
   * @default - none: principals of this account use the keys through their IAM policies
   */
  readonly keyUsers?: KeyUsers;

  /**
   * Statements to add to the key policies, for needs the key family does not cover.
   *
   * @default - none
   */
  readonly additionalStatements?: AdditionalKeyPolicyStatement[];

  /**
   * The removal policy of the keys. With `DESTROY`, deleting the stack schedules the keys
   * for deletion after 30 days, and data encrypted with them becomes unreadable.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The props after defaults, as the construct uses them. */
interface KeyFamilySettings {
  readonly aliasPrefix: string;
  readonly purposes: KeyPurpose[];
  readonly rotationPeriod: Duration;
  readonly keyAdministrators: iam.IRole[];
  readonly keyUsers: Map<KeyPurpose, iam.IPrincipal[]>;
  readonly additionalStatements: AdditionalKeyPolicyStatement[];
  readonly removalPolicy: RemovalPolicy;
}

/** The AWS services through which key users may use each key, as `kms:ViaService` service names. */
const VIA_SERVICES: Record<KeyPurpose, string[]> = {
  [KeyPurpose.LOGS]: [],
  [KeyPurpose.STORAGE]: ['s3', 'ec2'],
  [KeyPurpose.DATABASES]: ['rds'],
  [KeyPurpose.BACKUP]: ['backup'],
  [KeyPurpose.SECRETS]: ['secretsmanager'],
};

/** The purposes whose services attach the key to resources with grants: EBS volumes, RDS instances, backup vaults. */
const GRANT_PURPOSES = [KeyPurpose.STORAGE, KeyPurpose.DATABASES, KeyPurpose.BACKUP];

const PURPOSE_DESCRIPTIONS: Record<KeyPurpose, string> = {
  [KeyPurpose.LOGS]: 'CloudWatch Logs log groups',
  [KeyPurpose.STORAGE]: 'S3 buckets and EBS volumes',
  [KeyPurpose.DATABASES]: 'RDS databases',
  [KeyPurpose.BACKUP]: 'AWS Backup vaults',
  [KeyPurpose.SECRETS]: 'Secrets Manager secrets',
};

const ALL_PURPOSES: KeyPurpose[] = Object.values(KeyPurpose);
const REMOVAL_POLICIES: string[] = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** The rotation periods AWS KMS accepts, in days. */
const MIN_ROTATION_DAYS = 90;
const MAX_ROTATION_DAYS = 2560;
const DEFAULT_ROTATION = Duration.days(365);

/** KMS alias names: `alias/` and up to 250 more of these characters. */
const ALIAS_PREFIX = /^[a-zA-Z0-9_-]+(\/[a-zA-Z0-9_-]+)*$/;
const MAX_ALIAS_LENGTH = 256;

/**
 * A family of customer managed KMS keys, one for each purpose: logs, storage, databases,
 * backup and secrets.
 *
 * Each key is a symmetric key with automatic rotation (yearly by default), retained on stack
 * deletion, with the alias `alias/<aliasPrefix>/<purpose>`. Its key policy:
 *
 * - lets the account's IAM policies grant access (the standard statement for the account
 *   root), so that the key cannot become unmanageable;
 * - lets `keyAdministrators` manage the key, without any cryptographic operation;
 * - lets the purpose's `keyUsers` encrypt, decrypt and generate data keys, through the
 *   purpose's AWS services only;
 * - for LOGS, lets CloudWatch Logs use the key for this account's log groups in this region.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class KeyFamily extends Construct {
  /** The purposes that this family has a key for. */
  public readonly purposes: KeyPurpose[];

  private readonly keys = new Map<KeyPurpose, kms.Key>();
  private readonly aliases = new Map<KeyPurpose, kms.Alias>();

  constructor(scope: Construct, id: string, props: KeyFamilyProps) {
    super(scope, id);
    const settings = validateProps(scope, id, props);
    this.purposes = settings.purposes;

    for (const purpose of settings.purposes) {
      const name = pascalCase(purpose);
      const key = new kms.Key(this, `${name}Key`, {
        description: `Encrypts the ${PURPOSE_DESCRIPTIONS[purpose]} of ${this.node.path}`,
        enableKeyRotation: true,
        rotationPeriod: settings.rotationPeriod,
        pendingWindow: Duration.days(30),
        removalPolicy: settings.removalPolicy,
      });
      this.addKeyPolicyStatements(key, purpose, settings);
      denyGrantsExceptForAwsResources(key);

      const alias = new kms.Alias(this, `${name}Alias`, {
        aliasName: `alias/${settings.aliasPrefix}/${purpose}`,
        targetKey: key,
        removalPolicy: settings.removalPolicy,
      });
      this.keys.set(purpose, key);
      this.aliases.set(purpose, alias);
    }
  }

  /**
   * Returns the key for a purpose.
   *
   * @throws if the family has no key for the purpose
   */
  public keyFor(purpose: KeyPurpose): kms.IKey {
    return this.lookUp(this.keys, purpose);
  }

  /**
   * Returns the alias of the key for a purpose.
   *
   * @throws if the family has no key for the purpose
   */
  public aliasFor(purpose: KeyPurpose): kms.IAlias {
    return this.lookUp(this.aliases, purpose);
  }

  private lookUp<T>(map: Map<KeyPurpose, T>, purpose: KeyPurpose): T {
    const found = map.get(purpose);
    if (found === undefined) {
      throw new Error(`KeyFamily ${this.node.path} has no key for purpose ${show(purpose)}. It has keys for `
        + `${this.purposes.join(', ')}. Add the purpose to the purposes prop, or use one of those keys.`);
    }
    return found;
  }

  private addKeyPolicyStatements(key: kms.Key, purpose: KeyPurpose, settings: KeyFamilySettings): void {
    const stack = Stack.of(this);

    if (settings.keyAdministrators.length > 0) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'KeyAdministration',
        principals: settings.keyAdministrators.map((role) => new iam.ArnPrincipal(role.roleArn)),
        actions: KEY_ADMINISTRATOR_ACTIONS,
        resources: ['*'],
      }));
    }

    const users = settings.keyUsers.get(purpose) ?? [];
    const viaServices = VIA_SERVICES[purpose].map((service) => `${service}.${stack.region}.amazonaws.com`);
    const viaService = viaServices.length === 1 ? viaServices[0] : viaServices;
    const viaCondition = viaServices.length > 0 ? { StringEquals: { 'kms:ViaService': viaService } } : undefined;
    if (users.length > 0) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'KeyUse',
        principals: users,
        actions: KEY_USER_ACTIONS,
        resources: ['*'],
        conditions: viaCondition,
      }));
    }
    if (users.length > 0 && GRANT_PURPOSES.includes(purpose)) {
      // The service attaches the key to the volume, database or vault with a grant that it
      // creates with the key user's credentials.
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'KeyAttachmentToAwsResources',
        principals: users,
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { ...viaCondition, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }));
    }

    if (purpose === KeyPurpose.LOGS) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudWatchLogsUse',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: CLOUDWATCH_LOGS_ACTIONS,
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }));
    }

    for (const addition of settings.additionalStatements.filter((entry) => entry.purpose === purpose)) {
      key.addToResourcePolicy(addition.statement);
    }
  }
}

function pascalCase(purpose: KeyPurpose): string {
  return purpose.charAt(0).toUpperCase() + purpose.slice(1);
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
function validateProps(scope: Construct, id: string, rawProps: KeyFamilyProps | null | undefined): KeyFamilySettings {
  const validator = new PropsValidator(describeConstruct('KeyFamily', scope, id));
  if (typeof rawProps !== 'object' || rawProps === null) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with at least aliasPrefix, for example { aliasPrefix: 'ssd' }.`);
    validator.throwIfInvalid();
  }
  const props = rawProps as KeyFamilyProps;
  const stack = Stack.of(scope);

  checkAliasPrefix(validator, props.aliasPrefix);
  const purposes = checkPurposes(validator, props.purposes);
  const rotationPeriod = checkRotationPeriod(validator, props.rotationPeriod);
  const keyAdministrators = checkAdministrators(validator, props.keyAdministrators);
  const keyUsers = checkKeyUsers(validator, props.keyUsers, purposes, stack);
  const additionalStatements = checkAdditionalStatements(validator, props.additionalStatements, purposes, stack);

  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  if (!REMOVAL_POLICIES.includes(removalPolicy)) {
    validator.fail(`removalPolicy is ${show(removalPolicy)}, which KMS keys do not support. `
      + 'Use RemovalPolicy.RETAIN, RemovalPolicy.DESTROY or RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, or omit it to retain the keys.');
  }

  validator.throwIfInvalid();
  return { aliasPrefix: props.aliasPrefix, purposes, rotationPeriod, keyAdministrators, keyUsers, additionalStatements, removalPolicy };
}

function checkAliasPrefix(validator: PropsValidator, prefix: unknown): void {
  if (typeof prefix !== 'string') {
    validator.fail(`aliasPrefix is ${show(prefix)}, which is not a string. Give the prefix of the key aliases, for example 'ssd'.`);
    return;
  }
  if (!isConcreteString(prefix)) {
    validator.fail('aliasPrefix is a token. Give a literal prefix, for example \'ssd\', because alias names are checked before deployment.');
    return;
  }

  const longest = `alias/${prefix}/${KeyPurpose.DATABASES}`;
  if (!ALIAS_PREFIX.test(prefix)) {
    validator.fail(`aliasPrefix ${show(prefix)} is not a valid alias prefix. Use letters, digits, '/', '_' and '-', `
      + 'without a leading or trailing \'/\' or an empty segment, for example \'ssd\' or \'ssd/security\'.');
  } else if (prefix === 'aws' || prefix.startsWith('aws/')) {
    validator.fail(`aliasPrefix ${show(prefix)} starts with 'aws', which AWS KMS reserves for AWS managed keys. Choose another prefix.`);
  } else if (longest.length > MAX_ALIAS_LENGTH) {
    validator.fail(`aliasPrefix is ${prefix.length} characters, which makes the alias ${longest.length} characters. `
      + `AWS KMS accepts alias names of at most ${MAX_ALIAS_LENGTH} characters, so shorten the prefix.`);
  }
}

function checkPurposes(validator: PropsValidator, value: unknown): KeyPurpose[] {
  if (!isGiven(value)) {
    return ALL_PURPOSES;
  }
  const purposes = checkList(validator, 'purposes', value, '[KeyPurpose.LOGS, KeyPurpose.SECRETS]');
  if (purposes === undefined) {
    return [];
  }
  if (purposes.length === 0) {
    validator.fail('purposes is empty. List at least one KeyPurpose, or omit purposes to create a key for every purpose.');
  }

  const seen = new Set<unknown>();
  purposes.forEach((purpose, index) => {
    if (!ALL_PURPOSES.includes(purpose as KeyPurpose)) {
      validator.fail(`purposes[${index}] is ${show(purpose)}, which is not a key purpose. Use a KeyPurpose value, `
        + `one of ${ALL_PURPOSES.map((entry) => `KeyPurpose.${entry.toUpperCase()}`).join(', ')}.`);
    } else if (seen.has(purpose)) {
      validator.fail(`purposes[${index}] is ${show(purpose)}, which is listed twice. List each purpose once.`);
    }
    seen.add(purpose);
  });
  return purposes.filter((purpose): purpose is KeyPurpose => ALL_PURPOSES.includes(purpose as KeyPurpose))
    .filter((purpose, index, all) => all.indexOf(purpose) === index);
}

function checkRotationPeriod(validator: PropsValidator, value: unknown): Duration {
  if (!isGiven(value)) {
    return DEFAULT_ROTATION;
  }
  if (!(value instanceof Duration)) {
    validator.fail(`rotationPeriod is ${show(value)}, which is not a Duration. Give a Duration, for example Duration.days(365).`);
    return DEFAULT_ROTATION;
  }
  if (value.isUnresolved()) {
    validator.fail('rotationPeriod is a token. Give a literal number of days, for example Duration.days(365), '
      + `because the construct checks it against the ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS} days AWS KMS accepts.`);
    return DEFAULT_ROTATION;
  }

  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < MIN_ROTATION_DAYS || days > MAX_ROTATION_DAYS) {
    validator.fail(`rotationPeriod is ${showDuration(value)}. AWS KMS accepts a whole number of days from `
      + `${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}, for example Duration.days(365).`);
  }
  return value;
}

function checkAdministrators(validator: PropsValidator, value: unknown): iam.IRole[] {
  if (!isGiven(value)) {
    return [];
  }
  const roles = checkList(validator, 'keyAdministrators', value, '[iam.Role.fromRoleArn(this, \'KeyAdmin\', \'arn:aws:iam::111122223333:role/key-admin\')]');
  if (roles === undefined) {
    return [];
  }
  roles.forEach((role, index) => {
    const arn = typeof role === 'object' && role !== null ? (role as Record<string, unknown>).roleArn : undefined;
    if (typeof arn !== 'string') {
      validator.fail(`keyAdministrators[${index}] is ${show(role)}, which is not an IAM role. Give a role, for example `
        + 'iam.Role.fromRoleArn(this, \'KeyAdmin\', \'arn:aws:iam::111122223333:role/key-admin\').');
    }
  });
  return roles as iam.IRole[];
}

function checkKeyUsers(validator: PropsValidator, value: unknown, purposes: KeyPurpose[], stack: Stack): Map<KeyPurpose, iam.IPrincipal[]> {
  const users = new Map<KeyPurpose, iam.IPrincipal[]>();
  if (!isGiven(value)) {
    return users;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    validator.fail(`keyUsers is ${show(value)}, which is not an object. Give the principals by purpose, for example { secrets: [appRole] }.`);
    return users;
  }

  for (const [field, principals] of Object.entries(value as Record<string, unknown>)) {
    if (!isGiven(principals)) {
      continue;
    }
    const propName = `keyUsers.${field}`;
    const purpose = ALL_PURPOSES.find((entry) => entry === field);
    if (purpose === undefined) {
      validator.fail(`${propName} is not a key purpose. Use one of ${ALL_PURPOSES.join(', ')}.`);
      continue;
    }
    if (!purposes.includes(purpose)) {
      validator.fail(`${propName} lists principals, but the family has no ${purpose} key. `
        + `Add KeyPurpose.${purpose.toUpperCase()} to purposes, or remove ${propName}.`);
    }
    const list = checkList(validator, propName, principals, '[appRole]') ?? [];
    list.forEach((principal, index) => {
      for (const problem of keyPrincipalProblems(`${propName}[${index}]`, principal, stack)) {
        validator.fail(problem);
      }
    });
    users.set(purpose, list as iam.IPrincipal[]);
  }
  return users;
}

function checkAdditionalStatements(validator: PropsValidator, value: unknown, purposes: KeyPurpose[], stack: Stack): AdditionalKeyPolicyStatement[] {
  if (!isGiven(value)) {
    return [];
  }
  const entries = checkList(validator, 'additionalStatements', value, '[{ purpose: KeyPurpose.LOGS, statement }]');
  if (entries === undefined) {
    return [];
  }

  entries.forEach((entry, index) => {
    const path = `additionalStatements[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      validator.fail(`${path} is ${show(entry)}, which is not an object. Give { purpose, statement }.`);
      return;
    }
    const { purpose, statement } = entry as Record<string, unknown>;
    if (!ALL_PURPOSES.includes(purpose as KeyPurpose)) {
      validator.fail(`${path}.purpose is ${show(purpose)}, which is not a key purpose. Use a KeyPurpose value.`);
    } else if (!purposes.includes(purpose as KeyPurpose)) {
      validator.fail(`${path}.purpose is ${show(purpose)}, but the family has no key for it. Add it to purposes, or remove the statement.`);
    }
    const sid = statement instanceof iam.PolicyStatement && statement.sid !== undefined ? ` (Sid ${show(statement.sid)})` : '';
    for (const problem of keyPolicyStatementProblems(`${path}.statement${sid}`, statement, stack)) {
      validator.fail(problem);
    }
  });
  return entries as AdditionalKeyPolicyStatement[];
}
