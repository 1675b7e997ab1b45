import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { HardwareKeyStore } from '../src/hardware-key-store';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region. The
// store adds a CloudFormation rule that rejects any region but eu-west-2.
const stack = new Stack(app, 'HardwareKeyStoreInteg');

// Isolated subnets only: the cluster needs no route out, and the test pays for no NAT gateway.
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'Hsm', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  restrictDefaultSecurityGroup: false,
});

// The cluster has no HSMs, so it costs nothing, and DESTROY deletes it with the stack.
const store = new HardwareKeyStore(stack, 'KeyStore', {
  vpc,
  backupRetention: Duration.days(7),
  removalPolicy: RemovalPolicy.DESTROY,
});

const test = new IntegTest(app, 'HardwareKeyStoreTest', { testCases: [stack], regions: ['eu-west-2'] });

// The cluster exists in the VPC, in FIPS mode, with the backup retention given.
test.assertions
  .awsApiCall('CloudHSMV2', 'describeClusters', { Filters: { clusterIds: [store.clusterId] } })
  .expect(ExpectedResult.objectLike({
    Clusters: [{
      ClusterId: store.clusterId,
      HsmType: 'hsm2m.medium',
      Mode: 'FIPS',
      VpcId: vpc.vpcId,
      BackupRetentionPolicy: { Type: 'DAYS', Value: '7' },
    }],
  }));
