/**
 * The segmentation checker: reads synthesised cloud assemblies, builds their network
 * model and proves the platform's segmentation intents on it. This module is internal:
 * src/index.ts does not export it, so its API need not follow jsii's rules.
 */
export type { ReachableOnlyThroughIntent, SegmentationOptions, SegmentationResult, UnreachableIntent } from './check';
export { checkSegmentation } from './check';
export type { Finding, IntentResult, IntentStatus } from './intent-result';
export { findVpc } from './intent-result';
export { domainPolicyHolds, internetOnlyThroughEgressFirewall, tiersIsolated } from './intents';
export type { IntentDestination } from './user-intents';
export { reachableOnlyThrough, unreachable } from './user-intents';
export type { NetworkModel, NodeKind } from './model';
export type { ModelOptions } from './model-builder';
export { buildNetworkModel } from './model-builder';
export { readCloudAssemblies } from './assembly';
export type { TracedPath } from './reachability';
export { traceFromSubnet, traceFromVpc } from './reachability';
export type { SegmentationReport } from './report';
export { buildReport, renderMarkdown, writeReports } from './report';
export { runCli } from './cli';
