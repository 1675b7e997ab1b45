import {
  Annotations,
  CfnResource,
  Duration,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_elasticloadbalancingv2 as elbv2,
  aws_s3 as s3,
  aws_wafv2 as wafv2,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { connectAttachment } from './private/attachment-routing';
import { addAllTrafficFlowLog } from './private/flow-logs';
import { HubRegistry } from './private/hub-registry';
import { createAccessLogBucket, grantAccessLogDelivery } from './private/ingress-access-logs';
import { validateIngressDmzProps } from './private/ingress-dmz-validation';
import { addNagSuppressions } from './private/nag-suppressions';
import { cidrRouteId } from './private/route-ids';
import { ignoreNamedZones, ignoreRestrictDefaultSgHandlerDependsOn } from './private/vpc-lint-findings';
import { RoutingDomain } from './routing-domain';
import { ITransitHub } from './transit-hub';

/** Properties of an ingress DMZ. */
export interface IngressDmzProps {
  /**
   * The transit hub of the tier.
   *
   * Its route tables must be managed from here (`manageRouteTables`), because the ingress
   * DMZ places its attachment in the internet DMZ routing domain. Pass the `TransitHub`
   * itself, in the hub's own account and region, not an imported hub.
   */
  readonly hub: ITransitHub;

  /**
   * The CIDR block of the ingress VPC, from /16 to /24, for example `10.0.254.0/24`.
   *
   * Each of the three zones gets a public subnet of a quarter of the block, for the load
   * balancer, and a /28 transit subnet for the attachment. The block may lie inside one
   * of `internalCidrs` (usual, when it is carved from the tier's supernet) or outside all
   * of them, but no internal range may equal it or lie inside it. Blocks that overlap
   * 0.0.0.0/8, loopback (127.0.0.0/8), link-local (169.254.0.0/16), multicast
   * (224.0.0.0/4) or the reserved 240.0.0.0/4 are rejected.
   */
  readonly cidr: string;

  /**
   * The tier's address ranges behind the hub, where the load balancer's targets are, for
   * example `["10.0.0.0/12"]`.
   *
   * The public subnets route each range to the transit gateway, and the load balancer's
   * security group allows outbound TCP to each range only. Only private ranges are
   * accepted (inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10),
   * because the load balancer's replies to internet clients in a listed public range would
   * go to the hub. The list must be a literal list; its entries may be tokens.
   */
  readonly internalCidrs: string[];

  /**
   * The log archive bucket, for the VPC flow logs.
   *
   * The flow logs go under `vpc-flow-logs/<tierName>/ingress-dmz/`. The bucket policy (and
   * key policy, if the bucket uses SSE-KMS) must let `delivery.logs.amazonaws.com` write.
   */
  readonly logBucket: s3.IBucket;

  /**
   * The bucket for the load balancer's access logs, in the stack's region.
   *
   * Elastic Load Balancing writes access logs only to buckets encrypted with SSE-S3
   * (Amazon S3 managed keys), so a log archive encrypted with a KMS key cannot take them.
   * A bucket that carries an `encryptionKey` is rejected. The logs go under
   * `alb-access-logs/<tierName>/ingress-dmz/`. The construct adds the statement that lets
   * Elastic Load Balancing write there to the policy of a bucket defined in this app; for
   * an imported bucket it adds a warning, and the bucket's owner must add the statement.
   *
   * @default - a new bucket encrypted with SSE-S3, versioned, TLS only, with public access
   * blocked, which expires logs after `accessLogRetention` and is retained when the
   * stack is deleted
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * How long the bucket the construct creates keeps the access logs, in whole days.
   *
   * Only for the bucket the construct creates: setting it together with `accessLogBucket`
   * is rejected.
   *
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;

  /**
   * The certificate of the HTTPS listener: an ACM certificate in the stack's region.
   *
   * Certificates that CloudFront uses live in us-east-1 and do not work here.
   */
  readonly certificate: acm.ICertificate;

  /**
   * The ARN of the AWS WAF web ACL that filters requests to the load balancer, of REGIONAL
   * scope and in the stack's region, for example
   * `arn:aws:wafv2:eu-west-2:111111111111:regional/webacl/ingress/a1b2c3d4-5678-90ab-cdef-111111111111`.
   *
   * @default - no web ACL; the construct adds a warning, because internet-facing
   * services need one
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
   */
  readonly webAclArn?: string;

  /**
   * The three availability zones of the VPC, for example `["eu-west-2a", "eu-west-2b", "eu-west-2c"]`.
   *
   * In a region listed in this package's table of zone names (eu-west-2), each zone
   * must be one of that region's listed zones.
   *
   * @default - eu-west-2a, eu-west-2b and eu-west-2c in a stack in eu-west-2; a stack
   * with no region or in another region must pass the zones
   */
  readonly availabilityZones?: string[];

  /**
   * Whether the load balancer is protected against deletion.
   *
   * Set to false only for environments that are torn down, such as integration tests.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** The names of the ingress VPC's subnet groups, for `vpc.selectSubnets({ subnetGroupName })`. */
const SUBNET_GROUP = {
  public: 'public',
  transit: 'transit',
};

/** A transit gateway attachment needs one small subnet in each zone; /28 is the smallest AWS allows. */
const TRANSIT_SUBNET_MASK = 28;

const HTTPS_PORT = 443;
const HTTP_PORT = 80;

/**
 * The TLS policy of the HTTPS listener: TLS 1.3, and TLS 1.2 with ECDHE key exchange and
 * AES-GCM ciphers only, so every connection has forward secrecy and authenticated
 * encryption. TLS 1.3 connections use hybrid post-quantum key exchange (ML-KEM) when the
 * client supports it, against traffic recorded now and decrypted later. AWS recommends
 * this policy, and the console uses it by default; CloudFormation's default,
 * ELBSecurityPolicy-2016-08, still allows TLS 1.0.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
const SSL_POLICY = elbv2.SslPolicy.TLS13_12_RES_PQ;

const DEFAULT_ACCESS_LOG_RETENTION = Duration.days(365);

/**
 * The internet ingress DMZ of a tier: an internet-facing Application Load Balancer in a
 * VPC of its own, attached to the tier's transit hub.
 *
 * Citizens reach public services through the load balancer. Its targets are IP addresses
 * in business-application VPCs, reached through the hub, so no workload runs in the DMZ.
 * Register them with `httpsListener.addTargets(...)` and
 * `new elbv2_targets.IpTarget(address, port, 'all')`: a target outside the load balancer's
 * VPC must use the availability zone `all`. The targets' security groups must allow the
 * ingress VPC's block, because a security group in a spoke cannot refer to one here.
 *
 * The VPC has an internet gateway and no NAT gateway. Its public subnets hold the load
 * balancer and route the tier's internal ranges to the transit gateway; its transit
 * subnets hold the attachment. In the hub, the attachment is placed in the internet DMZ
 * routing domain, so only the domains that the routing policy connects to the internet
 * DMZ can exchange traffic with it.
 *
 * The load balancer accepts HTTPS on 443 with a TLS 1.2+ policy, and HTTP on 80 only to
 * redirect it to HTTPS. Until workloads add rules, HTTPS returns 404. It drops invalid
 * header fields, uses the strictest desync mitigation, writes access logs to an SSE-S3
 * bucket and, given `webAclArn`, is protected by an AWS WAF web ACL.
 */
export class IngressDmz extends Construct {
  /**
   * The ingress VPC.
   *
   * Its subnet groups are `public` (the load balancer) and `transit` (the transit
   * gateway attachment).
   */
  public readonly vpc: ec2.IVpc;

  /** The ID of the ingress VPC's transit gateway attachment. */
  public readonly attachmentId: string;

  /** The internet-facing Application Load Balancer. */
  public readonly loadBalancer: elbv2.IApplicationLoadBalancer;

  /** The HTTPS listener on port 443, to which workloads add their rules and targets. */
  public readonly httpsListener: elbv2.IApplicationListener;

  /** The load balancer's security group: HTTPS and HTTP in from anywhere, TCP out to the internal ranges only. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** The bucket of the load balancer's access logs. */
  public readonly accessLogBucket: s3.IBucket;

  /** The key prefix of the load balancer's access logs in the access-log bucket. */
  public readonly accessLogPrefix: string;

  /** The key prefix of the VPC flow logs in the log bucket. */
  public readonly vpcFlowLogPrefix: string;

  constructor(scope: Construct, id: string, props: IngressDmzProps) {
    super(scope, id);
    const { availabilityZones, publicSubnetMask } = validateIngressDmzProps(scope, id, this, props);
    const hub = props.hub;
    this.vpcFlowLogPrefix = `vpc-flow-logs/${hub.tierName}/ingress-dmz`;
    this.accessLogPrefix = `alb-access-logs/${hub.tierName}/ingress-dmz`;

    const vpc = this.createVpc(props.cidr, `${hub.tierName}-ingress-dmz`, availabilityZones, publicSubnetMask);
    addAllTrafficFlowLog(vpc, props.logBucket, this.vpcFlowLogPrefix);
    this.vpc = vpc;

    const attachment = new ec2.CfnTransitGatewayVpcAttachment(this, 'Attachment', {
      transitGatewayId: hub.transitGatewayId,
      vpcId: vpc.vpcId,
      subnetIds: vpc.selectSubnets({ subnetGroupName: SUBNET_GROUP.transit }).subnetIds,
      // No stateful appliance sits in the path: replies reach the load balancer node that
      // opened the connection by the VPC's local route, whichever zone they enter in.
      options: { ApplianceModeSupport: 'disable', DnsSupport: 'enable', Ipv6Support: 'disable' },
      tags: [{ key: 'Name', value: `${hub.tierName}-ingress-dmz` }],
    });
    this.attachmentId = attachment.ref;

    // The hub compares the CIDR blocks of all its VPCs and its egress DMZ at synth time.
    HubRegistry.of(hub).addVpc({ name: 'ingress-dmz', cidr: props.cidr, domain: RoutingDomain.INTERNET_DMZ, path: this.node.path });
    connectAttachment(new Construct(this, 'HubRouting'), hub, this.attachmentId, RoutingDomain.INTERNET_DMZ);
    addRoutesToHub(vpc, hub.transitGatewayId, attachment, props.internalCidrs);

    this.securityGroup = this.createSecurityGroup(vpc, hub.tierName, props.internalCidrs);
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      vpcSubnets: { subnetGroupName: SUBNET_GROUP.public },
      internetFacing: true,
      ipAddressType: elbv2.IpAddressType.IPV4,
      securityGroup: this.securityGroup,
      deletionProtection: props.deletionProtection ?? true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      http2Enabled: true,
    });
    // Requests are refused, not passed on unfiltered, when the load balancer cannot reach
    // AWS WAF. That is the AWS default, but aws-cdk-lib writes the attribute only when true.
    loadBalancer.setAttribute('waf.fail_open.enabled', 'false');
    this.loadBalancer = loadBalancer;

    this.accessLogBucket = this.logAccessLogs(loadBalancer, props);
    this.httpsListener = addListeners(loadBalancer, props.certificate);
    this.protectWithWebAcl(loadBalancer, props.webAclArn);
  }

  private createVpc(cidr: string, name: string, availabilityZones: string[], publicSubnetMask: number): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: name,
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones,
      restrictDefaultSecurityGroup: true,
      natGateways: 0,
      subnetConfiguration: [
        // The load balancer's nodes get public addresses of their own; nothing else runs here.
        { name: SUBNET_GROUP.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: publicSubnetMask, mapPublicIpOnLaunch: false },
        { name: SUBNET_GROUP.transit, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: TRANSIT_SUBNET_MASK },
      ],
    });

    for (const subnet of vpc.publicSubnets) {
      const defaultRoute = subnet.node.tryFindChild('DefaultRoute');
      if (defaultRoute instanceof CfnResource) {
        addNagSuppressions(defaultRoute, [{
          id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          reason: 'The public subnets hold only the internet-facing load balancer, which answers clients on the internet through this route.',
        }]);
      }
    }
    acknowledgeCfnLintFindings(vpc);
    return vpc;
  }

  private createSecurityGroup(vpc: ec2.IVpc, tierName: string, internalCidrs: string[]): ec2.SecurityGroup {
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `Internet-facing load balancer of the ${tierName} ingress DMZ`,
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(HTTPS_PORT), 'HTTPS from the internet');
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(HTTP_PORT), 'HTTP from the internet, redirected to HTTPS');
    // Targets listen on ports of their own choosing, and health checks use the same ports.
    for (const cidr of internalCidrs) {
      securityGroup.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.allTcp(), 'Targets and health checks behind the transit hub');
    }

    addNagSuppressions(securityGroup.node.defaultChild as CfnResource, [{
      id: 'AwsSolutions-EC23',
      reason: 'The internet-facing load balancer serves citizens on the internet, so it accepts HTTPS, and HTTP that it only redirects to HTTPS, from any IPv4 address.',
    }]);
    return securityGroup;
  }

  /**
   * Turns on access logs to the given bucket, or to a new SSE-S3 bucket, and lets
   * Elastic Load Balancing write them.
   *
   * aws-cdk-lib's `logAccessLogs` is not used because it needs the stack's region at
   * synth time and also grants `delivery.logs.amazonaws.com`, which Application Load
   * Balancer access logs do not use.
   */
  private logAccessLogs(loadBalancer: elbv2.ApplicationLoadBalancer, props: IngressDmzProps): s3.IBucket {
    const bucket = props.accessLogBucket
      ?? createAccessLogBucket(this, 'AccessLogBucket', props.accessLogRetention ?? DEFAULT_ACCESS_LOG_RETENTION);
    const delivery = grantAccessLogDelivery(this, bucket, this.accessLogPrefix);
    if (!delivery.added) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:accessLogBucketPolicy',
        `The access-log bucket ${bucket.node.path} was imported, so its bucket policy cannot be changed from here. `
        + `Until its owner allows ${delivery.writer} to call s3:PutObject on ${delivery.objectPattern}, the load balancer fails to deploy, `
        + 'because Elastic Load Balancing checks that it can write when access logs are turned on.');
    }

    loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
    loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
    loadBalancer.setAttribute('access_logs.s3.prefix', this.accessLogPrefix);

    // Elastic Load Balancing writes a test object when access logs are turned on, so the
    // bucket policy must exist before the load balancer.
    const policy = bucket.policy?.node.defaultChild;
    if (CfnResource.isCfnResource(policy)) {
      (loadBalancer.node.defaultChild as CfnResource).addDependency(policy);
    }
    return bucket;
  }

  private protectWithWebAcl(loadBalancer: elbv2.ApplicationLoadBalancer, webAclArn: string | undefined): void {
    if (webAclArn === undefined) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:ingressWithoutWaf',
        'The internet-facing load balancer has no AWS WAF web ACL. Internet-facing services need a web ACL to filter common '
        + 'attacks (for example the AWS managed rule groups) and to rate-limit clients: pass webAclArn, the ARN of a web ACL of REGIONAL scope in this region.');
      return;
    }
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: loadBalancer.loadBalancerArn,
      webAclArn,
    });
  }
}

/**
 * Adds the HTTPS listener, which returns 404 until workloads add rules, and the HTTP
 * listener, which only redirects to HTTPS. Returns the HTTPS listener.
 *
 * The listeners are closed (`open: false`) because the security group already allows
 * both ports from anywhere.
 */
function addListeners(loadBalancer: elbv2.ApplicationLoadBalancer, certificate: acm.ICertificate): elbv2.ApplicationListener {
  const httpsListener = loadBalancer.addListener('HttpsListener', {
    protocol: elbv2.ApplicationProtocol.HTTPS,
    port: HTTPS_PORT,
    certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate)],
    sslPolicy: SSL_POLICY,
    open: false,
    defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not found' }),
  });

  const httpListener = loadBalancer.addListener('HttpListener', {
    protocol: elbv2.ApplicationProtocol.HTTP,
    port: HTTP_PORT,
    open: false,
    defaultAction: elbv2.ListenerAction.redirect({ protocol: elbv2.ApplicationProtocol.HTTPS, port: String(HTTPS_PORT), permanent: true }),
  });
  addNagSuppressions(httpListener.node.defaultChild as CfnResource, [{
    id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired',
    reason: 'This HTTP listener serves no content: it only redirects every request to the HTTPS listener, which uses the ACM certificate.',
  }]);
  return httpsListener;
}

/**
 * Routes each internal range from the public subnets to the transit gateway.
 *
 * CloudFormation cannot create a route to a transit gateway before the VPC is attached
 * to it, so each route depends on the attachment.
 */
function addRoutesToHub(vpc: ec2.Vpc, transitGatewayId: string, attachment: ec2.CfnTransitGatewayVpcAttachment, internalCidrs: string[]): void {
  for (const subnet of vpc.publicSubnets) {
    internalCidrs.forEach((cidr, index) => {
      const route = new ec2.CfnRoute(subnet, `${cidrRouteId(cidr, index, 'InternalRange')}ToHub`, {
        routeTableId: subnet.routeTable.routeTableId,
        destinationCidrBlock: cidr,
        transitGatewayId,
      });
      route.addDependency(attachment);
    });
  }
}

/** Records in the template the cfn-lint warnings that the VPC causes on purpose, so that the template lints clean. */
function acknowledgeCfnLintFindings(vpc: ec2.Vpc): void {
  // W3010 warns about every zone named in a template. The zones are named rather than
  // looked up so that synth needs no AWS credentials, and they are checked against the
  // stack's region.
  ignoreNamedZones([...vpc.publicSubnets, ...vpc.isolatedSubnets]);
  ignoreRestrictDefaultSgHandlerDependsOn(vpc);
}
