import {
  Annotations,
  CfnResource,
  Duration,
  Fn,
  Stack,
  Tags,
  Token,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_elasticloadbalancingv2 as elbv2,
  aws_elasticloadbalancingv2_targets as elbv2_targets,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { PRIVATE_RANGES, formatCidr } from './private/cidr';
import { addNagSuppressions } from './private/nag-suppressions';
import { grantNlbAccessLogDelivery } from './private/nlb-access-logs';
import { pascalCase } from './private/validation';
import { SECURITY_GROUP_RULE_QUOTA, validateVendorDeployProps } from './private/vendor-deploy-endpoint-validation';

/** The environments a third-party vendor deploys to. No other environment can be given. */
export enum VendorEnvironment {
  /** The Pre-production environment. */
  PRE_PRODUCTION = 'pre-production',
  /** The Production environment. */
  PRODUCTION = 'production',
}

/** The protocol of a deploy service's listener. */
export enum VendorServiceProtocol {
  /**
   * The load balancer terminates TLS with the given certificate and security policy,
   * and writes access logs for the connection.
   */
  TLS = 'TLS',
  /**
   * The load balancer passes the vendor's TCP bytes to the targets unchanged. Use it only
   * for a protocol that carries its own encryption and authentication, such as SSH.
   * Network Load Balancers write no access logs for TCP listeners.
   */
  TCP = 'TCP',
}

/** One deploy service that the vendor may reach, such as the artefact repository or the deployment orchestrator. */
export interface VendorDeployService {
  /**
   * The service's name: 1 to 32 lower-case letters, digits and hyphens, starting with a
   * letter, for example `artefacts`.
   *
   * It names the service's listener and target group in construct IDs, so renaming a
   * service replaces them.
   */
  readonly name: string;

  /** The port the vendor connects to on its interface endpoint, from 1 to 65535. Each service needs its own port. */
  readonly port: number;

  /**
   * The private IPv4 addresses of the service's targets, in the VPC's CIDR block, for
   * example `["10.20.1.10", "10.20.2.10"]`.
   *
   * The load balancer checks each target's health with a TCP connection to the target port.
   */
  readonly targetAddresses: string[];

  /**
   * The port the targets listen on, from 1 to 65535.
   *
   * @default - the same as `port`
   */
  readonly targetPort?: number;

  /**
   * The listener protocol: TLS, or plain TCP for a protocol that carries its own
   * encryption, such as SSH.
   *
   * @default VendorServiceProtocol.TLS
   */
  readonly protocol?: VendorServiceProtocol;

  /**
   * Whether a TLS listener opens TLS connections to the targets, so that the traffic
   * stays encrypted inside the VPC.
   *
   * Set to false only for targets that accept plain TCP. The load balancer does not check
   * the targets' certificates. Only for TLS services: a TCP listener passes the vendor's
   * own protocol through.
   *
   * @default true for TLS services
   */
  readonly targetTls?: boolean;
}

/** Properties of a vendor deploy endpoint. */
export interface VendorDeployEndpointProps {
  /** The VPC of the deploy services, in the platform's account. The load balancer and its targets are in it. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the load balancer: private subnets, one in each of at least three zones.
   *
   * @default - one private isolated subnet in each zone, or, in a VPC without isolated
   * subnets, one private subnet with egress in each zone
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The vendor's name: 1 to 32 lower-case letters, digits and hyphens, starting with a
   * letter, for example `acme-benefits`. It appears in the `Name` and `Vendor` tags and in
   * the access-log prefix.
   */
  readonly vendorName: string;

  /**
   * The vendor's 12-digit AWS account ID. The root of this account
   * (`arn:aws:iam::<account>:root`) is the only principal allowed to connect to the
   * endpoint service. It cannot be the platform's own account.
   */
  readonly vendorAccountId: string;

  /** The environment whose deploy services the vendor reaches. */
  readonly environment: VendorEnvironment;

  /** The deploy services the vendor may reach: one listener each. */
  readonly services: VendorDeployService[];

  /**
   * The ACM certificate that the TLS listeners present, in the stack's region.
   *
   * Required when any service uses TLS, and rejected when none does. Its domain name is
   * the name the vendor connects to, so the vendor maps that name to its interface
   * endpoint in a private hosted zone.
   *
   * @default - no certificate, so every service must use VendorServiceProtocol.TCP
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The security policy of the TLS listeners: a member of `elbv2.SslPolicy` whose lowest
   * TLS version is 1.2 or 1.3. Policies that accept TLS 1.0 or 1.1 are rejected.
   *
   * @default elbv2.SslPolicy.TLS13_12_RES_PQ
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * The address ranges of the vendor's deploy clients in the vendor's own VPC, for
   * example `["172.31.16.0/20"]`.
   *
   * The load balancer's security group allows the listener ports from these ranges only.
   * Traffic that arrives through the endpoint service keeps the client's private address
   * as its source, so the ranges are the vendor's, not the platform's.
   *
   * @default - the private ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 100.64.0.0/10
   */
  readonly vendorClientCidrs?: string[];

  /**
   * The bucket for the load balancer's access logs, in the stack's region.
   *
   * Network Load Balancers write access logs for TLS listeners only. The bucket must be
   * encrypted with SSE-S3 or with a customer managed KMS key. The AWS managed key
   * `aws/s3` does not work, and a bucket defined in this app that uses it is rejected. The logs go under
   * `nlb-access-logs/<vendorName>/<environment>/`. For a bucket defined in this app, the
   * construct adds the statements that let `delivery.logs.amazonaws.com` write there to
   * the bucket policy, and to the key policy if the bucket has a KMS key. For an imported
   * bucket or key it adds a warning, because the owner must add them.
   *
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/enable-access-logs.html
   */
  readonly accessLogBucket: s3.IBucket;

  /**
   * Whether the load balancer is protected against deletion.
   *
   * Set to false only for environments that are torn down, such as integration tests.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** TLS 1.3, and TLS 1.2 with ECDHE key exchange and AES-GCM only. TLS 1.3 connections offer hybrid post-quantum key exchange. */
const DEFAULT_SSL_POLICY = elbv2.SslPolicy.TLS13_12_RES_PQ;

/** The prefix of endpoint service names where the region has none of its own. */
const DEFAULT_SERVICE_NAME_PREFIX = 'com.amazonaws.vpce';

/**
 * A third-party vendor's connection to the deploy services of one environment, through
 * AWS PrivateLink.
 *
 * The construct publishes an endpoint service in the platform's account. The vendor
 * creates an interface endpoint to `serviceName` in its own VPC, and the platform
 * accepts the connection by hand. The vendor can then open connections to the listed
 * ports only, and only to the internal Network Load Balancer behind the service, which
 * forwards each port to its targets. Nothing in the platform routes to the vendor, and
 * the vendor's network never attaches to a transit hub, so the hubs' segmentation is
 * unchanged and the two networks may even use the same addresses.
 *
 * Each vendor and environment gets its own construct: its own load balancer, its own
 * endpoint service, and a permission for the vendor's account alone.
 */
export class VendorDeployEndpoint extends Construct {
  /** The internal Network Load Balancer behind the endpoint service. */
  public readonly loadBalancer: elbv2.INetworkLoadBalancer;

  /** The load balancer's security group: the listener ports from the vendor's clients in, the target ports to the targets out. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** The ID of the endpoint service, such as `vpce-svc-0123456789abcdef0`. */
  public readonly serviceId: string;

  /**
   * The name of the endpoint service, such as
   * `com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0`, to which the vendor creates
   * its interface endpoint. Pass it to the vendor, for example through a `CfnOutput`.
   */
  public readonly serviceName: string;

  /** The only principal allowed to connect: the root of the vendor's account. */
  public readonly allowedPrincipalArn: string;

  /** The key prefix of the load balancer's access logs in the access-log bucket. */
  public readonly accessLogPrefix: string;

  constructor(scope: Construct, id: string, props: VendorDeployEndpointProps) {
    super(scope, id);
    const { subnets } = validateVendorDeployProps(scope, id, this, props, {
      environments: Object.values(VendorEnvironment),
      protocols: Object.values(VendorServiceProtocol),
      tlsProtocol: VendorServiceProtocol.TLS,
    });
    const stack = Stack.of(this);
    const displayName = `${props.vendorName}-${props.environment}-deploy`;
    this.accessLogPrefix = `nlb-access-logs/${props.vendorName}/${props.environment}`;

    this.securityGroup = this.createSecurityGroup(props, displayName);
    const loadBalancer = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: { subnets },
      internetFacing: false,
      ipAddressType: elbv2.IpAddressType.IPV4,
      crossZoneEnabled: true,
      deletionProtection: props.deletionProtection ?? true,
      securityGroups: [this.securityGroup],
      // Inbound rules apply to traffic from the endpoint service too, where the source is
      // the vendor client's private address, so vendorClientCidrs narrows who connects.
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: true,
    });
    this.loadBalancer = loadBalancer;
    this.logAccessLogs(loadBalancer, props.accessLogBucket);

    for (const service of props.services) {
      addServiceListener(this, loadBalancer, service, props);
    }

    // The endpoint service is the construct's main resource, because the vendor connects to it.
    const endpointService = new ec2.CfnVPCEndpointService(this, 'Resource', {
      networkLoadBalancerArns: [loadBalancer.loadBalancerArn],
      acceptanceRequired: true,
      supportedIpAddressTypes: ['ipv4'],
    });
    this.serviceId = endpointService.ref;
    const prefix = Token.isUnresolved(stack.region) ? undefined : RegionInfo.get(stack.region).vpcEndpointServiceNamePrefix;
    this.serviceName = Fn.join('.', [prefix ?? DEFAULT_SERVICE_NAME_PREFIX, stack.region, this.serviceId]);

    this.allowedPrincipalArn = stack.formatArn({ service: 'iam', region: '', account: props.vendorAccountId, resource: 'root' });
    new ec2.CfnVPCEndpointServicePermissions(this, 'Permissions', {
      serviceId: this.serviceId,
      allowedPrincipals: [this.allowedPrincipalArn],
    });

    if (Token.isUnresolved(stack.account) || Token.isUnresolved(props.vendorAccountId)) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:vendorAccountNotCompared',
        `${Token.isUnresolved(stack.account) ? 'The stack has no account' : 'vendorAccountId is a token'}, so the vendor's account could not be `
        + 'compared with the platform\'s account at synth time. Check that vendorAccountId is the vendor\'s own account: if it is the platform\'s, '
        + 'the endpoint service admits the platform\'s own principals and not the vendor.');
    }

    Tags.of(this).add('Name', displayName);
    Tags.of(this).add('Vendor', props.vendorName);
    Tags.of(this).add('Environment', props.environment);
  }

  /**
   * Creates the load balancer's security group: each listener port from each of the
   * vendor's client ranges in, and each target port to its targets out. Health checks
   * are subject to the outbound rules only, so the outbound rules also let them through.
   */
  private createSecurityGroup(props: VendorDeployEndpointProps, displayName: string): ec2.SecurityGroup {
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Load balancer of the ${displayName} endpoint service`,
      allowAllOutbound: false,
    });

    const clientCidrs = props.vendorClientCidrs ?? PRIVATE_RANGES.map(formatCidr);
    let outboundRules = 0;
    for (const service of props.services) {
      for (const cidr of clientCidrs) {
        securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(service.port), `Vendor clients to ${service.name}`);
      }
      const targetPort = service.targetPort ?? service.port;
      for (const address of service.targetAddresses) {
        securityGroup.addEgressRule(ec2.Peer.ipv4(`${address}/32`), ec2.Port.tcp(targetPort), `Traffic and health checks to ${service.name}`);
        outboundRules++;
      }
    }

    const inboundRules = clientCidrs.length * props.services.length;
    if (inboundRules > SECURITY_GROUP_RULE_QUOTA || outboundRules > SECURITY_GROUP_RULE_QUOTA) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:vendorSecurityGroupRuleQuota',
        `The load balancer's security group needs ${inboundRules} inbound and ${outboundRules} outbound rules, more than the default quota of `
        + `${SECURITY_GROUP_RULE_QUOTA} rules in each direction. Ask for a higher "Inbound or outbound rules per security group" quota in the `
        + 'Amazon VPC service quotas before deploying, or list fewer client ranges or targets, or the security group fails to create.');
    }
    return securityGroup;
  }

  /**
   * Turns on access logs to the given bucket and lets the log delivery service write them.
   *
   * aws-cdk-lib's `logAccessLogs` is not used because it needs the stack's region at
   * synth time and also grants the Elastic Load Balancing account, which Network Load
   * Balancer access logs do not use.
   */
  private logAccessLogs(loadBalancer: elbv2.NetworkLoadBalancer, bucket: s3.IBucket): void {
    const delivery = grantNlbAccessLogDelivery(this, bucket, this.accessLogPrefix);
    if (!delivery.bucketPolicyAdded) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:vendorAccessLogBucketPolicy',
        `The access-log bucket ${bucket.node.path} was imported, so its bucket policy cannot be changed from here. Until its owner allows `
        + `delivery.logs.amazonaws.com to call s3:PutObject on ${delivery.objectPattern}, and s3:GetBucketAcl and s3:ListBucket on the bucket, `
        + 'the load balancer writes no access logs.');
    }
    if (delivery.keyPolicyAdded === false) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:vendorAccessLogKeyPolicy',
        `The KMS key of the access-log bucket ${bucket.node.path} was imported, so its key policy cannot be changed from here. Until its owner `
        + 'allows delivery.logs.amazonaws.com to call kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey* and kms:DescribeKey on it, '
        + 'the load balancer writes no access logs.');
    }

    loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
    loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
    loadBalancer.setAttribute('access_logs.s3.prefix', this.accessLogPrefix);

    // The bucket policy must exist before the load balancer turns access logs on.
    const policy = bucket.policy?.node.defaultChild;
    if (CfnResource.isCfnResource(policy)) {
      (loadBalancer.node.defaultChild as CfnResource).addDependency(policy);
    }
  }
}

/**
 * Adds one service's listener and its target group of IP targets.
 *
 * Construct IDs follow the service's name, not its position in the list, so that
 * reordering the services replaces nothing.
 */
function addServiceListener(
  scope: Construct, loadBalancer: elbv2.NetworkLoadBalancer, service: VendorDeployService, props: VendorDeployEndpointProps,
): void {
  const id = pascalCase(service.name);
  const tls = (service.protocol ?? VendorServiceProtocol.TLS) === VendorServiceProtocol.TLS;
  const targetPort = service.targetPort ?? service.port;

  const targetGroup = new elbv2.NetworkTargetGroup(scope, `${id}Targets`, {
    vpc: props.vpc,
    targetType: elbv2.TargetType.IP,
    port: targetPort,
    protocol: tls && (service.targetTls ?? true) ? elbv2.Protocol.TLS : elbv2.Protocol.TCP,
    targets: service.targetAddresses.map((address) => new elbv2_targets.IpTarget(address, targetPort)),
    healthCheck: {
      protocol: elbv2.Protocol.TCP,
      port: 'traffic-port',
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 3,
      unhealthyThresholdCount: 3,
    },
  });

  const listener = loadBalancer.addListener(`${id}Listener`, {
    port: service.port,
    protocol: tls ? elbv2.Protocol.TLS : elbv2.Protocol.TCP,
    certificates: tls ? [elbv2.ListenerCertificate.fromCertificateManager(props.certificate!)] : undefined,
    sslPolicy: tls ? props.sslPolicy ?? DEFAULT_SSL_POLICY : undefined,
    defaultTargetGroups: [targetGroup],
  });
  if (!tls) {
    addNagSuppressions(listener.node.defaultChild as CfnResource, [{
      id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired',
      reason: `The ${service.name} service was given VendorServiceProtocol.TCP because its own protocol (such as SSH) encrypts and authenticates, `
        + 'so the listener passes it through without a certificate.',
    }]);
  }
}
