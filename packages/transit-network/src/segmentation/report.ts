import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Finding, IntentResult, IntentStatus } from './intent-result';
import { NetworkModel, NodeRef, nodeLabel } from './model';
import { hopText, pathLines } from './path-text';
import { Hop } from './reachability';
import { formatCidr } from '../private/cidr';

/** A resource as the JSON report names it. */
export interface ReportNode {
  readonly kind: string;
  readonly stack?: string;
  readonly logicalId: string;
  readonly constructPath?: string;
}

export interface ReportHop {
  readonly node: ReportNode;
  readonly zone?: string;
  readonly route?: { readonly destination: string; readonly origin: string; readonly node?: ReportNode; readonly text: string };
  readonly note?: string;
  /** The hop as one line of text. */
  readonly text: string;
}

export interface ReportFinding {
  readonly summary: string;
  readonly sourceVpc: string;
  readonly sourceSubnet: string;
  readonly zone: string;
  /** The destination addresses that take this path, in CIDR notation. */
  readonly destinations: string;
  readonly outcome: { readonly kind: string; readonly reason: string; readonly vpc?: string };
  readonly hops: ReportHop[];
  /** The path as lines a reviewer can follow. */
  readonly text: string[];
}

export interface ReportIntent {
  readonly intent: string;
  readonly requirement: string;
  readonly status: IntentStatus;
  readonly pathsChecked: number;
  readonly violations: ReportFinding[];
  readonly inconclusive: ReportFinding[];
  readonly notes: string[];
}

export interface SegmentationReport {
  readonly environment: string;
  readonly assemblies: string[];
  /** True when no intent is violated or inconclusive. */
  readonly passed: boolean;
  readonly intents: ReportIntent[];
  readonly model: {
    readonly stacks: string[];
    readonly counts: Record<string, number>;
    readonly vpcs: Array<{ readonly key: string; readonly name?: string; readonly constructPath?: string; readonly cidrs: string[] }>;
    readonly externals: Array<{ readonly value: string; readonly usedAs: string[]; readonly usedBy: string[] }>;
    readonly gaps: Array<{ readonly resource?: string; readonly message: string }>;
  };
}

/** Builds the report of a check. */
export function buildReport(
  environment: string,
  assemblies: string[],
  stacks: string[],
  model: NetworkModel,
  results: IntentResult[],
): SegmentationReport {
  return {
    environment,
    assemblies,
    passed: results.every((result) => result.status === 'proven' || result.status === 'not-applicable'),
    intents: results.map((result) => ({
      intent: result.intent,
      requirement: result.requirement,
      status: result.status,
      pathsChecked: result.pathsChecked,
      violations: result.violations.map((finding) => reportFinding(model, finding)),
      inconclusive: result.inconclusive.map((finding) => reportFinding(model, finding)),
      notes: result.notes,
    })),
    model: {
      stacks,
      counts: {
        transitGateways: model.transitGateways.size,
        transitGatewayRouteTables: model.tgwRouteTables.size,
        transitGatewayAttachments: [...model.attachments.values()].filter((a) => a.kind !== 'external').length,
        vpcs: model.vpcs.size,
        subnets: model.subnets.size,
        routeTables: [...model.routeTables.values()].filter((table) => !table.main).length,
        internetGateways: model.internetGateways.size,
        natGateways: model.natGateways.size,
        networkFirewalls: model.firewalls.size,
      },
      vpcs: [...model.vpcs.values()].map((vpc) => ({
        key: vpc.node.key,
        name: vpc.node.name,
        constructPath: vpc.node.constructPath,
        cidrs: vpc.cidrs.map(formatCidr),
      })),
      externals: [...model.externals.values()].map((external) => ({
        value: external.node.logicalId,
        usedAs: external.usedAs,
        usedBy: external.usedBy.map(nodeLabel),
      })),
      gaps: model.gaps.map((gap) => ({ resource: gap.node === undefined ? undefined : nodeLabel(gap.node), message: gap.message })),
    },
  };
}

/** Renders the report as Markdown for a reviewer. */
export function renderMarkdown(report: SegmentationReport): string {
  const lines: string[] = [];
  const failing = report.intents.filter((intent) => intent.status === 'violated' || intent.status === 'inconclusive').length;
  lines.push(`# Segmentation report: ${report.environment}`, '');
  lines.push(report.passed ? '**Passed**: every intent is proven or not applicable.' : `**Failed**: ${failing} intent(s) violated or inconclusive.`, '');
  lines.push(`Cloud assemblies: ${report.assemblies.map((dir) => `\`${dir}\``).join(', ')}`, '');
  lines.push('| Intent | Result | Paths checked | Violations | Inconclusive |', '| --- | --- | --- | --- | --- |');
  for (const intent of report.intents) {
    lines.push(`| ${escapeCell(intent.intent)} | ${intent.status} | ${intent.pathsChecked} | ${intent.violations.length} | ${intent.inconclusive.length} |`);
  }

  for (const intent of report.intents) {
    lines.push('', `## ${intent.intent}: ${intent.status}`, '', intent.requirement, '');
    intent.notes.forEach((note) => lines.push(`- ${note}`));
    appendFindings(lines, 'Violations', intent.violations);
    appendFindings(lines, 'Paths that leave the model', intent.inconclusive);
  }

  lines.push('', '## Model', '');
  lines.push(`Stacks: ${report.model.stacks.join(', ')}`, '');
  lines.push(Object.entries(report.model.counts).map(([name, count]) => `${name}: ${count}`).join(', '), '');
  lines.push('| VPC | Name | CIDR blocks |', '| --- | --- | --- |');
  report.model.vpcs.forEach((vpc) => lines.push(`| ${escapeCell(vpc.constructPath ?? vpc.key)} | ${escapeCell(vpc.name ?? '')} | ${vpc.cidrs.join(', ')} |`));
  lines.push('', '### External values', '');
  if (report.model.externals.length === 0) {
    lines.push('None: every ID names a resource of the assemblies.');
  } else {
    lines.push('Values that name nothing in the assemblies. Paths stop at them; bind each to its resource to follow them.', '');
    lines.push('| Value | Used as | Used by |', '| --- | --- | --- |');
    report.model.externals.forEach((external) => lines.push(`| ${escapeCell(external.value)} | ${external.usedAs.join(', ')} | ${escapeCell(external.usedBy.join(', '))} |`));
  }
  lines.push('', '### Not modelled', '');
  if (report.model.gaps.length === 0) {
    lines.push('Nothing: every resource the checker reads was modelled.');
  }
  report.model.gaps.forEach((gap) => lines.push(`- ${gap.resource === undefined ? '' : `${gap.resource}: `}${gap.message}`));
  return `${lines.join('\n')}\n`;
}

/** Writes `segmentation-<environment>.json` and `.md` to a folder and returns their paths. */
export function writeReports(report: SegmentationReport, reportDir: string): string[] {
  mkdirSync(reportDir, { recursive: true });
  const base = join(reportDir, `segmentation-${report.environment.replace(/[^A-Za-z0-9._-]/g, '-')}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, undefined, 2)}\n`);
  writeFileSync(`${base}.md`, renderMarkdown(report));
  return [`${base}.json`, `${base}.md`];
}

function appendFindings(lines: string[], heading: string, findings: ReportFinding[]): void {
  if (findings.length === 0) {
    return;
  }
  lines.push('', `### ${heading} (${findings.length})`, '');
  findings.forEach((finding, index) => {
    lines.push(`${index + 1}. ${finding.summary}`, '', '   ```text');
    finding.text.forEach((line) => lines.push(`   ${line}`));
    lines.push('   ```', '');
  });
}

function reportFinding(model: NetworkModel, finding: Finding): ReportFinding {
  const path = finding.path;
  return {
    summary: finding.summary,
    sourceVpc: path.sourceVpc,
    sourceSubnet: path.sourceSubnet,
    zone: path.zone,
    destinations: path.addresses.describe(16),
    outcome: { kind: path.outcome.kind, reason: path.outcome.reason, vpc: path.outcome.vpc },
    hops: path.hops.map(reportHop),
    text: pathLines(model, path),
  };
}

function reportHop(hop: Hop): ReportHop {
  return {
    node: reportNode(hop.node),
    zone: hop.zone,
    route: hop.route === undefined ? undefined : {
      destination: hop.route.destination,
      origin: hop.route.origin,
      node: hop.route.node === undefined ? undefined : reportNode(hop.route.node),
      text: hop.route.text,
    },
    note: hop.note,
    text: hopText(hop),
  };
}

function reportNode(node: NodeRef): ReportNode {
  return { kind: node.kind, stack: node.stack, logicalId: node.logicalId, constructPath: node.constructPath };
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
