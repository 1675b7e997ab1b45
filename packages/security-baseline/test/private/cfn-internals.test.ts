import { App, CfnResource, Fn, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { renderedProperties, unrenderedProperty } from '../../src/private/cfn-internals';
import { readDeployedTags } from '../../src/private/tags';

// These tests pin the aws-cdk-lib internals that the tagging standard reads. If one fails
// after an aws-cdk-lib upgrade, update src/private/cfn-internals.ts for the new release.

function newStack(): Stack {
  return new Stack(new App(), 'Workload');
}

/** Hides an internal member on one resource, as a release without it would. */
function hide(resource: CfnResource, member: string): void {
  Object.defineProperty(resource, member, { value: undefined });
}

describe('renderedProperties', () => {
  test('includes L1 prop tags and overrides', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket', { bucketName: 'log-archive', tags: [{ key: 'Owner', value: 'platform' }] });
    bucket.addPropertyOverride('VersioningConfiguration.Status', 'Enabled');
    bucket.addDeletionOverride('Properties.BucketName');

    expect(renderedProperties(bucket)).toEqual({
      status: 'rendered',
      properties: {
        Tags: [{ Key: 'Owner', Value: 'platform' }],
        VersioningConfiguration: { Status: 'Enabled' },
      },
    });
  });

  test('includes tag manager tags', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.tags.setTag('Service', 'lib-case-management');

    expect(renderedProperties(bucket).properties).toEqual({ Tags: [{ Key: 'Service', Value: 'lib-case-management' }] });
  });

  test('renders raw resources with tokens resolved', () => {
    const stack = newStack();
    const role = new CfnResource(stack, 'Role', { type: 'AWS::IAM::Role', properties: { Path: '/', Description: stack.account } });
    role.addPropertyOverride('Tags', [{ Key: 'Owner', Value: 'platform' }]);

    expect(renderedProperties(role)).toEqual({
      status: 'rendered',
      properties: { Path: '/', Description: { Ref: 'AWS::AccountId' }, Tags: [{ Key: 'Owner', Value: 'platform' }] },
    });
  });

  test('reports resources left out of the template', () => {
    class Omitted extends CfnResource {
      protected shouldSynthesize(): boolean {
        return false;
      }
    }
    const omitted = new Omitted(newStack(), 'Omitted', { type: 'AWS::SQS::Queue' });

    expect(renderedProperties(omitted).status).toBe('notSynthesized');
  });

  test('reports a missing internal member', () => {
    const bucket = new s3.CfnBucket(newStack(), 'Bucket');
    hide(bucket, '_toCloudFormation');

    expect(renderedProperties(bucket).status).toBe('unavailable');
  });
});

describe('unrenderedProperty', () => {
  test('reads properties and overrides of a raw resource', () => {
    const stack = newStack();
    const tags = [{ Key: 'Owner', Value: 'platform' }];
    const overrideTags = [{ Key: 'Service', Value: 'lib-case-management' }];
    const role = new CfnResource(stack, 'Role', { type: 'AWS::IAM::Role', properties: { Tags: tags } });
    role.addPropertyOverride('Tags', overrideTags);

    expect(unrenderedProperty(role, 'Tags')).toEqual({ available: true, fromProperties: tags, overridden: true, fromOverrides: overrideTags });
  });

  test('reads a deletion override', () => {
    const role = new CfnResource(newStack(), 'Role', { type: 'AWS::IAM::Role' });
    role.addDeletionOverride('Properties.Tags');

    expect(unrenderedProperty(role, 'Tags')).toEqual({ available: true, fromProperties: undefined, overridden: true, fromOverrides: undefined });
  });

  test('reports a property with no override', () => {
    const role = new CfnResource(newStack(), 'Role', { type: 'AWS::IAM::Role' });

    expect(unrenderedProperty(role, 'Tags')).toEqual({ available: true, fromProperties: undefined, overridden: false, fromOverrides: undefined });
  });

  test('reports a missing internal member', () => {
    const role = new CfnResource(newStack(), 'Role', { type: 'AWS::IAM::Role' });
    hide(role, 'rawOverrides');

    expect(unrenderedProperty(role, 'Tags').available).toBe(false);
  });
});

describe('readDeployedTags without the internal members', () => {
  test('falls back to the tag manager of an L1 resource', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket', { tags: [{ key: 'Owner', value: 'platform' }] });
    bucket.tags.setTag('Service', 'lib-case-management');
    hide(bucket, '_toCloudFormation');

    const reading = readDeployedTags(bucket, bucket.tags);

    expect(reading.status).toBe('read');
    expect([...reading.tags]).toEqual([['Owner', 'platform'], ['Service', 'lib-case-management']]);
  });

  test('falls back to late-rendered L1 prop tags', () => {
    const accessPoint = new s3.CfnAccessPoint(newStack(), 'AccessPoint', { bucket: 'log-archive', tags: [{ key: 'Owner', value: 'platform' }] });
    accessPoint.cdkTagManager.setTag('Service', 'lib-case-management');
    hide(accessPoint, '_toCloudFormation');

    const reading = readDeployedTags(accessPoint, accessPoint.cdkTagManager);

    expect([...reading.tags]).toEqual([['Owner', 'platform'], ['Service', 'lib-case-management']]);
  });

  test('falls back to unreadable for a token L1 tag key', () => {
    const accessPoint = new s3.CfnAccessPoint(newStack(), 'AccessPoint', {
      bucket: 'log-archive',
      tags: [{ key: Fn.importValue('TagKey'), value: 'platform' }],
    });
    hide(accessPoint, '_toCloudFormation');

    expect(readDeployedTags(accessPoint, accessPoint.cdkTagManager).status).toBe('unreadable');
  });

  test('reports raw resources as unsupported', () => {
    const role = new CfnResource(newStack(), 'Role', { type: 'AWS::IAM::Role', properties: { Tags: [{ Key: 'Owner', Value: 'platform' }] } });
    hide(role, '_toCloudFormation');

    expect(readDeployedTags(role, undefined).status).toBe('unsupported');
  });
});
