import { CfnParameter, CfnResource, Stack, aws_rds as rds, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { analyse, findingsOf, newStack, newVpc } from './helpers';
import { ResilienceCheck, SinglePointOfFailure, SinglePointOfFailureKind as Kind } from '../../src';

const REASON = 'The bucket holds build caches that the pipeline recreates.';
const PROCEDURE = 'Rerun the pipeline: it rebuilds every cached object within 20 minutes.';

describe('SinglePointOfFailure.acknowledge', () => {
  test('the acknowledgement is written to the resource metadata', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    SinglePointOfFailure.acknowledge(bucket, { kind: Kind.NO_VERSIONING, reason: REASON, recoveryProcedure: PROCEDURE });

    Template.fromStack(stack).hasResource('AWS::S3::Bucket', {
      Metadata: { 'ssd:resilience': { acknowledgements: [{ kind: 'NoVersioning', reason: REASON, recoveryProcedure: PROCEDURE }] } },
    });
  });

  test('the analysis reads the acknowledgement back', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    SinglePointOfFailure.acknowledge(bucket, { kind: Kind.NO_VERSIONING, reason: REASON, recoveryProcedure: PROCEDURE });

    const [finding] = findingsOf(stack, Kind.NO_VERSIONING);

    expect(finding.acknowledgement).toEqual({ reason: REASON, recoveryProcedure: PROCEDURE });
  });

  test('a CfnResource can be acknowledged directly', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');

    SinglePointOfFailure.acknowledge(bucket, { kind: Kind.NO_VERSIONING, reason: REASON, recoveryProcedure: PROCEDURE });

    expect(findingsOf(stack, Kind.NO_VERSIONING)[0].acknowledgement).toBeDefined();
  });

  test('an acknowledgement covers its kind only', () => {
    const stack = newStack();
    const database = new rds.DatabaseInstance(stack, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc: newVpc(stack),
    });

    SinglePointOfFailure.acknowledge(database, { kind: Kind.SINGLE_AZ_DB_INSTANCE, reason: REASON, recoveryProcedure: PROCEDURE });

    const acknowledged = analyse(stack).filter((finding) => finding.resourceType === 'AWS::RDS::DBInstance')
      .map((finding) => [finding.kind, finding.acknowledgement !== undefined]);
    expect(acknowledged).toEqual([[Kind.SINGLE_AZ_DB_INSTANCE, true], [Kind.NO_BACKUP, false]]);
  });

  test('acknowledging the NAT gateway covers the VPC finding', () => {
    const stack = newStack();
    const vpc = newVpc(stack, { natGateways: 1 });
    const natGateway = vpc.publicSubnets[0].node.findChild('NATGateway') as CfnResource;

    SinglePointOfFailure.acknowledge(natGateway, { kind: Kind.SINGLE_NAT_GATEWAY, reason: REASON, recoveryProcedure: PROCEDURE });

    const [finding] = findingsOf(stack, Kind.SINGLE_NAT_GATEWAY);
    expect(finding.resourceType).toBe('AWS::EC2::VPC');
    expect(finding.acknowledgement).toEqual({ reason: REASON, recoveryProcedure: PROCEDURE });
  });

  test('a second acknowledgement of a kind replaces the first, and other kinds stay', () => {
    const stack = newStack();
    const cache = new CfnResource(stack, 'Cache', { type: 'AWS::ElastiCache::ReplicationGroup', properties: {} });

    SinglePointOfFailure.acknowledge(cache, { kind: Kind.SINGLE_NODE_CACHE, reason: 'first reason', recoveryProcedure: PROCEDURE });
    SinglePointOfFailure.acknowledge(cache, { kind: Kind.NO_CACHE_FAILOVER, reason: REASON, recoveryProcedure: PROCEDURE });
    SinglePointOfFailure.acknowledge(cache, { kind: Kind.SINGLE_NODE_CACHE, reason: `  ${REASON}  `, recoveryProcedure: PROCEDURE });

    expect(cache.getMetadata('ssd:resilience').acknowledgements).toEqual([
      { kind: 'NoCacheFailover', reason: REASON, recoveryProcedure: PROCEDURE },
      { kind: 'SingleNodeCache', reason: REASON, recoveryProcedure: PROCEDURE },
    ]);
  });

  test('metadata written by hand with a blank recovery procedure does not count', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.addMetadata('ssd:resilience', { acknowledgements: [{ kind: 'NoVersioning', reason: REASON, recoveryProcedure: ' ' }] });

    expect(findingsOf(stack, Kind.NO_VERSIONING)[0].acknowledgement).toBeUndefined();
  });
});

describe('SinglePointOfFailure.acknowledge validation', () => {
  function acknowledge(construct: Construct, overrides: Record<string, unknown>): () => void {
    return () => SinglePointOfFailure.acknowledge(construct, {
      kind: Kind.NO_VERSIONING,
      reason: REASON,
      recoveryProcedure: PROCEDURE,
      ...overrides,
    } as any);
  }

  test('an empty reason is rejected', () => {
    const stack = newStack();

    expect(acknowledge(new s3.Bucket(stack, 'Bucket'), { reason: '' }))
      .toThrow('reason is empty. Give text saying why the single point of failure stays.');
  });

  test('a recovery procedure of whitespace is rejected', () => {
    const stack = newStack();

    expect(acknowledge(new s3.Bucket(stack, 'Bucket'), { recoveryProcedure: ' \n ' }))
      .toThrow('recoveryProcedure is empty. Give text saying the steps that restore service when it fails.');
  });

  test('a token reason is rejected', () => {
    const stack = newStack();
    const reason = new CfnParameter(stack, 'Reason').valueAsString;

    expect(acknowledge(new s3.Bucket(stack, 'Bucket'), { reason }))
      .toThrow('reason is a token. Give literal text saying why the single point of failure stays, because the report prints it.');
  });

  test('a construct without a resource is rejected', () => {
    const stack = newStack();

    expect(acknowledge(new Construct(stack, 'Group'), {}))
      .toThrow('construct "Workload/Group" is not a CloudFormation resource and has no default child that is one. '
        + 'Pass the CfnResource, for example bucket.node.defaultChild');
  });

  test('an unknown kind is rejected', () => {
    const stack = newStack();

    expect(acknowledge(new s3.Bucket(stack, 'Bucket'), { kind: 'NoMagic' }))
      .toThrow('kind is "NoMagic". Use one of the SinglePointOfFailureKind values');
  });

  test('every problem is reported in one error that names the construct', () => {
    const stack: Stack = newStack();

    expect(acknowledge(new Construct(stack, 'Group'), { reason: ' ', recoveryProcedure: undefined }))
      .toThrow(/^Invalid SinglePointOfFailure.acknowledge props for "Workload\/Group":\n {2}- construct .*\n {2}- reason is empty.*\n {2}- recoveryProcedure is undefined/);
  });

  test('a missing acknowledgement is rejected, not a TypeError', () => {
    const stack = newStack();

    expect(() => SinglePointOfFailure.acknowledge(new s3.Bucket(stack, 'Bucket'), null as any))
      .toThrow('acknowledgement is null. Pass { kind, reason, recoveryProcedure }.');
  });

  test('a missing construct is rejected, not a TypeError', () => {
    expect(() => SinglePointOfFailure.acknowledge(undefined as any, { kind: Kind.NO_VERSIONING, reason: REASON, recoveryProcedure: PROCEDURE }))
      .toThrow(/^Invalid SinglePointOfFailure.acknowledge arguments:\n {2}- construct is undefined\. Pass the construct/);
  });

  test('a kind that never applies to the resource type is rejected, with the kinds that do', () => {
    const stack = newStack();
    const database = new rds.CfnDBInstance(stack, 'Database', { dbInstanceClass: 'db.t3.micro', engine: 'postgres' });

    expect(acknowledge(database, { kind: Kind.NO_VERSIONING }))
      .toThrow('kind is "NoVersioning", which the resilience check never reports on resources of type AWS::RDS::DBInstance, so the acknowledgement '
        + 'would have no effect. Use a kind that applies to it: SinglePointOfFailureKind.SINGLE_AZ_DB_INSTANCE, SinglePointOfFailureKind.NO_BACKUP.');
  });

  test('metadata under the key that is a string is rejected, naming the key and the fix', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.addMetadata('ssd:resilience', 'accepted');

    expect(acknowledge(bucket, {}))
      .toThrow('the resource\'s "ssd:resilience" metadata is "accepted", not an object with a list of acknowledgements. '
        + 'Remove the metadata that sets "ssd:resilience" by hand (addMetadata)');
  });

  test('metadata whose acknowledgements are not a list is rejected', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.addMetadata('ssd:resilience', { acknowledgements: { kind: 'NoVersioning' } });

    expect(acknowledge(bucket, {})).toThrow('the resource\'s "ssd:resilience" metadata has acknowledgements of');
  });
});

describe('ResilienceCheck props', () => {
  test('missing props are rejected, not a TypeError', () => {
    expect(() => new ResilienceCheck(undefined as any))
      .toThrow('Invalid ResilienceCheck props:\n  - props is undefined. Pass { production: true } for a production app, or { production: false }.');
  });
});
