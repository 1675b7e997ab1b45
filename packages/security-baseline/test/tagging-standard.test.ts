import { App, CfnResource, Lazy, Stack, Tags, aws_batch as batch, aws_iam as iam, aws_s3 as s3, aws_sqs as sqs } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DataClassification, MandatoryTags, TaggingStandard } from '../src';

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

  test('warns when an L1 prop tag key is a token', () => {
    const stack = newStack();
    new s3.CfnAccessPoint(stack, 'AccessPoint', {
      bucket: 'log-archive',
      tags: [{ key: Lazy.string({ produce: () => 'Owner' }), value: 'platform' }],
    });
    TaggingStandard.enforce(stack);

    expect(synthError(stack)).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Workload/AccessPoint', Match.stringLikeRegexp('set by a token.*tagsNotCheckable'));
  });

  test('exposes the defaults', () => {
    const standard = new TaggingStandard();

    expect(standard.requiredTagKeys).toEqual(['CostCentre', 'Environment', 'Service', 'Owner', 'DataClassification']);
    expect(standard.exemptResourceTypes).toEqual([]);
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
});
