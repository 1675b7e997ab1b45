import { RoutingPolicy } from '../routing-policy';
import { assemblyLabel, readCloudAssemblies } from './assembly';
import { IntentResult } from './intent-result';
import { domainPolicyHolds, governmentNetworkReachesOnlyPolicy, inspectedPairsPassFirewall, internetOnlyThroughEgressFirewall, tiersIsolated } from './intents';
import { NetworkModel, NodeKind } from './model';
import { buildNetworkModel } from './model-builder';
import { SegmentationReport, buildReport } from './report';
import { IntentDestination, reachableOnlyThrough, unreachable } from './user-intents';

/** A user's intent that a VPC cannot reach a destination. */
export interface UnreachableIntent {
  /** The source VPC: its Name tag, `<stack>/<logical ID>` or construct path. */
  readonly from: string;
  readonly to: IntentDestination;
}

/** A user's intent that a VPC reaches a destination only through a hop of a kind. */
export interface ReachableOnlyThroughIntent extends UnreachableIntent {
  /** The kind of hop every path must pass, such as `network-firewall-endpoint`. */
  readonly through: NodeKind;
}

/** Options of a segmentation check. */
export interface SegmentationOptions {
  /**
   * The name of the environment, used in the report's title and file names.
   *
   * @default - the name of the first assembly folder, or of its parent for `cdk.out`
   */
  readonly environment?: string;

  /**
   * The routing policy the hubs were built with. The templates do not record it.
   *
   * @default RoutingPolicy.platformDefault()
   */
  readonly routingPolicy?: RoutingPolicy;

  /**
   * Literal values (or export names) that name a resource of the assemblies, such as the
   * transit gateway ID a spoke in another account was configured with, mapped to the
   * resource as `<stack>/<logical ID>` or construct path.
   *
   * @default - none: such values stay external, and paths stop at them
   */
  readonly bindings?: Readonly<Record<string, string>>;

  /**
   * VPCs that may reach the internet without the egress firewall, such as an ingress DMZ
   * whose load balancers respond from public subnets: their Name tag, `<stack>/<logical
   * ID>` or construct path. Traffic from other VPCs through them is still checked.
   *
   * @default - none
   */
  readonly internetFacingVpcs?: string[];

  /** @default - none */
  readonly unreachable?: UnreachableIntent[];

  /** @default - none */
  readonly reachableOnlyThrough?: ReachableOnlyThroughIntent[];
}

export interface SegmentationResult {
  readonly environment: string;
  readonly model: NetworkModel;
  readonly results: IntentResult[];
  readonly report: SegmentationReport;
  /** True when no intent is violated or inconclusive. */
  readonly passed: boolean;
}

/**
 * Reads one or more cloud assemblies, builds their network model and checks the
 * platform's segmentation intents on it: tiers isolated, routing domains kept apart as
 * the policy requires, inspected domain pairs only through the inspection firewall,
 * government-network traffic only to the domains the policy connects to it, internet
 * only through the egress firewall, and any intents in `options`.
 *
 * Assemblies checked together are one environment: give Production's and
 * Non-Production's assemblies together to prove the tiers apart.
 */
export function checkSegmentation(assemblyDirs: string[], options: SegmentationOptions = {}): SegmentationResult {
  const stacks = readCloudAssemblies(assemblyDirs);
  const model = buildNetworkModel(stacks, { bindings: options.bindings });
  // NOTE: one policy applies to every hub of the assemblies. Hubs built with different
  // policies need a check each.
  const routingPolicy = options.routingPolicy ?? RoutingPolicy.platformDefault();

  const results: IntentResult[] = [
    tiersIsolated(model),
    domainPolicyHolds(model, { routingPolicy }),
    inspectedPairsPassFirewall(model, { routingPolicy }),
    governmentNetworkReachesOnlyPolicy(model, { routingPolicy }),
    internetOnlyThroughEgressFirewall(model, options.internetFacingVpcs),
    ...(options.unreachable ?? []).map((intent) => unreachable(model, intent.from, intent.to)),
    ...(options.reachableOnlyThrough ?? []).map((intent) => reachableOnlyThrough(model, intent.from, intent.to, intent.through)),
  ];

  const environment = options.environment ?? assemblyLabel(assemblyDirs[0]);
  const report = buildReport(environment, assemblyDirs, stacks.map((stack) => stack.label), model, results);
  return { environment, model, results, report, passed: report.passed };
}
