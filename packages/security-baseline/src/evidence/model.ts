import { NcscPrinciple } from '../detective-controls';
import { AssemblyStack, CloudAssemblyContents, TemplateResource, TemplateSuppression } from './cloud-assembly';
import { NagCompliance, NagReportLine } from './nag-report';
import { ncscPrinciples } from './principles';
import { producedBy, revisionText } from './provenance';
import { NcscAssessment, NcscControl, NcscEvidenceReference } from '../ncsc/control';

/** The rule pack name of `NcscChecks`; its rule IDs start with `NCSC-`. */
export const NCSC_PACK_NAME = 'NCSC';

/** The status of one control in the report. */
export enum NcscControlStatus {
  /** Every resource the rule checked complies. */
  PASS = 'PASS',
  /** At least one resource does not comply, or the rule could not evaluate it. */
  FAIL = 'FAIL',
  /** Some findings are suppressed with a recorded reason, and none fails. */
  SUPPRESSED = 'SUPPRESSED',
  /** The rule found no resource it applies to, in any stack. */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
  /**
   * The rule found no resource it applies to in the assemblies the pack ran on, but the pack
   * did not run on at least one assembly, so nothing shows the control is not applicable there.
   */
  NOT_ASSESSED = 'NOT_ASSESSED',
  /** A procedural control with a reference to its evidence. */
  PROCEDURAL = 'PROCEDURAL',
  /** A procedural control with no reference to its evidence. */
  EVIDENCE_MISSING = 'EVIDENCE_MISSING',
}

/** The statuses in the order the report lists them. */
export const STATUS_ORDER: NcscControlStatus[] = [
  NcscControlStatus.PASS,
  NcscControlStatus.FAIL,
  NcscControlStatus.SUPPRESSED,
  NcscControlStatus.NOT_APPLICABLE,
  NcscControlStatus.NOT_ASSESSED,
  NcscControlStatus.PROCEDURAL,
  NcscControlStatus.EVIDENCE_MISSING,
];

/** How many controls have each status. */
export interface StatusCounts {
  readonly total: number;
  readonly pass: number;
  readonly fail: number;
  readonly suppressed: number;
  readonly notApplicable: number;
  readonly notAssessed: number;
  readonly procedural: number;
  readonly evidenceMissing: number;
}

/** The reason a finding is suppressed, and the suppression that records it. */
export interface SuppressionDetail {
  /** The reason, as written in the suppression. */
  readonly reason: string;
  /** The rule ID the suppression names: the control's rule or `CdkNagValidationFailure`. */
  readonly suppressedRuleId?: string;
  /** The finding the suppression covered, when it names the findings it applies to. */
  readonly finding?: string;
  /** The findings the suppression is limited to; empty when it covers the whole rule. */
  readonly appliesTo: string[];
}

/** The result of one rule on one resource. */
export interface ResourceResult {
  /** The cloud assembly directory. */
  readonly assembly: string;
  readonly stack: string;
  /** The logical ID in the template; absent when the report line matches no template resource. */
  readonly logicalId?: string;
  readonly resourceType?: string;
  readonly constructPath: string;
  readonly compliance: NagCompliance;
  /** The rule's level: `Error`, `Warning` or `Info`. */
  readonly ruleLevel: string;
  readonly suppression?: SuppressionDetail;
}

/** One control of the mapping, with its status and the resources behind it. */
export interface ControlResult {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly controlType: string;
  readonly assessment: string;
  readonly cdkNagRule?: string;
  readonly configRule?: string;
  readonly securityHubControl?: string;
  readonly evidenceExpected?: string;
  readonly status: NcscControlStatus;
  /** The rule's own description of a finding, from its first report line. */
  readonly ruleInfo?: string;
  readonly resources: ResourceResult[];
  readonly evidence: NcscEvidenceReference[];
}

/** One principle with its controls. */
export interface PrincipleResult {
  readonly number: number;
  readonly principle: NcscPrinciple;
  readonly name: string;
  readonly statement: string;
  readonly counts: StatusCounts;
  readonly controls: ControlResult[];
}

/** An NCSC rule that reported on resources but has no control in the mapping: the pack and the mapping have drifted apart. */
export interface UnmappedRule {
  readonly ruleId: string;
  readonly ruleInfo: string;
  readonly resources: ResourceResult[];
}

/** A stack the report read. */
export interface StackSummary {
  readonly assembly: string;
  readonly stackName: string;
  readonly artifactId?: string;
  readonly environment: string;
  readonly templateFile?: string;
  /** The NCSC cdk-nag report of the stack; absent when cdk-nag wrote none. */
  readonly nagReportFile?: string;
}

/** The whole evidence report, before rendering. */
export interface NcscReport {
  readonly title: string;
  /** One sentence that sums up the result: failures, suppressions, missing evidence and drift. */
  readonly headline: string;
  readonly environment: string;
  /** The date of generation, YYYY-MM-DD. */
  readonly generatedOn: string;
  /** The revision of the code the assemblies were synthesised from, as given, or "revision not given". */
  readonly revision: string;
  /** The package and version that wrote the report, for example `@ssd-platform/security-baseline 1.4.0`. */
  readonly producedBy: string;
  readonly packName: string;
  readonly assemblies: string[];
  readonly stacks: StackSummary[];
  readonly counts: StatusCounts;
  readonly principles: PrincipleResult[];
  readonly unmappedRules: UnmappedRule[];
  /** Things a reviewer must know about the input, for example a stack with no NCSC report. */
  readonly warnings: string[];
  /** The assemblies with no NCSC cdk-nag report at all: the pack did not run on them. */
  readonly unassessedAssemblies: string[];
}

/** The inputs of the report. */
export interface NcscReportInput {
  readonly environment: string;
  readonly generatedOn: string;
  /** The revision of the code the assemblies were synthesised from; absent, the report reads "revision not given". */
  readonly revision?: string;
  readonly assemblies: CloudAssemblyContents[];
  readonly controls: NcscControl[];
  readonly evidence?: NcscEvidenceReference[];
}

/** The control list or the evidence references are inconsistent. */
export class EvidenceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvidenceInputError';
  }
}

const VALIDATION_FAILURE_ID = 'CdkNagValidationFailure';

/**
 * Builds the report model from the cloud assemblies, the control mapping and the evidence references.
 *
 * @throws EvidenceInputError when a control ID repeats, or an evidence reference names an
 * unknown or automated control or has no reference
 */
export function buildNcscReport(input: NcscReportInput): NcscReport {
  const evidence = input.evidence ?? [];
  validateInput(input.controls, evidence);

  const stacks = input.assemblies.flatMap((a) => a.stacks);
  const resultsByRule = collectResults(stacks);
  const controlIds = new Set(input.controls.map((c) => c.id));
  const warnings = stackWarnings(input.assemblies);
  const unassessedAssemblies = input.assemblies
    .filter((a) => a.stacks.every((s) => !s.nagReportFile))
    .map((a) => a.directory);

  const principles = ncscPrinciples().map((info) => {
    const controls = input.controls
      .filter((c) => c.principle === info.principle)
      .map((c) => controlResult(c, resultsByRule.get(c.id), evidence.filter((e) => e.controlId === c.id), warnings,
        unassessedAssemblies.length > 0));
    return { ...info, counts: countStatuses(controls), controls };
  });

  const unmappedRules = [...resultsByRule.entries()]
    .filter(([ruleId]) => !controlIds.has(ruleId))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ruleId, found]) => ({ ruleId, ruleInfo: found.ruleInfo, resources: found.resources }));

  const counts = countStatuses(principles.flatMap((p) => p.controls));
  return {
    title: `NCSC Cloud Security Principles: evidence report for ${input.environment}`,
    headline: headline(counts, unmappedRules.length, unassessedAssemblies),
    environment: input.environment,
    generatedOn: input.generatedOn,
    revision: revisionText(input.revision),
    producedBy: producedBy(),
    packName: NCSC_PACK_NAME,
    assemblies: input.assemblies.map((a) => a.directory),
    stacks: stacks.map((s) => ({
      assembly: s.assemblyDir,
      stackName: s.stackName,
      artifactId: s.artifactId,
      environment: s.environment,
      templateFile: s.templateFile,
      nagReportFile: s.nagReportFile,
    })),
    counts,
    principles,
    unmappedRules,
    warnings,
    unassessedAssemblies,
  };
}

/** Checks the control list and the evidence references, and reports every problem at once. */
export function validateInput(controls: NcscControl[], evidence: NcscEvidenceReference[]): void {
  const problems: string[] = [];
  const known = new Set(Object.values(NcscPrinciple) as string[]);
  const byId = new Map<string, NcscControl>();
  if (controls.length === 0) {
    problems.push('the mapping has no controls; give at least one, or leave the mapping out to use NcscControlCatalogue.all().');
  }
  for (const control of controls) {
    if (byId.has(control.id)) {
      problems.push(`control ${JSON.stringify(control.id)} appears more than once in the mapping; give each control a unique id.`);
    }
    byId.set(control.id, control);
    if (!known.has(control.principle)) {
      problems.push(`control ${JSON.stringify(control.id)} has the principle ${JSON.stringify(control.principle)}, which is not an NcscPrinciple.`);
    }
  }
  evidence.forEach((e, index) => {
    const where = `evidence[${index}]`;
    const control = byId.get(e.controlId);
    if (typeof e.controlId !== 'string' || e.controlId === '') {
      problems.push(`${where}.controlId is ${JSON.stringify(e.controlId)}; give the id of a procedural control.`);
    } else if (!control) {
      problems.push(`${where}.controlId is ${JSON.stringify(e.controlId)}, which is no control of the mapping; `
        + `use one of the procedural controls: ${proceduralIds(controls)}.`);
    } else if (control.assessment !== NcscAssessment.PROCEDURAL) {
      problems.push(`${where}.controlId is ${JSON.stringify(e.controlId)}, an automated control whose evidence is the cdk-nag report; `
        + `remove the entry, or use one of the procedural controls: ${proceduralIds(controls)}.`);
    }
    if (typeof e.reference !== 'string' || e.reference.trim() === '') {
      problems.push(`${where}.reference is ${JSON.stringify(e.reference)}; give a document reference, a URL or a ticket.`);
    }
    if (e.owner !== undefined && typeof e.owner !== 'string') {
      problems.push(`${where}.owner is ${JSON.stringify(e.owner)}; give a person or role as a string, or leave it out.`);
    }
  });
  if (problems.length > 0) {
    throw new EvidenceInputError(`Invalid control mapping or evidence references:\n  - ${problems.join('\n  - ')}`);
  }
}

function proceduralIds(controls: NcscControl[]): string {
  const ids = controls.filter((c) => c.assessment === NcscAssessment.PROCEDURAL).map((c) => c.id);
  return ids.length > 0 ? ids.join(', ') : '(the mapping has none)';
}

interface RuleFindings {
  ruleInfo: string;
  resources: ResourceResult[];
}

/** Groups the report lines of every stack by rule ID, joined to the template resources. */
function collectResults(stacks: AssemblyStack[]): Map<string, RuleFindings> {
  const byRule = new Map<string, RuleFindings>();
  for (const stack of stacks) {
    const byPath = new Map<string, TemplateResource>();
    for (const resource of stack.resources) {
      if (resource.constructPath) {
        byPath.set(resource.constructPath, resource);
      }
    }
    for (const line of stack.nagLines) {
      const found = byRule.get(line.ruleId) ?? { ruleInfo: line.ruleInfo, resources: [] };
      byRule.set(line.ruleId, found);
      const result = resourceResult(stack, line, byPath.get(line.resourcePath));
      // cdk-nag writes one line per finding, so a resource can repeat with the same outcome.
      if (!found.resources.some((r) => sameResult(r, result))) {
        found.resources.push(result);
      }
    }
  }
  return byRule;
}

function resourceResult(stack: AssemblyStack, line: NagReportLine, resource: TemplateResource | undefined): ResourceResult {
  return {
    assembly: stack.assemblyDir,
    stack: stack.stackName,
    logicalId: resource?.logicalId,
    resourceType: resource?.type,
    constructPath: line.resourcePath,
    compliance: line.compliance,
    ruleLevel: line.ruleLevel,
    suppression: line.compliance === NagCompliance.SUPPRESSED
      ? suppressionDetail(line, resource?.suppressions ?? [])
      : undefined,
  };
}

/**
 * Finds the template suppression behind a suppressed line. cdk-nag writes the reason as it
 * is, or as `[finding] reason` when the suppression lists the findings it applies to.
 */
function suppressionDetail(line: NagReportLine, suppressions: TemplateSuppression[]): SuppressionDetail {
  const written = line.exceptionReason ?? '';
  const candidates = suppressions.filter((s) => s.ruleId === line.ruleId
    || (s.ruleId === VALIDATION_FAILURE_ID && (s.appliesTo.length === 0 || s.appliesTo.includes(line.ruleId))));
  for (const s of candidates) {
    if (written === s.reason) {
      return { reason: s.reason, suppressedRuleId: s.ruleId, appliesTo: s.appliesTo };
    }
    const suffix = `] ${s.reason}`;
    if (written.startsWith('[') && written.endsWith(suffix)) {
      const finding = written.slice(1, written.length - suffix.length);
      return { reason: s.reason, suppressedRuleId: s.ruleId, finding, appliesTo: s.appliesTo };
    }
  }
  return { reason: written, appliesTo: [] };
}

function sameResult(a: ResourceResult, b: ResourceResult): boolean {
  return a.stack === b.stack && a.assembly === b.assembly && a.constructPath === b.constructPath
    && a.compliance === b.compliance && a.suppression?.reason === b.suppression?.reason
    && a.suppression?.finding === b.suppression?.finding;
}

function controlResult(
  control: NcscControl, found: RuleFindings | undefined, evidence: NcscEvidenceReference[], warnings: string[],
  partlyAssessed: boolean,
): ControlResult {
  const procedural = control.assessment === NcscAssessment.PROCEDURAL;
  if (procedural && found) {
    warnings.push(`The NCSC cdk-nag report has lines for ${control.id}, which the mapping lists as procedural; the report ignores them.`);
  }
  const resources = procedural ? [] : found?.resources ?? [];
  return {
    id: control.id,
    title: control.title,
    description: control.description,
    controlType: control.controlType,
    assessment: control.assessment,
    cdkNagRule: control.cdkNagRule,
    configRule: control.configRule,
    securityHubControl: control.securityHubControl,
    evidenceExpected: control.evidenceExpected,
    status: procedural ? proceduralStatus(evidence) : automatedStatus(resources, partlyAssessed),
    ruleInfo: procedural ? undefined : found?.ruleInfo,
    resources,
    evidence: evidence.map((e) => ({ controlId: e.controlId, reference: e.reference, owner: e.owner })),
  };
}

function proceduralStatus(evidence: NcscEvidenceReference[]): NcscControlStatus {
  return evidence.length > 0 ? NcscControlStatus.PROCEDURAL : NcscControlStatus.EVIDENCE_MISSING;
}

function automatedStatus(resources: ResourceResult[], partlyAssessed: boolean): NcscControlStatus {
  const has = (c: NagCompliance) => resources.some((r) => r.compliance === c);
  // A rule that could not evaluate a resource gives no evidence that it complies.
  if (has(NagCompliance.NON_COMPLIANT) || has(NagCompliance.UNKNOWN)) {
    return NcscControlStatus.FAIL;
  }
  if (has(NagCompliance.SUPPRESSED)) {
    return NcscControlStatus.SUPPRESSED;
  }
  if (has(NagCompliance.COMPLIANT)) {
    return NcscControlStatus.PASS;
  }
  return partlyAssessed ? NcscControlStatus.NOT_ASSESSED : NcscControlStatus.NOT_APPLICABLE;
}

/** Counts the controls of each status. */
export function countStatuses(controls: Array<{ status: NcscControlStatus }>): StatusCounts {
  const n = (s: NcscControlStatus) => controls.filter((c) => c.status === s).length;
  return {
    total: controls.length,
    pass: n(NcscControlStatus.PASS),
    fail: n(NcscControlStatus.FAIL),
    suppressed: n(NcscControlStatus.SUPPRESSED),
    notApplicable: n(NcscControlStatus.NOT_APPLICABLE),
    notAssessed: n(NcscControlStatus.NOT_ASSESSED),
    procedural: n(NcscControlStatus.PROCEDURAL),
    evidenceMissing: n(NcscControlStatus.EVIDENCE_MISSING),
  };
}

/** Returns the count of one status, for renderers that walk STATUS_ORDER. */
export function countOf(counts: StatusCounts, status: NcscControlStatus): number {
  switch (status) {
    case NcscControlStatus.PASS: return counts.pass;
    case NcscControlStatus.FAIL: return counts.fail;
    case NcscControlStatus.SUPPRESSED: return counts.suppressed;
    case NcscControlStatus.NOT_APPLICABLE: return counts.notApplicable;
    case NcscControlStatus.NOT_ASSESSED: return counts.notAssessed;
    case NcscControlStatus.PROCEDURAL: return counts.procedural;
    case NcscControlStatus.EVIDENCE_MISSING: return counts.evidenceMissing;
  }
}

function headline(counts: StatusCounts, unmapped: number, unassessed: string[]): string {
  const notAssessed = unassessed.length > 0
    ? `Not assessed: the NCSC pack did not run on ${unassessed.join(', ')}, so ${plural(counts.notAssessed, 'automated control is', 'automated controls are')} not assessed; `
    : '';
  const parts = [
    `${counts.fail} of ${counts.total} controls fail`,
    `${plural(counts.suppressed, 'control has', 'controls have')} suppressed findings, each with a recorded reason`,
    `${plural(counts.evidenceMissing, 'procedural control has', 'procedural controls have')} no evidence reference`,
  ];
  const drift = unmapped > 0 ? `; ${plural(unmapped, 'NCSC rule has', 'NCSC rules have')} no control in the mapping` : '';
  return `${notAssessed}${parts.join(', ')}${drift}.`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function stackWarnings(assemblies: CloudAssemblyContents[]): string[] {
  const warnings: string[] = [];
  for (const assembly of assemblies) {
    const stacks = assembly.stacks;
    if (stacks.every((s) => !s.nagReportFile)) {
      warnings.push(`${assembly.directory} has no ${NCSC_PACK_NAME} cdk-nag report: the NcscChecks pack did not run on it, so no automated control is assessed there. `
        + 'Apply the pack to the app and to each stage, with reports turned on.');
      continue;
    }
    for (const stack of stacks) {
      if (!stack.nagReportFile) {
        warnings.push(`Stack ${stack.stackName} in ${assembly.directory} has no ${NCSC_PACK_NAME} cdk-nag report: no NCSC rule evaluated any of its resources, or the pack is not applied to it.`);
      } else if (!stack.templateFile) {
        warnings.push(`The report ${stack.nagReportFile} matches no stack of the manifest (a nested stack?), so its resources have no logical ID.`);
      }
    }
  }
  return warnings;
}
