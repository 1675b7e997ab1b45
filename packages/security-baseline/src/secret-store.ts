import {
  Annotations,
  CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  Tags,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addNagSuppressions } from './private/nag-suppressions';
import { SecretSettings, SecretStoreSettings, validateSecretStoreProps } from './private/secret-store-validation';
import { show } from './private/validation';

/** The kind of value a secret of a `SecretStore` holds, which decides how it is generated. */
export enum SecretType {
  /** A password: 32 random characters by default, letters, digits and punctuation. */
  PASSWORD = 'password',

  /** A bearer or access token: 64 random letters and digits by default. */
  TOKEN = 'token',

  /** An API key: 40 random letters and digits by default. */
  API_KEY = 'api-key',

  /**
   * A connection string. It names a host and credentials that the store cannot know, so the
   * secret is created empty and its value uploaded after deployment.
   */
  CONNECTION_STRING = 'connection-string',
}

/** What a key pair of a `SecretStore` is for, which decides the secret's name. */
export enum KeyPairUse {
  /** An SSH key for a host, stored as `ssh/<name>`. */
  SSH = 'ssh',

  /** An SFTP key for a partner's file exchange, stored as `sftp/<name>`. */
  SFTP = 'sftp',
}

/** The algorithm of a stored key pair, recorded in the secret's `KeyType` tag. */
export enum KeyPairType {
  /** Ed25519. */
  ED25519 = 'ed25519',

  /** ECDSA on the NIST P-256 curve. */
  ECDSA_P256 = 'ecdsa-p256',

  /** ECDSA on the NIST P-384 curve. */
  ECDSA_P384 = 'ecdsa-p384',

  /** RSA with a 3072-bit modulus. */
  RSA_3072 = 'rsa-3072',

  /** RSA with a 4096-bit modulus. */
  RSA_4096 = 'rsa-4096',
}

/**
 * The rotation method of a secret of a `SecretStore`: a Lambda function, a Secrets Manager
 * hosted rotation function for a database, or rotation by hand.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html
 */
export class SecretRotation {
  /**
   * Rotates the secret with your own rotation function.
   *
   * The function must implement the four rotation steps of Secrets Manager (createSecret,
   * setSecret, testSecret and finishSecret) for the system that uses the secret. Its role
   * needs `kms:Decrypt` and `kms:GenerateDataKey` on the store's key.
   *
   * @param rotationFunction the rotation function
   * @param automaticallyAfter the time between rotations, from 4 hours to 1000 days. Default: Duration.days(30)
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
   */
  public static byFunction(rotationFunction: lambda.IFunction, automaticallyAfter?: Duration): SecretRotation {
    return new SecretRotation({ rotationFunction, automaticallyAfter });
  }

  /**
   * Rotates a database password with a rotation function that Secrets Manager creates from
   * one of its templates, for example `secretsmanager.HostedRotation.mysqlSingleUser()`.
   *
   * Only for PASSWORD secrets with a `jsonTemplate` that has at least `engine`, `host` and
   * `username`: the templates read the database's address and user from the secret.
   *
   * @param hostedRotation the hosted rotation, with the VPC and subnets that reach the database
   * @param automaticallyAfter the time between rotations, from 4 hours to 1000 days. Default: Duration.days(30)
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_available-rotation-templates.html
   */
  public static hosted(hostedRotation: secretsmanager.HostedRotation, automaticallyAfter?: Duration): SecretRotation {
    return new SecretRotation({ hostedRotation, automaticallyAfter });
  }

  /**
   * Leaves rotation to people, a documented relaxation of the rule that every secret rotates.
   *
   * The store adds the warning `@ssd-platform/security-baseline:secretRotationManual`, and
   * records `reason` as the reason for the cdk-nag rotation findings.
   *
   * @param reason why the secret cannot rotate automatically, and who rotates it and when. At least 20 characters.
   */
  public static manual(reason: string): SecretRotation {
    return new SecretRotation({ manualReason: reason });
  }

  /** The rotation function, for `byFunction`. */
  public readonly rotationFunction?: lambda.IFunction;

  /** The hosted rotation, for `hosted`. */
  public readonly hostedRotation?: secretsmanager.HostedRotation;

  /** The time between rotations, when given to `byFunction` or `hosted`. */
  public readonly automaticallyAfter?: Duration;

  /** The reason that rotation is manual, for `manual`. */
  public readonly manualReason?: string;

  private constructor(options: {
    rotationFunction?: lambda.IFunction;
    hostedRotation?: secretsmanager.HostedRotation;
    automaticallyAfter?: Duration;
    manualReason?: string;
  }) {
    this.rotationFunction = options.rotationFunction;
    this.hostedRotation = options.hostedRotation;
    this.automaticallyAfter = options.automaticallyAfter;
    this.manualReason = options.manualReason;
  }
}

/** A secret to create in a `SecretStore`. */
export interface SecretOptions {
  /**
   * The name of the secret, for example `payments/stripe/api-key`.
   *
   * 1 to 512 letters, digits and `/_+=.@-`, unique in the account and region. Names that start
   * with `ssh/` or `sftp/` are kept for `keyPairs`.
   */
  readonly name: string;

  /** The kind of value, which decides how the value is generated. */
  readonly type: SecretType;

  /** The rotation method of the secret. There is no default, so that every secret without rotation is a visible choice. */
  readonly rotation: SecretRotation;

  /**
   * A description of the secret.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * The length of the generated value, from 16 to 4096 characters. Not for CONNECTION_STRING,
   * which is not generated.
   *
   * @default - 32 for PASSWORD, 64 for TOKEN, 40 for API_KEY
   */
  readonly length?: number;

  /**
   * Fields to store with a generated password, as a JSON object whose `password` field the
   * store generates. Only for PASSWORD. A database secret for hosted rotation needs at least
   * `engine`, `host` and `username`, for example `{ engine: 'mysql', host: db.dbInstanceEndpointAddress, username: 'admin' }`.
   *
   * @default - the secret is the password alone
   */
  readonly jsonTemplate?: { [key: string]: string };
}

/** An SSH or SFTP key pair to keep in a `SecretStore`. */
export interface KeyPairSecretOptions {
  /** The use of the key. SSH keys are named `ssh/<name>`, SFTP keys `sftp/<name>`. */
  readonly use: KeyPairUse;

  /**
   * The host name for SSH, or the partner name for SFTP: 1 to 255 letters, digits and `_+=.@-`.
   */
  readonly name: string;

  /** The algorithm of the key pair, recorded in the `KeyType` tag. */
  readonly keyType: KeyPairType;

  /** The rotation method of the key pair. */
  readonly rotation: SecretRotation;

  /**
   * A description of the key pair.
   *
   * @default - none
   */
  readonly description?: string;
}

/** Properties of a secret store. */
export interface SecretStoreProps {
  /**
   * The KMS key that encrypts every secret, for example the SECRETS key of a `KeyFamily`.
   *
   * The store's secrets grant Secrets Manager use of the key on behalf of this account: on a key
   * defined in the same app this adds a statement to the key policy.
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The ID of the AWS Organizations organization, for example `o-a1b2c3d4e5`. Each secret's
   * resource policy denies every principal outside it.
   */
  readonly organizationId: string;

  /**
   * Tokens, passwords, connection strings and API keys to create.
   *
   * @default - none
   */
  readonly secrets?: SecretOptions[];

  /**
   * SSH and SFTP key pairs to keep. Their secrets are created empty, so that no key appears in
   * the template: upload each private key after deployment, for example with
   * `aws secretsmanager put-secret-value --secret-id ssh/<host> --secret-string file://<key file>`.
   *
   * @default - none
   */
  readonly keyPairs?: KeyPairSecretOptions[];

  /**
   * The removal policy of the secrets. With `DESTROY`, deleting the stack schedules each secret
   * for deletion after Secrets Manager's recovery window of 30 days.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The generation settings of each secret type that Secrets Manager can generate. */
const GENERATION: Record<string, { length: number; excludePunctuation: boolean }> = {
  [SecretType.PASSWORD]: { length: 32, excludePunctuation: false },
  [SecretType.TOKEN]: { length: 64, excludePunctuation: true },
  [SecretType.API_KEY]: { length: 40, excludePunctuation: true },
};

/**
 * Characters left out of generated passwords, because shells, URLs and connection strings
 * give them a meaning.
 */
const PASSWORD_EXCLUDED_CHARACTERS = ' "\'`\\/@:;%&?#';

/**
 * An encrypted store of secrets in AWS Secrets Manager: tokens, passwords, connection strings
 * and API keys, and SSH and SFTP key pairs.
 *
 * Every secret:
 *
 * - is encrypted with `encryptionKey`;
 * - has a resource policy that denies every principal outside the organization (except AWS
 *   services acting for it) and every request without TLS, with public policies blocked;
 * - rotates with a rotation function, or is marked `SecretRotation.manual` with a reason;
 * - is retained on stack deletion;
 * - has no value in the template: Secrets Manager generates it, or it is uploaded later.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html
 */
export class SecretStore extends Construct {
  /** The KMS key that encrypts the secrets. */
  public readonly encryptionKey: kms.IKey;

  private readonly secretsByName = new Map<string, secretsmanager.Secret>();

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    const settings = validateSecretStoreProps(scope, id, props);
    this.encryptionKey = settings.encryptionKey;

    for (const name of settings.suffixedNames) {
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:secretNameLooksLikeArnSuffix',
        `The secret name ${show(name)} ends with a hyphen and six characters, like the random suffix Secrets Manager adds `
        + 'to every secret ARN. An ARN or name given without that suffix can then match another secret, so rename the secret.');
    }

    for (const options of settings.secrets) {
      const secret = this.createSecret(settings, options.name, options.description, generationOf(options, this));
      Tags.of(secret).add('SecretType', options.type);
      this.applyRotation(secret, options.name, options.rotation);
    }

    for (const options of settings.keyPairs) {
      const secret = this.createSecret(settings, options.secretName, options.description, undefined);
      Tags.of(secret).add('KeyUse', options.use);
      Tags.of(secret).add('KeyType', options.keyType);
      this.applyRotation(secret, options.secretName, options.rotation);
    }
  }

  /** The names of the store's secrets, key pairs included. */
  public get secretNames(): string[] {
    return [...this.secretsByName.keys()];
  }

  /**
   * Returns a secret of the store by name. Key pairs are named `ssh/<host>` and `sftp/<partner>`.
   *
   * @throws if the store has no secret of that name
   */
  public secret(name: string): secretsmanager.ISecret {
    const secret = this.secretsByName.get(name);
    if (secret === undefined) {
      throw new Error(`SecretStore ${this.node.path} has no secret named ${show(name)}. `
        + `Its secrets are ${this.secretNames.map((entry) => show(entry)).join(', ') || 'none'}.`);
    }
    return secret;
  }

  /**
   * Lets a principal read a secret's value: `secretsmanager:GetSecretValue` and
   * `secretsmanager:DescribeSecret` on the secret, and `kms:Decrypt` on the key through
   * Secrets Manager.
   *
   * @param name the secret's name, for example `ssh/bastion-1` for a key pair
   * @param grantee the principal to grant to
   * @throws if the store has no secret of that name
   */
  public grantRead(name: string, grantee: iam.IGrantable): iam.Grant {
    return this.secret(name).grantRead(grantee);
  }

  private createSecret(settings: SecretStoreSettings, name: string, description: string | undefined,
    generation: secretsmanager.SecretStringGenerator | undefined): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, name.replace(/\//g, ':'), {
      secretName: name,
      description,
      encryptionKey: settings.encryptionKey,
      generateSecretString: generation,
      removalPolicy: settings.removalPolicy,
    });
    if (generation === undefined) {
      // The L2 generates a password when given no value. An empty secret has no version
      // until a value is uploaded, so no key or connection string passes through the template.
      (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    }

    secret.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyOutsideOrganization',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['secretsmanager:*'],
      resources: ['*'],
      conditions: {
        StringNotEquals: { 'aws:PrincipalOrgID': settings.organizationId },
        Bool: { 'aws:PrincipalIsAWSService': 'false' },
      },
    }));
    secret.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyWithoutTls',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['secretsmanager:*'],
      resources: ['*'],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    const policy = secret.node.tryFindChild('Policy')?.node.defaultChild;
    if (policy instanceof secretsmanager.CfnResourcePolicy) {
      policy.blockPublicPolicy = true;
    }

    this.secretsByName.set(name, secret);
    return secret;
  }

  private applyRotation(secret: secretsmanager.Secret, name: string, rotation: SecretRotation): void {
    if (rotation.manualReason !== undefined) {
      Annotations.of(secret).addWarningV2('@ssd-platform/security-baseline:secretRotationManual',
        `The secret ${show(name)} does not rotate automatically: ${rotation.manualReason}`);
      addNagSuppressions(secret.node.defaultChild as CfnResource, [
        { id: 'AwsSolutions-SMG4', reason: `Rotation is manual: ${rotation.manualReason}` },
        { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason: `Rotation is manual: ${rotation.manualReason}` },
      ]);
      return;
    }

    // A generated value is new, and an uploaded one does not exist yet, so the first rotation
    // waits for the schedule instead of running while the stack deploys.
    secret.addRotationSchedule('Rotation', {
      rotationLambda: rotation.rotationFunction,
      hostedRotation: rotation.hostedRotation,
      automaticallyAfter: rotation.automaticallyAfter ?? Duration.days(30),
      rotateImmediatelyOnUpdate: false,
    });
  }
}

/** Builds the Secrets Manager generation settings for a secret, or returns undefined for a secret uploaded later. */
function generationOf(options: SecretSettings, scope: Construct): secretsmanager.SecretStringGenerator | undefined {
  if (!options.generated) {
    return undefined;
  }
  const defaults = GENERATION[options.type];
  const template = options.jsonTemplate === undefined ? undefined : Stack.of(scope).toJsonString(options.jsonTemplate);
  return {
    passwordLength: options.length ?? defaults.length,
    excludePunctuation: defaults.excludePunctuation,
    excludeCharacters: defaults.excludePunctuation ? undefined : PASSWORD_EXCLUDED_CHARACTERS,
    includeSpace: false,
    requireEachIncludedType: true,
    secretStringTemplate: template,
    generateStringKey: template === undefined ? undefined : 'password',
  };
}
