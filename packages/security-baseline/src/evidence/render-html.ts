import * as path from 'path';
import { COUNT_HEADINGS, complianceLabel, statusLabel, statusMeaning } from './labels';
import { ControlResult, NcscControlStatus, NcscReport, ResourceResult, STATUS_ORDER, StatusCounts, countOf } from './model';
import { suppressionText } from './render-markdown';

// Status colours are a help on screen only: every status is also written as a word, so a
// black and white print reads the same.
const STYLE = `
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #1b1b1b; margin: 2em auto; max-width: 70em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #1b1b1b; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.15em; margin-top: 1.6em; }
h4 { font-size: 1em; margin: 1.2em 0 0.3em; }
.headline { font-size: 1.1em; font-weight: bold; }
.statement { font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #8a8a8a; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eeeeee; }
td.n, th.n { text-align: right; }
td.path { word-break: break-all; font-family: Consolas, monospace; font-size: 0.9em; }
.status { font-weight: bold; padding: 0 0.3em; border: 1px solid #1b1b1b; white-space: nowrap; }
.PASS { background: #d9f2d9; }
.FAIL { background: #f8d0d0; }
.SUPPRESSED { background: #fbeac0; }
.NOT_APPLICABLE { background: #e8e8e8; }
.NOT_ASSESSED { background: #ffe8b0; }
.PROCEDURAL { background: #d9e6f7; }
.EVIDENCE_MISSING { background: #f8d0d0; }
.control { border-left: 4px solid #8a8a8a; padding-left: 0.8em; margin-bottom: 1.2em; }
.warning { border: 1px solid #1b1b1b; padding: 0.5em 1em; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  a { color: inherit; text-decoration: none; }
  h2 { break-before: page; }
  h2.first { break-before: auto; }
  .control, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/**
 * Renders the report as one self-contained HTML page: inline CSS, no script, no external
 * asset, every value escaped. A summary table per principle comes first, then the details.
 */
export function renderHtml(report: NcscReport): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en-GB">', '<head>', '<meta charset="utf-8">');
  out.push(`<title>${esc(report.title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>');
  out.push(`<h1>${esc(report.title)}</h1>`, `<p class="headline">${esc(report.headline)}</p>`);
  out.push('<table>');
  out.push(row('Environment', esc(report.environment)));
  out.push(row('Generated on', esc(report.generatedOn)));
  out.push(row('Code revision', esc(report.revision)));
  out.push(row('Produced by', esc(report.producedBy)));
  out.push(row('cdk-nag rule pack', esc(report.packName)));
  out.push(row('Cloud assemblies', report.assemblies.map(esc).join('<br>')));
  out.push('</table>');

  out.push('<h2 class="first">Summary</h2>');
  out.push('<table>', '<thead><tr><th class="n">#</th><th>Principle</th><th class="n">Controls</th>'
    + COUNT_HEADINGS.map((h) => `<th class="n">${esc(h)}</th>`).join('') + '</tr></thead>', '<tbody>');
  for (const p of report.principles) {
    out.push(`<tr><td class="n">${p.number}</td><td><a href="#principle-${p.number}">${esc(p.name)}</a></td>${countCells(p.counts)}</tr>`);
  }
  out.push(`<tr><th></th><th>All principles</th>${countCells(report.counts, 'th')}</tr>`, '</tbody>', '</table>');

  out.push('<h3>What the statuses mean</h3>', '<table><tbody>');
  for (const status of STATUS_ORDER) {
    out.push(`<tr><td>${badge(status)}</td><td>${esc(statusMeaning(status))}</td></tr>`);
  }
  out.push('</tbody></table>');

  if (report.warnings.length > 0) {
    out.push('<h3>Warnings</h3>', '<div class="warning"><ul>');
    report.warnings.forEach((w) => out.push(`<li>${esc(w)}</li>`));
    out.push('</ul></div>');
  }

  for (const p of report.principles) {
    out.push(`<h2 id="principle-${p.number}">Principle ${p.number}: ${esc(p.name)}</h2>`);
    out.push(`<p class="statement">${esc(p.statement)}</p>`);
    if (p.controls.length === 0) {
      out.push('<p>No control of the mapping gives evidence for this principle.</p>');
    }
    p.controls.forEach((c) => renderControl(c, out));
  }

  out.push('<h2>NCSC rules with no control in the mapping</h2>');
  if (report.unmappedRules.length === 0) {
    out.push('<p>None: every NCSC rule in the cdk-nag reports has a control in the mapping.</p>');
  } else {
    out.push('<p>These rules reported on resources, but the mapping has no control for them. Add them to the mapping, or remove them from the pack.</p>');
    for (const rule of report.unmappedRules) {
      out.push(`<h3>${esc(rule.ruleId)}</h3>`, `<p>${esc(rule.ruleInfo)}</p>`);
      renderResources(rule.resources, out);
    }
  }

  out.push('<h2>Stacks read</h2>', '<table>');
  out.push('<thead><tr><th>Stack</th><th>Environment</th><th>Template</th><th>NCSC cdk-nag report</th><th>Cloud assembly</th></tr></thead>', '<tbody>');
  for (const s of report.stacks) {
    out.push(`<tr><td>${esc(s.stackName)}</td><td>${esc(s.environment)}</td><td class="path">${esc(baseName(s.templateFile))}</td>`
      + `<td class="path">${esc(baseName(s.nagReportFile))}</td><td class="path">${esc(s.assembly)}</td></tr>`);
  }
  out.push('</tbody>', '</table>', '</body>', '</html>', '');
  return out.join('\n');
}

function renderControl(c: ControlResult, out: string[]): void {
  out.push('<div class="control">');
  out.push(`<h4>${esc(c.id)}: ${esc(c.title)} ${badge(c.status)}</h4>`, `<p>${esc(c.description)}</p>`);
  out.push('<table><thead><tr><th>Control type</th><th>Assessment</th><th>Reused cdk-nag rule</th><th>AWS Config rule</th><th>Security Hub control</th></tr></thead>');
  out.push(`<tbody><tr><td>${esc(c.controlType)}</td><td>${esc(c.assessment)}</td><td>${esc(c.cdkNagRule ?? '-')}</td>`
    + `<td>${esc(c.configRule ?? '-')}</td><td>${esc(c.securityHubControl ?? '-')}</td></tr></tbody></table>`);
  if (c.evidenceExpected) {
    out.push(`<p>Evidence expected: ${esc(c.evidenceExpected)}</p>`);
  }
  if (c.evidence.length > 0) {
    out.push('<p>Evidence:</p>', '<ul>');
    c.evidence.forEach((e) => out.push(`<li>${esc(e.reference)}${e.owner ? ` (owner: ${esc(e.owner)})` : ''}</li>`));
    out.push('</ul>');
  } else if (c.assessment === 'PROCEDURAL') {
    out.push('<p>Evidence: none supplied.</p>');
  }
  if (c.ruleInfo) {
    out.push(`<p>Finding when the rule fails: ${esc(c.ruleInfo)}</p>`);
  }
  if (c.resources.length > 0) {
    renderResources(c.resources, out);
  }
  out.push('</div>');
}

function renderResources(resources: ResourceResult[], out: string[]): void {
  out.push('<table>', '<thead><tr><th>Result</th><th>Stack</th><th>Logical ID</th><th>Construct path</th><th>Suppression reason</th></tr></thead>', '<tbody>');
  for (const r of resources) {
    out.push(`<tr><td>${esc(complianceLabel(r.compliance))}</td><td>${esc(r.stack)}</td><td class="path">${esc(r.logicalId ?? '-')}</td>`
      + `<td class="path">${esc(r.constructPath)}</td><td>${esc(suppressionText(r))}</td></tr>`);
  }
  out.push('</tbody>', '</table>');
}

function badge(status: NcscControlStatus): string {
  return `<span class="status ${status}">${esc(statusLabel(status))}</span>`;
}

function row(heading: string, html: string): string {
  return `<tr><th>${esc(heading)}</th><td>${html}</td></tr>`;
}

function countCells(counts: StatusCounts, cell: 'td' | 'th' = 'td'): string {
  return [counts.total, ...STATUS_ORDER.map((s) => countOf(counts, s))]
    .map((n) => `<${cell} class="n">${n}</${cell}>`).join('');
}

function baseName(file: string | undefined): string {
  return file ? path.basename(file) : '-';
}

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
