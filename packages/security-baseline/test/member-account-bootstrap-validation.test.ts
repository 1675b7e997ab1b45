import { App, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { MemberAccountBootstrap, MemberAccountBootstrapProps } from '../src';

const ACCOUNT = '111122223333';
const OU_ID = 'ou-a1b2-c3d4e5f6';
const IDENTITY_CENTER_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-2/`
  + 'AWSReservedSSO_PlatformDeployer_0123456789abcdef';

/** Creates a stack whose account and region are known. */
function knownStack(): Stack {
  return new Stack(new App(), 'Management', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

/** Creates a stack whose account and region are tokens. */
function agnosticStack(): Stack {
  return new Stack(new App(), 'Management');
}

function bootstrap(props: Partial<MemberAccountBootstrapProps>, stack: Stack = knownStack()): Stack {
  new MemberAccountBootstrap(stack, 'Bootstrap', { organizationalUnitIds: [OU_ID], ...props });
  return stack;
}

function patterns(...entries: string[]): Partial<MemberAccountBootstrapProps> {
  return { trustedAccountIds: [ACCOUNT], trustedPrincipalArnPatterns: entries };
}

describe('MemberAccountBootstrap partition from the regions', () => {
  test('policy ARN in another partition', () => {
    // Given a stack without a region and regions in the aws partition
    // When an execution policy of another partition is given
    // Then the error names the partition of the regions
    expect(() => bootstrap({ regions: ['eu-west-2'], executionPolicyArns: ['arn:aws-us-gov:iam::aws:policy/PowerUserAccess'] },
      agnosticStack()))
      .toThrow('executionPolicyArns[0] is "arn:aws-us-gov:iam::aws:policy/PowerUserAccess", in the partition aws-us-gov, but '
        + 'the regions are in aws. Give the ARN that starts with "arn:aws:".');
  });

  test('principal pattern in another partition', () => {
    expect(() => bootstrap({ regions: ['cn-north-1'], ...patterns(`arn:aws:iam::${ACCOUNT}:role/cdk-deployer`) }, agnosticStack()))
      .toThrow(`trustedPrincipalArnPatterns[0] is "arn:aws:iam::${ACCOUNT}:role/cdk-deployer", in the partition aws, but the `
        + 'regions are in aws-cn. Give a pattern that starts with "arn:aws-cn:".');
  });

  test('ARNs in the regions\' partition', () => {
    expect(() => bootstrap({
      regions: ['cn-north-1', 'cn-northwest-1'],
      executionPolicyArns: ['arn:aws-cn:iam::aws:policy/PowerUserAccess'],
      ...patterns(`arn:aws-cn:iam::${ACCOUNT}:role/cdk-deployer`),
    }, agnosticStack())).not.toThrow();
  });

  test('regions of two partitions are rejected when the stack has no region', () => {
    expect(() => bootstrap({ regions: ['eu-west-2', 'us-gov-west-1'] }, agnosticStack()))
      .toThrow('regions is ["eu-west-2","us-gov-west-1"], in the partitions aws, aws-us-gov. A StackSet deploys only within '
        + 'its own partition, so give regions of one partition, and one MemberAccountBootstrap per partition.');
  });

  test.each(['arn:awsfoo:iam::aws:policy/PowerUserAccess', 'arn:aws-:iam::aws:policy/PowerUserAccess'])(
    'executionPolicyArns rejects the unknown partition of %s', (arn) => {
      expect(() => bootstrap({ executionPolicyArns: [arn] }))
        .toThrow(new RegExp(`executionPolicyArns\\[0\\] is "${arn}", in the partition ${arn.split(':')[1]}, which is not an AWS `
          + 'partition\\. Give the ARN that starts with "arn:aws:" \\(the partitions are aws, aws-cn'));
    });

  test.each(['awsfoo', 'aws-'])('trustedPrincipalArnPatterns rejects the unknown partition %s', (partition) => {
    expect(() => bootstrap({ regions: ['eu-west-2'], ...patterns(`arn:${partition}:iam::${ACCOUNT}:role/cdk-deployer`) },
      agnosticStack()))
      .toThrow(`trustedPrincipalArnPatterns[0] is "arn:${partition}:iam::${ACCOUNT}:role/cdk-deployer", in the partition `
        + `${partition}, which is not an AWS partition. Give a pattern that starts with "arn:aws:"`);
  });
});

describe('MemberAccountBootstrap trust policy length with token patterns', () => {
  const accounts = Array.from({ length: 30 }, (_, index) => String(100000000000 + index));
  const tokenPattern = (index: number) => Token.asString({ 'Fn::GetAtt': [`PermissionSet${index}`, 'RoleArn'] });

  test('token patterns count 128 characters', () => {
    // Given token patterns for Identity Center role ARNs of about 120 characters
    const tokens = Array.from({ length: 10 }, (_, index) => tokenPattern(index));
    // When they are trusted with 30 accounts
    // Then the trust policy is reported over IAM's default length
    expect(() => bootstrap({ trustedAccountIds: accounts, trustedPrincipalArnPatterns: tokens }))
      .toThrow(/trustedAccountIds has 30 accounts, and the trust policy of each bootstrap role would have 2,?\d{3} characters, over IAM's default limit of 2,048\. .*\(10 of the patterns are tokens, which count as 128 characters each, because their values are not known at synthesis\)/);
  });

  test('the same literal patterns are rejected too', () => {
    const literal = Array.from({ length: 10 }, (_, index) => IDENTITY_CENTER_ROLE.replace('PlatformDeployer', `Deployer${index}`)
      .replace(ACCOUNT, accounts[index]));
    expect(() => bootstrap({ trustedAccountIds: accounts, trustedPrincipalArnPatterns: literal }))
      .toThrow(/trustedAccountIds has 30 accounts, and the trust policy of each bootstrap role would have 2,?\d{3} characters/);
  });

  test('a few token patterns with a few accounts fit', () => {
    expect(() => bootstrap({ trustedAccountIds: accounts.slice(0, 3), trustedPrincipalArnPatterns: [tokenPattern(0), tokenPattern(1)] }))
      .not.toThrow();
  });

  test('many token patterns alone are rejected with one account', () => {
    const tokens = Array.from({ length: 16 }, (_, index) => tokenPattern(index));
    expect(() => bootstrap({ trustedAccountIds: [ACCOUNT], trustedPrincipalArnPatterns: tokens }))
      .toThrow(/trustedPrincipalArnPatterns makes the trust policy of each bootstrap role \d+ characters long with a single trusted account, over IAM's default limit of 2,048 \(16 of the patterns are tokens, which count as 128 characters each/);
  });
});

describe('MemberAccountBootstrap principal patterns that can never match', () => {
  test.each([
    [`arn:aws:iam::${ACCOUNT}:role/deployers/`, 'which ends with "/", so it can never match'],
    [`arn:aws:iam::${ACCOUNT}:role/deployers//cdk`, 'which contains "//", so it can never match'],
    [`arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(65)}`, 'whose name part "r'],
    [`arn:aws:iam::${ACCOUNT}:user/${'u'.repeat(40)}*${'u'.repeat(25)}`, 'whose name part "u'],
    [`arn:aws:iam::${ACCOUNT}:role/${'p'.repeat(520)}/cdk`, 'whose path is longer than the 512 characters that IAM allows, so it can never match'],
  ])('%s is rejected', (pattern, reason) => {
    expect(() => bootstrap(patterns(pattern))).toThrow(`trustedPrincipalArnPatterns[0] is "${pattern}", ${reason}`);
  });

  test('the name length message names the limit', () => {
    expect(() => bootstrap(patterns(`arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(65)}`)))
      .toThrow(/is longer than the 64 characters that IAM allows for a name, so it can never match\. Give the real name/);
  });

  test('a 64-character name with wildcards is accepted', () => {
    expect(() => bootstrap(patterns(`arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(64)}*`))).not.toThrow();
  });
});

describe('MemberAccountBootstrap principal patterns that are too broad', () => {
  test.each([
    `arn:aws:iam::${ACCOUNT}:role/aws-reserved/*`,
    `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*`,
    `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_*`,
    `arn:aws:iam::${ACCOUNT}:role/*AWSReservedSSO_*`,
  ])('%s is rejected because it admits every Identity Center role', (pattern) => {
    expect(() => bootstrap(patterns(pattern)))
      .toThrow(`trustedPrincipalArnPatterns[0] is "${pattern}", which matches every IAM Identity Center role of account `
        + `${ACCOUNT}, so every user with any permission set in that account could deploy. Name the permission set's role`);
  });

  test('the role of one permission set is accepted', () => {
    const stack = bootstrap(patterns(`arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_PlatformDeployer_*`));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('trustedPrincipalArnPatterns'))).toEqual([]);
  });

  test.each([
    `arn:aws:iam::${ACCOUNT}:role/*-*`,
    `arn:aws:iam::${ACCOUNT}:role/a*`,
    `arn:aws:iam::${ACCOUNT}:user/*ab?`,
  ])('%s gets a warning with a stable ID', (pattern) => {
    // Given a pattern whose name is wildcards and one or two characters
    const stack = bootstrap(patterns(pattern));
    // Then the construct warns, under an ID that can be acknowledged
    Annotations.fromStack(stack).hasWarning('/Management/Bootstrap', Match.stringLikeRegexp(
      `^trustedPrincipalArnPatterns\\[0\\] is "${pattern.replace(/[*?]/g, '\\$&')}", which names almost no part of the role or user name.*`
      + '\\[ack: @ssd-platform/security-baseline:memberAccountBootstrapBroadPrincipalPattern\\]$'));
  });

  test('a pattern with a real name gets no warning', () => {
    const stack = bootstrap(patterns(`arn:aws:iam::${ACCOUNT}:role/cdk-*`));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('trustedPrincipalArnPatterns'))).toEqual([]);
  });
});

describe('MemberAccountBootstrap principal ARNs in the wrong form', () => {
  test('an assumed-role session ARN is explained', () => {
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/CdkDeployer/jane`;
    expect(() => bootstrap(patterns(session)))
      .toThrow(`trustedPrincipalArnPatterns[0] is "${session}", the ARN of an assumed-role session. The bootstrap roles compare `
        + `aws:PrincipalArn, which for a role session is the role's ARN, "arn:aws:iam::${ACCOUNT}:role/<path/name>". Give the `
        + `role ARN, for example "arn:aws:iam::${ACCOUNT}:role/CdkDeployer"`);
  });

  test('the account root is explained', () => {
    expect(() => bootstrap(patterns(`arn:aws:iam::${ACCOUNT}:root`)))
      .toThrow(`trustedPrincipalArnPatterns[0] is "arn:aws:iam::${ACCOUNT}:root", the root of account ${ACCOUNT}, which `
        + 'trustedAccountIds already covers.');
  });

  test('patterns that differ only in case are rejected', () => {
    const first = `arn:aws:iam::${ACCOUNT}:role/CdkDeployer`;
    const second = `arn:aws:iam::${ACCOUNT}:role/cdkdeployer`;
    expect(() => bootstrap(patterns(first, second)))
      .toThrow(`trustedPrincipalArnPatterns[1] is "${second}", which differs from trustedPrincipalArnPatterns[0] ("${first}") `
        + 'only in case.');
  });

  test('an exact repeat is reported once, as a repeat', () => {
    const pattern = `arn:aws:iam::${ACCOUNT}:role/CdkDeployer`;
    expect(() => bootstrap(patterns(pattern, pattern))).toThrow(/Remove the repeat\.$/);
  });
});
