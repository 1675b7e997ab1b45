import {
  App, CfnResource, Fn, Stack, Tags, Token,
  aws_batch as batch, aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda, aws_s3 as s3, aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DataClassification, MandatoryTags, TaggingStandard, TaggingStandardProps } from '../src';

const TAGS: MandatoryTags = {
  costCentre: 'CC-1234',
  environment: 'production',
  service: 'lib-case-management',
  owner: 'platform-engineering@example.gov.uk',
  dataClassification: DataClassification.OFFICIAL_SENSITIVE,
};

function newStack(): Stack {
  return new Stack(new App(), 'Workload');
}

/** Synthesises the app of `stack` and returns the message of the error it throws, or undefined. */
function synthError(stack: Stack): string | undefined {
  try {
    (stack.node.root as App).synth();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('TaggingStandard.applyTags', () => {
  test('adds the five mandatory tags', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');

    TaggingStandard.applyTags(stack, TAGS);

    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      Tags: Match.arrayWith([
        { Key: 'CostCentre', Value: 'CC-1234' },
        { Key: 'DataClassification', Value: 'OFFICIAL-SENSITIVE' },
        { Key: 'Environment', Value: 'production' },
        { Key: 'Owner', Value: 'platform-engineering@example.gov.uk' },
        { Key: 'Service', Value: 'lib-case-management' },
      ]),
    });
  });

  test('tags every taggable resource in the scope', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    new s3.Bucket(stack, 'Bucket');

    TaggingStandard.applyTags(stack, TAGS);

    const template = Template.fromStack(stack);
    for (const type of ['AWS::SQS::Queue', 'AWS::S3::Bucket']) {
      template.hasResourceProperties(type, { Tags: Match.arrayWith([{ Key: 'Owner', Value: TAGS.owner }]) });
    }
  });

  test('rejects an empty value', () => {
    expect(() => TaggingStandard.applyTags(newStack(), { ...TAGS, owner: ' ' }))
      .toThrow(/tags\.owner " " is not a valid value for the Owner tag: it is empty/);
  });

  test('rejects a value over 256 characters', () => {
    expect(() => TaggingStandard.applyTags(newStack(), { ...TAGS, service: 'a'.repeat(257) }))
      .toThrow(/tags\.service "a+" is not a valid value for the Service tag: it is longer than the 256 characters/);
  });

  test('rejects characters AWS does not allow', () => {
    expect(() => TaggingStandard.applyTags(newStack(), { ...TAGS, costCentre: 'CC#1234' }))
      .toThrow(/tags\.costCentre "CC#1234" is not a valid value for the CostCentre tag: it contains characters other than/);
  });

  test('rejects an unknown classification', () => {
    const tags = { ...TAGS, dataClassification: 'SECRET' as DataClassification };

    expect(() => TaggingStandard.applyTags(newStack(), tags))
      .toThrow(/tags\.dataClassification is "SECRET", which is not a data classification\. Use one of the DataClassification values: OFFICIAL, OFFICIAL-SENSITIVE/);
  });

  test('rejects a missing value', () => {
    const tags = { ...TAGS, environment: undefined } as unknown as MandatoryTags;

    expect(() => TaggingStandard.applyTags(newStack(), tags))
      .toThrow(/tags\.environment is undefined\. Give the value of the Environment tag as a string/);
  });

  test('lists every invalid value in one error', () => {
    expect(() => TaggingStandard.applyTags(newStack(), { ...TAGS, owner: '', service: '' }))
      .toThrow(/Invalid mandatory tags for Workload:\n  - tags\.service .*\n  - tags\.owner /);
  });
});

describe('TaggingStandard.enforce', () => {
  test('passes resources that carry every tag', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.applyTags(stack, TAGS);
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
  });

  test('counts tags added after enforce', () => {
    const stack = newStack();
    TaggingStandard.enforce(stack);
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.applyTags(stack, TAGS);

    expect(synthError(stack)).toBeUndefined();
  });

  test('fails synth naming the resource and missing keys', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    Tags.of(stack).add('CostCentre', 'CC-1234');
    Tags.of(stack).add('Environment', 'production');
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(
      /\[Workload\/Queue\/Resource\] AWS::SQS::Queue is missing the mandatory tags Service, Owner, DataClassification\./);
  });

  test('Template.fromStack throws too', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.enforce(stack);

    expect(() => Template.fromStack(stack)).toThrow(/Workload\/Queue\/Resource.*missing the mandatory tags/);
  });

  test('lists several resources in one error', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    new s3.Bucket(stack, 'Bucket');
    TaggingStandard.enforce(stack);

    const message = synthError(stack);

    expect(message).toMatch(/^Validation failed with the following errors:/);
    expect(message).toMatch(/\[Workload\/Queue\/Resource\] AWS::SQS::Queue is missing/);
    expect(message).toMatch(/\[Workload\/Bucket\/Resource\] AWS::S3::Bucket is missing/);
  });

  test('counts an empty tag value as missing', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.applyTags(stack, TAGS);
    Tags.of(stack).add('Owner', '', { priority: 300 });
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(/AWS::SQS::Queue is missing the mandatory tags Owner\./);
  });

  test('rejects an unknown classification value', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.applyTags(stack, TAGS);
    Tags.of(stack).add('DataClassification', 'SECRET', { priority: 300 });
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(
      /\[Workload\/Queue\/Resource\] AWS::SQS::Queue has the tag DataClassification="SECRET", which is not a data classification\. Use one of: OFFICIAL, OFFICIAL-SENSITIVE/);
  });

  test('counts tags given in L1 props', () => {
    const stack = newStack();
    new s3.CfnBucket(stack, 'Bucket', {
      tags: [
        { key: 'CostCentre', value: 'CC-1234' },
        { key: 'Environment', value: 'production' },
        { key: 'Service', value: 'lib-case-management' },
        { key: 'Owner', value: 'platform' },
        { key: 'DataClassification', value: 'OFFICIAL' },
      ],
    });
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
  });

  test('counts L1 prop tags rendered late', () => {
    // CfnAccessPoint's tag manager merges the tags prop only when the template is rendered.
    const stack = newStack();
    new s3.CfnAccessPoint(stack, 'AccessPoint', {
      bucket: 'log-archive',
      tags: [
        { key: 'Service', value: 'lib-case-management' },
        { key: 'Owner', value: 'platform' },
      ],
    });
    Tags.of(stack).add('CostCentre', 'CC-1234');
    Tags.of(stack).add('Environment', 'production');
    Tags.of(stack).add('DataClassification', 'OFFICIAL');
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
  });

  test('counts L1 prop tags given as a map', () => {
    const stack = newStack();
    new batch.CfnConsumableResource(stack, 'Licences', {
      resourceType: 'REPLENISHABLE',
      totalQuantity: 10,
      tags: { Owner: 'platform', Service: 'lib-case-management' },
    });
    Tags.of(stack).add('CostCentre', 'CC-1234');
    Tags.of(stack).add('Environment', 'production');
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(/\[Workload\/Licences\] AWS::Batch::ConsumableResource is missing the mandatory tags DataClassification\./);
  });

  test('reports keys missing from L1 prop tags', () => {
    const stack = newStack();
    new s3.CfnAccessPoint(stack, 'AccessPoint', { bucket: 'log-archive', tags: [{ key: 'Owner', value: 'platform' }] });
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(
      /\[Workload\/AccessPoint\] AWS::S3::AccessPoint is missing the mandatory tags CostCentre, Environment, Service, DataClassification\./);
  });

  test('skips exempt resource types', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.enforce(stack, { exemptResourceTypes: ['AWS::SQS::Queue'] });

    expect(synthError(stack)).toBeUndefined();
  });

  test('ignores resources that cannot be tagged', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    new iam.Policy(stack, 'Policy', {
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] })],
    }).attachToRole(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
    new CfnResource(stack, 'Custom', { type: 'Custom::Thing', properties: { ServiceToken: 'arn:aws:lambda:eu-west-2:111122223333:function:x' } });
    TaggingStandard.enforce(stack, { exemptResourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role'] });

    expect(synthError(stack)).toBeUndefined();
  });

  test('checks the given required keys', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.applyTags(stack, TAGS);
    TaggingStandard.enforce(stack, { requiredTagKeys: ['CostCentre', 'Project'] });

    expect(synthError(stack)).toMatch(/AWS::SQS::Queue is missing the mandatory tags Project\./);
  });

  test('warns when a tag key is known only at deploy time', () => {
    const stack = newStack();
    new s3.CfnAccessPoint(stack, 'AccessPoint', {
      bucket: 'log-archive',
      tags: [{ key: Fn.importValue('OwnerTagKey'), value: 'platform' }],
    });
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Workload/AccessPoint', Match.stringLikeRegexp('set by a token.*tagsNotCheckable'));
  });

  test('counts a tag value known only at deploy time', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.applyTags(stack, { ...TAGS, owner: Fn.importValue('OwnerMailbox') });
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
  });

  test('counts tags given only through an override', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.addPropertyOverride('Tags', Object.entries({
      CostCentre: 'CC-1234', Environment: 'production', Service: 'lib-case-management', Owner: 'platform', DataClassification: 'OFFICIAL',
    }).map(([Key, Value]) => ({ Key, Value })));
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
  });

  test('fails when an override removes the tags', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.addPropertyOverride('Tags', []);
    TaggingStandard.applyTags(stack, TAGS);
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(new RegExp('\\[Workload/Bucket\\] AWS::S3::Bucket is missing the mandatory tags '
      + 'CostCentre, Environment, Service, Owner, DataClassification\\. An override \\(addPropertyOverride, addOverride or '
      + 'addDeletionOverride\\) replaces the tags from its tag manager'));
  });

  test('fails when a deletion override removes the tags', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.addDeletionOverride('Properties.Tags');
    TaggingStandard.applyTags(stack, TAGS);
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(/\[Workload\/Bucket\] AWS::S3::Bucket is missing the mandatory tags CostCentre, .*An override/);
  });

  test('fails when an override changes the classification', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    TaggingStandard.applyTags(stack, TAGS);
    bucket.addPropertyOverride('Tags', Object.entries({ ...renderedTags(TAGS), DataClassification: 'SECRET' }).map(([Key, Value]) => ({ Key, Value })));
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(/\[Workload\/Bucket\] AWS::S3::Bucket has the tag DataClassification="SECRET", which is not a data classification/);
  });

  test('rejects a tag key with the aws: prefix', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    TaggingStandard.applyTags(stack, TAGS);
    Tags.of(bucket).add('aws:team', 'platform');
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(
      /\[Workload\/Bucket\] AWS::S3::Bucket has the tag key "aws:team", but AWS reserves the prefix "aws:" for the tags it sets/);
  });

  test('reports each problem once when enforced twice', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.enforce(stack);
    TaggingStandard.enforce(stack);
    TaggingStandard.enforce(stack.node.root);

    const message = synthError(stack) ?? '';

    expect(message.match(/AWS::SQS::Queue is missing/g)).toHaveLength(1);
  });

  test('merges the keys of several standards', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.enforce(stack.node.root, { requiredTagKeys: ['Owner', 'Service'] });
    TaggingStandard.enforce(stack, { requiredTagKeys: ['Owner', 'Project'] });

    const message = synthError(stack) ?? '';

    expect(message).toMatch(/\[Workload\/Queue\/Resource\] AWS::SQS::Queue is missing the mandatory tags Owner, Service, Project\./);
    expect(message.match(/AWS::SQS::Queue is missing/g)).toHaveLength(1);
  });

  test('a standard that exempts a type leaves it to others', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    TaggingStandard.enforce(stack.node.root, { exemptResourceTypes: ['AWS::SQS::Queue'] });
    TaggingStandard.enforce(stack, { requiredTagKeys: ['Project'] });

    expect(synthError(stack)).toMatch(/AWS::SQS::Queue is missing the mandatory tags Project\./);
  });

  test('treats null props as the defaults', () => {
    const stack = newStack();
    new sqs.Queue(stack, 'Queue');
    const standard = TaggingStandard.enforce(stack, null as unknown as TaggingStandardProps);

    expect(standard.requiredTagKeys).toHaveLength(5);
    expect(synthError(stack)).toMatch(/AWS::SQS::Queue is missing the mandatory tags CostCentre, Environment, Service, Owner, DataClassification\./);
  });

  test('exposes the defaults', () => {
    const standard = new TaggingStandard();

    expect(standard.requiredTagKeys).toEqual(['CostCentre', 'Environment', 'Service', 'Owner', 'DataClassification']);
    expect(standard.exemptResourceTypes).toEqual([]);
  });
});

describe('TaggingStandard raw resources', () => {
  /** Returns the Lambda function and IAM role of the provider behind a VPC's restrictDefaultSecurityGroup. */
  function providerResources(template: Template): Array<{ Type: string; Properties: { Tags?: unknown } }> {
    return Object.entries(template.toJSON().Resources as Record<string, { Type: string; Properties: { Tags?: unknown } }>)
      .filter(([logicalId]) => logicalId.startsWith('CustomVpcRestrictDefaultSGCustomResourceProvider'))
      .map(([, resource]) => resource);
  }

  test('applyTags tags the custom resource provider of a VPC', () => {
    const stack = newStack();
    new ec2.Vpc(stack, 'Vpc', { restrictDefaultSecurityGroup: true, maxAzs: 1 });
    TaggingStandard.applyTags(stack, TAGS);
    TaggingStandard.enforce(stack);

    const resources = providerResources(Template.fromStack(stack));

    expect(resources.map((resource) => resource.Type).sort()).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function']);
    for (const resource of resources) {
      expect(resource.Properties.Tags).toEqual(Object.entries(renderedTags(TAGS)).map(([Key, Value]) => ({ Key, Value })));
    }
  });

  test('enforce reports an untagged provider', () => {
    const stack = newStack();
    new ec2.Vpc(stack, 'Vpc', { restrictDefaultSecurityGroup: true, maxAzs: 1 });
    Tags.of(stack).add('CostCentre', 'CC-1234');
    Tags.of(stack).add('Environment', 'production');
    Tags.of(stack).add('Service', 'lib-case-management');
    Tags.of(stack).add('Owner', 'platform');
    Tags.of(stack).add('DataClassification', 'OFFICIAL');
    TaggingStandard.enforce(stack);

    const message = synthError(stack);

    expect(message).toMatch(new RegExp('\\[Workload/Custom::VpcRestrictDefaultSGCustomResourceProvider/Role\\] AWS::IAM::Role is missing '
      + 'the mandatory tags CostCentre, Environment, Service, Owner, DataClassification\\. It is a raw CfnResource, which Tags\\.of does not reach'));
    expect(message).toMatch(/\[Workload\/Custom::VpcRestrictDefaultSGCustomResourceProvider\/Handler\] AWS::Lambda::Function is missing the mandatory tags/);
    expect(message?.match(/is missing/g)).toHaveLength(2);
  });

  test('keeps tags a raw resource already has', () => {
    const stack = newStack();
    const role = new CfnResource(stack, 'Role', {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: {}, Tags: [{ Key: 'Team', Value: 'network' }, { Key: 'Owner', Value: 'someone-else' }] },
    });
    role.addPropertyOverride('Tags', [{ Key: 'Team', Value: 'network' }, { Key: 'Ticket', Value: 'CHG-1' }]);
    TaggingStandard.applyTags(stack, TAGS);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Tags: [
        { Key: 'Team', Value: 'network' },
        { Key: 'Ticket', Value: 'CHG-1' },
        ...Object.entries(renderedTags(TAGS)).map(([Key, Value]) => ({ Key, Value })),
      ],
    });
  });

  test('replaces a raw tag with the same key', () => {
    const stack = newStack();
    new CfnResource(stack, 'Role', {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: {}, Tags: [{ Key: 'Owner', Value: 'someone-else' }] },
    });
    TaggingStandard.applyTags(stack, TAGS);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Tags: Match.arrayEquals([
        { Key: 'Owner', Value: TAGS.owner },
        ...Object.entries(renderedTags(TAGS)).filter(([Key]) => Key !== 'Owner').map(([Key, Value]) => ({ Key, Value })),
      ]),
    });
  });

  test('leaves raw tags deleted by an override', () => {
    const stack = newStack();
    const role = new CfnResource(stack, 'Role', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
    role.addDeletionOverride('Properties.Tags');
    TaggingStandard.applyTags(stack, TAGS);
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toMatch(/\[Workload\/Role\] AWS::IAM::Role is missing the mandatory tags CostCentre/);
  });

  test('leaves raw tags given as a token', () => {
    const stack = newStack();
    new CfnResource(stack, 'Role', {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: {}, Tags: Token.asAny(Fn.importValue('RoleTags')) },
    });
    TaggingStandard.applyTags(stack, TAGS);
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Tags: { 'Fn::ImportValue': 'RoleTags' } });
    Annotations.fromStack(stack).hasWarning('/Workload/Role', Match.stringLikeRegexp('set by a token'));
  });

  test('warns when raw resource tags cannot be read', () => {
    const stack = newStack();
    const role = new CfnResource(stack, 'Role', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
    new TaggingStandard().visit(role);
    // Hide the internal member, as a release without it would. Synthesis needs it, so run the validation alone.
    Object.defineProperty(role, '_toCloudFormation', { value: undefined });

    expect(role.node.validate()).toEqual([]);
    expect(role.node.metadata.map((entry) => entry.data)).toContainEqual(expect.stringMatching(
      /This AWS::IAM::Role is a raw CfnResource, and the tagging standard cannot read the tags of raw resources with this aws-cdk-lib version/));
  });

  test('ignores raw resources of other types', () => {
    const stack = newStack();
    new CfnResource(stack, 'Vpc', { type: 'AWS::EC2::VPC', properties: { CidrBlock: '10.0.0.0/16' } });
    TaggingStandard.applyTags(stack, TAGS);
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPC', { Tags: Match.absent() });
  });

  test('does not change L1 resources of the listed types', () => {
    const stack = newStack();
    new lambda.CfnFunction(stack, 'Function', { code: { zipFile: 'x' }, role: 'arn:aws:iam::111122223333:role/r' });
    TaggingStandard.applyTags(stack, TAGS);

    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
    expect(fn.Properties.Tags).toEqual(Object.entries(renderedTags(TAGS)).map(([Key, Value]) => ({ Key, Value })));
  });
});

describe('TaggingStandard validation', () => {
  test('rejects an empty key list', () => {
    expect(() => TaggingStandard.enforce(newStack(), { requiredTagKeys: [] })).toThrow(/requiredTagKeys is empty, so nothing would be checked/);
  });

  test('rejects a reserved key prefix', () => {
    expect(() => new TaggingStandard({ requiredTagKeys: ['aws:cloudformation:stack-name'] }))
      .toThrow(/requiredTagKeys contains "aws:cloudformation:stack-name", which is not a valid tag key: the prefix "aws:" is reserved/);
  });

  test('rejects a malformed resource type', () => {
    expect(() => new TaggingStandard({ exemptResourceTypes: ['s3 bucket'] }))
      .toThrow(/exemptResourceTypes contains "s3 bucket", which is not a CloudFormation resource type/);
  });

  test('lists every problem in one error', () => {
    expect(() => new TaggingStandard({ requiredTagKeys: ['', 'Owner#'], exemptResourceTypes: ['AWS::S3'] }))
      .toThrow(/Invalid TaggingStandard props:\n  - requiredTagKeys contains "".*\n  - requiredTagKeys contains "Owner#".*\n  - exemptResourceTypes contains "AWS::S3"/);
  });

  test('applyTags rejects missing tags', () => {
    expect(() => TaggingStandard.applyTags(newStack(), null as unknown as MandatoryTags))
      .toThrow(/tags is null\. Give the values of the five tags as an object: \{ costCentre, environment, service, owner, dataClassification \}/);
    expect(() => (TaggingStandard.applyTags as (scope: unknown) => void)(newStack()))
      .toThrow(/tags is undefined\. Give the values of the five tags as an object/);
  });

  test('applyTags rejects a scope that is not a construct', () => {
    expect(() => TaggingStandard.applyTags(null as unknown as Stack, TAGS))
      .toThrow(/Invalid mandatory tags for an invalid scope:\n  - scope is null, which is not a construct\. Pass the app, stage, stack or construct/);
  });

  test('enforce rejects a scope that is not a construct', () => {
    expect(() => TaggingStandard.enforce('Workload' as unknown as Stack, { requiredTagKeys: [] }))
      .toThrow(/Invalid TaggingStandard\.enforce arguments:\n  - scope is "Workload", which is not a construct\..*\n  - requiredTagKeys is empty/);
  });

  test('rejects props that are not an object', () => {
    expect(() => new TaggingStandard('Owner' as unknown as TaggingStandardProps))
      .toThrow(/props is "Owner"\. Give the props as an object, or omit them to use the defaults/);
  });

  test('rejects a key that is not a string', () => {
    expect(() => new TaggingStandard({ requiredTagKeys: [5 as unknown as string] }))
      .toThrow(/requiredTagKeys contains 5\. Give each tag key as a string/);
  });

  test('null props mean the defaults', () => {
    expect(new TaggingStandard(null as unknown as TaggingStandardProps).requiredTagKeys).toHaveLength(5);
  });

  test('rejects a single key string', () => {
    expect(() => new TaggingStandard({ requiredTagKeys: 'Owner' as unknown as string[] }))
      .toThrow(/^Invalid TaggingStandard props:\n  - requiredTagKeys is the string "Owner", but a list is expected\. Put the value in a list, for example \["Owner"\]\.$/);
  });

  test('rejects a single resource type string', () => {
    expect(() => new TaggingStandard({ exemptResourceTypes: 'AWS::S3::Bucket' as unknown as string[] }))
      .toThrow(/^Invalid TaggingStandard props:\n  - exemptResourceTypes is the string "AWS::S3::Bucket", but a list is expected\. Put the value in a list, for example \["AWS::S3::Bucket"\]\.$/);
  });

  test('rejects a token key', () => {
    expect(() => new TaggingStandard({ requiredTagKeys: [Fn.importValue('TagKey')] }))
      .toThrow(/requiredTagKeys contains a token\. Give each tag key as a literal string/);
  });

  test('rejects a resource type in the wrong case', () => {
    expect(() => new TaggingStandard({ exemptResourceTypes: ['aws::s3::bucket', 'AWS::SQS::QUEUE'] }))
      .toThrow(new RegExp('exemptResourceTypes contains "aws::s3::bucket", which CloudFormation writes as AWS::S3::Bucket\\. '
        + 'CloudFormation compares resource types case-sensitively, so give AWS::S3::Bucket\\.\\n'
        + '  - exemptResourceTypes contains "AWS::SQS::QUEUE", which CloudFormation writes as AWS::SQS::Queue\\.'));
  });

  test('rejects an unknown type with a lower-case vendor', () => {
    expect(() => new TaggingStandard({ exemptResourceTypes: ['aws::newservice::thing'] }))
      .toThrow(/exemptResourceTypes contains "aws::newservice::thing", which is not written as CloudFormation writes AWS types/);
  });

  test('accepts types aws-cdk-lib does not know', () => {
    const standard = new TaggingStandard({ exemptResourceTypes: ['AWS::NewService::Thing', 'MongoDB::Atlas::Cluster', 'AWS::Serverless::Function'] });

    expect(standard.exemptResourceTypes).toHaveLength(3);
  });
});

/** Returns the five mandatory tags as key and value, sorted by key as the tag manager renders them. */
function renderedTags(tags: MandatoryTags): Record<string, string> {
  return {
    CostCentre: tags.costCentre,
    DataClassification: tags.dataClassification,
    Environment: tags.environment,
    Owner: tags.owner,
    Service: tags.service,
  };
}
