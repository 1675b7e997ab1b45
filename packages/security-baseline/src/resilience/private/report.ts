import * as fs from 'fs';
import * as path from 'path';
import { producedBy, revisionText } from '../../evidence/provenance';
import { md } from '../../evidence/render-markdown';
import { SinglePointOfFailureKind as Kind } from '../single-point-of-failure';
import { AnalysisOptions, Finding } from './analysis';
import { analyseAssembly } from './assembly';

/** A report request: the environment, its assemblies, the output directory and the analysis options. */
export interface ReportRequest extends AnalysisOptions {
  readonly environment: string;
  readonly assemblyDirs: string[];
  readonly outDir: string;
  readonly production: boolean;
  /** The revision of the code the assemblies were synthesised from; absent, the report reads "revision not given". */
  readonly revision?: string;
}

/** The counts and files of a written report. */
export interface ReportOutcome {
  readonly unacknowledgedCount: number;
  readonly acknowledgedCount: number;
  /** False when the environment is production and a single point of failure is not acknowledged. */
  readonly passed: boolean;
  readonly markdownFile: string;
  readonly jsonFile: string;
}

/** Headings of the report, in the order the kinds are listed. */
const KIND_TITLES: Record<Kind, string> = {
  [Kind.SINGLE_AZ_DB_INSTANCE]: 'RDS DB instances that are not Multi-AZ',
  [Kind.SINGLE_INSTANCE_DB_CLUSTER]: 'DB clusters with fewer than two DB instances',
  [Kind.SINGLE_NAT_GATEWAY]: 'VPCs that depend on one NAT gateway',
  [Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP]: 'Auto Scaling groups of one instance',
  [Kind.STANDALONE_INSTANCE]: 'EC2 instances outside an Auto Scaling group',
  [Kind.SINGLE_AZ_AUTO_SCALING_GROUP]: 'Auto Scaling groups in one availability zone',
  [Kind.SINGLE_AZ_DIRECTORY]: 'Directories in one availability zone',
  [Kind.SIMPLE_AD_DIRECTORY]: 'Simple AD directories',
  [Kind.SINGLE_VPN_CONNECTION]: 'On-premises sites reached through one VPN connection',
  [Kind.SINGLE_CUSTOMER_GATEWAY]: 'On-premises sites reached through one customer gateway',
  [Kind.SINGLE_DIRECT_CONNECT_CONNECTION]: 'Direct Connect paths over one connection',
  [Kind.NO_VERSIONING]: 'S3 buckets without versioning',
  [Kind.NO_BACKUP]: 'Stateful resources without backup',
  [Kind.SINGLE_NODE_CACHE]: 'ElastiCache caches with one node',
  [Kind.NO_CACHE_FAILOVER]: 'ElastiCache replication groups without automatic failover',
  [Kind.SINGLE_AZ_FILE_SYSTEM]: 'File systems in one availability zone',
  [Kind.SINGLE_AZ_SEARCH_DOMAIN]: 'OpenSearch Service domains in one availability zone',
  [Kind.SINGLE_INSTANCE_BROKER]: 'Amazon MQ brokers of one instance',
  [Kind.SINGLE_NODE_REDSHIFT_CLUSTER]: 'Redshift clusters of one node',
  [Kind.SINGLE_AZ_LOAD_BALANCER]: 'Load balancers in one availability zone',
  [Kind.SINGLE_AZ_NETWORK_FIREWALL]: 'Network firewalls in one availability zone',
};

const KIND_ORDER = Object.keys(KIND_TITLES) as Kind[];

/** Analyses the assemblies and writes the Markdown and JSON reports of one environment. */
export function writeReport(request: ReportRequest): ReportOutcome {
  // The same assembly given twice, under two spellings of its path, is read once.
  const directories = [...new Map(request.assemblyDirs.map((directory) => [path.resolve(directory), directory])).values()];
  const findings = directories.flatMap((directory) => analyseAssembly(directory, request)).sort(byKindAndResource);
  const unacknowledged = findings.filter((finding) => finding.acknowledgement === undefined);
  const acknowledged = findings.filter((finding) => finding.acknowledgement !== undefined);
  const passed = !request.production || unacknowledged.length === 0;

  makeOutputDirectory(request.outDir);
  const baseName = path.join(request.outDir, `resilience-${request.environment}`);
  const markdownFile = `${baseName}.md`;
  const jsonFile = `${baseName}.json`;
  fs.writeFileSync(jsonFile, `${JSON.stringify(jsonReport(request, unacknowledged, acknowledged, passed), undefined, 2)}\n`);
  fs.writeFileSync(markdownFile, markdownReport(request, unacknowledged, acknowledged, passed));

  return { unacknowledgedCount: unacknowledged.length, acknowledgedCount: acknowledged.length, passed, markdownFile, jsonFile };
}

/** Creates the output directory, with an error that names it when a file is in the way. */
function makeOutputDirectory(outDir: string): void {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' || code === 'ENOTDIR'
      ? 'it, or a directory above it, is a file'
      : (error as Error).message;
    throw new Error(`cannot create the report directory outDir "${outDir}": ${reason}. Give a directory path, for example "reports".`);
  }
  if (!fs.statSync(outDir).isDirectory()) {
    throw new Error(`cannot write the report to outDir "${outDir}": it is a file. Give a directory path, for example "reports".`);
  }
}

function byKindAndResource(a: Finding, b: Finding): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)
    || a.stackName.localeCompare(b.stackName)
    || a.logicalId.localeCompare(b.logicalId);
}

function countsByKind(unacknowledged: Finding[], acknowledged: Finding[]): Record<string, { unacknowledged: number; acknowledged: number }> {
  const counts: Record<string, { unacknowledged: number; acknowledged: number }> = {};
  for (const kind of KIND_ORDER) {
    const open = unacknowledged.filter((finding) => finding.kind === kind).length;
    const accepted = acknowledged.filter((finding) => finding.kind === kind).length;
    if (open + accepted > 0) {
      counts[kind] = { unacknowledged: open, acknowledged: accepted };
    }
  }
  return counts;
}

/**
 * Builds the JSON report. It has no timestamp, so that an unchanged estate gives an identical
 * file; the revision changes it only when the caller gives a new one.
 */
function jsonReport(request: ReportRequest, unacknowledged: Finding[], acknowledged: Finding[], passed: boolean): unknown {
  return {
    environment: request.environment,
    revision: revisionText(request.revision),
    producedBy: producedBy(),
    production: request.production,
    passed,
    counts: {
      unacknowledged: unacknowledged.length,
      acknowledged: acknowledged.length,
      byKind: countsByKind(unacknowledged, acknowledged),
    },
    unacknowledged,
    acknowledged,
  };
}

function markdownReport(request: ReportRequest, unacknowledged: Finding[], acknowledged: Finding[], passed: boolean): string {
  const lines: string[] = [
    `# Resilience report: ${request.environment}`,
    '',
    `- Code revision: ${md(revisionText(request.revision))}`,
    `- Produced by: ${md(producedBy())}`,
    '',
    `Environment: ${request.production ? 'serves production, so every single point of failure must be fixed or acknowledged' : 'does not serve production, so findings are listed but not enforced'}.`,
    `Single points of failure: ${unacknowledged.length} unacknowledged, ${acknowledged.length} acknowledged with a recovery procedure.`,
    `Result: ${resultLine(request.production, passed)}`,
    '',
  ];

  const counts = countsByKind(unacknowledged, acknowledged);
  if (Object.keys(counts).length > 0) {
    lines.push('| Kind | Unacknowledged | Acknowledged |', '| --- | ---: | ---: |');
    for (const [kind, count] of Object.entries(counts)) {
      lines.push(`| ${KIND_TITLES[kind as Kind]} (\`${kind}\`) | ${count.unacknowledged} | ${count.acknowledged} |`);
    }
    lines.push('');
  }

  // Listing every kind checked shows what a clean result covers, not only what was found.
  lines.push(`Kinds checked: ${Object.values(KIND_TITLES).join('; ')}.`, '');
  lines.push('Where the template cannot show a value (a parameter, an import, a zone not written in it), the check assumes '
    + 'the resource is resilient, so a finding may be missing there; only for backup does an unknown value count as not selected.', '');

  lines.push('## Unacknowledged single points of failure', '');
  lines.push(...sections(unacknowledged, (finding) => [`  - Fix: ${finding.fix}`]));
  lines.push('## Acknowledged single points of failure', '');
  lines.push(...sections(acknowledged, (finding) => [
    `  - Reason: ${indent(finding.acknowledgement!.reason)}`,
    `  - Recovery procedure: ${indent(finding.acknowledgement!.recoveryProcedure)}`,
  ]));
  return `${lines.join('\n')}\n`;
}

function resultLine(production: boolean, passed: boolean): string {
  if (!production) {
    return 'not enforced outside production.';
  }
  if (!passed) {
    return 'failed, fix or acknowledge each unacknowledged single point of failure.';
  }
  return 'passed, every single point of failure found is acknowledged.';
}

function sections(findings: Finding[], details: (finding: Finding) => string[]): string[] {
  if (findings.length === 0) {
    return ['None.', ''];
  }
  const lines: string[] = [];
  for (const kind of KIND_ORDER) {
    const ofKind = findings.filter((finding) => finding.kind === kind);
    if (ofKind.length === 0) {
      continue;
    }
    lines.push(`### ${KIND_TITLES[kind]} (${ofKind.length})`, '');
    for (const finding of ofKind) {
      const where = finding.constructPath !== undefined ? `, \`${finding.constructPath}\`` : '';
      lines.push(`- **${finding.stackName} ${finding.logicalId}** (${finding.resourceType}${where}): ${finding.description}`);
      lines.push(...details(finding));
    }
    lines.push('');
  }
  return lines;
}

/** Keeps text of several lines inside its list item. */
function indent(text: string): string {
  return text.split('\n').join('\n    ');
}
