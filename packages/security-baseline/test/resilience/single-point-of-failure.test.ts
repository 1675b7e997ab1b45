import { CfnParameter, CfnResource, Stack, aws_rds as rds, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { analyse, findingsOf, newStack, newVpc } from './helpers';
import { SinglePointOfFailure, SinglePointOfFailureKind as Kind } from '../../src';

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
    const bucket = new s3.Bucket(stack, 'Bucket');

    SinglePointOfFailure.acknowledge(bucket, { kind: Kind.NO_VERSIONING, reason: 'first reason', recoveryProcedure: PROCEDURE });
    SinglePointOfFailure.acknowledge(bucket, { kind: Kind.NO_BACKUP, reason: REASON, recoveryProcedure: PROCEDURE });
    SinglePointOfFailure.acknowledge(bucket, { kind: Kind.NO_VERSIONING, reason: `  ${REASON}  `, recoveryProcedure: PROCEDURE });

    const metadata = (bucket.node.defaultChild as s3.CfnBucket).getMetadata('ssd:resilience');
    expect(metadata.acknowledgements).toEqual([
      { kind: 'NoBackup', reason: REASON, recoveryProcedure: PROCEDURE },
      { kind: 'NoVersioning', reason: REASON, recoveryProcedure: PROCEDURE },
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
});
