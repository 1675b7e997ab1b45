import { DataClassification, LogArchive, SinglePointOfFailure, SinglePointOfFailureKind, TaggingStandard, WebAcl } from '@ssd-platform/security-baseline';
import {
  AddressPlan,
  AllowedFlow,
  DevOpsVpnEndpoint,
  EastWestInspection,
  EgressDmz,
  FlowProtocol,
  GovernmentNetworkDirectConnect,
  GovernmentNetworkVpn,
  IngressDmz,
  RoutingDomain,
  RoutingPolicy,
  SpokeVpc,
  TransitHub,
  VendorDeployEndpoint,
  VpcRangeRequest,
  VpnAuthentication,
  VpnRouting,
} from '@ssd-platform/transit-network';
import {
  Annotations,
  App,
  CfnOutput,
  Stack,
  aws_certificatemanager as acm,
  aws_kms as kms,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { buildAccountBaseline } from './account-baseline';
import { alertByEmail } from './alerting';
import { EstateConfig, GovernmentLinkSettings, TierSettings } from './estate';
import { denyGrantsExceptForAwsResources } from './key-policy';

/** Returns the other tier of the estate, whose supernet this tier must never use. */
function otherTier(estate: EstateConfig, tier: TierSettings): TierSettings {
  return tier.name === estate.production.name ? estate.nonProduction : estate.production;
}

/** Requests a VPC's range: its pinned range once deployed, else the next free block of the size. */
function rangeRequest(tier: TierSettings, name: string, prefixLength: number): VpcRangeRequest {
  const cidr = tier.deployedRanges[name];
  return cidr ? { name, cidr } : { name, prefixLength };
}

/** Builds the address plan of a tier: every VPC range is allocated here, never typed into a stack. */
export function tierAddressPlan(estate: EstateConfig, tier: TierSettings): AddressPlan {
  const other = otherTier(estate, tier);
  return new AddressPlan({
    tierName: tier.name,
    supernet: tier.supernet,
    reservedRanges: [
      ...estate.reservedRanges,
      { name: `${other.name}-tier`, cidr: other.supernet },
      { name: 'shared-services', cidr: estate.sharedServicesSupernet },
    ],
    vpcs: [
      rangeRequest(tier, 'management', 20),
      rangeRequest(tier, 'internet-egress', 24),
      ...tier.benefits.map((benefit) => rangeRequest(tier, benefit.name, benefit.prefixLength)),
      rangeRequest(tier, 'east-west-inspection', 24),
      rangeRequest(tier, 'internet-ingress', 24),
    ],
    futureWorkloads: tier.futureBenefits,
  });
}

/** Returns the name of a log archive bucket in the Security account. */
export function logArchiveBucketName(estate: EstateConfig, purpose: string): string {
  return `ssd-${purpose}-network-logs-${estate.accounts.security}`;
}

/**
 * Builds the network of one tier as stacks of `app`: the log archive (Security account),
 * then in the tier's account the transit hub, the east-west inspection, the egress and
 * ingress DMZs, the government-network links, the management VPC with the DevOps VPN,
 * one business-application VPC per benefit with the vendor's deploy endpoint, and the
 * account's security baseline.
 */
export function buildTierNetwork(app: App, estate: EstateConfig, tier: TierSettings): void {
  const tierEnv = { account: tier.account, region: estate.region };
  const plan = tierAddressPlan(estate, tier);
  const internalCidrs = [tier.supernet, estate.sharedServicesSupernet];
  const newStack = (name: string, description: string) => new Stack(app, `${tier.stackPrefix}-${name}`, { env: tierEnv, description });

  // The log archive lives in the Security account; the network accounts deliver to it.
  const bucketName = logArchiveBucketName(estate, tier.name);
  const logArchiveStack = new Stack(app, `${tier.stackPrefix}-LogArchive`, {
    env: { account: estate.accounts.security, region: estate.region },
    description: `Archive of the ${tier.name} network logs`,
  });
  new LogArchive(logArchiveStack, 'NetworkLogs', { bucketName, logSourceAccounts: [tier.account] });
  const importLogArchive = (stack: Stack): s3.IBucket => s3.Bucket.fromBucketName(stack, 'LogArchive', bucketName);

  // The transit hub, shared with the Shared Services account through AWS RAM. Traffic
  // between management, business applications and shared services passes the
  // east-west inspection firewall.
  const hubStack = newStack('TransitHub', `${tier.name} transit hub`);
  const hub = new TransitHub(hubStack, 'Hub', {
    tierName: tier.name,
    amazonSideAsn: tier.amazonSideAsn,
    routingPolicy: RoutingPolicy.platformDefaultWithInspection(),
    sharedWith: [estate.accounts.sharedServices],
  });
  new CfnOutput(hubStack, 'TransitGatewayId', { value: hub.transitGatewayId });

  // The inspection comes before every VPC of an inspected domain: the hub steers their
  // ranges to it.
  const inspectionStack = newStack('Inspection', `${tier.name} east-west inspection`);
  new EastWestInspection(inspectionStack, 'Inspection', {
    hub,
    cidr: plan.cidrFor('east-west-inspection'),
    internalCidrs,
    logBucket: importLogArchive(inspectionStack),
    allowedFlows: eastWestFlows(estate, tier, plan),
  });
  if (tier.crossAccount.sharedServicesAttachmentId) {
    hub.connectRemoteAttachment('SharedServices', {
      attachmentId: tier.crossAccount.sharedServicesAttachmentId,
      domain: RoutingDomain.SHARED_SERVICES,
      cidrs: [estate.sharedServicesVpcCidr],
    });
  }

  // Central egress: the only path from the tier to the internet.
  const egressStack = newStack('EgressDmz', `${tier.name} internet egress DMZ`);
  new EgressDmz(egressStack, 'Egress', {
    hub,
    cidr: plan.cidrFor('internet-egress'),
    internalCidrs,
    logBucket: importLogArchive(egressStack),
    allowedDomains: estate.allowedEgressDomains,
    deniedDomains: estate.deniedEgressDomains,
  });

  // Internet ingress: public load balancers behind the WAF web ACL; their targets are
  // reached only through the hub.
  const ingressStack = newStack('IngressDmz', `${tier.name} internet ingress DMZ`);
  const webAcl = new WebAcl(ingressStack, 'WebAcl', { webAclName: `${tier.name}-ingress` });
  new IngressDmz(ingressStack, 'Ingress', {
    hub,
    cidr: plan.cidrFor('internet-ingress'),
    internalCidrs: [tier.supernet],
    logBucket: importLogArchive(ingressStack),
    certificate: acm.Certificate.fromCertificateArn(ingressStack, 'Certificate', tier.certificates.ingress),
    webAclArn: webAcl.webAclArn,
  });

  buildGovernmentNetwork(newStack('GovernmentNetwork', `${tier.name} Direct Connect and VPN to the government network`), hub, tier, plan,
    estate.alerting.networkOperationsEmail);

  // Spokes: management with the DevOps VPN, then one business-application VPC per benefit.
  const managementStack = newStack('ManagementVpc', `${tier.name} management VPC`);
  const management = new SpokeVpc(managementStack, 'Management', {
    hub,
    domain: RoutingDomain.MANAGEMENT,
    vpcName: 'management',
    cidr: plan.cidrFor('management'),
    flowLogBucket: importLogArchive(managementStack),
  });
  const certificate = (id: string, arn: string) => acm.Certificate.fromCertificateArn(managementStack, id, arn);
  new DevOpsVpnEndpoint(managementStack, 'DevOpsVpn', {
    vpc: management.vpc,
    serverCertificate: certificate('VpnServerCertificate', tier.certificates.devOpsVpnServer),
    authentication: VpnAuthentication.mutualTls(certificate('VpnClientRootCertificate', tier.certificates.devOpsVpnClientRoot)),
    clientCidr: tier.devOpsVpnClientCidr,
  });

  for (const benefit of tier.benefits) {
    const stack = newStack(`${pascalCase(benefit.name)}Vpc`, `${tier.name} business-application VPC of the ${benefit.service} service`);
    const logArchive = importLogArchive(stack);
    const workload = new SpokeVpc(stack, 'Workload', {
      hub,
      domain: RoutingDomain.BUSINESS_APPLICATION,
      vpcName: benefit.name,
      cidr: plan.cidrFor(benefit.name),
      flowLogBucket: logArchive,
    });
    if (benefit.name === 'lib') {
      addVendorDeployEndpoint(stack, estate, tier, workload, logArchive);
    }
    TaggingStandard.applyTags(stack, {
      costCentre: estate.tags.costCentre,
      owner: estate.tags.owner,
      environment: tier.name,
      service: benefit.service,
      dataClassification: benefit.dataClassification,
    });
  }

  buildAccountBaseline(app, estate, { stackPrefix: tier.stackPrefix, account: tier.account, environment: tier.name });

  TaggingStandard.applyTags(app, {
    costCentre: estate.tags.costCentre,
    owner: estate.tags.owner,
    environment: tier.name,
    service: 'platform-network',
    dataClassification: DataClassification.OFFICIAL,
  });
}

/**
 * Builds the two paths to the government network: management traffic and business
 * traffic each get a Direct Connect link and a BGP VPN that backs it up, in their own
 * government-network DMZ domain. Each link advertises only its own side's VPC ranges.
 */
function buildGovernmentNetwork(stack: Stack, hub: TransitHub, tier: TierSettings, plan: AddressPlan, alertEmail: string): void {
  const alarmKey = denyGrantsExceptForAwsResources(new kms.Key(stack, 'AlarmTopicKey', {
    description: `Encrypts the ${tier.name} government-network alarm topic`,
    enableKeyRotation: true,
  }));
  const alarmTopic = new sns.Topic(stack, 'AlarmTopic', {
    displayName: `${tier.name} government-network link alarms`,
    masterKey: alarmKey,
    enforceSSL: true,
  });
  alertByEmail(alarmTopic, alertEmail);
  const paths: Array<{ id: string; domain: RoutingDomain; link: GovernmentLinkSettings; prefixes: string[] }> = [
    {
      id: 'Management',
      domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ,
      link: tier.governmentNetwork.management,
      prefixes: [plan.cidrFor('management')],
    },
    {
      id: 'Business',
      domain: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ,
      link: tier.governmentNetwork.business,
      prefixes: tier.benefits.map((benefit) => plan.cidrFor(benefit.name)),
    },
  ];
  for (const { id, domain, link, prefixes } of paths) {
    const directConnect = new GovernmentNetworkDirectConnect(stack, `${id}DirectConnect`, {
      hub,
      domain,
      connectionId: link.connectionId,
      vlan: link.vlan,
      amazonSideAsn: link.gatewayAsn,
      customerAsn: link.governmentAsn,
      allowedPrefixes: prefixes,
      bgpAuthKey: secretsmanager.Secret.fromSecretNameV2(stack, `${id}BgpKey`, `government-network/${tier.name}/${domain}-bgp-key`),
      alarmTopic,
    });
    // The government network offers one hosted connection per DMZ; the VPN below is the
    // second path, over two devices, so one failed link reduces bandwidth but not reach.
    SinglePointOfFailure.acknowledge(directConnect, {
      kind: SinglePointOfFailureKind.SINGLE_DIRECT_CONNECT_CONNECTION,
      reason: `The government network provides one hosted Direct Connect connection (${link.connectionId}) for this DMZ; `
        + 'the BGP site-to-site VPN to two government devices in the same routing domain is the second path.',
      recoveryProcedure: 'BGP withdraws the Direct Connect routes and traffic moves to the VPN within the BGP hold time. '
        + 'On the connection-state or BGP-status alarm, raise a fault with the government network provider and '
        + 'expect VPN bandwidth (up to 1.25 Gbps per tunnel) until the connection is restored; no change is deployed.',
    });
    new GovernmentNetworkVpn(stack, `${id}Vpn`, {
      hub,
      domain,
      routing: VpnRouting.BGP,
      customerGateways: link.vpnDevices.map((device) => ({ ...device, bgpAsn: link.governmentAsn })),
    });
  }
}

/** Lets the application vendor reach the deploy services in the tier's LIB VPC over PrivateLink. */
function addVendorDeployEndpoint(stack: Stack, estate: EstateConfig, tier: TierSettings, workload: SpokeVpc, logArchive: s3.IBucket): void {
  const endpoint = new VendorDeployEndpoint(stack, 'VendorDeployEndpoint', {
    vpc: workload.vpc,
    vendorName: estate.vendor.name,
    vendorAccountId: estate.vendor.accountId,
    environment: tier.vendorEnvironment,
    services: tier.vendorServices,
    certificate: acm.Certificate.fromCertificateArn(stack, 'VendorEndpointCertificate', tier.certificates.vendorEndpoint),
    accessLogBucket: logArchive,
  });
  new CfnOutput(stack, 'VendorEndpointServiceName', { value: endpoint.serviceName });
  // The log archive's bucket policy already lets the log delivery service write for this
  // account, which is what Network Load Balancer access logs use.
  Annotations.of(endpoint).acknowledgeWarning('@ssd-platform/transit-network:vendorAccessLogBucketPolicy',
    'LogArchive grants delivery.logs.amazonaws.com s3:PutObject for the tier account.');
}

/**
 * The flows the east-west firewall lets through; it drops the rest between inspected
 * domains. Management administers the workloads and shared services. The workloads and
 * shared services use the directory, DNS and time services in management, and shared
 * services deploy to the workloads.
 */
function eastWestFlows(estate: EstateConfig, tier: TierSettings, plan: AddressPlan): AllowedFlow[] {
  const management = [plan.cidrFor('management')];
  const workloads = tier.benefits.map((benefit) => plan.cidrFor(benefit.name));
  const sharedServices = [estate.sharedServicesVpcCidr];
  const tcp = (name: string, sourceCidrs: string[], destinationCidrs: string[], destinationPorts: number[]): AllowedFlow =>
    ({ name, sourceCidrs, destinationCidrs, protocol: FlowProtocol.TCP, destinationPorts });
  const udp = (name: string, sourceCidrs: string[], destinationCidrs: string[], destinationPorts: number[]): AllowedFlow =>
    ({ name, sourceCidrs, destinationCidrs, protocol: FlowProtocol.UDP, destinationPorts });
  return [
    tcp('management-administers-workloads', management, workloads, [22, 443, 3389, 5986]),
    tcp('management-administers-shared-services', management, sharedServices, [22, 443, 3389, 5986]),
    tcp('directory-and-dns-over-tcp', [...workloads, ...sharedServices], management, [53, 88, 389, 445, 464, 636, 3268, 3269]),
    udp('directory-dns-and-time-over-udp', [...workloads, ...sharedServices], management, [53, 88, 123, 389, 464]),
    tcp('shared-services-deploy-to-workloads', sharedServices, workloads, [22, 443, 5986]),
    tcp('workloads-use-shared-services', workloads, sharedServices, [443]),
  ];
}

/** Turns a kebab-case name into Pascal case, for stack names. */
function pascalCase(value: string): string {
  return value.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}
