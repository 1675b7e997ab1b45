import {
  CfnParameter,
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

  test('a token backup tag value counts', () => {
    const stack = newStack();
    const value = new CfnParameter(stack, 'BackupValue', { type: 'String' });
    Tags.of(newTable(stack)).add('backup', value.valueAsString);

    expect(findingsOf(stack, Kind.NO_BACKUP)).toEqual([]);
  });
});

describe('ElastiCache', () => {
  function replicationGroup(stack: Stack, props: Partial<elasticache.CfnReplicationGroupProps>): elasticache.CfnReplicationGroup {
    return new elasticache.CfnReplicationGroup(stack, 'Cache', {
      replicationGroupDescription: 'sessions',
      engine: 'valkey',
      cacheNodeType: 'cache.t4g.small',
      ...props,
    });
  }

  test('a replication group of one node is a single point of failure', () => {
    const stack = newStack();
    const group = replicationGroup(stack, { numCacheClusters: 1 });

    expect(findingsOf(stack, Kind.SINGLE_NODE_CACHE).map((finding) => finding.logicalId)).toEqual([stack.getLogicalId(group)]);
    expect(findingsOf(stack, Kind.NO_CACHE_FAILOVER)).toEqual([]);
  });

  test('a replication group with a replica but no automatic failover is one', () => {
    const stack = newStack();
    const group = replicationGroup(stack, { numCacheClusters: 2 });

    expect(findingsOf(stack, Kind.NO_CACHE_FAILOVER).map((finding) => finding.logicalId)).toEqual([stack.getLogicalId(group)]);
  });

  test('a replication group with a replica and automatic failover is not', () => {
    const stack = newStack();
    replicationGroup(stack, { numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true });

    expect([...findingsOf(stack, Kind.SINGLE_NODE_CACHE), ...findingsOf(stack, Kind.NO_CACHE_FAILOVER)]).toEqual([]);
  });

  test('shards without replicas are found', () => {
    const stack = newStack();
    replicationGroup(stack, { numNodeGroups: 3, replicasPerNodeGroup: 0, automaticFailoverEnabled: true });

    expect(findingsOf(stack, Kind.SINGLE_NODE_CACHE)).toHaveLength(1);
  });

  test('a Valkey cache cluster is found', () => {
    const stack = newStack();
    new elasticache.CfnCacheCluster(stack, 'Cluster', { engine: 'valkey', cacheNodeType: 'cache.t4g.small', numCacheNodes: 1 });

    expect(findingsOf(stack, Kind.SINGLE_NODE_CACHE)).toHaveLength(1);
  });
});

describe('file systems', () => {
  test('an EFS One Zone file system is a single point of failure', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const fileSystem = new efs.FileSystem(stack, 'FileSystem', {
      vpc,
      oneZone: true,
      vpcSubnets: { availabilityZones: ['eu-west-2a'] },
    });

    expect(findingsOf(stack, Kind.SINGLE_AZ_FILE_SYSTEM).map((finding) => finding.logicalId)).toEqual([logicalIdOf(stack, fileSystem)]);
  });

  test('a regional EFS file system is not', () => {
    const stack = newStack();
    new efs.FileSystem(stack, 'FileSystem', { vpc: newVpc(stack) });

    expect(findingsOf(stack, Kind.SINGLE_AZ_FILE_SYSTEM)).toEqual([]);
  });

  test('an FSx for Windows file system is single-AZ unless it says Multi-AZ', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const windows = (id: string, deploymentType?: string) => new fsx.CfnFileSystem(stack, id, {
      fileSystemType: 'WINDOWS',
      subnetIds: [vpc.privateSubnets[0].subnetId],
      storageCapacity: 32,
      windowsConfiguration: { throughputCapacity: 32, deploymentType },
    });
    const byDefault = windows('WithoutDeploymentType');
    windows('MultiAz', 'MULTI_AZ_1');

    expect(findingsOf(stack, Kind.SINGLE_AZ_FILE_SYSTEM).map((finding) => finding.logicalId)).toEqual([stack.getLogicalId(byDefault)]);
  });
});
