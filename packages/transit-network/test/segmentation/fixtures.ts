import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { EastWestInspection, EgressDmz, RoutingDomain, RoutingPolicy, SpokeVpc, TransitHub } from '../../src';

export const ENV = { account: '111111111111', region: 'eu-west-2' };

/** The range of the Shared Services VPCs, which attach to both tiers' hubs. */
export const SHARED_SERVICES_SUPERNET = '10.80.0.0/16';

const created: string[] = [];

/** Runs `build` in a new app that writes its cloud assembly to a fresh temporary folder, synthesises it and returns the folder. */
export function synthesise(build: (app: App) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'segmentation-'));
  created.push(outdir);
  const app = new App({ outdir });
  build(app);
  app.synth();
  return outdir;
}

/** Deletes the folders `synthesise` made. Call it from afterAll. */
export function removeAssemblies(): void {
  created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
}

/** One tier of the platform: a hub and its spokes, each in a stack of its own. */
export interface Tier {
  readonly hubStack: Stack;
  readonly hub: TransitHub;
  readonly management: SpokeVpc;
  readonly businessA: SpokeVpc;
  readonly businessB: SpokeVpc;
  readonly egress?: EgressDmz;
  readonly inspection?: EastWestInspection;
}

/** The address plan of a tier, inside its supernet. */
export interface TierPlan {
  readonly tierName: string;
  /** The stack-name prefix, such as `Prod`. */
  readonly prefix: string;
  readonly supernet: string;
  readonly management: string;
  readonly egress: string;
  readonly businessA: string;
  readonly businessB: string;
  readonly amazonSideAsn: number;
  /** The east-west inspection VPC's range, used when the tier is built with inspection. */
  readonly inspection: string;
}

export const NON_PRODUCTION: TierPlan = {
  tierName: 'non-production',
  prefix: 'NonProd',
  supernet: '10.64.0.0/14',
  management: '10.64.0.0/20',
  egress: '10.64.16.0/24',
  businessA: '10.64.32.0/19',
  businessB: '10.64.64.0/19',
  amazonSideAsn: 64601,
  inspection: '10.64.17.0/24',
};

export const PRODUCTION: TierPlan = {
  tierName: 'production',
  prefix: 'Prod',
  supernet: '10.72.0.0/14',
  management: '10.72.0.0/20',
  egress: '10.72.16.0/24',
  businessA: '10.72.32.0/19',
  businessB: '10.72.64.0/19',
  amazonSideAsn: 64701,
  inspection: '10.72.17.0/24',
};

/** Options of a tier built for a test. */
export interface TierOptions {
  /** Whether the tier has its egress DMZ. Default true. */
  readonly egress?: boolean;
  /** Whether the hub inspects east-west traffic (RoutingPolicy.platformDefaultWithInspection). Default false. */
  readonly inspection?: boolean;
}

/**
 * Builds a tier as the platform does: a hub, with inspection if asked, a management VPC,
 * two business-application VPCs and, unless `egress` is false, the egress DMZ.
 */
export function buildTier(app: App, plan: TierPlan, options: TierOptions = {}): Tier {
  const hubStack = new Stack(app, `${plan.prefix}-TransitHub`, { env: ENV });
  const routingPolicy = options.inspection ? RoutingPolicy.platformDefaultWithInspection() : undefined;
  const hub = new TransitHub(hubStack, 'Hub', { tierName: plan.tierName, amazonSideAsn: plan.amazonSideAsn, routingPolicy });

  let inspection: EastWestInspection | undefined;
  if (options.inspection) {
    const stack = new Stack(app, `${plan.prefix}-Inspection`, { env: ENV });
    inspection = new EastWestInspection(stack, 'Inspection', {
      hub,
      cidr: plan.inspection,
      internalCidrs: [plan.supernet, SHARED_SERVICES_SUPERNET],
      logBucket: logBucket(stack),
      deleteProtection: false,
    });
  }

  const spoke = (id: string, domain: RoutingDomain, vpcName: string, cidr: string): SpokeVpc => {
    const stack = new Stack(app, `${plan.prefix}-${id}`, { env: ENV });
    return new SpokeVpc(stack, id, { hub, domain, vpcName, cidr, flowLogBucket: logBucket(stack), sessionManagerEndpoints: false });
  };
  const management = spoke('Management', RoutingDomain.MANAGEMENT, 'management', plan.management);
  const businessA = spoke('BenefitA', RoutingDomain.BUSINESS_APPLICATION, 'benefit-a', plan.businessA);
  const businessB = spoke('BenefitB', RoutingDomain.BUSINESS_APPLICATION, 'benefit-b', plan.businessB);

  let egress: EgressDmz | undefined;
  if (options.egress ?? true) {
    const stack = new Stack(app, `${plan.prefix}-Egress`, { env: ENV });
    egress = new EgressDmz(stack, 'Egress', {
      hub,
      cidr: plan.egress,
      internalCidrs: [plan.supernet, SHARED_SERVICES_SUPERNET],
      logBucket: logBucket(stack),
      allowedDomains: ['.gov.uk'],
      deleteProtection: false,
    });
  }
  return { hubStack, hub, management, businessA, businessB, egress, inspection };
}

function logBucket(stack: Stack): s3.IBucket {
  return s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');
}
