import { DataClassification } from '@ssd-platform/security-baseline';

/** The accounts of the estate that this environment touches. */
export interface AccountIds {
  /** Security: the segregated log archive and the security tooling. */
  readonly security: string;
  /** Shared Services: DevOps tooling, Jamf, the image pipeline and scanning. */
  readonly sharedServices: string;
  /** Non-Production: pre-production, and the development, test and training replicas. */
  readonly nonProduction: string;
}

/** A benefit workload hosted in this tier: each gets its own business-application VPC. */
export interface BenefitWorkload {
  /** Short kebab-case name, used in stack names, VPC names and the address plan. */
  readonly name: string;
  /** Prefix length of the workload's VPC. */
  readonly prefixLength: number;
  /** The value of the Service tag. */
  readonly service: string;
  readonly dataClassification: DataClassification;
}

/** The typed configuration of the Non-Production environment. */
export interface NonProductionConfig {
  readonly region: string;
  readonly accounts: AccountIds;
  /** The address range of this tier; every VPC of the tier is allocated from it. */
  readonly supernet: string;
  /** The address range of the Shared Services account's VPCs. */
  readonly sharedServicesSupernet: string;
  /** Ranges owned by others that no VPC may overlap. */
  readonly reservedRanges: Array<{ readonly name: string; readonly cidr: string }>;
  readonly benefits: BenefitWorkload[];
  /**
   * The ranges of VPCs already deployed, by VPC name. A pinned range never moves, even
   * if a reserved range or a VPC is added before it; a change that would overlap it
   * fails synth instead. Pin each VPC here once it is deployed.
   */
  readonly deployedRanges: Record<string, string>;
  /** How many further benefit VPCs the plan keeps room for, and their size. */
  readonly futureBenefits: { readonly count: number; readonly prefixLength: number };
  /** Domains instances may reach on the internet through the egress DMZ. */
  readonly allowedEgressDomains: string[];
  /** Domains that stay blocked even if an allowed entry would cover them. */
  readonly deniedEgressDomains: string[];
  /**
   * Values that cross accounts and are only known after a first deploy. CloudFormation
   * cannot read another account's outputs, so each is copied here from the named stack output.
   */
  readonly crossAccount: {
    /**
     * The transit gateway ID output by the NonProduction-TransitHub stack.
     * The Shared Services VPC cannot deploy until it is the real one.
     */
    readonly transitGatewayId: string;
    /** The attachment ID output by the NonProduction-SharedServicesVpc stack. */
    readonly sharedServicesAttachmentId?: string;
  };
  readonly tags: {
    readonly costCentre: string;
    readonly environment: string;
    readonly owner: string;
  };
}

export const config: NonProductionConfig = {
  region: 'eu-west-2',
  accounts: {
    security: '222222222222',
    sharedServices: '333333333333',
    nonProduction: '444444444444',
  },
  supernet: '10.64.0.0/14',
  sharedServicesSupernet: '10.80.0.0/16',
  reservedRanges: [
    { name: 'government-network', cidr: '10.0.0.0/12' },
    { name: 'production-tier', cidr: '10.72.0.0/14' },
    { name: 'application-vendor', cidr: '172.16.0.0/16' },
  ],
  benefits: [
    {
      name: 'lib',
      prefixLength: 19,
      service: 'low-income-benefits',
      dataClassification: DataClassification.OFFICIAL_SENSITIVE,
    },
  ],
  deployedRanges: {
    'management': '10.64.0.0/20',
    'internet-egress': '10.64.16.0/24',
    'lib': '10.64.32.0/19',
    'shared-services-non-production': '10.80.0.0/20',
  },
  futureBenefits: { count: 10, prefixLength: 19 },
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
  crossAccount: {
    // NOTE: an example ID. Replace it with the TransitGatewayId output of
    // NonProduction-TransitHub after that stack's first deploy.
    transitGatewayId: 'tgw-0a1b2c3d4e5f67890',
  },
  tags: {
    costCentre: 'SSD-PLATFORM-001',
    environment: 'non-production',
    owner: 'platform-engineering',
  },
};
