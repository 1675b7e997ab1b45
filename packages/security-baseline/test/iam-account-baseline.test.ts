import { App, Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IamAccountBaseline, IamAccountBaselineProps } from '../src/iam-account-baseline';

function newStack(app: App = new App()): Stack {
  return new Stack(app, 'Workload', { env: { account: '222233334444', region: 'eu-west-2' } });
}

function synth(props?: IamAccountBaselineProps): Template {
  const stack = newStack();
  new IamAccountBaseline(stack, 'Iam', props);
  return Template.fromStack(stack);
}

/** Returns the SDK call that the password policy custom resource makes on create. */
function passwordPolicyCall(template: Template): Record<string, any> {
  const resources = Object.values(template.findResources('Custom::IamAccountPasswordPolicy'));
  expect(resources).toHaveLength(1);
  const create = resources[0].Properties.Create;
  return JSON.parse(typeof create === 'string' ? create : create['Fn::Join'][1].join(''));
}

function build(props: IamAccountBaselineProps): () => IamAccountBaseline {
  return () => new IamAccountBaseline(newStack(), 'Iam', props);
}

describe('IamAccountBaseline defaults', () => {
  test('the password policy needs 14 characters of every class', () => {
    const call = passwordPolicyCall(synth());

    expect(call.action).toBe('updateAccountPasswordPolicy');
    expect(call.parameters).toEqual({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
      HardExpiry: false,
    });
  });

  test('deleting the construct leaves the password policy', () => {
    const resources = Object.values(synth().findResources('Custom::IamAccountPasswordPolicy'));

    expect(resources[0].Properties.Delete).toBeUndefined();
  });

  test('the custom resource may only update the password policy', () => {
    synth().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'iam:UpdateAccountPasswordPolicy', Effect: 'Allow', Resource: '*' }] },
    });
  });

  test('access keys older than 90 days are reported', () => {
    synth().hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'ACCESS_KEYS_ROTATED' },
      InputParameters: { maxAccessKeyAge: '90' },
      MaximumExecutionFrequency: 'TwentyFour_Hours',
    });
  });

  test('credentials unused for 45 days are reported', () => {
    synth().hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'IAM_USER_UNUSED_CREDENTIALS_CHECK' },
      InputParameters: { maxCredentialUsageAge: '45' },
    });
  });

  test('root access keys and console users without MFA are reported', () => {
    const template = synth();

    template.hasResourceProperties('AWS::Config::ConfigRule', { Source: { Owner: 'AWS', SourceIdentifier: 'IAM_ROOT_ACCESS_KEY_CHECK' } });
    template.hasResourceProperties('AWS::Config::ConfigRule', { Source: { Owner: 'AWS', SourceIdentifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS' } });
    template.resourceCountIs('AWS::Config::ConfigRule', 4);
  });

  test('rule names are left to CloudFormation', () => {
    synth().allResourcesProperties('AWS::Config::ConfigRule', { ConfigRuleName: Match.absent() });
  });
});

describe('IamAccountBaseline overrides', () => {
  test('a longer minimum length and a shorter age are applied', () => {
    const call = passwordPolicyCall(synth({ passwordPolicy: { minimumLength: 20, maxAge: Duration.days(60) } }));

    expect(call.parameters).toMatchObject({ MinimumPasswordLength: 20, MaxPasswordAge: 60 });
  });

  test('the password policy can be left alone', () => {
    synth({ passwordPolicy: { enabled: false } }).resourceCountIs('Custom::IamAccountPasswordPolicy', 0);
  });

  test('the rules can be left out', () => {
    synth({ configRules: false }).resourceCountIs('AWS::Config::ConfigRule', 0);
  });

  test('the rule ages can be shortened', () => {
    const template = synth({ maxAccessKeyAge: Duration.days(30), maxCredentialUsageAge: Duration.days(30) });

    template.hasResourceProperties('AWS::Config::ConfigRule', { InputParameters: { maxAccessKeyAge: '30' } });
    template.hasResourceProperties('AWS::Config::ConfigRule', { InputParameters: { maxCredentialUsageAge: '30' } });
  });

  test('configRuleNames lists the four rules', () => {
    const baseline = new IamAccountBaseline(newStack(), 'Iam');

    expect(baseline.configRuleNames).toHaveLength(4);
  });
});

describe('IamAccountBaseline validation', () => {
  test('rejects a minimum length under 14', () => {
    expect(build({ passwordPolicy: { minimumLength: 8 } }))
      .toThrow(/passwordPolicy\.minimumLength is 8\. Give a whole number from 14, the platform's minimum, to 128/);
  });

  test('rejects a minimum length over 128', () => {
    expect(build({ passwordPolicy: { minimumLength: 129 } })).toThrow(/passwordPolicy\.minimumLength is 129/);
  });

  test('rejects a password age over 90 days', () => {
    expect(build({ passwordPolicy: { maxAge: Duration.days(365) } }))
      .toThrow(/passwordPolicy\.maxAge is 365 days\. Give a whole number of days from 1 to 90/);
  });

  test('rejects a password age in part days', () => {
    expect(build({ passwordPolicy: { maxAge: Duration.hours(36) } })).toThrow(/passwordPolicy\.maxAge is 1 day 12 hours/);
  });

  test('rejects an access key age token', () => {
    expect(build({ maxAccessKeyAge: Duration.days(Lazy.number({ produce: () => 30 })) }))
      .toThrow(/maxAccessKeyAge is a token\. Give a literal Duration/);
  });

  test('rejects an unused credentials age over 90 days', () => {
    expect(build({ maxCredentialUsageAge: Duration.days(120) })).toThrow(/maxCredentialUsageAge is 120 days/);
  });

  test('rejects an age that is not a Duration', () => {
    expect(build({ maxAccessKeyAge: 90 as unknown as Duration })).toThrow(/maxAccessKeyAge is 90, which is not a Duration/);
  });

  test('rejects configRules that is not a boolean', () => {
    expect(build({ configRules: 'yes' as unknown as boolean })).toThrow(/configRules is "yes", which is not a boolean/);
  });

  test('rejects a password policy that is not an object', () => {
    expect(build({ passwordPolicy: true as unknown as object })).toThrow(/passwordPolicy is true, which is not an object/);
  });

  test('one error lists every problem', () => {
    expect(build({ passwordPolicy: { minimumLength: 6 }, maxAccessKeyAge: Duration.days(400) }))
      .toThrow(/Invalid IamAccountBaseline props at Workload\/Iam:\n {2}- passwordPolicy\.minimumLength .*\n {2}- maxAccessKeyAge/);
  });
});

describe('IamAccountBaseline compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    const stack = newStack(new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    new IamAccountBaseline(stack, 'Iam');
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
