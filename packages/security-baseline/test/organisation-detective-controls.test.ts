import { App, Duration, Stack, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import {
  DetectiveControls,
  DetectiveControlsProps,
  OrganisationDetectiveControls,
  OrganisationDetectiveControlsProps,
  OrganizationAutoEnable,
} from '../src';

const ACCOUNT = '111122223333';
const MEMBER_ACCOUNT = '444455556666';
const ROOT_ID = 'r-a1b2';
const ENV = { account: ACCOUNT, region: 'eu-west-2' };

interface Deployment {
  readonly accountStack: Stack;
  readonly organisationStack: Stack;
  readonly controls: DetectiveControls;
  readonly organisation: OrganisationDetectiveControls;
}

/** Returns the account-level props: account only, with a delivery bucket encrypted with a key of its own. */
function accountProps(stack: Stack, extra: Partial<DetectiveControlsProps> = {}): DetectiveControlsProps {
  const key = new kms.Key(stack, 'ArchiveKey', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Archive', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  return { organizationWide: false, config: { deliveryBucket: bucket }, ...extra };
}

/** Builds the account-level controls in one stack and the organisation-level controls in another of the same account. */
function deploy(
  extra: Partial<OrganisationDetectiveControlsProps> = {},
  accountExtra: Partial<DetectiveControlsProps> = {},
): Deployment {
  const app = new App();
  const accountStack = new Stack(app, 'Security-DetectiveControls', { env: ENV });
  const controls = new DetectiveControls(accountStack, 'Controls', accountProps(accountStack, accountExtra));
  const organisationStack = new Stack(app, 'Security-OrganisationControls', { env: ENV });
  const organisation = new OrganisationDetectiveControls(organisationStack, 'Organisation', {
    detectiveControls: controls,
    organizationRootId: ROOT_ID,
    ...extra,
  });
  return { accountStack, organisationStack, controls, organisation };
}

function organisationTemplate(extra: Partial<OrganisationDetectiveControlsProps> = {}, accountExtra: Partial<DetectiveControlsProps> = {}): Template {
  return Template.fromStack(deploy(extra, accountExtra).organisationStack);
}

/** Returns the logical ID of the only resource of `type`. */
function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** Tests whether a resolved value imports an output of another stack. */
const IMPORTED = { 'Fn::ImportValue': Match.stringLikeRegexp('^Security-DetectiveControls:') };

describe('OrganisationDetectiveControls defaults', () => {
  test('GuardDuty uses the account-level detector', () => {
    // Given account-level controls with the default GuardDuty features
    // When the organisation-level controls are added in another stack
    const template = organisationTemplate();

    // Then every member account gets the detector's features, and the detector ID is imported
    template.hasResourceProperties('Custom::GuardDutyOrganizationConfiguration', {
      Create: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith([IMPORTED, Match.stringLikeRegexp('"AutoEnableOrganizationMembers":"ALL"')])]),
      }),
    });
    const create = JSON.stringify(template.findResources('Custom::GuardDutyOrganizationConfiguration'));
    expect(create).toContain('\\"Name\\":\\"S3_DATA_EVENTS\\",\\"AutoEnable\\":\\"ALL\\"');
    expect(create).toContain('\\"Name\\":\\"EKS_AUDIT_LOGS\\",\\"AutoEnable\\":\\"NONE\\"');
  });

  test('Security Hub central configuration on the root', () => {
    const { organisationStack, accountStack } = deploy();
    const template = Template.fromStack(organisationStack);

    template.hasResourceProperties('AWS::SecurityHub::OrganizationConfiguration', {
      ConfigurationType: 'CENTRAL',
      AutoEnable: false,
      AutoEnableStandards: 'NONE',
    });
    template.hasResourceProperties('AWS::SecurityHub::PolicyAssociation', { TargetType: 'ROOT', TargetId: ROOT_ID });
    template.resourceCountIs('Custom::SecurityHubHomeRegion', 1);
    // The hub and the standards are in the other stack, so the whole stack waits for it.
    expect(organisationStack.dependencies).toContain(accountStack);
  });

  test('Inspector and Macie turn themselves on for new accounts', () => {
    const template = organisationTemplate();

    template.hasResourceProperties('Custom::InspectorOrganizationConfiguration', {
      Create: Match.stringLikeRegexp('"autoEnable":\\{"ec2":true,"ecr":true,"lambda":false,"lambdaCode":false\\}'),
    });
    template.hasResourceProperties('Custom::MacieOrganizationConfiguration', {
      Create: Match.stringLikeRegexp('"autoEnable":true'),
    });
  });

  test('IAM Access Analyzer gets organisation analyzers only, retained', () => {
    const template = organisationTemplate();

    template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 2);
    template.hasResource('AWS::AccessAnalyzer::Analyzer', { Properties: { Type: 'ORGANIZATION' }, DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ORGANIZATION_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } },
    });
  });

  test('AWS Config gets an organisation aggregator and the organisation conformance pack', () => {
    const template = organisationTemplate();

    template.resourceCountIs('AWS::Config::ConfigurationAggregator', 1);
    template.hasResourceProperties('AWS::Config::OrganizationConformancePack', {
      OrganizationConformancePackName: 'ncsc-cloud-security-principles',
      TemplateBody: Match.stringLikeRegexp('NCSC principle'),
      ExcludedAccounts: Match.absent(),
    });
    template.resourceCountIs('AWS::Config::ConformancePack', 0);
  });

  test('the account-level stack keeps no organisation resource', () => {
    const template = Template.fromStack(deploy().accountStack);

    template.resourceCountIs('AWS::Config::OrganizationConformancePack', 0);
    template.resourceCountIs('AWS::Config::ConfigurationAggregator', 0);
    template.resourceCountIs('AWS::SecurityHub::OrganizationConfiguration', 0);
    template.resourceCountIs('Custom::GuardDutyOrganizationConfiguration', 0);
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
  });

  test('the account-only warning of the account-level controls is acknowledged', () => {
    const { accountStack } = deploy();

    Annotations.fromStack(accountStack).hasNoWarning('*', Match.stringLikeRegexp('detectiveControlsAccountOnly'));
  });

  test('it exposes the organisation analyzer and the pack name', () => {
    const { organisation } = deploy();

    expect(organisation.conformancePackName).toBe('ncsc-cloud-security-principles');
    expect(organisation.organizationAnalyzerArn).toBeDefined();
  });
});

describe('OrganisationDetectiveControls references to the account-level controls', () => {
  test('one stack refers to account resources', () => {
    // Given both constructs in one stack
    const app = new App();
    const stack = new Stack(app, 'Security', { env: ENV });
    const controls = new DetectiveControls(stack, 'Controls', accountProps(stack));
    new OrganisationDetectiveControls(stack, 'Organisation', { detectiveControls: controls, organizationRootId: ROOT_ID });

    // Then each organisation resource waits for, or refers to, its account-level resource
    const template = Template.fromStack(stack);
    const detector = logicalIdOf(template, 'AWS::GuardDuty::Detector');
    template.hasResourceProperties('Custom::GuardDutyOrganizationConfiguration', {
      Create: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: detector }])]) }),
    });
    const hub = logicalIdOf(template, 'AWS::SecurityHub::Hub');
    template.hasResource('Custom::SecurityHubHomeRegion', { DependsOn: Match.arrayWith([hub]) });
    const standards = Object.keys(template.findResources('AWS::SecurityHub::Standard')).sort();
    template.hasResource('AWS::SecurityHub::OrganizationConfiguration', { DependsOn: Match.arrayWith(standards) });
    const session = logicalIdOf(template, 'AWS::Macie::Session');
    template.hasResource('Custom::MacieOrganizationConfiguration', { DependsOn: Match.arrayWith([session]) });
    const enable = logicalIdOf(template, 'Custom::InspectorEnable');
    template.hasResource('Custom::InspectorOrganizationConfiguration', { DependsOn: Match.arrayWith([enable]) });
    const channel = logicalIdOf(template, 'AWS::Config::DeliveryChannel');
    template.hasResource('AWS::Config::OrganizationConformancePack', { DependsOn: Match.arrayWith([channel]) });
  });

  test('services off stay off', () => {
    const template = organisationTemplate({}, { macie: { enabled: false }, inspector: { enabled: false } });

    template.resourceCountIs('Custom::MacieOrganizationConfiguration', 0);
    template.resourceCountIs('Custom::InspectorOrganizationConfiguration', 0);
    template.resourceCountIs('Custom::GuardDutyOrganizationConfiguration', 1);
  });

  test('the unused access analyzer follows the account-level settings', () => {
    const template = organisationTemplate({}, { accessAnalyzer: { unusedAccessAge: Duration.days(30) } });

    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ORGANIZATION_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 30 } },
    });
  });

  test('the pack keeps the account-level excluded accounts unless overridden', () => {
    const inherited = organisationTemplate({}, { conformancePack: { excludedAccounts: [MEMBER_ACCOUNT] } });
    inherited.hasResourceProperties('AWS::Config::OrganizationConformancePack', { ExcludedAccounts: [MEMBER_ACCOUNT] });

    const overridden = organisationTemplate({ conformancePack: { excludedAccounts: ['777788889999'] } },
      { conformancePack: { excludedAccounts: [MEMBER_ACCOUNT] } });
    overridden.hasResourceProperties('AWS::Config::OrganizationConformancePack', { ExcludedAccounts: ['777788889999'] });
  });
});

describe('OrganisationDetectiveControls overrides', () => {
  test('GuardDuty can auto-enable new accounts only, with a warning', () => {
    const { organisationStack } = deploy({ guardDuty: { autoEnableOrganizationMembers: OrganizationAutoEnable.NEW } });

    Template.fromStack(organisationStack).hasResourceProperties('Custom::GuardDutyOrganizationConfiguration', {
      Create: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('"AutoEnableOrganizationMembers":"NEW"')])]) }),
    });
    Annotations.fromStack(organisationStack).hasWarning('/Security-OrganisationControls/Organisation',
      Match.stringLikeRegexp('guardDuty.autoEnableOrganizationMembers is NEW.*organisationDetectiveControlsGuardDutyMembersNotAll'));
  });

  test('disabled controls go into the configuration policy', () => {
    const template = organisationTemplate({ securityHub: { disabledControlIds: ['EC2.10'] } });

    template.hasResourceProperties('AWS::SecurityHub::ConfigurationPolicy', {
      ConfigurationPolicy: { SecurityHub: Match.objectLike({ SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: ['EC2.10'] } }) },
    });
  });

  test('without central configuration there is no policy and no root ID is needed', () => {
    const template = organisationTemplate({ organizationRootId: undefined, securityHub: { centralConfiguration: false } });

    template.resourceCountIs('AWS::SecurityHub::OrganizationConfiguration', 0);
    template.resourceCountIs('AWS::SecurityHub::ConfigurationPolicy', 0);
    template.resourceCountIs('Custom::GuardDutyOrganizationConfiguration', 1);
  });
});

describe('OrganisationDetectiveControls validation', () => {
  function organisationIn(stack: Stack, props: unknown): void {
    new OrganisationDetectiveControls(stack, 'Organisation', props as OrganisationDetectiveControlsProps);
  }

  test.each([
    ['no root ID', { organizationRootId: undefined }, /organizationRootId is missing\. Security Hub central configuration/],
    ['a malformed root ID', { organizationRootId: 'root' }, /organizationRootId is "root", which is not an organisation root ID/],
    ['a malformed control ID', { securityHub: { disabledControlIds: ['ec2'] } }, /securityHub\.disabledControlIds\[0\] is "ec2", which is not a security control ID/],
    ['disabled controls without central configuration', { securityHub: { centralConfiguration: false, disabledControlIds: ['EC2.10'] } },
      /securityHub\.disabledControlIds is set, but securityHub\.centralConfiguration is false/],
    ['an unknown auto-enable value', { guardDuty: { autoEnableOrganizationMembers: 'SOME' } },
      /guardDuty\.autoEnableOrganizationMembers is "SOME", which is not one of the OrganizationAutoEnable values/],
    ['a malformed excluded account', { conformancePack: { excludedAccounts: ['12345'] } },
      /conformancePack\.excludedAccounts\[0\] is "12345", which is not an AWS account ID/],
  ])('rejects %s', (_name, extra, message) => {
    expect(() => deploy(extra as Partial<OrganisationDetectiveControlsProps>)).toThrow(message);
  });

  test('rejects missing props and a missing detectiveControls', () => {
    const app = new App();
    expect(() => organisationIn(new Stack(app, 'First', { env: ENV }), undefined))
      .toThrow(/props is undefined\. Give the props as an object with at least detectiveControls/);
    expect(() => organisationIn(new Stack(app, 'Second', { env: ENV }), {})).toThrow(/detectiveControls is missing\. Pass the DetectiveControls of this account/);
  });

  test('rejects a construct that is not a DetectiveControls', () => {
    const stack = new Stack(new App(), 'Security', { env: ENV });
    const other = new Construct(stack, 'Other');
    expect(() => organisationIn(stack, { detectiveControls: other })).toThrow(/detectiveControls is .*which is not a DetectiveControls/);
  });

  test('rejects organisation-wide account-level controls', () => {
    const stack = new Stack(new App(), 'Security', { env: ENV });
    const controls = new DetectiveControls(stack, 'Controls', { ...accountProps(stack), organizationWide: true, organizationRootId: ROOT_ID });
    expect(() => organisationIn(stack, { detectiveControls: controls, organizationRootId: ROOT_ID }))
      .toThrow(/detectiveControls \(Security\/Controls\) has organizationWide true, so it configures the organisation itself/);
  });

  test('rejects account-level controls of another account or region', () => {
    const app = new App();
    const accountStack = new Stack(app, 'Security', { env: ENV });
    const controls = new DetectiveControls(accountStack, 'Controls', accountProps(accountStack));
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: MEMBER_ACCOUNT, region: 'eu-west-1' } });
    expect(() => organisationIn(elsewhere, { detectiveControls: controls, organizationRootId: ROOT_ID }))
      .toThrow(/detectiveControls \(Security\/Controls\) is in account "111122223333", and this construct is in "444455556666"[\s\S]*is in region "eu-west-2", and this construct is in "eu-west-1"/);
  });

  test('rejects organisation options of a service that is off', () => {
    expect(() => deploy({ guardDuty: { autoEnableOrganizationMembers: OrganizationAutoEnable.ALL } }, { guardDuty: { enabled: false } }))
      .toThrow(/guardDuty is set, but GuardDuty is off in detectiveControls \(guardDuty\.enabled is false there\)/);
  });

  test('rejects account-level controls with every service off', () => {
    const off = { enabled: false };
    const everythingOff: Partial<DetectiveControlsProps> = {
      guardDuty: off, securityHub: off, inspector: off, macie: off, accessAnalyzer: off, config: off, conformancePack: off,
    };
    const app = new App();
    const stack = new Stack(app, 'Security', { env: ENV });
    const controls = new DetectiveControls(stack, 'Controls', { organizationWide: false, ...everythingOff });
    expect(() => organisationIn(stack, { detectiveControls: controls }))
      .toThrow(/Every service is off in detectiveControls, so this construct would create nothing/);
  });

  test('reports every problem in one error', () => {
    expect(() => deploy({ organizationRootId: 'root', conformancePack: { excludedAccounts: ['1'] } }))
      .toThrow(/organizationRootId is "root"[\s\S]*conformancePack\.excludedAccounts\[0\] is "1"/);
  });
});
