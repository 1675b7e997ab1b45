import { aws_ec2 as ec2, aws_s3 as s3 } from 'aws-cdk-lib';

/**
 * Adds a flow log that records all traffic of `vpc` to `bucket` under `prefix`,
 * as Parquet files with Hive-compatible hourly partitions so that Athena can query them.
 *
 * The bucket's policy and key policy must allow the log delivery service
 * (`delivery.logs.amazonaws.com`) to write; the log archive bucket grants that.
 */
export function addAllTrafficFlowLog(vpc: ec2.Vpc, bucket: s3.IBucket, prefix: string): ec2.FlowLog {
  const flowLog = vpc.addFlowLog('FlowLog', {
    trafficType: ec2.FlowLogTrafficType.ALL,
    destination: ec2.FlowLogDestination.toS3(bucket, prefix, {
      fileFormat: ec2.FlowLogFileFormat.PARQUET,
      hiveCompatiblePartitions: true,
      perHourPartition: true,
    }),
    maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
  });

  // NOTE: aws-cdk-lib 2.257 writes the DestinationOptions keys in camel case (fileFormat).
  // The AWS::EC2::FlowLog schema spells them FileFormat, HiveCompatiblePartitions and
  // PerHourPartition and requires all three, so cfn-lint rejects the camel-case form and
  // the resource handler's schema validation can too. Write the same options as the schema spells them.
  const cfnFlowLog = flowLog.node.findChild('FlowLog') as ec2.CfnFlowLog;
  cfnFlowLog.destinationOptions = {
    FileFormat: ec2.FlowLogFileFormat.PARQUET,
    HiveCompatiblePartitions: true,
    PerHourPartition: true,
  };
  return flowLog;
}
