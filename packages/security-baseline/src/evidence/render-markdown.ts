import * as path from 'path';
import { COUNT_HEADINGS, complianceLabel, statusLabel, statusMeaning } from './labels';
import { ControlResult, NcscReport, ResourceResult, STATUS_ORDER, StatusCounts, countOf } from './model';

/**
 * Renders the report as Markdown.
 *
 * Every value from the input is escaped: a Markdown viewer renders inline HTML, so a
 * suppression reason such as `<script>` must reach the reader as text, and a `|` must
 * not split a table cell.
 */
export function renderMarkdown(report: NcscReport): string {
  const out: string[] = [];
  out.push(`# ${md(report.title)}`, '', `**${md(report.headline)}**`, '');
  out.push('| | |', '| --- | --- |');
  out.push(`| Environment | ${md(report.environment)} |`);
  out.push(`| Generated on | ${md(report.generatedOn)} |`);
  out.push(`| Code revision | ${md(report.revision)} |`);
  out.push(`| Produced by | ${md(report.producedBy)} |`);
  out.push(`| cdk-nag rule pack | ${md(report.packName)} |`);
  out.push(`| Cloud assemblies | ${report.assemblies.map(md).join('<br>')} |`);
  out.push('');

  out.push('## Summary', '');
  out.push(`| # | Principle | Controls | ${COUNT_HEADINGS.join(' | ')} |`);
  out.push(`| ---: | --- | ---: | ${COUNT_HEADINGS.map(() => '---:').join(' | ')} |`);
  for (const p of report.principles) {
    out.push(`| ${p.number} | [${md(p.name)}](#${anchor(p.number)}) | ${countCells(p.counts)} |`);
  }
  out.push(`| | **All principles** | ${countCells(report.counts, true)} |`, '');

  out.push('### What the statuses mean', '');
  for (const status of STATUS_ORDER) {
    out.push(`- **${statusLabel(status)}**: ${statusMeaning(status)}`);
  }
  out.push('');

  if (report.warnings.length > 0) {
    out.push('## Warnings', '');
    report.warnings.forEach((w) => out.push(`- ${md(w)}`));
    out.push('');
  }

  out.push('## Principles', '');
  for (const p of report.principles) {
    out.push(`<a id="${anchor(p.number)}"></a>`, '');
    out.push(`### ${p.number}. ${md(p.name)}`, '', `*${md(p.statement)}*`, '');
    if (p.controls.length === 0) {
      out.push('No control of the mapping gives evidence for this principle.', '');
    }
    p.controls.forEach((c) => renderControl(c, out));
  }

  out.push('## NCSC rules with no control in the mapping', '');
  if (report.unmappedRules.length === 0) {
    out.push('None: every NCSC rule in the cdk-nag reports has a control in the mapping.', '');
  } else {
    out.push('These rules reported on resources, but the mapping has no control for them. Add them to the mapping, or remove them from the pack.', '');
    for (const rule of report.unmappedRules) {
      out.push(`### ${md(rule.ruleId)}`, '', md(rule.ruleInfo), '');
      renderResources(rule.resources, out);
    }
  }

  out.push('## Stacks read', '');
  out.push('| Stack | Environment | Template | NCSC cdk-nag report | Cloud assembly |', '| --- | --- | --- | --- | --- |');
  for (const s of report.stacks) {
    out.push(`| ${md(s.stackName)} | ${md(s.environment)} | ${md(baseName(s.templateFile))} | ${md(baseName(s.nagReportFile))} | ${md(s.assembly)} |`);
  }
  out.push('');
  return out.join('\n');
}

function renderControl(c: ControlResult, out: string[]): void {
  out.push(`#### ${md(c.id)}: ${md(c.title)}`, '', `Status: **${statusLabel(c.status)}**`, '', md(c.description), '');
  out.push('| Control type | Assessment | Reused cdk-nag rule | AWS Config rule | Security Hub control |', '| --- | --- | --- | --- | --- |');
  out.push(`| ${md(c.controlType)} | ${md(c.assessment)} | ${md(c.cdkNagRule ?? '-')} | ${md(c.configRule ?? '-')} | ${md(c.securityHubControl ?? '-')} |`, '');
  if (c.evidenceExpected) {
    out.push(`Evidence expected: ${md(c.evidenceExpected)}`, '');
  }
  if (c.evidence.length > 0) {
    out.push('Evidence:', '');
    c.evidence.forEach((e) => out.push(`- ${md(e.reference)}${e.owner ? ` (owner: ${md(e.owner)})` : ''}`));
    out.push('');
  } else if (c.assessment === 'PROCEDURAL') {
    out.push('Evidence: none supplied.', '');
  }
  if (c.ruleInfo) {
    out.push(`Finding when the rule fails: ${md(c.ruleInfo)}`, '');
  }
  if (c.resources.length > 0) {
    renderResources(c.resources, out);
  }
}

function renderResources(resources: ResourceResult[], out: string[]): void {
  out.push('| Result | Stack | Logical ID | Construct path | Suppression reason |', '| --- | --- | --- | --- | --- |');
  for (const r of resources) {
    out.push(`| ${complianceLabel(r.compliance)} | ${md(r.stack)} | ${md(r.logicalId ?? '-')} | ${md(r.constructPath)} | ${md(suppressionText(r))} |`);
  }
  out.push('');
}

/** Describes the suppression of a resource result in one line, or returns an empty string when there is none. */
export function suppressionText(r: ResourceResult): string {
  const s = r.suppression;
  if (!s) {
    return '';
  }
  const finding = s.finding ? ` (finding: ${s.finding})` : '';
  // A suppression of CdkNagValidationFailure covers a rule error, not a finding, so the text names it.
  const rule = s.suppressedRuleId === 'CdkNagValidationFailure' ? ` (suppressed as ${s.suppressedRuleId})` : '';
  return `${s.reason}${finding}${rule}`;
}

function countCells(counts: StatusCounts, bold = false): string {
  const cells = [counts.total, ...STATUS_ORDER.map((s) => countOf(counts, s))].map(String);
  return (bold ? cells.map((c) => `**${c}**`) : cells).join(' | ');
}

function anchor(principleNumber: number): string {
  return `principle-${principleNumber}`;
}

function baseName(file: string | undefined): string {
  return file ? path.basename(file) : '-';
}

/** Escapes text for a Markdown table cell or paragraph: HTML, emphasis and link characters, pipes and line breaks. */
export function md(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}
