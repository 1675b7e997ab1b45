import {
  Annotations,
  Token,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_kms as kms,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validateDevOpsVpnProps } from './private/client-vpn-validation';
import { createEncryptedLogGroup } from './private/encrypted-log-group';

/**
 * The authentication of users to the DevOps VPN: a client certificate (mutual TLS), a
 * user name and password from AWS Managed Microsoft AD, or both.
 *
 * @see https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/client-authentication.html
 */
export class VpnAuthentication {
  /**
   * Mutual TLS: each device presents a client certificate issued by the CA whose
   * certificate is in ACM.
   *
   * This ties access to managed devices, and a single device can be locked out by
   * revoking its certificate. Client VPN does not log failed mutual TLS attempts.
   *
   * @param clientRootCertificate the ACM certificate of the CA that issues the client
   * certificates. It may be the server certificate when one CA issues both.
   */
  public static mutualTls(clientRootCertificate: acm.ICertificate): VpnAuthentication {
    return new VpnAuthentication(true, false, clientRootCertificate, undefined);
  }

  /**
   * Active Directory: each user signs in with a user name and password from an AWS
   * Directory Service directory (AWS Managed Microsoft AD or AD Connector), and with an
   * MFA code if the directory requires one.
   *
   * Devices are not authenticated, so prefer `mutualTlsAndDirectory`.
   *
   * @param directoryId the ID of the directory, for example `d-1234567890`
   */
  public static directory(directoryId: string): VpnAuthentication {
    return new VpnAuthentication(false, true, undefined, directoryId);
  }

  /**
   * Mutual TLS and Active Directory together: a user needs both a client certificate on
   * the device and directory credentials.
   *
   * @param clientRootCertificate the ACM certificate of the CA that issues the client certificates
   * @param directoryId the ID of the AWS Directory Service directory, for example `d-1234567890`
   */
  public static mutualTlsAndDirectory(clientRootCertificate: acm.ICertificate, directoryId: string): VpnAuthentication {
    return new VpnAuthentication(true, true, clientRootCertificate, directoryId);
  }

  /** Whether devices authenticate with a client certificate. */
  public readonly usesMutualTls: boolean;

  /** Whether users authenticate against a directory. */
  public readonly usesDirectory: boolean;

  /** The ACM certificate of the CA that issues the client certificates, if mutual TLS is used. */
  public readonly clientRootCertificate?: acm.ICertificate;

  /** The ID of the AWS Directory Service directory, if a directory is used. */
  public readonly directoryId?: string;

  private constructor(mutualTls: boolean, directory: boolean, clientRootCertificate: acm.ICertificate | undefined, directoryId: string | undefined) {
    this.usesMutualTls = mutualTls;
    this.usesDirectory = directory;
    this.clientRootCertificate = clientRootCertificate;
    this.directoryId = directoryId;
  }
}

/** Properties of the DevOps VPN endpoint. */
export interface DevOpsVpnEndpointProps {
  /** The management VPC, where the bastions are. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets where the endpoint places its network interfaces: one subnet in each of
   * at least two availability zones, so that users can still connect when a zone fails.
   *
   * Client VPN associates at most one subnet per zone, and each subnet must be a /27 or
   * larger.
   *
   * @default - the VPC's `application` subnets, as a SpokeVpc creates them
   * @see https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/cvpn-working-target.html
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The ACM certificate the endpoint presents to clients, in the stack's region.
   *
   * Client VPN supports RSA keys of 1024 or 2048 bits only.
   */
  readonly serverCertificate: acm.ICertificate;

  /** The authentication method, for example `VpnAuthentication.mutualTls(clientRootCertificate)`. */
  readonly authentication: VpnAuthentication;

  /**
   * The address range from which clients get their addresses, from /12 to /22, for
   * example `100.64.0.0/22`.
   *
   * It must be private and must overlap neither the VPC nor `allowedCidrs`, because Client
   * VPN rejects a client range that overlaps its VPC or a route. Client VPN keeps part of
   * the range for itself, so AWS recommends twice as many addresses as concurrent users.
   * Changing it replaces the endpoint. The overlap with the VPC is checked only when the
   * VPC's CIDR block is known at synth time (a SpokeVpc's, an ec2.Vpc's, or an imported
   * VPC's given as a string).
   *
   * @see https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/what-is-best-practices.html
   */
  readonly clientCidr: string;

  /**
   * The private address ranges that users may reach through the VPN, for example the
   * management VPC's CIDR block or only its bastion subnets.
   *
   * An authorisation rule is created for each range and nothing else is authorised. Each
   * range outside the VPC's CIDR block also gets a route through every associated subnet;
   * the VPC's own block is routed by Client VPN itself. Only private ranges (inside
   * 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10) are accepted, because the
   * VPN must not carry internet traffic. Ranges outside the VPC need the VPC's route
   * tables to reach them, for example through the transit gateway.
   *
   * @default - the VPC's CIDR block only
   */
  readonly allowedCidrs?: string[];

  /**
   * The security identifier (SID) of the Active Directory group whose users may reach
   * `allowedCidrs`, for example `S-1-5-21-1111111111-2222222222-3333333333-1234`.
   *
   * Only with an authentication that uses a directory.
   *
   * @default - every user who authenticates is authorised
   */
  readonly authorizedGroupId?: string;

  /**
   * The retention period of the connection log.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The customer managed key that encrypts the connection log.
   *
   * A key of this app gets a key policy statement that lets CloudWatch Logs use it for
   * the log group. The policy of an imported key cannot be changed from here, so the
   * construct warns and prints the statement to add. Pass the key itself, in the stack's
   * region, not an alias.
   *
   * @default - a new key with yearly rotation, retained when the stack is deleted, whose
   * key policy lets only AWS services create grants on it
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The maximum length of a VPN session. When it ends the client is disconnected, and the
   * user must connect and authenticate again.
   *
   * @default ec2.ClientVpnSessionTimeout.EIGHT_HOURS
   */
  readonly sessionTimeout?: ec2.ClientVpnSessionTimeout;

  /**
   * The text that AWS-provided clients show when a session starts, up to 1,400 characters.
   *
   * @default - a notice that the VPN is for authorised users only and that connections are logged
   */
  readonly clientLoginBannerText?: string;

  /**
   * The transport protocol of the VPN tunnel, on port 443.
   *
   * UDP performs better, because it avoids resending lost packets twice when the traffic
   * inside the tunnel is TCP. Use TCP where a network lets only TCP through on port 443.
   *
   * @default ec2.TransportProtocol.UDP
   */
  readonly transportProtocol?: ec2.TransportProtocol;
}

const DEFAULT_BANNER = 'This VPN is for authorised users of the platform only. Connections are logged.';

/**
 * The DevOps team's VPN into the management VPC: an AWS Client VPN endpoint.
 *
 * Split tunnelling is on: only traffic to `allowedCidrs` goes through the VPN, and the
 * devices reach the internet as they would without it, so the platform never carries
 * their internet traffic. There is no route to 0.0.0.0/0. Users are authorised for
 * `allowedCidrs` only. The endpoint's security group allows no inbound traffic and
 * outbound traffic to `allowedCidrs` only. Let the bastions accept traffic from it
 * through `connections`, for example
 * `bastion.connections.allowFrom(vpn, ec2.Port.tcp(22))`. The self-service portal is
 * off, and connections are logged to a CloudWatch Logs log group encrypted with a
 * customer managed key.
 */
export class DevOpsVpnEndpoint extends Construct implements ec2.IConnectable {
  /** The Client VPN endpoint. */
  public readonly endpoint: ec2.IClientVpnEndpoint;

  /** The security group of the endpoint's network interfaces. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** The log group that receives the connection log. */
  public readonly logGroup: logs.ILogGroup;

  /** The customer managed key that encrypts the connection log. */
  public readonly encryptionKey: kms.IKey;

  /** The destinations that users are authorised to reach. */
  public readonly allowedCidrs: string[];

  /** The network connections of the endpoint, to let the bastions accept its traffic. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: DevOpsVpnEndpointProps) {
    super(scope, id);
    const resolved = validateDevOpsVpnProps(scope, id, this, props, props?.authentication instanceof VpnAuthentication);
    this.allowedCidrs = resolved.allowedCidrs;

    const log = createEncryptedLogGroup(this, {
      namePrefix: '/ssd-platform/client-vpn',
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      key: props.encryptionKey,
      logName: 'connection log',
      owner: 'the Client VPN endpoint',
      keyPolicyWarningId: '@ssd-platform/transit-network:vpnLogKeyPolicy',
    });
    this.logGroup = log.logGroup;
    this.encryptionKey = log.key;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'DevOps VPN endpoint: outbound to the allowed destinations only',
      allowAllOutbound: false,
    });
    for (const cidr of resolved.allowedCidrs) {
      securityGroup.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.allTraffic(), 'VPN clients to an allowed destination');
    }
    this.securityGroup = securityGroup;

    const authentication = props.authentication;
    const endpoint = new ec2.ClientVpnEndpoint(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets: { subnets: resolved.subnets },
      cidr: props.clientCidr,
      description: 'DevOps VPN into the management VPC',
      serverCertificateArn: props.serverCertificate.certificateArn,
      clientCertificateArn: authentication.usesMutualTls ? authentication.clientRootCertificate!.certificateArn : undefined,
      userBasedAuthentication: authentication.usesDirectory
        ? ec2.ClientVpnUserBasedAuthentication.activeDirectory(authentication.directoryId!)
        : undefined,
      splitTunnel: true,
      transportProtocol: props.transportProtocol ?? ec2.TransportProtocol.UDP,
      port: ec2.VpnPort.HTTPS,
      selfServicePortal: false,
      logging: true,
      logGroup: log.logGroup,
      securityGroups: [securityGroup],
      authorizeAllUsersToVpcCidr: false,
      sessionTimeout: props.sessionTimeout ?? ec2.ClientVpnSessionTimeout.EIGHT_HOURS,
      disconnectOnSessionTimeout: true,
      clientLoginBanner: props.clientLoginBannerText ?? DEFAULT_BANNER,
    });
    this.endpoint = endpoint;
    this.connections = endpoint.connections;

    this.authorise(endpoint, resolved.allowedCidrs, authentication, props.authorizedGroupId);
    // Client VPN routes the VPC's own CIDR block through each associated subnet when it
    // associates the subnet. Other destinations need a route through every subnet, so
    // that they stay reachable when a zone fails.
    for (const cidr of resolved.routedCidrs) {
      resolved.subnets.forEach((subnet, index) => {
        endpoint.addRoute(`Route${idFor(cidr)}Via${index}`, {
          cidr,
          target: ec2.ClientVpnRouteTarget.subnet(subnet),
          description: `To ${cidr}`,
        });
      });
    }
  }

  /** Authorises users for each allowed destination, and warns about authentication that admits more than the DevOps team. */
  private authorise(endpoint: ec2.ClientVpnEndpoint, allowedCidrs: string[], authentication: VpnAuthentication, groupId: string | undefined): void {
    for (const cidr of allowedCidrs) {
      endpoint.addAuthorizationRule(`Authorize${idFor(cidr)}`, {
        cidr,
        groupId,
        description: groupId === undefined ? `All users to ${cidr}` : `Group ${groupId} to ${cidr}`,
      });
    }

    if (!authentication.usesMutualTls) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:vpnDeviceNotAuthenticated',
        'The DevOps VPN authenticates users against the directory only, so any device with a user\'s credentials can connect. '
        + 'Use VpnAuthentication.mutualTlsAndDirectory to require a client certificate from a managed device as well.');
    }
    if (authentication.usesDirectory && groupId === undefined) {
      Annotations.of(this).addWarningV2('@ssd-platform/transit-network:vpnAllDirectoryUsersAuthorized',
        `Every user of directory ${authentication.directoryId} who connects may reach ${allowedCidrs.map(cidrText).join(', ')}. `
        + 'Pass authorizedGroupId, the SID of the DevOps team\'s Active Directory group, to authorise that group only.');
    }
  }
}

/** Turns a CIDR block into part of a construct ID, for example `10-0-0-0-16`, or `VpcCidr` for a token. */
function idFor(cidr: string): string {
  return Token.isUnresolved(cidr) ? 'VpcCidr' : cidr.replace(/[./]/g, '-');
}

/** Writes a CIDR block for a message, naming the VPC's CIDR block when it is a token. */
function cidrText(cidr: string): string {
  return Token.isUnresolved(cidr) ? 'the VPC\'s CIDR block' : cidr;
}
