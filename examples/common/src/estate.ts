import { DataClassification } from '@ssd-platform/security-baseline';

/** The accounts of the estate. The IDs in `ESTATE` are examples: replace them with the estate's own. */
export interface AccountIds {
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

/** The typed configuration of the whole estate. */
export interface EstateConfig {
  readonly region: string;
  readonly accounts: AccountIds;
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

const ACCOUNTS: AccountIds = {
  security: '222222222222',
  sharedServices: '333333333333',
  nonProduction: '444444444444',
  production: '555555555555',
};

/** The estate the example apps build. */
export const ESTATE: EstateConfig = {
  region: 'eu-west-2',
  accounts: ACCOUNTS,
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
    },
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
    },
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
  tags: {
    costCentre: 'SSD-PLATFORM-001',
    owner: 'platform-engineering',
  },
};
