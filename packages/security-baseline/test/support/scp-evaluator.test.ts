import { denyingStatements, isDenied } from './scp-evaluator';

function policy(...statements: object[]): object {
  return { Version: '2012-10-17', Statement: statements };
}

describe('SCP evaluator', () => {
  test('action wildcards ignore case', () => {
    const denyS3 = policy({ Effect: 'Deny', Action: 's3:Put*', Resource: '*' });

    expect(isDenied(denyS3, { action: 'S3:PUTOBJECT', context: {} })).toBe(true);
    expect(isDenied(denyS3, { action: 's3:GetObject', context: {} })).toBe(false);
  });

  test('NotAction denies everything not listed', () => {
    const denyAllButIam = policy({ Effect: 'Deny', NotAction: ['iam:*', 'sts:Get?allerIdentity'], Resource: '*' });

    expect(isDenied(denyAllButIam, { action: 'iam:CreateRole', context: {} })).toBe(false);
    expect(isDenied(denyAllButIam, { action: 'sts:GetCallerIdentity', context: {} })).toBe(false);
    expect(isDenied(denyAllButIam, { action: 'ec2:RunInstances', context: {} })).toBe(true);
  });

  test('Allow statements never deny', () => {
    expect(isDenied(policy({ Effect: 'Allow', Action: '*', Resource: '*' }), { action: 'ec2:RunInstances', context: {} })).toBe(false);
  });

  test('resource patterns need a matching resource', () => {
    const denyVolumes = policy({ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:volume/*' });

    expect(isDenied(denyVolumes, { action: 'ec2:RunInstances', resource: 'arn:aws:ec2:eu-west-2:111122223333:volume/vol-1', context: {} }))
      .toBe(true);
    expect(isDenied(denyVolumes, { action: 'ec2:RunInstances', resource: 'arn:aws:ec2:eu-west-2:111122223333:instance/i-1', context: {} }))
      .toBe(false);
    expect(isDenied(denyVolumes, { action: 'ec2:RunInstances', context: {} })).toBe(false);
  });

  test('negated operators hold for an absent key', () => {
    const deny = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-2' } } });

    expect(isDenied(deny, { action: 'ec2:RunInstances', context: {} })).toBe(true);
    expect(isDenied(deny, { action: 'ec2:RunInstances', context: { 'aws:requestedregion': 'eu-west-2' } })).toBe(false);
  });

  test('positive operators fail for an absent key', () => {
    const deny = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'ec2:Encrypted': 'false' } } });

    expect(isDenied(deny, { action: 'ec2:CreateVolume', context: {} })).toBe(false);
    expect(isDenied(deny, { action: 'ec2:CreateVolume', context: { 'ec2:Encrypted': 'false' } })).toBe(true);
  });

  test('IfExists holds for an absent key', () => {
    const deny = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:RequestedRegion': 'us-east-1' } } });

    expect(isDenied(deny, { action: 'ec2:RunInstances', context: {} })).toBe(true);
    expect(isDenied(deny, { action: 'ec2:RunInstances', context: { 'aws:RequestedRegion': 'eu-west-2' } })).toBe(false);
  });

  test('Null tests whether a key is present', () => {
    const deny = policy({ Effect: 'Deny', Action: 's3:PutObject', Resource: '*', Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } });

    expect(isDenied(deny, { action: 's3:PutObject', context: {} })).toBe(true);
    expect(isDenied(deny, { action: 's3:PutObject', context: { 's3:x-amz-server-side-encryption': 'AES256' } })).toBe(false);
  });

  test('ArnLike and ArnNotLike match wildcards', () => {
    const deny = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/Admin*'] } } });

    expect(isDenied(deny, { action: 'ec2:RunInstances', context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/AdminOps' } })).toBe(false);
    expect(isDenied(deny, { action: 'ec2:RunInstances', context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Dev' } })).toBe(true);
  });

  test('set operators read multivalued keys', () => {
    const anyDeny = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['secret'] } } });
    const allDeny = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } } });

    expect(isDenied(anyDeny, { action: 'ec2:CreateTags', context: { 'aws:TagKeys': ['public', 'secret'] } })).toBe(true);
    expect(isDenied(anyDeny, { action: 'ec2:CreateTags', context: {} })).toBe(false);
    expect(isDenied(allDeny, { action: 'ec2:CreateTags', context: { 'aws:TagKeys': ['a', 'b'] } })).toBe(true);
    expect(isDenied(allDeny, { action: 'ec2:CreateTags', context: { 'aws:TagKeys': ['a', 'c'] } })).toBe(false);
  });

  test('all conditions must hold', () => {
    const deny = policy({
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        StringNotEquals: { 'aws:RequestedRegion': 'eu-west-2' },
        ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' },
      },
    });

    expect(isDenied(deny, { action: 'ec2:RunInstances', context: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalArn': 'arn:aws:iam::1:role/Admin' } }))
      .toBe(false);
    expect(isDenied(deny, { action: 'ec2:RunInstances', context: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalArn': 'arn:aws:iam::1:role/Dev' } }))
      .toBe(true);
  });

  test('matching statements are named by Sid', () => {
    const deny = policy({ Sid: 'First', Effect: 'Deny', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*' });

    expect(denyingStatements(deny, { action: 's3:GetObject', context: {} })).toEqual(['First', '#1']);
  });

  test('unknown operators throw', () => {
    const deny = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } });

    expect(() => isDenied(deny, { action: 'ec2:RunInstances', context: { 'aws:MultiFactorAuthAge': '10' } })).toThrow(/does not support/);
  });
});
