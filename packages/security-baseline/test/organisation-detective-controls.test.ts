import { App, Aspects, Aws, CfnParameter, Duration, Fn, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3, custom_resources as cr } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
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

describe('OrganisationDetectiveControls existing member accounts', () => {
  const SECOND_MEMBER = '777788889999';
  const MEMBERS = [
    { accountId: MEMBER_ACCOUNT, email: 'aws-workloads@example.gov.uk' },
    { accountId: SECOND_MEMBER, email: 'aws-shared@example.gov.uk' },
  ];

  /** Builds both constructs in one stack, so that dependencies show as DependsOn. */
  function singleStackTemplate(
    extra: Partial<OrganisationDetectiveControlsProps> = {},
    accountExtra: Partial<DetectiveControlsProps> = {},
  ): Template {
    const stack = new Stack(new App(), 'Security', { env: ENV });
    const controls = new DetectiveControls(stack, 'Controls', accountProps(stack, accountExtra));
    new OrganisationDetectiveControls(stack, 'Organisation', { detectiveControls: controls, organizationRootId: ROOT_ID, ...extra });
    return Template.fromStack(stack);
  }

  /** Returns the parsed Create call of each resource of `type`, by logical ID. */
  function callsOf(template: Template, type: string): Record<string, { parameters: Record<string, unknown>; physicalResourceId: { id: string } }> {
    const resources = template.findResources(type);
    return Object.fromEntries(Object.entries(resources).map(([id, resource]) => [id, JSON.parse(resource.Properties.Create)]));
  }

  function dependsOn(template: Template, logicalId: string): string[] {
    return template.toJSON().Resources[logicalId].DependsOn ?? [];
  }

  test('Inspector associates, then enables, each member', () => {
    // Given two member accounts already in the organisation
    // When the organisation settings are added in the stack of the account-level controls
    const template = singleStackTemplate({ existingMemberAccounts: MEMBERS });

    // Then each account is associated once, with a physical ID of its own
    const associations = callsOf(template, 'Custom::InspectorMember');
    expect(Object.values(associations).map((call) => call.parameters)).toEqual([{ accountId: MEMBER_ACCOUNT }, { accountId: SECOND_MEMBER }]);
    expect(Object.values(associations).map((call) => call.physicalResourceId.id))
      .toEqual([`inspector-member-${MEMBER_ACCOUNT}`, `inspector-member-${SECOND_MEMBER}`]);

    // And one Enable call turns on the scan types of this account in both
    const enables = callsOf(template, 'Custom::InspectorEnableMembers');
    expect(Object.values(enables).map((call) => call.parameters)).toEqual([{ accountIds: [MEMBER_ACCOUNT, SECOND_MEMBER], resourceTypes: ['EC2', 'ECR'] }]);
  });

  test('Inspector member calls wait for activation', () => {
    const template = singleStackTemplate({ existingMemberAccounts: MEMBERS });

    const ownEnable = logicalIdOf(template, 'Custom::InspectorEnable');
    const organization = logicalIdOf(template, 'Custom::InspectorOrganizationConfiguration');
    const associations = Object.keys(template.findResources('Custom::InspectorMember'));
    for (const association of associations) {
      expect(dependsOn(template, association)).toEqual(expect.arrayContaining([ownEnable, organization]));
    }
    // The associations run in a chain, so the Enable call waits for the last of them
    const enable = logicalIdOf(template, 'Custom::InspectorEnableMembers');
    expect(dependsOn(template, enable)).toEqual(expect.arrayContaining([ownEnable, organization, associations[associations.length - 1]]));
  });

  test('member calls of each service run one after another', () => {
    // Given three member accounts
    const third = { accountId: '123412341234', email: 'aws-third@example.gov.uk' };

    // When
    const template = singleStackTemplate({ existingMemberAccounts: [...MEMBERS, third] });

    // Then each call of a service waits for the call of that service for the account before it, in the order of the list
    for (const type of ['Custom::InspectorMember', 'Custom::MacieMember']) {
      const calls = Object.keys(template.findResources(type));
      expect(calls.map((id) => id.match(/Member(\d{12})/)![1])).toEqual([MEMBER_ACCOUNT, SECOND_MEMBER, third.accountId]);
      expect(dependsOn(template, calls[0]).filter((id) => calls.includes(id))).toEqual([]);
      expect(dependsOn(template, calls[1]).filter((id) => calls.includes(id))).toEqual([calls[0]]);
      expect(dependsOn(template, calls[2]).filter((id) => calls.includes(id))).toEqual([calls[1]]);
    }
    // And the two services do not wait for each other
    const inspectorCalls = Object.keys(template.findResources('Custom::InspectorMember'));
    for (const id of Object.keys(template.findResources('Custom::MacieMember'))) {
      expect(dependsOn(template, id).filter((other) => inspectorCalls.includes(other))).toEqual([]);
    }
  });

  test('a changed list makes the Enable call again, on the same resource', () => {
    // Given a list of one account, then the same list with a second account
    const before = singleStackTemplate({ existingMemberAccounts: MEMBERS.slice(0, 1) });
    const after = singleStackTemplate({ existingMemberAccounts: MEMBERS });

    // Then the Enable resource keeps its logical ID, so CloudFormation updates it
    const enableId = logicalIdOf(after, 'Custom::InspectorEnableMembers');
    expect(logicalIdOf(before, 'Custom::InspectorEnableMembers')).toBe(enableId);
    // And the update makes the same call as the creation, with both accounts
    const properties = after.toJSON().Resources[enableId].Properties;
    expect(properties.Update).toBeDefined();
    expect(JSON.parse(properties.Update)).toEqual(JSON.parse(properties.Create));
    expect(JSON.parse(properties.Update).parameters.accountIds).toEqual([MEMBER_ACCOUNT, SECOND_MEMBER]);
  });

  test('the Enable response is not returned to CloudFormation', () => {
    // Given member accounts
    // When
    const template = singleStackTemplate({ existingMemberAccounts: MEMBERS });

    // Then the response, which can exceed what a custom resource may return, is filtered out
    const enables = callsOf(template, 'Custom::InspectorEnableMembers') as Record<string, { outputPaths?: string[] }>;
    expect(Object.values(enables).map((call) => call.outputPaths)).toEqual([[]]);
    // And no output refers to failedAccounts, which is absent when every account is turned on
    expect(JSON.stringify(template.toJSON().Outputs ?? {})).not.toContain('failedAccounts');
  });

  test('a changed email address makes no Macie call', () => {
    // Given a member account, then the same account with another email address
    const before = singleStackTemplate({ existingMemberAccounts: MEMBERS.slice(0, 1) });
    const after = singleStackTemplate({ existingMemberAccounts: [{ accountId: MEMBER_ACCOUNT, email: 'aws-renamed@example.gov.uk' }] });

    // Then the member resource keeps its logical ID
    const memberId = logicalIdOf(after, 'Custom::MacieMember');
    expect(logicalIdOf(before, 'Custom::MacieMember')).toBe(memberId);
    // And it has no update call, so the update stores the new address without calling CreateMember again
    const properties = after.toJSON().Resources[memberId].Properties;
    expect(properties.Update).toBeUndefined();
    expect(JSON.parse(properties.Create).parameters.account.email).toBe('aws-renamed@example.gov.uk');
  });

  test('Inspector member scan types follow this account', () => {
    const template = singleStackTemplate({ existingMemberAccounts: MEMBERS }, { inspector: { ecrScanning: false } });

    const enables = callsOf(template, 'Custom::InspectorEnableMembers');
    expect(Object.values(enables)[0].parameters.resourceTypes).toEqual(['EC2']);
  });

  test('Inspector Enable calls take 100 accounts each', () => {
    // Given 201 member accounts, and Macie off so that the stack stays under 500 resources
    const many = Array.from({ length: 201 }, (_, index) => ({
      accountId: String(100000000000 + index),
      email: `aws-member-${index}@example.gov.uk`,
    }));

    const template = organisationTemplate({ existingMemberAccounts: many }, { macie: { enabled: false } });

    // Then every account is associated and the Enable calls take 100, 100 and 1 accounts
    template.resourceCountIs('Custom::InspectorMember', 201);
    const enables = Object.entries(callsOf(template, 'Custom::InspectorEnableMembers'))
      .sort(([, first], [, second]) => first.physicalResourceId.id.localeCompare(second.physicalResourceId.id));
    expect(enables.map(([, call]) => (call.parameters.accountIds as string[]).length)).toEqual([100, 100, 1]);
    expect(enables.flatMap(([, call]) => call.parameters.accountIds)).toEqual(many.map((member) => member.accountId));
    // And each call waits for the one before it
    expect(dependsOn(template, enables[1][0])).toContain(enables[0][0]);
    expect(dependsOn(template, enables[2][0])).toContain(enables[1][0]);
  });

  test('Macie adds members after its session', () => {
    const template = singleStackTemplate({ existingMemberAccounts: MEMBERS });

    const members = callsOf(template, 'Custom::MacieMember');
    expect(Object.values(members).map((call) => call.parameters)).toEqual(MEMBERS.map((member) => ({ account: member })));
    expect(Object.values(members).map((call) => call.physicalResourceId.id))
      .toEqual([`macie-member-${MEMBER_ACCOUNT}`, `macie-member-${SECOND_MEMBER}`]);
    const session = logicalIdOf(template, 'AWS::Macie::Session');
    const organization = logicalIdOf(template, 'Custom::MacieOrganizationConfiguration');
    for (const member of Object.keys(members)) {
      expect(dependsOn(template, member)).toEqual(expect.arrayContaining([session, organization]));
    }
  });

  test('adding an account keeps existing resources', () => {
    const before = singleStackTemplate({ existingMemberAccounts: MEMBERS.slice(0, 1) });
    const after = singleStackTemplate({ existingMemberAccounts: MEMBERS });

    for (const type of ['Custom::InspectorMember', 'Custom::MacieMember']) {
      const beforeIds = Object.keys(before.findResources(type));
      const afterIds = Object.keys(after.findResources(type));
      expect(beforeIds).toHaveLength(1);
      expect(afterIds).toHaveLength(2);
      expect(afterIds).toEqual(expect.arrayContaining(beforeIds));
    }
  });

  test('member calls share one policy per service', () => {
    // Given three member accounts
    const template = singleStackTemplate({ existingMemberAccounts: [...MEMBERS, { accountId: '123412341234', email: 'aws-third@example.gov.uk' }] });

    // Then one policy per service allows the member calls, each action on its own, on the provider role
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.includes('MembersPolicy'));
    expect(policies.map(([, policy]) => policy.Properties.PolicyDocument.Statement)).toEqual(expect.arrayContaining([
      [{ Action: 'inspector2:AssociateMember', Effect: 'Allow', Resource: '*' }, { Action: 'inspector2:Enable', Effect: 'Allow', Resource: '*' }],
      [{ Action: 'macie2:CreateMember', Effect: 'Allow', Resource: '*' }],
    ]));
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^AWS679f53fac002430cb0da5b7982bd2287ServiceRole/) }]);
      expect(policy.Metadata.cdk_nag.rules_to_suppress)
        .toEqual(expect.arrayContaining([expect.objectContaining({ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'] })]));
    }

    // And every member call waits for its service's policy, with no policy of its own
    const [inspectorPolicy, maciePolicy] = ['Inspector', 'Macie'].map((service) => policies.find(([id]) => id.includes(service))![0]);
    for (const [type, policy] of [['Custom::InspectorMember', inspectorPolicy], ['Custom::InspectorEnableMembers', inspectorPolicy],
      ['Custom::MacieMember', maciePolicy]]) {
      for (const id of Object.keys(template.findResources(type))) {
        expect(dependsOn(template, id)).toContain(policy);
      }
    }
    const ownPolicies = Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => /Member.*CustomResourcePolicy/.test(id));
    expect(ownPolicies).toEqual([]);
  });

  test('provider policies do not grow with accounts', () => {
    const policiesOf = (count: number) => {
      const members = Array.from({ length: count }, (_, index) => ({ accountId: String(200000000000 + index), email: `aws-m${index}@example.gov.uk` }));
      return JSON.stringify(organisationTemplate({ existingMemberAccounts: members }).findResources('AWS::IAM::Policy'));
    };

    expect(policiesOf(50)).toEqual(policiesOf(1));
  });

  test('account IDs and email addresses may be tokens', () => {
    const stack = new Stack(new App(), 'Security', { env: ENV });
    const controls = new DetectiveControls(stack, 'Controls', accountProps(stack));
    const accountId = new CfnParameter(stack, 'MemberAccountId').valueAsString;
    const email = new CfnParameter(stack, 'MemberEmail').valueAsString;

    new OrganisationDetectiveControls(stack, 'Organisation', {
      detectiveControls: controls,
      organizationRootId: ROOT_ID,
      existingMemberAccounts: [{ accountId, email }],
    });

    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::InspectorMember', 1);
    template.hasResourceProperties('Custom::MacieMember', {
      Create: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: 'MemberAccountId' }, { Ref: 'MemberEmail' }])]) }),
    });
  });

  test('no call for a service that is off', () => {
    const inspectorOff = organisationTemplate({ existingMemberAccounts: MEMBERS }, { inspector: { enabled: false } });
    inspectorOff.resourceCountIs('Custom::InspectorMember', 0);
    inspectorOff.resourceCountIs('Custom::InspectorEnableMembers', 0);
    inspectorOff.resourceCountIs('Custom::MacieMember', 2);

    const macieOff = organisationTemplate({ existingMemberAccounts: MEMBERS }, { macie: { enabled: false } });
    macieOff.resourceCountIs('Custom::MacieMember', 0);
    macieOff.resourceCountIs('Custom::InspectorMember', 2);
    macieOff.resourceCountIs('Custom::InspectorEnableMembers', 1);
  });

  test('an empty list makes no call and no warning', () => {
    const { organisationStack } = deploy({ existingMemberAccounts: [] });

    const template = Template.fromStack(organisationStack);
    template.resourceCountIs('Custom::InspectorMember', 0);
    template.resourceCountIs('Custom::InspectorEnableMembers', 0);
    template.resourceCountIs('Custom::MacieMember', 0);
    Annotations.fromStack(organisationStack).hasNoWarning('*', Match.stringLikeRegexp('ExistingMembersNotActivated'));
  });
});

describe('OrganisationDetectiveControls existing member accounts warning', () => {
  const WARNING_ID = 'organisationDetectiveControlsExistingMembersNotActivated';

  test('without the list, Inspector and Macie are not turned on in existing accounts', () => {
    const { organisationStack } = deploy();

    Annotations.fromStack(organisationStack).hasWarning('/Security-OrganisationControls/Organisation',
      Match.stringLikeRegexp('existingMemberAccounts is not set, so Inspector and Macie are not turned on in the member accounts '
        + `already in the organisation.*${WARNING_ID}`));
  });

  test('the warning names only the services that are on', () => {
    const { organisationStack } = deploy({}, { inspector: { enabled: false } });

    Annotations.fromStack(organisationStack).hasWarning('/Security-OrganisationControls/Organisation',
      Match.stringLikeRegexp(`existingMemberAccounts is not set, so Macie is not turned on.*${WARNING_ID}`));
  });

  test('no warning with the list, or with Inspector and Macie off', () => {
    const listed = deploy({ existingMemberAccounts: [{ accountId: MEMBER_ACCOUNT, email: 'aws-workloads@example.gov.uk' }] });
    Annotations.fromStack(listed.organisationStack).hasNoWarning('*', Match.stringLikeRegexp(WARNING_ID));

    const off = deploy({}, { inspector: { enabled: false }, macie: { enabled: false } });
    Annotations.fromStack(off.organisationStack).hasNoWarning('*', Match.stringLikeRegexp(WARNING_ID));
  });
});

describe('OrganisationDetectiveControls existing member accounts validation', () => {
  const member = (accountId: unknown, email: unknown = 'aws-workloads@example.gov.uk') => ({ accountId, email });

  test.each([
    ['a list that is not a list', 'Security', /existingMemberAccounts is the string "Security", but a list is expected/],
    ['an entry that is not an object', ['444455556666'], /existingMemberAccounts\[0\] is "444455556666", which is not an object\. Give \{ accountId, email \}/],
    ['a malformed account ID', [member('4444')], /existingMemberAccounts\[0\]\.accountId is "4444", which is not an AWS account ID\. Use the 12-digit account ID/],
    ['an account ID that is not a string', [member(444455556666)], /existingMemberAccounts\[0\]\.accountId is 444455556666, which is not a string/],
    ['the delegated administrator\'s own account', [member(ACCOUNT)],
      /existingMemberAccounts\[0\]\.accountId "111122223333" is the account of this stack, the delegated administrator[\s\S]*Remove it/],
    ['an account listed twice', [member(MEMBER_ACCOUNT), member(MEMBER_ACCOUNT, 'aws-other@example.gov.uk')],
      /existingMemberAccounts\[1\]\.accountId "444455556666" is also existingMemberAccounts\[0\]\.accountId\. List each account once/],
    ['a malformed email', [member(MEMBER_ACCOUNT, 'workloads')],
      /existingMemberAccounts\[0\]\.email is "workloads", which is not an email address AWS Organizations accepts/],
    ['a missing email', [{ accountId: MEMBER_ACCOUNT }], /existingMemberAccounts\[0\]\.email is undefined, which is not a string/],
    ['an email on two accounts', [member(MEMBER_ACCOUNT, 'aws@example.gov.uk'), member('777788889999', 'AWS@example.gov.uk')],
      /existingMemberAccounts\[1\]\.email "AWS@example\.gov\.uk" is also the email of existingMemberAccounts\[0\]\. Every AWS account has its own email address/],
  ])('rejects %s', (_name, existingMemberAccounts, message) => {
    expect(() => deploy({ existingMemberAccounts } as unknown as Partial<OrganisationDetectiveControlsProps>)).toThrow(message);
  });

  test('rejects the same token listed twice', () => {
    // Given two imports of the same exported account ID, which are two different tokens
    const twice = [member(Fn.importValue('WorkloadsAccountId')), member(Fn.importValue('WorkloadsAccountId'), 'aws-shared@example.gov.uk')];

    // Then the second entry is reported with what it resolves to, instead of a construct ID clash
    expect(() => deploy({ existingMemberAccounts: twice } as unknown as Partial<OrganisationDetectiveControlsProps>))
      .toThrow('existingMemberAccounts[1].accountId (a token that resolves to {"Fn::ImportValue":"WorkloadsAccountId"}) is also '
        + 'existingMemberAccounts[0].accountId. List each account once.');
  });

  test('rejects the same email token on two accounts', () => {
    const email = () => Fn.importValue('WorkloadsEmail');
    expect(() => deploy({ existingMemberAccounts: [member(MEMBER_ACCOUNT, email()), member('777788889999', email())] } as unknown as Partial<OrganisationDetectiveControlsProps>))
      .toThrow(/existingMemberAccounts\[1\]\.email \(a token that resolves to \{"Fn::ImportValue":"WorkloadsEmail"\}\) is also the email of existingMemberAccounts\[0\]/);
  });

  test.each([
    ['in a stack of a given account', true],
    ['in an environment-agnostic stack', false],
  ])('rejects Aws.ACCOUNT_ID %s', (_name, withEnv) => {
    const app = new App();
    const stack = new Stack(app, 'Security', withEnv ? { env: ENV } : {});
    const controls = new DetectiveControls(stack, 'Controls', accountProps(stack));

    expect(() => new OrganisationDetectiveControls(stack, 'Organisation', {
      detectiveControls: controls,
      organizationRootId: ROOT_ID,
      existingMemberAccounts: [{ accountId: Aws.ACCOUNT_ID, email: 'aws-security@example.gov.uk' }],
    })).toThrow('existingMemberAccounts[0].accountId (a token that resolves to {"Ref":"AWS::AccountId"}) is the account of this '
      + 'stack, the delegated administrator, whose services detectiveControls turns on. Remove it');
  });

  test('rejects the list when Inspector and Macie are off', () => {
    expect(() => deploy({ existingMemberAccounts: [member(MEMBER_ACCOUNT) as { accountId: string; email: string }] },
      { inspector: { enabled: false }, macie: { enabled: false } }))
      .toThrow(/existingMemberAccounts is set, but Inspector and Macie are both off in detectiveControls/);
  });

  test('skips the own-account check when the stack account is a token', () => {
    const app = new App();
    const stack = new Stack(app, 'Security');
    const controls = new DetectiveControls(stack, 'Controls', accountProps(stack));
    expect(() => new OrganisationDetectiveControls(stack, 'Organisation', {
      detectiveControls: controls,
      organizationRootId: ROOT_ID,
      existingMemberAccounts: [{ accountId: ACCOUNT, email: 'aws-security@example.gov.uk' }],
    })).not.toThrow();
  });

  test('reports every problem of the list in one error', () => {
    expect(() => deploy({ existingMemberAccounts: [member('1', 'x'), member(ACCOUNT)] as Array<{ accountId: string; email: string }> }))
      .toThrow(/existingMemberAccounts\[0\]\.accountId is "1"[\s\S]*existingMemberAccounts\[0\]\.email is "x"[\s\S]*existingMemberAccounts\[1\]\.accountId "111122223333"/);
  });
});

describe('OrganisationDetectiveControls stack limits', () => {
  const members = (count: number) => Array.from({ length: count }, (_, index) => ({
    accountId: String(300000000000 + index),
    email: `aws-limit-${index}@example.gov.uk`,
  }));

  /** Builds the organisation settings in a stack of their own, in an app with the given resource limit. */
  function deployWithLimit(resourceLimit: number, extra: Partial<OrganisationDetectiveControlsProps>): { app: App; stack: Stack } {
    const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': resourceLimit } });
    const accountStack = new Stack(app, 'Security-DetectiveControls', { env: ENV });
    const controls = new DetectiveControls(accountStack, 'Controls', accountProps(accountStack));
    const stack = new Stack(app, 'Security-OrganisationControls', { env: ENV });
    new OrganisationDetectiveControls(stack, 'Organisation', { detectiveControls: controls, organizationRootId: ROOT_ID, ...extra });
    return { app, stack };
  }

  test('rejects too many accounts for the stack', () => {
    // Given a limit of 40 resources and 20 accounts, which need 41 member calls
    const { app } = deployWithLimit(40, { existingMemberAccounts: members(20) });

    // Then synthesis fails before CDK's own count, naming the list, its size and what fits
    expect(() => app.synth()).toThrow(new RegExp('existingMemberAccounts lists 20 accounts, which add 41 custom resources to stack '
      + 'Security-OrganisationControls \\(one Inspector call and one Macie call per account, and an Inspector Enable call per 100 '
      + 'accounts\\)\\. With its \\d+ other resources the stack has \\d+, and CloudFormation allows 40 in a stack\\. List at most '
      + '\\d+ accounts in this stack: deploy OrganisationDetectiveControls in a stack of its own'));
  });

  test('the accounts that fit are exact', () => {
    // Given the number of accounts that the error message reports as fitting
    let message = '';
    try {
      deployWithLimit(40, { existingMemberAccounts: members(20) }).app.synth();
    } catch (error) {
      message = String(error);
    }
    const fitting = Number(/List at most (\d+) accounts/.exec(message)?.[1]);
    expect(fitting).toBeGreaterThan(0);

    // Then that many synthesise within the limit, and one more does not
    const resources = deployWithLimit(40, { existingMemberAccounts: members(fitting) }).app.synth()
      .getStackByName('Security-OrganisationControls').template.Resources;
    expect(Object.keys(resources).length).toBeLessThanOrEqual(40);
    expect(() => deployWithLimit(40, { existingMemberAccounts: members(fitting + 1) }).app.synth()).toThrow(/List at most/);
  });

  test('a stack of its own holds 238 accounts', () => {
    expect(() => deployWithLimit(500, { existingMemberAccounts: members(238) }).app.synth()).not.toThrow();
    expect(() => deployWithLimit(500, { existingMemberAccounts: members(239) }).app.synth())
      .toThrow(/existingMemberAccounts lists 239 accounts[\s\S]*List at most 238 accounts/);
  });

  test('rejects oversized provider role policies', () => {
    // Given another AwsCustomResource of the stack whose policy fills the provider role
    const { app, stack } = deployWithLimit(500, { existingMemberAccounts: members(1) });
    new cr.AwsCustomResource(stack, 'LargeCall', {
      onCreate: { service: 'S3', action: 'listBuckets', physicalResourceId: cr.PhysicalResourceId.of('large') },
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements(Array.from({ length: 120 }, (_, index) => new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [`arn:aws:s3:::bucket-with-a-rather-long-name-${index}/*`],
      }))),
    });

    // Then synthesis fails with the estimate, the limit and the fix
    expect(() => app.synth()).toThrow(new RegExp('The inline policies of the role that runs the AwsCustomResources of stack '
      + 'Security-OrganisationControls contain an estimated \\d+ characters, and IAM allows 10240 per role, so the deployment would '
      + 'fail\\. The 1 existingMemberAccounts share one policy per service[\\s\\S]*Deploy OrganisationDetectiveControls in a stack of its own'));
  });
});

describe('OrganisationDetectiveControls compliance checks', () => {
  test('no cdk-nag errors with existing member accounts', () => {
    // Given the organisation settings with member accounts, in a stack of their own
    const { organisationStack } = deploy({ existingMemberAccounts: [{ accountId: MEMBER_ACCOUNT, email: 'aws-workloads@example.gov.uk' }] });

    // When the AWS Solutions and NIST 800-53 packs check it
    Aspects.of(organisationStack).add(new AwsSolutionsChecks());
    Aspects.of(organisationStack).add(new NIST80053R5Checks());

    // Then every finding is suppressed with a reason
    const errors = Annotations.fromStack(organisationStack).findError('*', Match.stringLikeRegexp('.*'));
    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
