import { Duration, aws_config as config, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addNagSuppressions } from './private/nag-suppressions';
import { acknowledgeSdkCallProvider } from './private/sdk-call-provider';
import { PropsValidator, describeConstruct, isGiven, show } from './private/validation';

/** Settings of the IAM account password policy. */
export interface PasswordPolicyOptions {
  /**
   * Whether to set the account password policy.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The minimum length of an IAM user password, from 14 to 128 characters.
   *
   * @default 14
   */
  readonly minimumLength?: number;

  /**
   * How long a password stays valid before IAM users must change it, in whole days from 1 to 90.
   *
   * @default Duration.days(90)
   */
  readonly maxAge?: Duration;
}

/** Properties of the IAM account baseline. */
export interface IamAccountBaselineProps {
  /**
   * The account password policy for IAM users.
   *
   * Passwords need upper and lower case letters, digits and symbols, and may not repeat
   * any of the last 24. People sign in through IAM Identity Center, so the policy matters
   * only for IAM users that exist despite that.
   *
   * @default - the policy is set with the defaults of `PasswordPolicyOptions`
   */
  readonly passwordPolicy?: PasswordPolicyOptions;

  /**
   * Whether to create the AWS Config managed rules that check IAM credentials: access key
   * rotation, unused credentials, root access keys and MFA for console users.
   *
   * AWS Config rules need a configuration recorder in the account and region, which
   * `DetectiveControls` creates. In the same stack, add a dependency on it.
   *
   * @default true
   */
  readonly configRules?: boolean;

  /**
   * The age after which the access key rotation rule finds an active access key non-compliant,
   * in whole days from 1 to 90.
   *
   * @default Duration.days(90)
   */
  readonly maxAccessKeyAge?: Duration;

  /**
   * How long a password or access key may stay unused before the unused credentials rule
   * finds its IAM user non-compliant, in whole days from 1 to 90.
   *
   * @default Duration.days(45)
   */
  readonly maxCredentialUsageAge?: Duration;
}

/** The props after defaults. */
interface IamAccountBaselineSettings {
  readonly passwordPolicyEnabled: boolean;
  readonly minimumPasswordLength: number;
  readonly maxPasswordAgeDays: number;
  readonly configRules: boolean;
  readonly maxAccessKeyAgeDays: number;
  readonly maxCredentialUsageAgeDays: number;
}

/** The number of previous passwords an IAM user may not reuse: the most IAM allows. */
const PASSWORD_REUSE_PREVENTION = 24;

const MIN_PASSWORD_LENGTH = 14;
const MAX_PASSWORD_LENGTH = 128;
const MAX_AGE_DAYS = 90;

/**
 * The IAM controls that every account of the organisation needs: a strong password policy
 * for IAM users, and AWS Config managed rules that report stale access keys, unused
 * credentials, root access keys and console users without MFA.
 *
 * Deploy it in every account, in the region where AWS Config records global resources. The
 * rules run every 24 hours.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
 */
export class IamAccountBaseline extends Construct {
  /**
   * The names of the AWS Config rules, in the order access key rotation, unused credentials,
   * root access key and console MFA. Empty when `configRules` is false.
   */
  public readonly configRuleNames: string[] = [];

  constructor(scope: Construct, id: string, props: IamAccountBaselineProps = {}) {
    super(scope, id);
    const settings = validateProps(scope, id, props);

    if (settings.passwordPolicyEnabled) {
      this.setPasswordPolicy(settings);
    }
    if (settings.configRules) {
      this.createConfigRules(settings);
    }
  }

  /**
   * Sets the account password policy, which CloudFormation has no resource for.
   *
   * Deleting the construct leaves the policy in place: removing it would let IAM users
   * choose weak passwords again, and a policy set before this construct would be lost too.
   */
  private setPasswordPolicy(settings: IamAccountBaselineSettings): void {
    const call: cr.AwsSdkCall = {
      service: 'IAM',
      action: 'updateAccountPasswordPolicy',
      parameters: {
        MinimumPasswordLength: settings.minimumPasswordLength,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        AllowUsersToChangePassword: true,
        MaxPasswordAge: settings.maxPasswordAgeDays,
        PasswordReusePrevention: PASSWORD_REUSE_PREVENTION,
        HardExpiry: false,
      },
      // An account has one password policy, so the physical ID is fixed.
      physicalResourceId: cr.PhysicalResourceId.of('AccountPasswordPolicy'),
    };

    const passwordPolicy = new cr.AwsCustomResource(this, 'PasswordPolicy', {
      resourceType: 'Custom::IamAccountPasswordPolicy',
      onCreate: call,
      onUpdate: call,
      // The SDK of the Lambda runtime has this call; installing the latest SDK would
      // download it from the npm registry at deploy time.
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['iam:UpdateAccountPasswordPolicy'], resources: ['*'] }),
      ]),
    });

    const policy = passwordPolicy.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
    if (policy instanceof iam.CfnPolicy) {
      addNagSuppressions(policy, [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'iam:UpdateAccountPasswordPolicy acts on the account and supports no resource-level permissions, so IAM accepts only Resource "*".',
        },
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason: 'AwsCustomResource attaches its policy inline; it allows only iam:UpdateAccountPasswordPolicy.',
        },
      ]);
    }
    acknowledgeSdkCallProvider(this);
  }

  private createConfigRules(settings: IamAccountBaselineSettings): void {
    // AWS Config documents managed rule parameters as strings, whatever their type.
    const rules: Array<[string, string, { [key: string]: string } | undefined]> = [
      ['AccessKeysRotated', config.ManagedRuleIdentifiers.ACCESS_KEYS_ROTATED, { maxAccessKeyAge: String(settings.maxAccessKeyAgeDays) }],
      ['UnusedCredentials', config.ManagedRuleIdentifiers.IAM_USER_UNUSED_CREDENTIALS_CHECK,
        { maxCredentialUsageAge: String(settings.maxCredentialUsageAgeDays) }],
      ['RootAccessKey', config.ManagedRuleIdentifiers.IAM_ROOT_ACCESS_KEY_CHECK, undefined],
      ['ConsoleMfa', config.ManagedRuleIdentifiers.MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS, undefined],
    ];

    for (const [id, identifier, inputParameters] of rules) {
      // The names are left to CloudFormation, because AWS Config rule names are unique in an
      // account and region, and the conformance pack may hold the same managed rules.
      const rule = new config.ManagedRule(this, id, {
        identifier,
        inputParameters,
        maximumExecutionFrequency: config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS,
      });
      this.configRuleNames.push(rule.configRuleName);
    }
  }
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
function validateProps(scope: Construct, id: string, rawProps: IamAccountBaselineProps | null): IamAccountBaselineSettings {
  const validator = new PropsValidator(describeConstruct('IamAccountBaseline', scope, id));
  if (isGiven(rawProps) && typeof rawProps !== 'object') {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object, or omit them to use the defaults.`);
    validator.throwIfInvalid();
  }
  const props: IamAccountBaselineProps = rawProps ?? {};
  const passwordPolicy: PasswordPolicyOptions = isGiven(props.passwordPolicy) && typeof props.passwordPolicy === 'object'
    ? props.passwordPolicy
    : {};
  if (isGiven(props.passwordPolicy) && typeof props.passwordPolicy !== 'object') {
    validator.fail(`passwordPolicy is ${show(props.passwordPolicy)}, which is not an object. Give for example `
      + '{ minimumLength: 16 }, or omit passwordPolicy for the defaults.');
  }

  const passwordPolicyEnabled = checkBoolean(validator, 'passwordPolicy.enabled', passwordPolicy.enabled, true);
  const configRules = checkBoolean(validator, 'configRules', props.configRules, true);

  const minimumPasswordLength = passwordPolicy.minimumLength ?? MIN_PASSWORD_LENGTH;
  if (typeof minimumPasswordLength !== 'number' || !Number.isInteger(minimumPasswordLength)
    || minimumPasswordLength < MIN_PASSWORD_LENGTH || minimumPasswordLength > MAX_PASSWORD_LENGTH) {
    validator.fail(`passwordPolicy.minimumLength is ${show(minimumPasswordLength)}. Give a whole number from `
      + `${MIN_PASSWORD_LENGTH}, the platform's minimum, to ${MAX_PASSWORD_LENGTH}, the most IAM accepts.`);
  }

  const maxPasswordAgeDays = checkDays(validator, 'passwordPolicy.maxAge', passwordPolicy.maxAge, 90);
  const maxAccessKeyAgeDays = checkDays(validator, 'maxAccessKeyAge', props.maxAccessKeyAge, 90);
  const maxCredentialUsageAgeDays = checkDays(validator, 'maxCredentialUsageAge', props.maxCredentialUsageAge, 45);

  validator.throwIfInvalid();
  return {
    passwordPolicyEnabled,
    minimumPasswordLength,
    maxPasswordAgeDays,
    configRules,
    maxAccessKeyAgeDays,
    maxCredentialUsageAgeDays,
  };
}

function checkBoolean(validator: PropsValidator, propName: string, value: unknown, defaultValue: boolean): boolean {
  if (!isGiven(value)) {
    return defaultValue;
  }
  if (typeof value !== 'boolean') {
    validator.fail(`${propName} is ${show(value)}, which is not a boolean. Give true or false, or omit it for ${defaultValue}.`);
    return defaultValue;
  }
  return value;
}

/** Records a problem unless a duration is a literal whole number of days from 1 to 90, and returns the days. */
function checkDays(validator: PropsValidator, propName: string, value: unknown, defaultDays: number): number {
  if (!isGiven(value)) {
    return defaultDays;
  }
  if (!(value instanceof Duration)) {
    validator.fail(`${propName} is ${show(value)}, which is not a Duration. Give for example Duration.days(${defaultDays}).`);
    return defaultDays;
  }
  if (value.isUnresolved()) {
    validator.fail(`${propName} is a token. Give a literal Duration, for example Duration.days(${defaultDays}), `
      + 'because AWS Config and IAM take the number of days.');
    return defaultDays;
  }
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1 || days > MAX_AGE_DAYS) {
    validator.fail(`${propName} is ${value.toHumanString()}. Give a whole number of days from 1 to ${MAX_AGE_DAYS}, `
      + `for example Duration.days(${defaultDays}).`);
    return defaultDays;
  }
  return days;
}
