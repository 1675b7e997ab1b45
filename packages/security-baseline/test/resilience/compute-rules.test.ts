import { CfnParameter, aws_amazonmq as amazonmq, aws_ec2 as ec2, aws_opensearchservice as opensearch, aws_redshift as redshift } from 'aws-cdk-lib';
import { findingsOf, newStack, newVpc } from './helpers';
import { SinglePointOfFailureKind as Kind } from '../../src';

describe('standalone EC2 instances', () => {
  test('an EC2 instance outside an Auto Scaling group is a single point of failure', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const instance = new ec2.Instance(stack, 'Bastion', {
      vpc: newVpc(stack, { natGateways: 0 }),
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });

    // THEN
    const findings = findingsOf(stack, Kind.STANDALONE_INSTANCE);
    expect(findings.map((finding) => finding.logicalId)).toEqual([stack.getLogicalId(instance.instance)]);
    expect(findings[0].description).toContain('is an EC2 instance outside any Auto Scaling group');
  });
});

describe('OpenSearch Service domains', () => {
  test('a domain with one data node is a single point of failure, as is one without configuration', () => {
    const stack = newStack();

    new opensearch.CfnDomain(stack, 'One', { clusterConfig: { instanceCount: 1, zoneAwarenessEnabled: true } });
    new opensearch.CfnDomain(stack, 'Unconfigured', {});

    const findings = findingsOf(stack, Kind.SINGLE_AZ_SEARCH_DOMAIN);
    expect(findings.map((finding) => finding.logicalId).sort()).toEqual(['One', 'Unconfigured']);
    expect(findings.map((finding) => finding.description)).toEqual([expect.stringContaining('has one data node'), expect.stringContaining('has one data node')]);
  });

  test('a domain of several nodes without zone awareness is a single point of failure', () => {
    const stack = newStack();

    new opensearch.CfnDomain(stack, 'Domain', { clusterConfig: { instanceCount: 3, zoneAwarenessEnabled: false } });

    expect(findingsOf(stack, Kind.SINGLE_AZ_SEARCH_DOMAIN).map((finding) => finding.description))
      .toEqual([expect.stringContaining('is not zone aware')]);
  });

  test('a zone-aware domain of several nodes is not, and a node count from a parameter is not judged', () => {
    const stack = newStack();

    new opensearch.CfnDomain(stack, 'Domain', { clusterConfig: { instanceCount: 3, zoneAwarenessEnabled: true } });
    new opensearch.CfnDomain(stack, 'Parameter', {
      clusterConfig: { instanceCount: new CfnParameter(stack, 'Nodes', { type: 'Number' }).valueAsNumber, zoneAwarenessEnabled: true },
    });

    expect(findingsOf(stack, Kind.SINGLE_AZ_SEARCH_DOMAIN)).toEqual([]);
  });
});

describe('Amazon MQ brokers', () => {
  test('a single-instance broker is a single point of failure; an active/standby one is not', () => {
    const stack = newStack();
    for (const [id, deploymentMode] of [['Single', 'SINGLE_INSTANCE'], ['Standby', 'ACTIVE_STANDBY_MULTI_AZ']]) {
      new amazonmq.CfnBroker(stack, id, {
        brokerName: id,
        deploymentMode,
        engineType: 'ACTIVEMQ',
        hostInstanceType: 'mq.m5.large',
        publiclyAccessible: false,
        users: [{ username: 'app', password: 'not-a-real-password' }],
        autoMinorVersionUpgrade: true,
      });
    }

    const findings = findingsOf(stack, Kind.SINGLE_INSTANCE_BROKER);

    expect(findings.map((finding) => finding.logicalId)).toEqual(['Single']);
    expect(findings[0].fix).toContain('ACTIVE_STANDBY_MULTI_AZ');
  });
});

describe('Redshift clusters', () => {
  test('a single-node cluster, or one of one node, is a single point of failure; one of two nodes is not', () => {
    const stack = newStack();
    const common = { dbName: 'reports', masterUsername: 'admin', masterUserPassword: 'Not-a-real-password-1', nodeType: 'ra3.xlplus' };

    new redshift.CfnCluster(stack, 'SingleNode', { ...common, clusterType: 'single-node' });
    new redshift.CfnCluster(stack, 'OneNode', { ...common, clusterType: 'multi-node', numberOfNodes: 1 });
    new redshift.CfnCluster(stack, 'TwoNodes', { ...common, clusterType: 'multi-node', numberOfNodes: 2 });

    const findings = findingsOf(stack, Kind.SINGLE_NODE_REDSHIFT_CLUSTER);
    expect(findings.map((finding) => finding.logicalId).sort()).toEqual(['OneNode', 'SingleNode']);
  });
});
