import { Duration, RemovalPolicy, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show, showDuration } from './validation';
// secret-store imports this module too, so its values are read only inside functions,
// after both modules have loaded.
import { KeyPairSecretOptions, KeyPairType, KeyPairUse, SecretOptions, SecretRotation, SecretStoreProps, SecretType } from '../secret-store';

/** A secret's options after validation, with whether Secrets Manager generates its value. */
export interface SecretSettings extends SecretOptions {
  readonly generated: boolean;
}

/** A key pair's options after validation, with its secret name. */
export interface KeyPairSettings extends KeyPairSecretOptions {
  readonly secretName: string;
}

/** The props after defaults, as the construct uses them. */
export interface SecretStoreSettings {
  readonly encryptionKey: kms.IKey;
  readonly organizationId: string;
  readonly secrets: SecretSettings[];
  readonly keyPairs: KeyPairSettings[];
  readonly removalPolicy: RemovalPolicy;
  /** Names that end with a hyphen and six characters, which Secrets Manager advises against. */
  readonly suffixedNames: string[];
}

const REMOVAL_POLICIES: string[] = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** The characters and length that Secrets Manager accepts in a secret name. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A key pair's host or partner name: a secret name segment, without `/`. */
const KEY_PAIR_NAME = /^[A-Za-z0-9_+=.@-]{1,255}$/;
/**
 * Secrets Manager appends a hyphen and six random characters to each secret ARN, so a name
 * that ends the same way can match the wrong secret when an ARN is given without its suffix.
 */
const ARN_SUFFIX_LOOKALIKE = /-[A-Za-z0-9_+=.@]{6}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const MAX_DESCRIPTION_LENGTH = 2048;
const MIN_GENERATED_LENGTH = 16;
const MAX_GENERATED_LENGTH = 4096;
const MIN_MANUAL_REASON_LENGTH = 20;
/** The fields that the Secrets Manager rotation templates for databases read from a secret, apart from the password. */
const HOSTED_ROTATION_FIELDS = ['engine', 'host', 'username'];
const ROTATION_FIX = 'Give SecretRotation.byFunction(rotationFunction), SecretRotation.hosted(...) for a database password, '
  + 'or SecretRotation.manual(\'<why, and who rotates it when>\') to accept manual rotation.';

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateSecretStoreProps(scope: Construct, id: string, rawProps: SecretStoreProps | null | undefined): SecretStoreSettings {
  const validator = new PropsValidator(describeConstruct('SecretStore', scope, id));
  if (typeof rawProps !== 'object' || rawProps === null) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with at least encryptionKey and organizationId.`);
    validator.throwIfInvalid();
  }
  const props = rawProps as SecretStoreProps;

  checkEncryptionKey(validator, props.encryptionKey, Stack.of(scope));
  checkOrganizationId(validator, props.organizationId);
  const secrets = checkSecrets(validator, props.secrets);
  const keyPairs = checkKeyPairs(validator, props.keyPairs);

  const seen = new Map<string, string>();
  const entries = [
    ...secrets.map((secret, index) => ({ name: secret.name, path: `secrets[${index}]` })),
    ...keyPairs.map((pair, index) => ({ name: pair.secretName, path: `keyPairs[${index}]` })),
  ];
  for (const { name, path } of entries) {
    const first = seen.get(name);
    if (first !== undefined) {
      validator.fail(`${path} is named ${show(name)}, like ${first}. Secret names are unique in an account and region, so give each secret its own name.`);
    }
    seen.set(name, path);
  }

  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  if (!REMOVAL_POLICIES.includes(removalPolicy)) {
    validator.fail(`removalPolicy is ${show(removalPolicy)}, which secrets do not support. `
      + 'Use RemovalPolicy.RETAIN, RemovalPolicy.DESTROY or RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, or omit it to retain the secrets.');
  }

  validator.throwIfInvalid();
  return {
    encryptionKey: props.encryptionKey,
    organizationId: props.organizationId,
    secrets,
    keyPairs,
    removalPolicy,
    suffixedNames: entries.map((entry) => entry.name).filter((name) => isConcreteString(name) && ARN_SUFFIX_LOOKALIKE.test(name)),
  };
}

function checkEncryptionKey(validator: PropsValidator, key: unknown, stack: Stack): void {
  const candidate = (typeof key === 'object' && key !== null ? key : {}) as Record<string, unknown>;
  if (typeof candidate.keyArn !== 'string') {
    validator.fail(`encryptionKey is ${show(key)}, which is not a KMS key. Give an IKey, for example keyFamily.keyFor(KeyPurpose.SECRETS).`);
    return;
  }
  const env = candidate.env as { region?: unknown } | undefined;
  const keyRegion = env?.region;
  if (isConcreteString(keyRegion) && keyRegion !== '' && isConcreteString(stack.region) && keyRegion !== stack.region) {
    validator.fail(`encryptionKey is a key in ${keyRegion}, but the store is in ${stack.region}. Secrets Manager uses only a key `
      + `in the secret's region, so give a key from ${stack.region}.`);
  }
}

function checkOrganizationId(validator: PropsValidator, organizationId: unknown): void {
  if (typeof organizationId !== 'string') {
    validator.fail(`organizationId is ${show(organizationId)}, which is not a string. Give the organization ID, for example 'o-a1b2c3d4e5'.`);
  } else if (isConcreteString(organizationId) && !ORGANIZATION_ID.test(organizationId)) {
    validator.fail(`organizationId is ${show(organizationId)}, which is not an AWS Organizations organization ID. `
      + 'Give the ID that `aws organizations describe-organization` returns, "o-" and 10 to 32 lowercase letters or digits.');
  }
}

function checkSecrets(validator: PropsValidator, value: unknown): SecretSettings[] {
  if (!isGiven(value)) {
    return [];
  }
  const entries = checkList(validator, 'secrets', value, '[{ name: \'app/api-token\', type: SecretType.TOKEN, rotation }]') ?? [];
  const settings: SecretSettings[] = [];

  entries.forEach((entry, index) => {
    const path = `secrets[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      validator.fail(`${path} is ${show(entry)}, which is not an object. Give { name, type, rotation }.`);
      return;
    }
    const options = entry as SecretOptions;
    checkSecretName(validator, `${path}.name`, options.name);
    checkDescription(validator, `${path}.description`, options.description);

    if (!(Object.values(SecretType) as string[]).includes(options.type)) {
      validator.fail(`${path}.type is ${show(options.type)}, which is not a secret type. Use a SecretType value, `
        + 'for example SecretType.PASSWORD.');
    }
    const generated = options.type !== SecretType.CONNECTION_STRING;
    checkLength(validator, path, options, generated);
    checkJsonTemplate(validator, path, options);
    checkRotation(validator, `${path}.rotation`, options.rotation);
    if (options.rotation instanceof SecretRotation && options.rotation.hostedRotation !== undefined) {
      checkHostedRotationTarget(validator, path, options);
    }
    settings.push({ ...options, generated });
  });
  return settings;
}

function checkSecretName(validator: PropsValidator, propName: string, name: unknown): void {
  if (typeof name !== 'string') {
    validator.fail(`${propName} is ${show(name)}, which is not a string. Give the secret's name, for example 'app/api-token'.`);
  } else if (!isConcreteString(name)) {
    validator.fail(`${propName} is a token. Give a literal name, because the store checks names and builds construct IDs from them.`);
  } else if (!SECRET_NAME.test(name)) {
    validator.fail(`${propName} ${show(name)} is not a valid secret name. Secrets Manager accepts 1 to 512 letters, digits `
      + 'and the characters /_+=.@-.');
  } else if (/^(ssh|sftp)\//.test(name)) {
    validator.fail(`${propName} ${show(name)} starts with ssh/ or sftp/, which the store keeps for key pairs. `
      + 'Put SSH and SFTP keys in keyPairs, or choose another name.');
  }
}

function checkDescription(validator: PropsValidator, propName: string, description: unknown): void {
  if (!isGiven(description)) {
    return;
  }
  if (typeof description !== 'string') {
    validator.fail(`${propName} is ${show(description)}, which is not a string. Give a description, or omit it.`);
  } else if (isConcreteString(description) && description.length > MAX_DESCRIPTION_LENGTH) {
    validator.fail(`${propName} is ${description.length} characters. Secrets Manager accepts at most ${MAX_DESCRIPTION_LENGTH}, so shorten it.`);
  }
}

function checkLength(validator: PropsValidator, path: string, options: SecretOptions, generated: boolean): void {
  const length: unknown = options.length;
  if (!isGiven(length)) {
    return;
  }
  if (!generated) {
    validator.fail(`${path}.length is ${show(length)}, but a CONNECTION_STRING secret is uploaded, not generated. Remove length.`);
  } else if (typeof length !== 'number' || !Number.isInteger(length) || length < MIN_GENERATED_LENGTH || length > MAX_GENERATED_LENGTH) {
    validator.fail(`${path}.length is ${show(length)}. Give a whole number of characters from ${MIN_GENERATED_LENGTH} to `
      + `${MAX_GENERATED_LENGTH}, or omit length for the type's default.`);
  }
}

function checkJsonTemplate(validator: PropsValidator, path: string, options: SecretOptions): void {
  const template: unknown = options.jsonTemplate;
  if (!isGiven(template)) {
    return;
  }
  if (options.type !== SecretType.PASSWORD) {
    validator.fail(`${path}.jsonTemplate is given for a ${show(options.type)} secret. Only PASSWORD secrets store fields `
      + 'beside the generated value, so remove jsonTemplate or use SecretType.PASSWORD.');
  }
  if (typeof template !== 'object' || Array.isArray(template)) {
    validator.fail(`${path}.jsonTemplate is ${show(template)}, which is not an object. Give the fields as an object, `
      + 'for example { username: \'admin\' }.');
    return;
  }
  for (const [field, fieldValue] of Object.entries(template as Record<string, unknown>)) {
    if (field === 'password') {
      validator.fail(`${path}.jsonTemplate has a password field, which the store generates. Remove it from jsonTemplate.`);
    } else if (typeof fieldValue !== 'string') {
      validator.fail(`${path}.jsonTemplate.${field} is ${show(fieldValue)}, which is not a string. Give each field as a string.`);
    }
  }
}

function checkHostedRotationTarget(validator: PropsValidator, path: string, options: SecretOptions): void {
  const fields = typeof options.jsonTemplate === 'object' && options.jsonTemplate !== null ? Object.keys(options.jsonTemplate) : [];
  const missing = HOSTED_ROTATION_FIELDS.filter((field) => !fields.includes(field));
  if (options.type !== SecretType.PASSWORD || missing.length > 0) {
    validator.fail(`${path}.rotation is a hosted rotation, which rotates database passwords only and reads the database's `
      + `${HOSTED_ROTATION_FIELDS.join(', ')} from the secret. Use SecretType.PASSWORD with a jsonTemplate that has `
      + `${missing.length > 0 ? missing.join(', ') : 'those fields'}, or SecretRotation.byFunction for other secrets.`);
  }
}

function checkRotation(validator: PropsValidator, propName: string, rotation: unknown): void {
  if (!isGiven(rotation)) {
    validator.fail(`${propName} is missing. ${ROTATION_FIX}`);
    return;
  }
  if (!(rotation instanceof SecretRotation)) {
    validator.fail(`${propName} is ${show(rotation)}, which is not a SecretRotation. ${ROTATION_FIX}`);
    return;
  }

  if (rotation.manualReason !== undefined) {
    const reason: unknown = rotation.manualReason;
    if (typeof reason !== 'string' || reason.trim().length < MIN_MANUAL_REASON_LENGTH || !/^[\x20-\x7e]+$/.test(reason)) {
      validator.fail(`${propName} is manual with the reason ${show(reason)}. Give a reason of at least ${MIN_MANUAL_REASON_LENGTH} `
        + 'printable ASCII characters that says why the secret cannot rotate automatically, and who rotates it when.');
    }
    return;
  }
  if (rotation.rotationFunction !== undefined && typeof (rotation.rotationFunction as { functionArn?: unknown }).functionArn !== 'string') {
    validator.fail(`${propName} has a rotation function of ${show(rotation.rotationFunction)}, which is not a Lambda function. `
      + 'Give an IFunction, for example lambda.Function.fromFunctionArn(this, \'Rotation\', rotationFunctionArn).');
  }
  checkRotationInterval(validator, `${propName}.automaticallyAfter`, rotation.automaticallyAfter);
}

function checkRotationInterval(validator: PropsValidator, propName: string, interval: unknown): void {
  if (!isGiven(interval)) {
    return;
  }
  if (!(interval instanceof Duration)) {
    validator.fail(`${propName} is ${show(interval)}, which is not a Duration. Give a Duration, for example Duration.days(30).`);
    return;
  }
  if (interval.isUnresolved()) {
    return;
  }
  const hours = interval.toHours({ integral: false });
  if (!Number.isInteger(hours) || hours < 4 || hours > 1000 * 24) {
    validator.fail(`${propName} is ${showDuration(interval)}. Secrets Manager rotates at most every 4 hours and at least every `
      + '1000 days, in whole hours, so give a period in that range, for example Duration.days(30).');
  }
}

function checkKeyPairs(validator: PropsValidator, value: unknown): KeyPairSettings[] {
  if (!isGiven(value)) {
    return [];
  }
  const entries = checkList(validator, 'keyPairs', value, '[{ use: KeyPairUse.SSH, name: \'bastion-1\', keyType: KeyPairType.ED25519, rotation }]') ?? [];
  const settings: KeyPairSettings[] = [];

  entries.forEach((entry, index) => {
    const path = `keyPairs[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      validator.fail(`${path} is ${show(entry)}, which is not an object. Give { use, name, keyType, rotation }.`);
      return;
    }
    const options = entry as KeyPairSecretOptions;
    if (!(Object.values(KeyPairUse) as string[]).includes(options.use)) {
      validator.fail(`${path}.use is ${show(options.use)}, which is not a key pair use. Use KeyPairUse.SSH or KeyPairUse.SFTP.`);
    }
    const name: unknown = options.name;
    if (!isConcreteString(name) || !KEY_PAIR_NAME.test(name)) {
      validator.fail(`${path}.name is ${show(name)}. Give the host or partner name as a literal string of 1 to 255 letters, `
        + 'digits and the characters _+=.@-, for example \'bastion-1\'.');
    }
    if (!(Object.values(KeyPairType) as string[]).includes(options.keyType)) {
      validator.fail(`${path}.keyType is ${show(options.keyType)}, which is not a key type. Use a KeyPairType value, `
        + 'for example KeyPairType.ED25519.');
    }
    checkDescription(validator, `${path}.description`, options.description);
    checkRotation(validator, `${path}.rotation`, options.rotation);
    if (options.rotation instanceof SecretRotation && options.rotation.hostedRotation !== undefined) {
      validator.fail(`${path}.rotation is a hosted rotation, which rotates database passwords only. `
        + 'Give SecretRotation.byFunction with a function that replaces the key on its host, or SecretRotation.manual.');
    }
    settings.push({ ...options, secretName: `${options.use}/${String(name)}` });
  });
  return settings;
}
