/**
 * Reads the compliance reports that cdk-nag writes next to the templates.
 *
 * cdk-nag 2.37 writes one report per rule pack and stack, named
 * `<pack>-<stack name>-NagReport.csv` (or `.json` when the JSON format is chosen).
 * Each line is one rule applied to one resource. The compliance column contains one of:
 * `Compliant`; `Non-Compliant` (one line per finding, so a resource can appear more than
 * once); `Suppressed` (a finding, or a rule error, that a suppression covers; the
 * exception reason column then contains the suppression reason, prefixed with
 * `[finding]` when the suppression names the findings it applies to); and `UNKNOWN`
 * (the rule threw while evaluating the resource, usually because a value was a token).
 * cdk-nag writes no line for a rule that does not apply to a resource, but `N/A` is
 * accepted too, because that is the value of its not-applicable state.
 */

/** The compliance of one report line, in the report's own terms. */
export enum NagCompliance {
  COMPLIANT = 'COMPLIANT',
  NON_COMPLIANT = 'NON_COMPLIANT',
  SUPPRESSED = 'SUPPRESSED',
  /** The rule could not evaluate the resource. */
  UNKNOWN = 'UNKNOWN',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

/** One line of a cdk-nag report. */
export interface NagReportLine {
  readonly ruleId: string;
  /** The construct path of the resource, for example `Stack/Bucket/Resource`. */
  readonly resourcePath: string;
  readonly compliance: NagCompliance;
  /** The suppression reason, for a suppressed line. */
  readonly exceptionReason?: string;
  /** `Error`, `Warning` or `Info`. */
  readonly ruleLevel: string;
  readonly ruleInfo: string;
}

const CSV_COLUMNS = ['Rule ID', 'Resource ID', 'Compliance', 'Exception Reason', 'Rule Level', 'Rule Info'];

const COMPLIANCE_VALUES: { [value: string]: NagCompliance } = {
  'Compliant': NagCompliance.COMPLIANT,
  'Non-Compliant': NagCompliance.NON_COMPLIANT,
  'Suppressed': NagCompliance.SUPPRESSED,
  'UNKNOWN': NagCompliance.UNKNOWN,
  'N/A': NagCompliance.NOT_APPLICABLE,
};

/** Returns the file names of a pack's reports for a stack, in the order they are looked for. */
export function nagReportFileNames(packName: string, stackName: string): string[] {
  return [`${packName}-${stackName}-NagReport.csv`, `${packName}-${stackName}-NagReport.json`];
}

/**
 * Parses the text of a cdk-nag report.
 *
 * @param text the file's content
 * @param fileName the file's path, for error messages; its extension selects the format
 */
export function parseNagReport(text: string, fileName: string): NagReportLine[] {
  const content = stripByteOrderMark(text);
  return fileName.endsWith('.json') ? parseJsonReport(content, fileName) : parseCsvReport(content, fileName);
}

/** Removes a UTF-8 byte order mark at the start of a file's text, which editors on Windows add. */
export function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseCsvReport(text: string, fileName: string): NagReportLine[] {
  const records = parseCsv(text, fileName);
  if (records.length === 0) {
    throw new Error(`${fileName} is empty; a cdk-nag report starts with the header line "${CSV_COLUMNS.join(',')}".`);
  }
  const header = records[0].fields;
  if (header.join(',') !== CSV_COLUMNS.join(',')) {
    throw new Error(`${fileName} line 1 has the columns "${header.join(',')}", expected "${CSV_COLUMNS.join(',')}". Was it written by cdk-nag 2.x?`);
  }
  return records.slice(1).map((record) => {
    const where = `${fileName} line ${record.line}`;
    if (record.fields.length !== CSV_COLUMNS.length) {
      throw new Error(`${where} has ${record.fields.length} fields, expected ${CSV_COLUMNS.length}.`);
    }
    const [ruleId, resourcePath, compliance, exceptionReason, ruleLevel, ruleInfo] = record.fields;
    return toLine({ ruleId, resourcePath, compliance, exceptionReason, ruleLevel, ruleInfo }, where);
  });
}

function parseJsonReport(text: string, fileName: string): NagReportLine[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${fileName} is not valid JSON: ${(e as Error).message}`);
  }
  const lines = (parsed as { lines?: unknown }).lines;
  if (!Array.isArray(lines)) {
    throw new Error(`${fileName} has no "lines" array; a cdk-nag JSON report is {"lines": [...]}.`);
  }
  return lines.map((entry, index) => {
    const e = (entry ?? {}) as { [key: string]: unknown };
    return toLine({
      ruleId: e.ruleId,
      resourcePath: e.resourceId,
      compliance: e.compliance,
      exceptionReason: e.exceptionReason,
      ruleLevel: e.ruleLevel,
      ruleInfo: e.ruleInfo,
    }, `${fileName} line ${index + 1} of "lines"`);
  });
}

interface RawLine {
  readonly ruleId: unknown;
  readonly resourcePath: unknown;
  readonly compliance: unknown;
  readonly exceptionReason: unknown;
  readonly ruleLevel: unknown;
  readonly ruleInfo: unknown;
}

function toLine(raw: RawLine, where: string): NagReportLine {
  const compliance = typeof raw.compliance === 'string' ? COMPLIANCE_VALUES[raw.compliance] : undefined;
  if (compliance === undefined) {
    throw new Error(`${where} has the compliance value ${JSON.stringify(raw.compliance)}, which this reader does not know; `
      + `expected one of ${Object.keys(COMPLIANCE_VALUES).map((v) => `"${v}"`).join(', ')}.`);
  }
  if (typeof raw.ruleId !== 'string' || raw.ruleId === '' || typeof raw.resourcePath !== 'string' || raw.resourcePath === '') {
    throw new Error(`${where} has no rule ID or no resource ID.`);
  }
  const reason = typeof raw.exceptionReason === 'string' ? raw.exceptionReason : '';
  return {
    ruleId: raw.ruleId,
    resourcePath: raw.resourcePath,
    compliance,
    // cdk-nag writes "N/A" in the reason column of every line that is not suppressed.
    exceptionReason: compliance === NagCompliance.SUPPRESSED ? reason : undefined,
    ruleLevel: typeof raw.ruleLevel === 'string' ? raw.ruleLevel : '',
    ruleInfo: typeof raw.ruleInfo === 'string' ? raw.ruleInfo : '',
  };
}

interface CsvRecord {
  /** The line the record starts on, counting from 1. */
  readonly line: number;
  readonly fields: string[];
}

/**
 * Splits CSV text into records. Quoted fields may hold commas, doubled quotes and line
 * breaks, because a suppression reason is free text. A quote inside an unquoted field, or
 * text after the closing quote of a field, is an error: the file was not written by a CSV
 * writer, and guessing what it means could change a rule ID or a compliance value.
 */
function parseCsv(text: string, fileName: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let closedQuote = false;
  let line = 1;
  let recordLine = 1;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
    closedQuote = false;
  };
  const endRecord = () => {
    endField();
    // A blank line (one empty field) is not a record.
    if (!(fields.length === 1 && fields[0] === '')) {
      records.push({ line: recordLine, fields });
    }
    fields = [];
  };
  const malformed = (problem: string): Error =>
    new Error(`${fileName} line ${line} is not valid CSV: ${problem}. A field that contains a quote must be quoted, with the quote doubled.`);

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        closedQuote = true;
      } else {
        if (c === '\n') {
          line++;
        }
        field += c;
      }
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      endRecord();
      line++;
      recordLine = line;
    } else if (closedQuote) {
      throw malformed(`the text ${JSON.stringify(c)} follows the closing quote of field ${fields.length + 1}`);
    } else if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === '"') {
      throw malformed(`field ${fields.length + 1} is not quoted but contains a quote (${JSON.stringify(field + c)})`);
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) {
    throw new Error(`${fileName} line ${recordLine} has a quoted field that is never closed.`);
  }
  if (field !== '' || fields.length > 0 || closedQuote) {
    endRecord();
  }
  return records;
}
