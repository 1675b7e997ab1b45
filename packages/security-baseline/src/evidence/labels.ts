import { NcscControlStatus, StatusCounts } from './model';
import { NagCompliance } from './nag-report';

/** Returns the label of a status in the rendered reports. */
export function statusLabel(status: NcscControlStatus): string {
  switch (status) {
    case NcscControlStatus.PASS: return 'PASS';
    case NcscControlStatus.FAIL: return 'FAIL';
    case NcscControlStatus.SUPPRESSED: return 'SUPPRESSED';
    case NcscControlStatus.NOT_APPLICABLE: return 'NOT APPLICABLE';
    case NcscControlStatus.NOT_ASSESSED: return 'NOT ASSESSED';
    case NcscControlStatus.PROCEDURAL: return 'PROCEDURAL';
    case NcscControlStatus.EVIDENCE_MISSING: return 'EVIDENCE MISSING';
  }
}

/** Returns the meaning of a status, for the legend of the rendered reports. */
export function statusMeaning(status: NcscControlStatus): string {
  switch (status) {
    case NcscControlStatus.PASS: return 'The control\'s rule checked at least one resource, and every resource complies.';
    case NcscControlStatus.FAIL: return 'At least one resource does not comply, or the rule could not evaluate it.';
    case NcscControlStatus.SUPPRESSED: return 'Some findings are suppressed, each with the reason recorded in the template, and none fails.';
    case NcscControlStatus.NOT_APPLICABLE: return 'No resource of this environment is of a kind the rule checks, for example no database yet; the control is not evidenced here.';
    case NcscControlStatus.NOT_ASSESSED: return 'The NCSC pack did not run on at least one assembly, and the rule found no resource it applies to in the others.';
    case NcscControlStatus.PROCEDURAL: return 'A process control; the evidence is the referenced document or record.';
    case NcscControlStatus.EVIDENCE_MISSING: return 'A process control with no evidence reference supplied.';
  }
}

/** Returns the label of the result of a rule on one resource. */
export function complianceLabel(compliance: NagCompliance): string {
  switch (compliance) {
    case NagCompliance.COMPLIANT: return 'Compliant';
    case NagCompliance.NON_COMPLIANT: return 'Non-compliant';
    case NagCompliance.SUPPRESSED: return 'Suppressed';
    case NagCompliance.UNKNOWN: return 'Not evaluated (rule error)';
    case NagCompliance.NOT_APPLICABLE: return 'Not applicable';
  }
}

/** The headings of the per-principle count columns, in STATUS_ORDER. */
export const COUNT_HEADINGS = ['Pass', 'Fail', 'Suppressed', 'Not applicable', 'Not assessed', 'Procedural', 'Evidence missing'];

/**
 * Returns a report's counts as one line, in the words of the report's count columns. The
 * command and the main job both print it, so each status has one name everywhere. The not
 * assessed count appears only when it is not zero.
 */
export function countsSummary(counts: StatusCounts): string {
  const parts = [
    `${counts.pass} pass`,
    `${counts.fail} fail`,
    `${counts.suppressed} suppressed`,
    `${counts.notApplicable} not applicable`,
  ];
  if (counts.notAssessed > 0) {
    parts.push(`${counts.notAssessed} not assessed`);
  }
  parts.push(`${counts.procedural} procedural`, `${counts.evidenceMissing} evidence missing`);
  return parts.join(', ');
}
