import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, RemovalPolicy, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { RoutingDomain, SpokeVpc, TransitHub } from '../src';
import { ignoreCfnLintChecks } from '../src/private/cfn-lint-directives';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
// The zones are therefore named, because default zones need the stack's region.
const stack = new Stack(app, 'SpokeVpcInteg');

const hub = new TransitHub(stack, 'Hub', { tierName: 'integ', amazonSideAsn: 64601 });

// A throwaway bucket: the flow log adds a bucket policy that lets the log delivery
// service write, and the bucket empties itself when the test stack is destroyed.
const flowLogBucket = new s3.Bucket(stack, 'FlowLogs', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
// The provider of the auto-delete custom resource is aws-cdk-lib's. Its Lambda function both
// references its role and depends on it, which cfn-lint reports as W3005.
const autoDeleteHandler = stack.node.findChild('Custom::S3AutoDeleteObjectsCustomResourceProvider').node.findChild('Handler');
ignoreCfnLintChecks(autoDeleteHandler as CfnResource, ['W3005']);

const spoke = new SpokeVpc(stack, 'Spoke', {
  hub,
  domain: RoutingDomain.MANAGEMENT,
  vpcName: 'integ-spoke',
  cidr: '10.99.0.0/22',
  flowLogBucket,
  availabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
});

const test = new IntegTest(app, 'SpokeVpcTest', { testCases: [stack], regions: ['eu-west-2'] });

// The attachment is up, with DNS support and without appliance mode.
test.assertions
  .awsApiCall('EC2', 'describeTransitGatewayVpcAttachments', { TransitGatewayAttachmentIds: [spoke.attachmentId] })
  .expect(ExpectedResult.objectLike({
    TransitGatewayVpcAttachments: [{
      State: 'available',
      Options: { DnsSupport: 'enable', ApplianceModeSupport: 'disable' },
    }],
  }));

// The attachment is associated with the management route table.
test.assertions
  .awsApiCall('EC2', 'getTransitGatewayRouteTableAssociations', {
    TransitGatewayRouteTableId: hub.routeTableId(RoutingDomain.MANAGEMENT),
  })
  .expect(ExpectedResult.objectLike({
    Associations: [{ TransitGatewayAttachmentId: spoke.attachmentId, State: 'associated' }],
  }));

// All traffic is logged to the bucket, in the Parquet layout the template sets.
test.assertions
  .awsApiCall('EC2', 'describeFlowLogs', { Filter: [{ Name: 'resource-id', Values: [spoke.vpc.vpcId] }] })
  .expect(ExpectedResult.objectLike({
    FlowLogs: [{
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
    }],
  }));

// The VPC has no internet gateway.
test.assertions
  .awsApiCall('EC2', 'describeInternetGateways', { Filters: [{ Name: 'attachment.vpc-id', Values: [spoke.vpc.vpcId] }] })
  .expect(ExpectedResult.objectLike({ InternetGateways: [] }));

// The default security group has no rules left.
test.assertions
  .awsApiCall('EC2', 'describeSecurityGroups', {
    Filters: [
      { Name: 'vpc-id', Values: [spoke.vpc.vpcId] },
      { Name: 'group-name', Values: ['default'] },
    ],
  })
  .expect(ExpectedResult.objectLike({ SecurityGroups: [{ IpPermissions: [], IpPermissionsEgress: [] }] }));
