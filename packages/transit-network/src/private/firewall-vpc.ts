import { Tags, Token, aws_ec2 as ec2, aws_kms as kms, aws_networkfirewall as networkfirewall, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { contains, parseCidr } from './cidr';
import { createCustomerManagedKey } from './customer-managed-key';
import { encryptFirewall } from './firewall-encryption';
import { firewallEndpointIdInZone } from './firewall-endpoints';

/*
 * The parts that the egress DMZ and the east-west inspection build alike. Both are a VPC
 * with an AWS Network Firewall endpoint in each zone, attached to the hub in appliance
 * mode. Both firewalls use a customer managed key and log to the log archive. Each
 * construct keeps its own subnet layout, rules and routes.
 */

/** The settings `createFirewall` needs to place, protect, encrypt and log a firewall. */
export interface FirewallOptions {
  /** The start of the firewall's name, such as `production-egress`. */
  readonly namePrefix: string;
  /** The firewall's description. */
  readonly description: string;
  /** The ARN of the firewall policy. */
  readonly firewallPolicyArn: string;
  /** The VPC of the firewall. */
  readonly vpc: ec2.IVpc;
  /** The subnets of the firewall endpoints, one in each zone. */
  readonly subnets: ec2.ISubnet[];
  /** Whether the firewall is protected against deletion and against changes to its subnets. */
  readonly deleteProtection: boolean;
  /** The customer managed key that encrypts the firewall. */
  readonly encryptionKey: kms.IKey;
  /** The log archive bucket. */
  readonly logBucket: s3.IBucket;
  /** The key prefix of the alert logs in the log bucket. */
  readonly alertLogPrefix: string;
  /** The key prefix of the flow logs in the log bucket. */
  readonly flowLogPrefix: string;
}

/**
 * Returns the key that encrypts a firewall: `key` when it is given, otherwise a new key
 * from `createCustomerManagedKey` under the ID `Key`.
 */
export function firewallKey(scope: Construct, key: kms.IKey | undefined, description: string): kms.IKey {
  return key ?? createCustomerManagedKey(scope, 'Key', description);
}

/**
 * Creates the firewall (ID `Firewall`) in the given subnets, sets its customer managed key
 * (ID `FirewallEncryption`) and sends its alert and flow logs to the log bucket (ID
 * `FirewallLogging`).
 */
export function createFirewall(scope: Construct, options: FirewallOptions): networkfirewall.CfnFirewall {
  const firewall = new networkfirewall.CfnFirewall(scope, 'Firewall', {
    firewallName: `${options.namePrefix}-firewall`,
    description: options.description,
    firewallPolicyArn: options.firewallPolicyArn,
    vpcId: options.vpc.vpcId,
    subnetMappings: options.subnets.map((subnet) => ({ subnetId: subnet.subnetId })),
    deleteProtection: options.deleteProtection,
    subnetChangeProtection: options.deleteProtection,
    firewallPolicyChangeProtection: false,
  });
  Tags.of(firewall).add('Name', `${options.namePrefix}-firewall`);
  encryptFirewall(scope, 'FirewallEncryption', firewall, options.encryptionKey);

  const destination = (logType: string, prefix: string) => ({
    logType,
    logDestinationType: 'S3',
    logDestination: { bucketName: options.logBucket.bucketName, prefix },
  });
  new networkfirewall.CfnLoggingConfiguration(scope, 'FirewallLogging', {
    firewallArn: firewall.attrFirewallArn,
    loggingConfiguration: {
      logDestinationConfigs: [
        destination('ALERT', options.alertLogPrefix),
        destination('FLOW', options.flowLogPrefix),
      ],
    },
  });
  return firewall;
}

/**
 * Returns the ID of the firewall endpoint in an availability zone of the VPC, as a value
 * that resolves at deploy time, or throws if the zone is not one of `availabilityZones`.
 *
 * @param owner the construct whose path the error names
 * @param vpcName how the error names the VPC, such as `egress VPC`
 */
export function firewallEndpointIdIn(
  owner: IConstruct, vpcName: string, firewall: networkfirewall.CfnFirewall, availabilityZones: string[], availabilityZone: string,
): string {
  if (!availabilityZones.includes(availabilityZone)) {
    throw new Error(`${owner.node.path}: the ${vpcName} has no firewall endpoint in ${JSON.stringify(availabilityZone)}; `
      + `use one of its zones: ${availabilityZones.join(', ')}.`);
  }
  return firewallEndpointIdInZone(firewall, availabilityZone);
}

/**
 * Attaches the VPC to the hub's transit gateway in appliance mode (ID `Attachment`),
 * from the given subnets.
 */
export function createApplianceModeAttachment(
  scope: Construct, transitGatewayId: string, vpc: ec2.IVpc, subnets: ec2.ISubnet[], name: string,
): ec2.CfnTransitGatewayVpcAttachment {
  return new ec2.CfnTransitGatewayVpcAttachment(scope, 'Attachment', {
    transitGatewayId,
    vpcId: vpc.vpcId,
    subnetIds: subnets.map((subnet) => subnet.subnetId),
    // Appliance mode keeps both directions of a flow in the zone the flow entered, so
    // that one firewall endpoint inspects both the request and the reply.
    options: { ApplianceModeSupport: 'enable', DnsSupport: 'enable', Ipv6Support: 'disable' },
    tags: [{ key: 'Name', value: name }],
  });
}

/**
 * Returns HOME_NET: the internal ranges, plus the firewall VPC's own block when none of
 * them contains it, because Network Firewall expects HOME_NET to include the VPC the
 * firewall is in.
 */
export function homeNet(internalCidrs: string[], vpcCidr: string): string[] {
  const vpcBlock = parseCidr(vpcCidr);
  const covered = internalCidrs.some((cidr) => {
    const block = Token.isUnresolved(cidr) ? undefined : parseCidr(cidr);
    return block !== undefined && vpcBlock !== undefined && contains(block, vpcBlock);
  });
  return covered ? [...internalCidrs] : [...internalCidrs, vpcCidr];
}

/** Returns the subnets of one subnet group of the VPC. */
export function subnetsOfGroup(vpc: ec2.IVpc, groupName: string): ec2.ISubnet[] {
  return vpc.selectSubnets({ subnetGroupName: groupName }).subnets;
}

/**
 * Returns the subnet of one subnet group in one zone, or throws naming `owner` if the
 * group has none there.
 */
export function subnetInZone(owner: IConstruct, vpc: ec2.IVpc, groupName: string, zone: string): ec2.ISubnet {
  const subnet = subnetsOfGroup(vpc, groupName).find((s) => s.availabilityZone === zone);
  if (!subnet) {
    throw new Error(`${owner.node.path}: the ${groupName} subnet group has no subnet in ${zone}.`);
  }
  return subnet;
}
