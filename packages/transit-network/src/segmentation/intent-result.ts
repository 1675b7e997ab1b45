import { NetworkModel, VpcModel } from './model';
import { TracedPath } from './reachability';

/**
 * The result of checking an intent:
 * - `proven`: every path the intent covers was followed and none breaks it;
 * - `violated`: at least one path breaks it;
 * - `inconclusive`: no path breaks it, but some leave the model (an external transit
 *   gateway, an instance, a VPN), so the intent cannot be proven;
 * - `not-applicable`: the assemblies have nothing the intent speaks about.
 */
export type IntentStatus = 'proven' | 'violated' | 'inconclusive' | 'not-applicable';

/** A path that breaks an intent, or that leaves the model where the intent needs it followed. */
export interface Finding {
  /** One sentence: what reaches what, where from. */
  readonly summary: string;
  readonly path: TracedPath;
}

export interface IntentResult {
  /** The intent's name, such as `tiersIsolated`. */
  readonly intent: string;
  /** The intent's requirement, in a sentence. */
  readonly requirement: string;
  readonly status: IntentStatus;
  /** The number of paths followed to check the intent. */
  readonly pathsChecked: number;
  readonly violations: Finding[];
  readonly inconclusive: Finding[];
  /** Facts a reviewer should know: what was left out and why, pairs not checked. */
  readonly notes: string[];
}

/** The parts of an intent's result before its status is worked out. */
export interface IntentEvidence {
  readonly applicable: boolean;
  readonly pathsChecked: number;
  readonly violations: Finding[];
  readonly inconclusive: Finding[];
  readonly notes: string[];
}

/** Works out an intent's status from its evidence. */
export function conclude(intent: string, requirement: string, evidence: IntentEvidence): IntentResult {
  let status: IntentStatus = 'proven';
  if (evidence.violations.length > 0) {
    status = 'violated';
  } else if (evidence.inconclusive.length > 0) {
    status = 'inconclusive';
  } else if (!evidence.applicable) {
    status = 'not-applicable';
  }
  return { intent, requirement, status, ...evidence };
}

/**
 * Finds one VPC by its key (`<stack>/<logical ID>`), its Name tag, or its construct path
 * or the path of a construct that contains it, such as `NonProduction-LibVpc/Workload`.
 *
 * Throws an error listing the VPCs of the model if the selector matches none or several.
 */
export function findVpc(model: NetworkModel, selector: string): VpcModel {
  const vpcs = [...model.vpcs.values()];
  const exact = vpcs.filter((vpc) => vpc.node.key === selector || vpc.node.name === selector || vpc.node.constructPath === selector);
  const matches = exact.length > 0 ? exact : vpcs.filter((vpc) => vpc.node.constructPath?.startsWith(`${selector}/`));
  if (matches.length === 1) {
    return matches[0];
  }
  const known = vpcs.map((vpc) => vpc.node.name ?? vpc.node.key).join(', ');
  throw new Error(matches.length === 0
    ? `No VPC matches ${JSON.stringify(selector)}. Name a VPC by its Name tag, its <stack>/<logical ID> or its construct path; the VPCs are: ${known}.`
    : `${matches.length} VPCs match ${JSON.stringify(selector)}: ${matches.map((vpc) => vpc.node.key).join(', ')}. Name one by its <stack>/<logical ID>.`);
}
