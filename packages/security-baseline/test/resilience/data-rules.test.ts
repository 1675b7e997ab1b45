import {
  CfnParameter,
  CfnResource,
  Size,
  Stack,
  Tags,
  aws_backup as backup,
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_efs as efs,
  aws_elasticache as elasticache,
  aws_fsx as fsx,
  aws_rds as rds,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { findingsOf, logicalIdOf, newStack, newVpc } from './helpers';
import { SinglePointOfFailureKind as Kind } from '../../src';

const ENGINE = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
const AURORA = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });

describe('RDS DB instances', () => {
  test('an instance without multiAz is a single point of failure', () => {
    const stack = newStack();
    const database = new rds.DatabaseInstance(stack, 'Database', { engine: ENGINE, vpc: newVpc(stack) });

    const findings = findingsOf(stack, Kind.SINGLE_AZ_DB_INSTANCE);

    expect(findings.map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, database)]);
    expect(findings[0]).toEqual(expect.objectContaining({
      stackName: 'Workload',
      resourceType: 'AWS::RDS::DBInstance',
      description: expect.stringContaining('is not Multi-AZ'),
      fix: expect.stringContaining('multiAz: true'),
    }));
  });

  test('a Multi-AZ instance is not', () => {
    const stack = newStack();
    new rds.DatabaseInstance(stack, 'Database', { engine: ENGINE, vpc: newVpc(stack), multiAz: true });

    expect(findingsOf(stack, Kind.SINGLE_AZ_DB_INSTANCE)).toEqual([]);
  });

  test('MultiAZ from a parameter is taken as Multi-AZ', () => {
    const stack = newStack();
    const multiAz = new CfnParameter(stack, 'MultiAz', { type: 'String', allowedValues: ['true', 'false'] });
    const database = new rds.DatabaseInstance(stack, 'Database', { engine: ENGINE, vpc: newVpc(stack) });
    (database.node.defaultChild as rds.CfnDBInstance).multiAz = multiAz.valueAsString as any;

    expect(findingsOf(stack, Kind.SINGLE_AZ_DB_INSTANCE)).toEqual([]);
  });
});

describe('Aurora DB clusters', () => {
  test('a cluster with a writer only is a single point of failure', () => {
    const stack = newStack();
    const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
      engine: AURORA,
      vpc: newVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer'),
    });

    const findings = findingsOf(stack, Kind.SINGLE_INSTANCE_DB_CLUSTER);

    expect(findings.map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, cluster)]);
    expect(findings[0].description).toContain('with 1 DB instance in the template');
  });

  test('a cluster with a reader is not', () => {
    const stack = newStack();
    new rds.DatabaseCluster(stack, 'Cluster', {
      engine: AURORA,
      vpc: newVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer'),
      readers: [rds.ClusterInstance.provisioned('Reader')],
    });

    expect(findingsOf(stack, Kind.SINGLE_INSTANCE_DB_CLUSTER)).toEqual([]);
  });

  test('the instances of a cluster are not judged as single DB instances', () => {
    const stack = newStack();
    new rds.DatabaseCluster(stack, 'Cluster', { engine: AURORA, vpc: newVpc(stack), writer: rds.ClusterInstance.provisioned('Writer') });

    expect(findingsOf(stack, Kind.SINGLE_AZ_DB_INSTANCE)).toEqual([]);
  });
});

describe('DocumentDB and Neptune DB clusters', () => {
  test.each([
    ['DocumentDB', 'AWS::DocDB::DBCluster', 'AWS::DocDB::DBInstance'],
    ['Neptune', 'AWS::Neptune::DBCluster', 'AWS::Neptune::DBInstance'],
  ])('a %s cluster with one instance is a single point of failure, and one with two is not', (service, clusterType, instanceType) => {
    // GIVEN
    const stack = newStack();
    const single = new CfnResource(stack, 'Single', { type: clusterType, properties: {} });
    const paired = new CfnResource(stack, 'Paired', { type: clusterType, properties: {} });

    // WHEN
    new CfnResource(stack, 'SingleOne', { type: instanceType, properties: { DBClusterIdentifier: single.ref, DBInstanceClass: 'db.r6g.large' } });
    for (const id of ['PairedOne', 'PairedTwo']) {
      new CfnResource(stack, id, { type: instanceType, properties: { DBClusterIdentifier: paired.ref, DBInstanceClass: 'db.r6g.large' } });
    }

    // THEN
    const findings = findingsOf(stack, Kind.SINGLE_INSTANCE_DB_CLUSTER);
    expect(findings.map((finding) => finding.logicalId)).toEqual(['Single']);
    expect(findings[0].description).toContain(`is a ${service} cluster with 1 DB instance in the template`);
  });
});

describe('S3 buckets', () => {
  test('a bucket without versioning is a single point of failure', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    expect(findingsOf(stack, Kind.NO_VERSIONING).map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, bucket)]);
  });

  test('a versioned bucket is not', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket', { versioned: true });

    expect(findingsOf(stack, Kind.NO_VERSIONING)).toEqual([]);
  });

  test('a bucket with versioning suspended is', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    (bucket.node.defaultChild as s3.CfnBucket).versioningConfiguration = { status: 'Suspended' };

    expect(findingsOf(stack, Kind.NO_VERSIONING)).toHaveLength(1);
  });
});

describe('backup', () => {
  function newTable(stack: Stack, id = 'Table'): dynamodb.Table {
    return new dynamodb.Table(stack, id, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }

  test('a table that no backup plan selects is a single point of failure', () => {
    const stack = newStack();
    const table = newTable(stack);

    const findings = findingsOf(stack, Kind.NO_BACKUP);

    expect(findings.map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, table)]);
    expect(findings[0].description).toContain('no "backup" tag with the value "true"');
    expect(findings[0].fix).toContain('Tag the resource backup=true');
  });

  test('a table tagged backup=true is covered by the organisation backup policy', () => {
    const stack = newStack();
    Tags.of(newTable(stack)).add('backup', 'true');

    expect(findingsOf(stack, Kind.NO_BACKUP)).toEqual([]);
  });

  test('a table tagged backup=false is not covered', () => {
    const stack = newStack();
    Tags.of(newTable(stack)).add('backup', 'false');

    expect(findingsOf(stack, Kind.NO_BACKUP)).toHaveLength(1);
  });

  test('the tag key and values follow the options', () => {
    const stack = newStack();
    Tags.of(newTable(stack)).add('BackupTier', 'daily');

    expect(findingsOf(stack, Kind.NO_BACKUP, { backupTagKey: 'BackupTier', backupTagValues: ['daily'] })).toEqual([]);
    expect(findingsOf(stack, Kind.NO_BACKUP)).toHaveLength(1);
  });

  test('a backup selection naming the table covers it, and only it', () => {
    const stack = newStack();
    const covered = newTable(stack, 'Covered');
    const uncovered = newTable(stack, 'Uncovered');
    backup.BackupPlan.daily35DayRetention(stack, 'Plan')
      .addSelection('Selection', { resources: [backup.BackupResource.fromDynamoDbTable(covered)] });

    const ids = findingsOf(stack, Kind.NO_BACKUP).map((finding) => finding.logicalId);

    expect(ids).toEqual([logicalIdOf(stack, uncovered)]);
  });

  test('a backup selection by a wildcard ARN of the type covers every table', () => {
    const stack = newStack();
    newTable(stack);
    backup.BackupPlan.daily35DayRetention(stack, 'Plan')
      .addSelection('Selection', { resources: [backup.BackupResource.fromArn('arn:aws:dynamodb:*:*:table/*')] });

    expect(findingsOf(stack, Kind.NO_BACKUP)).toEqual([]);
  });

  test('a wildcard ARN of another service does not cover the table', () => {
    const stack = newStack();
    newTable(stack);
    backup.BackupPlan.daily35DayRetention(stack, 'Plan')
      .addSelection('Selection', { resources: [backup.BackupResource.fromArn('arn:aws:rds:*:*:db:*')] });

    expect(findingsOf(stack, Kind.NO_BACKUP)).toHaveLength(1);
  });

  test('a backup selection by tag covers the tables with that tag', () => {
    const stack = newStack();
    Tags.of(newTable(stack, 'Gold')).add('tier', 'gold');
    const silver = newTable(stack, 'Silver');
    Tags.of(silver).add('tier', 'silver');
    backup.BackupPlan.daily35DayRetention(stack, 'Plan')
      .addSelection('Selection', { resources: [backup.BackupResource.fromTag('tier', 'gold')] });

    expect(findingsOf(stack, Kind.NO_BACKUP).map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, silver)]);
  });

  test('a wildcard ARN built with the stack\'s partition, region and account covers every table', () => {
    const stack = newStack();
    newTable(stack);
    const everyTable = Stack.of(stack).formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' });
    backup.BackupPlan.daily35DayRetention(stack, 'Plan')
      .addSelection('Selection', { resources: [backup.BackupResource.fromArn(everyTable)] });

    expect(findingsOf(stack, Kind.NO_BACKUP)).toEqual([]);
  });

  test('tag conditions and NotResources narrow a selection', () => {
    const stack = newStack();
    const gold = newTable(stack, 'Gold');
    Tags.of(gold).add('tier', 'gold');
    const excluded = newTable(stack, 'Excluded');
    Tags.of(excluded).add('tier', 'gold');
    const silver = newTable(stack, 'Silver');
    new backup.CfnBackupSelection(stack, 'Selection', {
      backupPlanId: 'plan-id',
      backupSelection: {
        selectionName: 'gold',
        iamRoleArn: 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole',
        resources: ['*'],
        notResources: [excluded.tableArn],
        conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/tier', ConditionValue: 'gold' }] },
      },
    });

    const ids = findingsOf(stack, Kind.NO_BACKUP).map((finding) => finding.logicalId).sort();

    expect(ids).toEqual([logicalIdOf(stack, excluded), logicalIdOf(stack, silver)].sort());
  });

  test('EBS volumes, EFS file systems and DB instances need a backup too', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const volume = new ec2.Volume(stack, 'Volume', { availabilityZone: 'eu-west-2a', size: Size.gibibytes(10) });
    const fileSystem = new efs.FileSystem(stack, 'FileSystem', { vpc });
    const database = new rds.DatabaseInstance(stack, 'Database', { engine: ENGINE, vpc, multiAz: true });

    const ids = findingsOf(stack, Kind.NO_BACKUP).map((finding) => finding.logicalId).sort();

    expect(ids).toEqual([logicalIdOf(stack, volume), logicalIdOf(stack, fileSystem), logicalIdOf(stack, database)].sort());
  });

  test('an EC2 instance with only its image\'s root volume holds no data; one with its own EBS volume does', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    new ec2.Instance(stack, 'Stateless', common);
    const stateful = new ec2.Instance(stack, 'Stateful', {
      ...common,
      blockDevices: [{ deviceName: '/dev/sdf', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) }],
    });

    const ids = findingsOf(stack, Kind.NO_BACKUP).map((finding) => finding.logicalId);

    expect(ids).toEqual([stack.getLogicalId(stateful.instance)]);
  });

  test('a backup tag value known only at deploy time does not count, as in the NCSC rule', () => {
    const stack = newStack();
    const value = new CfnParameter(stack, 'BackupValue', { type: 'String' });
    Tags.of(newTable(stack)).add('backup', value.valueAsString);

    const findings = findingsOf(stack, Kind.NO_BACKUP);

    expect(findings).toHaveLength(1);
    expect(findings[0].description).toContain('written in the template');
  });

  test('a wildcard ARN narrowed to other tables does not cover a table whose name is not in the template', () => {
    const stack = newStack();
    newTable(stack);
    backup.BackupPlan.daily35DayRetention(stack, 'Plan').addSelection('Selection', {
      resources: [backup.BackupResource.fromArn('arn:aws:dynamodb:eu-west-2:111111111111:table/some-other-app-*')],
    });

    expect(findingsOf(stack, Kind.NO_BACKUP)).toHaveLength(1);
  });

  test('a tag condition known only at deploy time does not select the table', () => {
    const stack = newStack();
    Tags.of(newTable(stack)).add('tier', 'gold');
    new backup.CfnBackupSelection(stack, 'Selection', {
      backupPlanId: 'plan-id',
      backupSelection: {
        selectionName: 'gold',
        iamRoleArn: 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole',
        resources: ['*'],
        conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/tier', ConditionValue: new CfnParameter(stack, 'Tier').valueAsString }] },
      },
    });

    expect(findingsOf(stack, Kind.NO_BACKUP)).toHaveLength(1);
  });

  test('DocumentDB and Neptune clusters and FSx file systems need a backup too', () => {
    const stack = newStack();
    const documents = new CfnResource(stack, 'Documents', { type: 'AWS::DocDB::DBCluster', properties: { StorageEncrypted: true } });
    const graph = new CfnResource(stack, 'Graph', { type: 'AWS::Neptune::DBCluster', properties: { StorageEncrypted: true } });
    const files = new CfnResource(stack, 'Files', {
      type: 'AWS::FSx::FileSystem',
      properties: { FileSystemType: 'LUSTRE', SubnetIds: ['subnet-1'], StorageCapacity: 1200 },
    });

    const ids = findingsOf(stack, Kind.NO_BACKUP).map((finding) => finding.logicalId).sort();

    expect(ids).toEqual([documents.logicalId, graph.logicalId, files.logicalId].map((id) => stack.resolve(id)).sort());
  });
});
