import { DataClassification, HardwareKeyStore, TaggingStandard } from '@ssd-platform/security-baseline';
import { App, CfnOutput, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { EstateConfig } from './estate';

/** The subnet group of the Shared Services VPC for stateful services, where the HSMs go. */
const DATA_SUBNETS = 'data';

/**
 * Builds `SharedServices-KeyStore`: the CloudHSM cluster in the Shared Services VPC that
 * stores the keys of Db2 native encryption and of Active Directory Certificate Services.
 *
 * The HSMs go in the VPC's data subnets, one subnet in each of the VPC's Availability
 * Zones, so an operator can place each HSM in another zone. The stack creates the cluster
 * only: the operator then creates the HSMs, initializes and activates the cluster, and
 * attaches the client security group to the Db2 and certificate servers.
 */
export function buildSharedServicesKeyStore(app: App, estate: EstateConfig, vpc: ec2.IVpc): Stack {
  const stack = new Stack(app, 'SharedServices-KeyStore', {
    env: { account: estate.accounts.sharedServices, region: estate.region },
    description: 'CloudHSM cluster for Db2 native encryption and AD Certificate Services',
  });
  const store = new HardwareKeyStore(stack, 'HardwareKeyStore', {
    vpc,
    vpcSubnets: { subnetGroupName: DATA_SUBNETS },
  });

  // The operator needs both values to finish the set-up, and the servers' stacks need the group.
  new CfnOutput(stack, 'ClusterId', { value: store.clusterId, description: 'The ID of the CloudHSM cluster' });
  new CfnOutput(stack, 'ClientSecurityGroupId', {
    value: store.clientSecurityGroup.securityGroupId,
    description: 'The security group to attach to the clients of the CloudHSM cluster',
  });

  // The cluster will hold the keys of OFFICIAL-SENSITIVE data.
  TaggingStandard.applyTags(stack, {
    costCentre: estate.tags.costCentre,
    owner: estate.tags.owner,
    environment: 'shared-services',
    service: 'hardware-key-store',
    dataClassification: DataClassification.OFFICIAL_SENSITIVE,
  });
  return stack;
}
