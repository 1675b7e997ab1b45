import { CfnParameter, CfnResource, Stack, Tags, aws_backup as backup, aws_dynamodb as dynamodb, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { messagesFor, newStack } from './fixtures';

/*
 * NCSC-P02-BackupCoverage makes the decision of the resilience check's no-backup rule, so
 * these cases mirror the ones in test/resilience/data-rules.test.ts.
 */

const ID = 'NCSC-P02-BackupCoverage';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole';

function table(stack: Stack, id = 'Table'): dynamodb.Table {
  return new dynamodb.Table(stack, id, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
}

function selection(stack: Stack, props: Partial<backup.CfnBackupSelection.BackupSelectionResourceTypeProperty>): void {
  new backup.CfnBackupSelection(stack, 'Selection', {
    backupPlanId: 'plan-id',
    backupSelection: { selectionName: 'selection', iamRoleArn: ROLE_ARN, ...props },
  });
}

describe('NCSC-P02-BackupCoverage, with the decision shared with the resilience check', () => {
  test('a wildcard ARN narrowed to other tables does not cover a table whose name is not in the template', () => {
    // GIVEN
    const stack = newStack();
    table(stack);

    // WHEN
    selection(stack, { resources: ['arn:aws:dynamodb:eu-west-2:111111111111:table/some-other-app-*'] });

    // THEN
    expect(messagesFor(stack, ID)).toHaveLength(1);
  });

  test('a wildcard ARN that covers every table name covers the table', () => {
    const stack = newStack();
    table(stack);

    selection(stack, { resources: ['arn:aws:dynamodb:*:*:table/*'] });

    expect(messagesFor(stack, ID)).toEqual([]);
  });

  test('Conditions narrow a selection: a table without the condition\'s tag is reported', () => {
    // GIVEN
    const stack = newStack();
    Tags.of(table(stack, 'Gold')).add('tier', 'gold');
    Tags.of(table(stack, 'Silver')).add('tier', 'silver');

    // WHEN
    selection(stack, {
      resources: ['*'],
      conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/tier', ConditionValue: 'gold' }] },
    });

    // THEN
    expect(messagesFor(stack, ID)).toEqual([expect.stringContaining('NCSC-P02-BackupCoverage:')]);
  });

  test('NotResources excludes the table it names', () => {
    const stack = newStack();
    const excluded = table(stack);

    selection(stack, { resources: ['*'], notResources: [excluded.tableArn] });

    expect(messagesFor(stack, ID)).toHaveLength(1);
  });

  test('a tag condition known only at deploy time does not count', () => {
    const stack = newStack();
    Tags.of(table(stack)).add('tier', 'gold');

    selection(stack, {
      resources: ['*'],
      conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/tier', ConditionValue: new CfnParameter(stack, 'Tier').valueAsString }] },
    });

    expect(messagesFor(stack, ID)).toHaveLength(1);
  });

  test('an EC2 instance with its own EBS volume needs a backup; one with only its image\'s root volume does not', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };

    // WHEN
    new ec2.Instance(stack, 'Stateless', common);
    new ec2.Instance(stack, 'Stateful', {
      ...common,
      blockDevices: [{ deviceName: '/dev/sdf', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) }],
    });

    // THEN
    expect(messagesFor(stack, ID)).toHaveLength(1);
  });

  test('FSx file systems need a backup', () => {
    const stack = newStack();

    new CfnResource(stack, 'Files', {
      type: 'AWS::FSx::FileSystem',
      properties: { FileSystemType: 'LUSTRE', SubnetIds: ['subnet-1'], StorageCapacity: 1200 },
    });

    expect(messagesFor(stack, ID)).toHaveLength(1);
  });

  test('an FSx file system tagged backup=true passes', () => {
    const stack = newStack();

    new CfnResource(stack, 'Files', {
      type: 'AWS::FSx::FileSystem',
      properties: { FileSystemType: 'LUSTRE', SubnetIds: ['subnet-1'], StorageCapacity: 1200, Tags: [{ Key: 'backup', Value: 'true' }] },
    });

    expect(messagesFor(stack, ID)).toEqual([]);
  });
});
