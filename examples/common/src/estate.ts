import { DataClassification, NcscEvidenceReference } from '@ssd-platform/security-baseline';
import { VendorEnvironment } from '@ssd-platform/transit-network';

/** The accounts of the estate. The IDs in `ESTATE` are examples: replace them with the estate's own. */
export interface AccountIds {
  /** Management: the organisation's management account, where the organisation and its guardrails live. */
  readonly management: string;
  /** Security: the segregated log archives and the security tooling. */
  readonly security: string;
  /** Shared Services: DevOps tooling, Jamf, the image pipeline and scanning. */
  readonly sharedServices: string;
  /** Non-Production: pre-production, and the development, test and training replicas. */
  readonly nonProduction: string;
  /** Production. */
  readonly production: string;
}

/** A benefit workload hosted in a tier: each gets its own business-application VPC. */
export interface BenefitWorkload {
  /** Short kebab-case name, used in stack names, VPC names and the address plan. */
  readonly name: string;
  /** Prefix length of the workload's VPC. */
  readonly prefixLength: number;
  /** The value of the Service tag. */
  readonly service: string;
  readonly dataClassification: DataClassification;
}

/**
 * One government-network path of a tier: a hosted Direct Connect connection and the
 * site-to-site VPN that backs it up. A tier has one for management traffic and one for
 * business traffic, so that the two never share a route table.
 */
export interface GovernmentLinkSettings {
  /** The hosted connection, ordered from the partner and accepted in the tier's account. */
  readonly connectionId: string;
  /** The VLAN the partner assigned to the hosted connection. */
  readonly vlan: number;
  /** The private ASN of the link's Direct Connect gateway: unique per gateway and not the hub's. */
  readonly gatewayAsn: number;
  /** The ASN of the government routers at the other end of the link and of the VPN devices. */
  readonly governmentAsn: number;
  /** The public addresses of the government VPN devices; two, so that the backup survives the loss of one. */
  readonly vpnDevices: Array<{ readonly name: string; readonly ipAddress: string }>;
}

/** ACM certificates of a tier, issued in the tier's account and the estate's region. */
export interface TierCertificates {
  /** The HTTPS listener of the internet ingress load balancer. */
  readonly ingress: string;
  /** The TLS listeners of the vendor's deploy endpoint. */
  readonly vendorEndpoint: string;
  /** The server certificate of the DevOps Client VPN endpoint. */
  readonly devOpsVpnServer: string;
  /** The CA that issues the DevOps devices' client certificates. */
  readonly devOpsVpnClientRoot: string;
}

/** A deploy service the application vendor reaches over PrivateLink. */
export interface VendorServiceSettings {
  readonly name: string;
  /** The port the vendor connects to. */
  readonly port: number;
  /** The private addresses of the service in the tier's LIB VPC. */
  readonly targetAddresses: string[];
  /** The port the service listens on. */
  readonly targetPort: number;
}

/** The settings of one tier: Production or Non-Production. */
export interface TierSettings {
  /** The tier's name in kebab case, used in resource names and tags. */
  readonly name: string;
  /** The tier's name in Pascal case, used as the prefix of its stack names. */
  readonly stackPrefix: string;
  readonly account: string;
  /** The address range of the tier; every VPC of the tier is allocated from it. */
  readonly supernet: string;
  /** The private ASN of the tier's transit gateway; each hub has its own. */
  readonly amazonSideAsn: number;
  readonly benefits: BenefitWorkload[];
  /** How many further benefit VPCs the plan keeps room for, and their size. */
  readonly futureBenefits: { readonly count: number; readonly prefixLength: number };
  /**
   * The ranges of VPCs already deployed, by VPC name. A pinned range never moves, even
   * if a reserved range or a VPC is added before it. A change that would overlap it
   * fails synth instead. Pin each VPC here once it is deployed.
   */
  readonly deployedRanges: Record<string, string>;
  /** The management and business paths to the government network. */
  readonly governmentNetwork: {
    readonly management: GovernmentLinkSettings;
    readonly business: GovernmentLinkSettings;
  };
  readonly certificates: TierCertificates;
  /** The client range of the DevOps Client VPN: private, and outside every VPC. */
  readonly devOpsVpnClientCidr: string;
  /** The environment the application vendor deploys to in this tier. */
  readonly vendorEnvironment: VendorEnvironment;
  /** The vendor's deploy services in this tier's LIB VPC. */
  readonly vendorServices: VendorServiceSettings[];
  /**
   * Values that cross accounts and are only known after a first deploy. CloudFormation
   * cannot read another account's outputs, so each is copied here from the named stack output.
   */
  readonly crossAccount: {
    /** The TransitGatewayId output of the tier's TransitHub stack. */
    readonly transitGatewayId: string;
    /** The attachment ID that the SharedServices-Vpc stack outputs for this tier's hub. */
    readonly sharedServicesAttachmentId?: string;
  };
}

/** The AWS Organizations settings of the estate. */
export interface OrganisationSettings {
  /** The ID of the organisation, `o-...`. */
  readonly organizationId: string;
  /** The ID of the organisation's root, `r-...`. */
  readonly rootId: string;
  /** The email address of each member account's root user. */
  readonly accountEmails: { readonly security: string; readonly sharedServices: string; readonly nonProduction: string; readonly production: string };
  /** Role ARN patterns that may change the security services and flow logs: the deployment roles and the security administrators. */
  readonly securityAdminRoleArnPatterns: string[];
}

/** IAM Identity Center: the instance and the directory groups that get each permission set. */
export interface IdentitySettings {
  /** The Identity Center instance, `arn:aws:sso:::instance/ssoins-...`. */
  readonly instanceArn: string;
  /** The Identity Store group IDs of each duty. */
  readonly groups: {
    readonly awsAdmins: string;
    readonly devOpsEngineers: string;
    readonly securityEngineers: string;
    readonly securityAuditors: string;
    readonly applicationVendor: string;
  };
}

/**
 * The central AWS Config archive in the Security account, which every other account's
 * configuration recorder delivers to.
 */
export interface ConfigArchiveSettings {
  /** The name of the archive bucket, which the Security account's `ConfigArchive` creates. */
  readonly bucketName: string;
  /**
   * The ARN of the archive's KMS key. The key is created with the archive, so copy its ARN
   * here from the Security-DetectiveControls stack after that stack's first deploy.
   */
  readonly keyArn: string;
}

/**
 * The mailboxes that the platform's SNS topics deliver to. Each address receives a
 * confirmation email from SNS on the first deploy, and gets nothing until someone in that
 * team confirms the subscription.
 */
export interface AlertingSettings {
  /**
   * The security operations team: change detection and drift in every account, the CIS
   * alarms of the organisation trail and the SOC feed's delivery alarms.
   */
  readonly securityOperationsEmail: string;
  /** The network operations team: the government-network link alarms of each tier. */
  readonly networkOperationsEmail: string;
}

/** The typed configuration of the whole estate. */
export interface EstateConfig {
  readonly region: string;
  readonly accounts: AccountIds;
  readonly organisation: OrganisationSettings;
  readonly identity: IdentitySettings;
  /** The government SOC's bucket that receives the security findings. */
  readonly socDeliveryBucketName: string;
  /** The mailboxes that receive the platform's alarms and alerts. */
  readonly alerting: AlertingSettings;
  /** The central AWS Config archive that every account delivers to. */
  readonly configArchive: ConfigArchiveSettings;
  /**
   * References to the evidence of the NCSC report's procedural controls (staff screening,
   * supply chain, governance and the like), by control ID from `NcscControlCatalogue`.
   * A procedural control without one reads "evidence missing" in the report.
   */
  readonly ncscEvidence: NcscEvidenceReference[];
  readonly nonProduction: TierSettings;
  readonly production: TierSettings;
  /** The address range of the Shared Services account's VPCs. */
  readonly sharedServicesSupernet: string;
  /** The range of the Shared Services VPC that both hubs reach. */
  readonly sharedServicesVpcCidr: string;
  /** Ranges owned by others that no VPC may overlap. */
  readonly reservedRanges: Array<{ readonly name: string; readonly cidr: string }>;
  /** Domains instances may reach on the internet through the egress DMZ. */
  readonly allowedEgressDomains: string[];
  /** Domains that stay blocked even if an allowed entry would cover them. */
  readonly deniedEgressDomains: string[];
  /** The application vendor's own AWS account, the only principal of its deploy endpoints. */
  readonly vendor: { readonly name: string; readonly accountId: string };
  /**
   * The AWS Backup vault and role that the organisation's backup policy names. Every
   * account the policy applies to gets both from its account baseline.
   */
  readonly backup: { readonly vaultName: string; readonly roleName: string };
  readonly tags: {
    readonly costCentre: string;
    readonly owner: string;
  };
}

const LIB: BenefitWorkload = {
  name: 'lib',
  prefixLength: 19,
  service: 'low-income-benefits',
  dataClassification: DataClassification.OFFICIAL_SENSITIVE,
};

// NOTE: every ID, VLAN, ASN, address and ARN below is an example. Replace them with the
// estate's own before deploying: the hosted connections and their VLANs come from the
// Direct Connect partner, the ASNs and device addresses from the government network's
// operators (203.0.113.0/24 is a documentation range), and the certificates from ACM in
// each tier's account.
const ACCOUNTS: AccountIds = {
  management: '111111111111',
  security: '222222222222',
  sharedServices: '333333333333',
  nonProduction: '444444444444',
  production: '555555555555',
};

/** Example certificate ARNs in an account; each tier replaces them with its own. */
function exampleCertificates(account: string): TierCertificates {
  const arn = (serial: string) => `arn:aws:acm:eu-west-2:${account}:certificate/00000000-0000-4000-8000-${serial}`;
  return {
    ingress: arn('000000000001'),
    vendorEndpoint: arn('000000000002'),
    devOpsVpnServer: arn('000000000003'),
    devOpsVpnClientRoot: arn('000000000004'),
  };
}

/** The estate the example apps build. */
export const ESTATE: EstateConfig = {
  region: 'eu-west-2',
  accounts: ACCOUNTS,
  organisation: {
    organizationId: 'o-exampleorg1',
    rootId: 'r-ex12',
    accountEmails: {
      security: 'aws-security@platform.example.gov.uk',
      sharedServices: 'aws-shared-services@platform.example.gov.uk',
      nonProduction: 'aws-non-production@platform.example.gov.uk',
      production: 'aws-production@platform.example.gov.uk',
    },
    securityAdminRoleArnPatterns: [
      'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*',
      'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_SecurityEngineers_*',
    ],
  },
  identity: {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    groups: {
      awsAdmins: '11111111-1111-4111-8111-111111111111',
      devOpsEngineers: '22222222-2222-4222-8222-222222222222',
      securityEngineers: '33333333-3333-4333-8333-333333333333',
      securityAuditors: '44444444-4444-4444-8444-444444444444',
      applicationVendor: '55555555-5555-4555-8555-555555555555',
    },
  },
  socDeliveryBucketName: 'gov-soc-findings-drop-777777777777',
  alerting: {
    securityOperationsEmail: 'security-operations@platform.example.gov.uk',
    networkOperationsEmail: 'network-operations@platform.example.gov.uk',
  },
  configArchive: {
    bucketName: `ssd-config-archive-${ACCOUNTS.security}`,
    // NOTE: an example key ID. Replace it with the ARN of the ConfigArchive key in the
    // Security account after the Security-DetectiveControls stack's first deploy.
    keyArn: `arn:aws:kms:eu-west-2:${ACCOUNTS.security}:key/00000000-0000-4000-8000-000000000010`,
  },
  // No evidence is recorded yet, because the platform's governance, personnel and supply
  // chain documents do not exist. The report shows those controls as evidence missing
  // rather than citing placeholders.
  ncscEvidence: [],
  nonProduction: {
    name: 'non-production',
    stackPrefix: 'NonProduction',
    account: ACCOUNTS.nonProduction,
    supernet: '10.64.0.0/14',
    amazonSideAsn: 64601,
    benefits: [LIB],
    futureBenefits: { count: 10, prefixLength: 19 },
    deployedRanges: {
      'management': '10.64.0.0/20',
      'internet-egress': '10.64.16.0/24',
      'lib': '10.64.32.0/19',
      'east-west-inspection': '10.64.17.0/24',
      'internet-ingress': '10.64.18.0/24',
    },
    governmentNetwork: {
      management: {
        connectionId: 'dxcon-fgnp0m01',
        vlan: 1101,
        gatewayAsn: 64611,
        governmentAsn: 65101,
        vpnDevices: [{ name: 'gov-mgmt-a', ipAddress: '203.0.113.10' }, { name: 'gov-mgmt-b', ipAddress: '203.0.113.11' }],
      },
      business: {
        connectionId: 'dxcon-fgnp0b01',
        vlan: 1102,
        gatewayAsn: 64612,
        governmentAsn: 65102,
        vpnDevices: [{ name: 'gov-business-a', ipAddress: '203.0.113.20' }, { name: 'gov-business-b', ipAddress: '203.0.113.21' }],
      },
    },
    certificates: exampleCertificates(ACCOUNTS.nonProduction),
    devOpsVpnClientCidr: '100.64.0.0/22',
    vendorEnvironment: VendorEnvironment.PRE_PRODUCTION,
    vendorServices: [
      { name: 'deploy-api', port: 443, targetAddresses: ['10.64.40.10', '10.64.48.10', '10.64.56.10'], targetPort: 443 },
      { name: 'artefacts', port: 8443, targetAddresses: ['10.64.40.20', '10.64.48.20', '10.64.56.20'], targetPort: 443 },
    ],
    crossAccount: {
      // NOTE: an example ID. Replace it with the TransitGatewayId output of
      // NonProduction-TransitHub after that stack's first deploy.
      transitGatewayId: 'tgw-0a1b2c3d4e5f67890',
    },
  },
  production: {
    name: 'production',
    stackPrefix: 'Production',
    account: ACCOUNTS.production,
    supernet: '10.72.0.0/14',
    amazonSideAsn: 64602,
    benefits: [LIB],
    futureBenefits: { count: 10, prefixLength: 19 },
    deployedRanges: {
      'management': '10.72.0.0/20',
      'internet-egress': '10.72.16.0/24',
      'lib': '10.72.32.0/19',
      'east-west-inspection': '10.72.17.0/24',
      'internet-ingress': '10.72.18.0/24',
    },
    governmentNetwork: {
      management: {
        connectionId: 'dxcon-fgpr0m01',
        vlan: 1201,
        gatewayAsn: 64621,
        governmentAsn: 65101,
        vpnDevices: [{ name: 'gov-mgmt-a', ipAddress: '203.0.113.10' }, { name: 'gov-mgmt-b', ipAddress: '203.0.113.11' }],
      },
      business: {
        connectionId: 'dxcon-fgpr0b01',
        vlan: 1202,
        gatewayAsn: 64622,
        governmentAsn: 65102,
        vpnDevices: [{ name: 'gov-business-a', ipAddress: '203.0.113.20' }, { name: 'gov-business-b', ipAddress: '203.0.113.21' }],
      },
    },
    certificates: exampleCertificates(ACCOUNTS.production),
    devOpsVpnClientCidr: '100.64.4.0/22',
    vendorEnvironment: VendorEnvironment.PRODUCTION,
    vendorServices: [
      { name: 'deploy-api', port: 443, targetAddresses: ['10.72.40.10', '10.72.48.10', '10.72.56.10'], targetPort: 443 },
      { name: 'artefacts', port: 8443, targetAddresses: ['10.72.40.20', '10.72.48.20', '10.72.56.20'], targetPort: 443 },
    ],
    crossAccount: {
      // NOTE: an example ID. Replace it with the TransitGatewayId output of
      // Production-TransitHub after that stack's first deploy.
      transitGatewayId: 'tgw-0f1e2d3c4b5a69788',
    },
  },
  sharedServicesSupernet: '10.80.0.0/16',
  sharedServicesVpcCidr: '10.80.0.0/20',
  reservedRanges: [
    { name: 'government-network', cidr: '10.0.0.0/12' },
    { name: 'application-vendor', cidr: '172.16.0.0/16' },
  ],
  allowedEgressDomains: [
    '.amazonaws.com',
    '.redhat.com',
    '.microsoft.com',
    '.windowsupdate.com',
    '.gov.uk',
  ],
  deniedEgressDomains: [
    'pastebin.com',
  ],
  vendor: { name: 'lib-vendor', accountId: '666666666666' },
  backup: { vaultName: 'ssd-platform-backups', roleName: 'ssd-platform-backup' },
  tags: {
    costCentre: 'SSD-PLATFORM-001',
    owner: 'platform-engineering',
  },
};
