import { DataClassification } from '@ssd-platform/security-baseline';
import { BenefitWorkload, EstateConfig, TierSettings } from './estate';

/** Options of `scaledEstate`. */
export interface ScaledEstateOptions {
  /**
   * Prefix length of each generated workload VPC.
   *
   * A tier's /14 supernet contains 262,144 addresses, so 50 workloads fit as /21 (2,048
   * addresses each) or /22 VPCs beside the platform VPCs, but not as /19 VPCs.
   *
   * @default 21
   */
  readonly workloadPrefixLength?: number;
}

/** The minimum and maximum workload VPC prefix lengths that `AddressPlan` accepts. */
const WORKLOAD_PREFIX = { min: 16, max: 28 };

/**
 * Derives an estate whose tiers each host `benefitsPerTier` benefit workloads, for scale
 * tests and benchmarks.
 *
 * Each tier keeps its configured workloads, with their pinned ranges, and gets generated
 * workloads named `benefit-02`, `benefit-03` and so on up to the count. Each generated
 * workload takes one of the tier's future-workload blocks, so the reserve shrinks by the
 * number generated, to none when they outnumber it. Generated workloads are not pinned:
 * the address plan allocates their ranges. Every other setting is copied unchanged.
 */
export function scaledEstate(estate: EstateConfig, benefitsPerTier: number, options: ScaledEstateOptions = {}): EstateConfig {
  const prefixLength = options.workloadPrefixLength ?? 21;
  const problems: string[] = [];
  const configured = Math.max(estate.nonProduction.benefits.length, estate.production.benefits.length);
  if (!Number.isInteger(benefitsPerTier) || benefitsPerTier < configured) {
    problems.push(`benefitsPerTier is ${benefitsPerTier}; use a whole number of at least ${configured}, the workloads the tiers already have.`);
  }
  if (!Number.isInteger(prefixLength) || prefixLength < WORKLOAD_PREFIX.min || prefixLength > WORKLOAD_PREFIX.max) {
    problems.push(`options.workloadPrefixLength is ${prefixLength}; use a whole number from ${WORKLOAD_PREFIX.min} to ${WORKLOAD_PREFIX.max}.`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid scaledEstate arguments:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }

  return {
    ...estate,
    nonProduction: scaleTier(estate.nonProduction, benefitsPerTier, prefixLength),
    production: scaleTier(estate.production, benefitsPerTier, prefixLength),
  };
}

function scaleTier(tier: TierSettings, benefitsPerTier: number, prefixLength: number): TierSettings {
  const generated: BenefitWorkload[] = [];
  for (let n = tier.benefits.length + 1; n <= benefitsPerTier; n++) {
    const name = `benefit-${String(n).padStart(2, '0')}`;
    generated.push({ name, prefixLength, service: name, dataClassification: DataClassification.OFFICIAL_SENSITIVE });
  }
  return {
    ...tier,
    benefits: [...tier.benefits, ...generated],
    futureBenefits: {
      count: Math.max(0, tier.futureBenefits.count - generated.length),
      prefixLength: tier.futureBenefits.prefixLength,
    },
  };
}
