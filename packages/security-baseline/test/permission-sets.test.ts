import { App, Aspects, Duration, Lazy, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { PermissionSetDefinition, PermissionSetDuty, PermissionSets, PermissionSetsProps } from '../src/permission-sets';

const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const GROUP = '94482488-3041-7026-18f3-be45837cd0e4';
const OTHER_GROUP = 'a1b2c3d4e5-14c870a1-8f3d-4a5b-9c0d-0123456789ab';
const PRODUCTION = '222233334444';
const NON_PRODUCTION = '333344445555';

function newStack(): Stack {
  return new Stack(new App(), 'Identity', { env: { account: '111122223333', region: 'eu-west-2' } });
}

function synth(permissionSets: PermissionSetDefinition[], stack: Stack = newStack()): Template {
  new PermissionSets(stack, 'PermissionSets', { instanceArn: INSTANCE_ARN, permissionSets });
  return Template.fromStack(stack);
}

function managedPolicy(name: string): object {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] };
}

function build(props: PermissionSetsProps): () => PermissionSets {
  return () => new PermissionSets(newStack(), 'PermissionSets', props);
}

function buildSets(...permissionSets: PermissionSetDefinition[]): () => PermissionSets {
  return build({ instanceArn: INSTANCE_ARN, permissionSets });
}

const vendor = (overrides: Partial<PermissionSetDefinition> = {}): PermissionSetDefinition => ({
  name: 'VendorAcme',
  duty: PermissionSetDuty.APPLICATION_VENDOR,
  vendorAccess: { tagKey: 'vendor', tagValue: 'acme' },
  ...overrides,
});

/** Returns the inline policy statements of the only permission set in a template. */
function inlineStatements(template: Template): Array<Record<string, unknown>> {
  const sets = Object.values(template.findResources('AWS::SSO::PermissionSet'));
  return sets[0].Properties.InlinePolicy.Statement;
}

describe('PermissionSets defaults', () => {
  test('administrators get AdministratorAccess for one hour', () => {
    synth([{ name: 'AWSAdmins', duty: PermissionSetDuty.AWS_ADMINISTRATOR }]).hasResourceProperties('AWS::SSO::PermissionSet', {
      InstanceArn: INSTANCE_ARN,
      Name: 'AWSAdmins',
      ManagedPolicies: [managedPolicy('AdministratorAccess')],
      SessionDuration: 'PT1H',
      InlinePolicy: Match.absent(),
      PermissionsBoundary: Match.absent(),
    });
  });

  test('DevOps engineers get PowerUserAccess for four hours', () => {
    synth([{ name: 'DevOpsEngineers', duty: PermissionSetDuty.DEVOPS_ENGINEER }]).hasResourceProperties('AWS::SSO::PermissionSet', {
      ManagedPolicies: [managedPolicy('PowerUserAccess')],
      SessionDuration: 'PT4H',
    });
  });

  test('security engineers get the security services for four hours', () => {
    synth([{ name: 'SecurityEngineers', duty: PermissionSetDuty.SECURITY_ENGINEER }]).hasResourceProperties('AWS::SSO::PermissionSet', {
      ManagedPolicies: [
        managedPolicy('SecurityAudit'),
        managedPolicy('AWSSecurityHubFullAccess'),
        managedPolicy('AmazonGuardDutyFullAccess'),
        managedPolicy('IAMAccessAnalyzerFullAccess'),
        managedPolicy('AmazonInspector2FullAccess'),
        managedPolicy('AmazonMacieFullAccess'),
      ],
      SessionDuration: 'PT4H',
    });
  });

  test('security auditors are read-only for one hour', () => {
    synth([{ name: 'SecurityAuditors', duty: PermissionSetDuty.SECURITY_AUDITOR }]).hasResourceProperties('AWS::SSO::PermissionSet', {
      ManagedPolicies: [managedPolicy('SecurityAudit'), managedPolicy('job-function/ViewOnlyAccess')],
      SessionDuration: 'PT1H',
      Description: 'Read-only audit of the security configuration and of the resources of the account.',
    });
  });

  test('vendors get no managed policy and one-hour sessions', () => {
    synth([vendor()]).hasResourceProperties('AWS::SSO::PermissionSet', {
      ManagedPolicies: Match.absent(),
      SessionDuration: 'PT1H',
      InlinePolicy: Match.objectLike({ Version: '2012-10-17' }),
    });
  });

  test('a set with no assignments creates none', () => {
    synth([{ name: 'AWSAdmins', duty: PermissionSetDuty.AWS_ADMINISTRATOR }]).resourceCountIs('AWS::SSO::Assignment', 0);
  });
});

describe('PermissionSets vendor policy', () => {
  test('creating resources needs the vendor tag in the request', () => {
    const statement = inlineStatements(synth([vendor()])).find((s) => s.Sid === 'CreateTaggedResources');

    expect(statement?.Action).toEqual(['ec2:RunInstances', 'ec2:CreateVolume', 'ec2:CreateSecurityGroup']);
    expect(statement?.Condition).toEqual({ StringEquals: { 'aws:RequestTag/vendor': 'acme' } });
  });

  test('managing resources needs the vendor tag on them', () => {
    const statement = inlineStatements(synth([vendor()])).find((s) => s.Sid === 'ManageTaggedResources');

    expect(statement?.Action).toEqual(expect.arrayContaining(['ec2:TerminateInstances', 'ec2:DeleteVolume', 'ec2:AuthorizeSecurityGroupIngress']));
    expect(statement?.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/vendor': 'acme' } });
  });

  test('tags can be set only when a resource is created', () => {
    const statement = inlineStatements(synth([vendor()])).find((s) => s.Sid === 'TagOnCreate');

    expect(statement?.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': ['RunInstances', 'CreateVolume', 'CreateSecurityGroup'] } });
  });

  test('no statement allows removing tags', () => {
    const actions = inlineStatements(synth([vendor()])).flatMap((s) => [s.Action].flat());

    expect(actions).not.toContain('ec2:DeleteTags');
  });

  test('resources are confined to the stack region by default', () => {
    const statement = inlineStatements(synth([vendor()])).find((s) => s.Sid === 'DescribeEc2');

    expect(statement?.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': 'eu-west-2' } });
  });

  test('a given region replaces the stack region', () => {
    const template = synth([vendor({ vendorAccess: { tagKey: 'vendor', tagValue: 'acme', region: 'eu-west-1' } })]);
    const statement = inlineStatements(template).find((s) => s.Sid === 'DescribeEc2');

    expect(statement?.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } });
  });

  test('a given inline policy is added to the vendor policy', () => {
    const extra = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({
        sid: 'SessionsToTaggedInstances',
        actions: ['ssm:StartSession'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceTag/vendor': 'acme' } },
      })],
    });
    const sids = inlineStatements(synth([vendor({ inlinePolicy: extra })])).map((s) => s.Sid);

    expect(sids).toEqual(expect.arrayContaining(['CreateTaggedResources', 'SessionsToTaggedInstances']));
  });

  test('customer managed policies on a vendor set get a warning', () => {
    const stack = newStack();
    synth([vendor({ customerManagedPolicies: [{ name: 'acme-extras' }] })], stack);

    Annotations.fromStack(stack).hasWarning('/Identity/PermissionSets/VendorAcme',
      Match.stringLikeRegexp('customer managed policies, whose statements this construct cannot see'));
  });
});

describe('PermissionSets overrides', () => {
  test('a session duration replaces the default', () => {
    synth([{ name: 'DevOpsEngineers', duty: PermissionSetDuty.DEVOPS_ENGINEER, sessionDuration: Duration.parse('PT8H') }])
      .hasResourceProperties('AWS::SSO::PermissionSet', { SessionDuration: 'PT8H' });
  });

  test('AWS managed policies replace the defaults', () => {
    synth([{ name: 'Readers', duty: PermissionSetDuty.SECURITY_AUDITOR, awsManagedPolicyNames: ['ReadOnlyAccess'] }])
      .hasResourceProperties('AWS::SSO::PermissionSet', { ManagedPolicies: [managedPolicy('ReadOnlyAccess')] });
  });

  test('a description replaces the default', () => {
    synth([{ name: 'AWSAdmins', duty: PermissionSetDuty.AWS_ADMINISTRATOR, description: 'Break-glass administration' }])
      .hasResourceProperties('AWS::SSO::PermissionSet', { Description: 'Break-glass administration' });
  });

  test('customer managed policies and a boundary are referenced by name', () => {
    synth([{
      name: 'DevOpsEngineers',
      duty: PermissionSetDuty.DEVOPS_ENGINEER,
      customerManagedPolicies: [{ name: 'deploy-pipelines', path: '/platform/' }],
      permissionsBoundary: { name: 'devops-boundary' },
    }]).hasResourceProperties('AWS::SSO::PermissionSet', {
      CustomerManagedPolicyReferences: [{ Name: 'deploy-pipelines', Path: '/platform/' }],
      PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'devops-boundary' } },
    });
  });

  test('an inline policy is attached', () => {
    const inlinePolicy = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions: ['support:*'], resources: ['*'] })],
    });
    synth([{ name: 'DevOpsEngineers', duty: PermissionSetDuty.DEVOPS_ENGINEER, inlinePolicy }])
      .hasResourceProperties('AWS::SSO::PermissionSet', {
        InlinePolicy: { Version: '2012-10-17', Statement: [{ Action: 'support:*', Effect: 'Allow', Resource: '*' }] },
      });
  });
});

describe('PermissionSets assignments', () => {
  test('each group gets the set in each account', () => {
    const template = synth([{
      name: 'SecurityAuditors',
      duty: PermissionSetDuty.SECURITY_AUDITOR,
      assignments: [{ groupIds: [GROUP, OTHER_GROUP], accountIds: [PRODUCTION, NON_PRODUCTION] }],
    }]);

    template.resourceCountIs('AWS::SSO::Assignment', 4);
    template.hasResourceProperties('AWS::SSO::Assignment', {
      InstanceArn: INSTANCE_ARN,
      PermissionSetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SecurityAuditors'), 'PermissionSetArn'] },
      PrincipalType: 'GROUP',
      PrincipalId: OTHER_GROUP,
      TargetType: 'AWS_ACCOUNT',
      TargetId: NON_PRODUCTION,
    });
  });

  test('reordering assignments keeps their logical IDs', () => {
    const logicalIds = (accountIds: string[]) => Object.keys(synth([{
      name: 'SecurityAuditors',
      duty: PermissionSetDuty.SECURITY_AUDITOR,
      assignments: [{ groupIds: [GROUP], accountIds }],
    }]).findResources('AWS::SSO::Assignment')).sort();

    expect(logicalIds([PRODUCTION, NON_PRODUCTION])).toEqual(logicalIds([NON_PRODUCTION, PRODUCTION]));
  });

  test('permissionSetArn returns the ARN of a set', () => {
    const stack = newStack();
    const sets = new PermissionSets(stack, 'PermissionSets', {
      instanceArn: INSTANCE_ARN,
      permissionSets: [{ name: 'AWSAdmins', duty: PermissionSetDuty.AWS_ADMINISTRATOR }],
    });

    expect(stack.resolve(sets.permissionSetArn('AWSAdmins'))).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/AWSAdmins/), 'PermissionSetArn'] });
  });

  test('permissionSetArn rejects an unknown name', () => {
    const sets = new PermissionSets(newStack(), 'PermissionSets', {
      instanceArn: INSTANCE_ARN,
      permissionSets: [{ name: 'AWSAdmins', duty: PermissionSetDuty.AWS_ADMINISTRATOR }],
    });

    expect(() => sets.permissionSetArn('Admins')).toThrow(/has no permission set named "Admins"\. Use one of: AWSAdmins/);
  });
});

describe('PermissionSets validation', () => {
  test('rejects props that are not an object', () => {
    expect(build(undefined as unknown as PermissionSetsProps)).toThrow(/props is undefined\. Give the props as an object/);
  });

  test('rejects a malformed instance ARN', () => {
    expect(build({ instanceArn: 'ssoins-1234567890abcdef', permissionSets: [vendor()] }))
      .toThrow(/instanceArn is "ssoins-1234567890abcdef", which is not an IAM Identity Center instance ARN/);
  });

  test('accepts an instance ARN token', () => {
    const arn = Lazy.string({ produce: () => INSTANCE_ARN });
    expect(build({ instanceArn: arn, permissionSets: [vendor()] })).not.toThrow();
  });

  test('rejects a missing list of permission sets', () => {
    expect(build({ instanceArn: INSTANCE_ARN } as PermissionSetsProps)).toThrow(/permissionSets is missing/);
  });

  test('rejects an empty list of permission sets', () => {
    expect(buildSets()).toThrow(/permissionSets is empty/);
  });

  test('rejects an invalid name', () => {
    expect(buildSets({ name: 'Security Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR }))
      .toThrow(/permissionSets\[0\]\.name is "Security Auditors"\. A permission set name has 1 to 32 letters/);
  });

  test('rejects a name used twice, whatever its case', () => {
    expect(buildSets(
      { name: 'Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR },
      { name: 'auditors', duty: PermissionSetDuty.SECURITY_AUDITOR },
    )).toThrow(/permissionSets\[1\]\.name "auditors" repeats the name of permissionSets\[0\]/);
  });

  test('rejects an unknown duty', () => {
    expect(buildSets({ name: 'Auditors', duty: 'AUDITOR' as PermissionSetDuty }))
      .toThrow(/permissionSets\[0\]\.duty is "AUDITOR", which is not a duty/);
  });

  test('rejects a description with characters Identity Center refuses', () => {
    expect(buildSets({ name: 'Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR, description: 'Auditors ✓' }))
      .toThrow(/permissionSets\[0\]\.description is "Auditors ✓"\. IAM Identity Center accepts 1 to 700 printable/);
  });

  test('rejects a session shorter than one hour', () => {
    expect(buildSets({ name: 'Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR, sessionDuration: Duration.minutes(30) }))
      .toThrow(/permissionSets\[0\]\.sessionDuration is 30 minutes\. IAM Identity Center accepts sessions from 1 to 12 hours/);
  });

  test('rejects a session longer than twelve hours', () => {
    expect(buildSets({ name: 'Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR, sessionDuration: Duration.parse('PT13H') }))
      .toThrow(/sessionDuration is 13 hours\. IAM Identity Center accepts sessions from 1 to 12 hours/);
  });

  test('rejects a session duration token', () => {
    const token = Duration.hours(Lazy.number({ produce: () => 2 }));
    expect(buildSets({ name: 'Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR, sessionDuration: token }))
      .toThrow(/permissionSets\[0\]\.sessionDuration is a token/);
  });

  test('rejects a session duration that is not a Duration', () => {
    expect(buildSets({ name: 'Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR, sessionDuration: 'PT1H' as unknown as Duration }))
      .toThrow(/permissionSets\[0\]\.sessionDuration is "PT1H", which is not a Duration\. .*Duration\.parse\("PT4H"\)/);
  });

  test('rejects an AWS managed policy ARN in place of its name', () => {
    expect(buildSets({
      name: 'Auditors',
      duty: PermissionSetDuty.SECURITY_AUDITOR,
      awsManagedPolicyNames: ['arn:aws:iam::aws:policy/SecurityAudit'],
    })).toThrow(/awsManagedPolicyNames\[0\] is "arn:aws:iam::aws:policy\/SecurityAudit", which is not an AWS managed policy name/);
  });

  test('rejects an AWS managed policy listed twice', () => {
    expect(buildSets({ name: 'Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR, awsManagedPolicyNames: ['SecurityAudit', 'SecurityAudit'] }))
      .toThrow(/awsManagedPolicyNames\[1\] repeats "SecurityAudit"/);
  });

  test('rejects an invalid customer managed policy path', () => {
    expect(buildSets({
      name: 'DevOps',
      duty: PermissionSetDuty.DEVOPS_ENGINEER,
      customerManagedPolicies: [{ name: 'deploy', path: 'platform' }],
    })).toThrow(/customerManagedPolicies\[0\]\.path is "platform", which is not an IAM path/);
  });

  test('rejects an invalid permissions boundary name', () => {
    expect(buildSets({ name: 'DevOps', duty: PermissionSetDuty.DEVOPS_ENGINEER, permissionsBoundary: { name: 'arn:aws:iam::1:policy/b' } }))
      .toThrow(/permissionsBoundary\.name is "arn:aws:iam::1:policy\/b", which is not an IAM policy name/);
  });

  test('rejects an inline policy that is not a PolicyDocument', () => {
    expect(buildSets({ name: 'DevOps', duty: PermissionSetDuty.DEVOPS_ENGINEER, inlinePolicy: { Statement: [] } as unknown as iam.PolicyDocument }))
      .toThrow(/permissionSets\[0\]\.inlinePolicy is .*, which is not a PolicyDocument/);
  });

  test('rejects an auditor set with AdministratorAccess, naming the set and the policy', () => {
    expect(buildSets({ name: 'SecurityAuditors', duty: PermissionSetDuty.SECURITY_AUDITOR, awsManagedPolicyNames: ['AdministratorAccess'] }))
      .toThrow(/permissionSets\[0\] \("SecurityAuditors"\) is a SECURITY_AUDITOR permission set, but the AWS managed policy AdministratorAccess allows every action on every resource/);
  });

  test('rejects an inline statement allowing everything outside administrator sets', () => {
    const inlinePolicy = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ sid: 'Everything', actions: ['*'], resources: ['*'] })],
    });
    expect(buildSets({ name: 'DevOps', duty: PermissionSetDuty.DEVOPS_ENGINEER, inlinePolicy }))
      .toThrow(/\("DevOps"\) is a DEVOPS_ENGINEER permission set, but the inline policy statement "Everything", which allows Action "\*" on Resource "\*"/);
  });

  test('accepts an administrator set with AdministratorAccess', () => {
    expect(buildSets({ name: 'AWSAdmins', duty: PermissionSetDuty.AWS_ADMINISTRATOR })).not.toThrow();
  });

  test('rejects a vendor set with no vendor tag', () => {
    expect(buildSets(vendor({ vendorAccess: undefined })))
      .toThrow(/\("VendorAcme"\) is an APPLICATION_VENDOR set with no vendorAccess, so its policy would have no tag condition/);
  });

  test('rejects a vendor inline statement with no tag condition', () => {
    const inlinePolicy = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ sid: 'AllInstances', actions: ['ec2:StopInstances'], resources: ['*'] })],
    });
    expect(buildSets(vendor({ inlinePolicy })))
      .toThrow(/\("VendorAcme"\)\.inlinePolicy statement "AllInstances" allows actions with no tag condition/);
  });

  test('rejects AWS managed policies on a vendor set', () => {
    expect(buildSets(vendor({ awsManagedPolicyNames: ['ReadOnlyAccess'] })))
      .toThrow(/is an APPLICATION_VENDOR set with AWS managed policies \["ReadOnlyAccess"\]/);
  });

  test('rejects a vendor tag key in the aws: namespace', () => {
    expect(buildSets(vendor({ vendorAccess: { tagKey: 'aws:vendor', tagValue: 'acme' } })))
      .toThrow(/vendorAccess\.tagKey is "aws:vendor"\. Give a literal tag key/);
  });

  test('rejects an empty vendor tag value', () => {
    expect(buildSets(vendor({ vendorAccess: { tagKey: 'vendor', tagValue: '' } })))
      .toThrow(/vendorAccess\.tagValue is ""\. Give a literal tag value/);
  });

  test('rejects vendorAccess on another duty', () => {
    expect(buildSets({ name: 'DevOps', duty: PermissionSetDuty.DEVOPS_ENGINEER, vendorAccess: { tagKey: 'vendor', tagValue: 'acme' } }))
      .toThrow(/\("DevOps"\)\.vendorAccess is given, but only APPLICATION_VENDOR sets use it/);
  });

  test('rejects a set that grants nothing', () => {
    expect(buildSets({ name: 'Nobody', duty: PermissionSetDuty.SECURITY_AUDITOR, awsManagedPolicyNames: [] }))
      .toThrow(/\("Nobody"\) grants nothing/);
  });

  test('rejects more than 20 managed policies', () => {
    const customerManagedPolicies = Array.from({ length: 20 }, (_, index) => ({ name: `policy-${index}` }));
    expect(buildSets({ name: 'DevOps', duty: PermissionSetDuty.DEVOPS_ENGINEER, customerManagedPolicies }))
      .toThrow(/attaches 21 managed policies\. IAM attaches at most 20/);
  });

  test('warns of more than 10 managed policies', () => {
    const stack = newStack();
    const customerManagedPolicies = Array.from({ length: 10 }, (_, index) => ({ name: `policy-${index}` }));
    synth([{ name: 'DevOps', duty: PermissionSetDuty.DEVOPS_ENGINEER, customerManagedPolicies }], stack);

    Annotations.fromStack(stack).hasWarning('/Identity/PermissionSets/DevOps', Match.stringLikeRegexp('attaches 11 managed policies'));
  });

  test('rejects an inline policy over 32,768 characters', () => {
    const inlinePolicy = new iam.PolicyDocument({
      statements: Array.from({ length: 400 }, (_, index) => new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [`arn:aws:s3:::a-bucket-with-a-rather-long-name-${index}/*`],
      })),
    });
    expect(buildSets({ name: 'DevOps', duty: PermissionSetDuty.DEVOPS_ENGINEER, inlinePolicy }))
      .toThrow(/has an inline policy of about \d+ characters\. IAM Identity Center accepts at most 32768/);
  });

  test('rejects an invalid group ID', () => {
    expect(buildSets({
      name: 'Auditors',
      duty: PermissionSetDuty.SECURITY_AUDITOR,
      assignments: [{ groupIds: ['SecurityAuditors'], accountIds: [PRODUCTION] }],
    })).toThrow(/assignments\[0\]\.groupIds\[0\] is "SecurityAuditors"\. Give an IAM Identity Center group ID/);
  });

  test('rejects an invalid account ID', () => {
    expect(buildSets({
      name: 'Auditors',
      duty: PermissionSetDuty.SECURITY_AUDITOR,
      assignments: [{ groupIds: [GROUP], accountIds: ['2222-3333-4444'] }],
    })).toThrow(/assignments\[0\]\.accountIds\[0\] is "2222-3333-4444"\. Give a 12-digit AWS account ID/);
  });

  test('rejects an assignment with no accounts', () => {
    expect(buildSets({
      name: 'Auditors',
      duty: PermissionSetDuty.SECURITY_AUDITOR,
      assignments: [{ groupIds: [GROUP], accountIds: [] }],
    })).toThrow(/assignments\[0\]\.accountIds is empty/);
  });

  test('rejects a group assigned twice in one account', () => {
    expect(buildSets({
      name: 'Auditors',
      duty: PermissionSetDuty.SECURITY_AUDITOR,
      assignments: [{ groupIds: [GROUP], accountIds: [PRODUCTION] }, { groupIds: [GROUP], accountIds: [PRODUCTION] }],
    })).toThrow(/assignments\[1\] assigns group 94482488-3041-7026-18f3-be45837cd0e4 in account 222233334444 again/);
  });

  test('rejects more resources than fit in a stack', () => {
    const groupIds = Array.from({ length: 30 }, (_, index) => `94482488-3041-7026-18f3-be45837c${String(index).padStart(4, '0')}`);
    const accountIds = Array.from({ length: 16 }, (_, index) => String(100000000000 + index));
    expect(buildSets({ name: 'Auditors', duty: PermissionSetDuty.SECURITY_AUDITOR, assignments: [{ groupIds, accountIds }] }))
      .toThrow(/make 481 resources, over the 450 that this construct allows in one stack/);
  });

  test('one error lists every problem', () => {
    expect(build({
      instanceArn: 'instance',
      permissionSets: [{ name: '', duty: PermissionSetDuty.SECURITY_AUDITOR, sessionDuration: Duration.hours(24) }],
    })).toThrow(/Invalid PermissionSets props at Identity\/PermissionSets:\n {2}- instanceArn .*\n {2}- permissionSets\[0\]\.name .*\n {2}- permissionSets\[0\]\.sessionDuration/);
  });
});

describe('PermissionSets compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    const stack = newStack();
    new PermissionSets(stack, 'PermissionSets', {
      instanceArn: INSTANCE_ARN,
      permissionSets: [
        { name: 'AWSAdmins', duty: PermissionSetDuty.AWS_ADMINISTRATOR, assignments: [{ groupIds: [GROUP], accountIds: [PRODUCTION] }] },
        { name: 'SecurityAuditors', duty: PermissionSetDuty.SECURITY_AUDITOR },
        vendor(),
      ],
    });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
