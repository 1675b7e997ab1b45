import * as fs from 'fs';
import * as path from 'path';
import { NASTY_REASON, WILDCARD_REASON, buildFixtureAssembly, fixtureControls } from './fixture';
import { NcscPrinciple } from '../../src/detective-controls';
import { readCloudAssembly } from '../../src/evidence/cloud-assembly';
import { ControlResult, EvidenceInputError, NcscControlStatus, NcscReport, buildNcscReport } from '../../src/evidence/model';
import { NagCompliance } from '../../src/evidence/nag-report';
import { producedByText } from '../../src/evidence/provenance';
import { renderHtml } from '../../src/evidence/render-html';
import { renderJson } from '../../src/evidence/render-json';
import { renderMarkdown } from '../../src/evidence/render-markdown';
import { NcscEvidenceReference } from '../../src/ncsc/control';

const VERSION: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
const PRODUCED_BY = producedByText(VERSION);

const EVIDENCE: NcscEvidenceReference[] = [
  { controlId: 'NCSC-P06-StaffScreening', reference: 'HR-POL-012 <rev 3>', owner: 'Head of HR' },
];

let assemblyDir: string;
let report: NcscReport;

beforeAll(() => {
  // GIVEN a synthesised app with two stacks and the NCSC pack's reports
  assemblyDir = buildFixtureAssembly();
  // WHEN the report is built with one procedural control evidenced and one not
  report = buildNcscReport({
    environment: 'production',
    generatedOn: '2026-01-31',
    assemblies: [readCloudAssembly(assemblyDir, 'NCSC')],
    controls: fixtureControls(),
    evidence: EVIDENCE,
  });
});

afterAll(() => {
  fs.rmSync(assemblyDir, { recursive: true, force: true });
});

function control(id: string): ControlResult {
  const found = report.principles.flatMap((p) => p.controls).find((c) => c.id === id);
  if (!found) {
    throw new Error(`no control ${id} in the report`);
  }
  return found;
}

describe('report model', () => {
  test('lists all 14 principles in the NCSC order, with their names and statements', () => {
    expect(report.principles.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(report.principles.map((p) => p.principle)).toEqual(Object.values(NcscPrinciple));
    expect(report.principles[0]).toMatchObject({ name: 'Data in transit protection', statement: expect.stringMatching(/tampering and eavesdropping/) });
    expect(report.principles[2].controls).toEqual([]);
  });

  test('gives each control the status its report lines and evidence call for', () => {
    const statuses = Object.fromEntries(report.principles.flatMap((p) => p.controls).map((c) => [c.id, c.status]));
    expect(statuses).toEqual({
      'NCSC-P01-QueueEncrypted': NcscControlStatus.SUPPRESSED,
      'NCSC-P02-DataStoreClassified': NcscControlStatus.FAIL,
      'NCSC-P04-SecurityGovernance': NcscControlStatus.EVIDENCE_MISSING,
      'NCSC-P05-LogGroupRetention': NcscControlStatus.PASS,
      'NCSC-P06-StaffScreening': NcscControlStatus.PROCEDURAL,
      'NCSC-P10-NoWildcardActions': NcscControlStatus.SUPPRESSED,
      'NCSC-P11-TopicChecked': NcscControlStatus.FAIL,
      'NCSC-P12-BastionSessionsLogged': NcscControlStatus.NOT_APPLICABLE,
    });
  });

  test('counts the statuses overall and per principle', () => {
    expect(report.counts).toEqual({ total: 8, pass: 1, fail: 2, suppressed: 2, notApplicable: 1, notAssessed: 0, procedural: 1, evidenceMissing: 1 });
    expect(report.principles[1].counts).toEqual({
      total: 1, pass: 0, fail: 1, suppressed: 0, notApplicable: 0, notAssessed: 0, procedural: 0, evidenceMissing: 0,
    });
    expect(report.headline).toBe('2 of 8 controls fail, 2 controls have suppressed findings, each with a recorded reason, '
      + '1 procedural control has no evidence reference; 1 NCSC rule has no control in the mapping.');
  });

  test('a suppressed result carries the reason, the resource path, the logical ID and the stack', () => {
    const legacy = control('NCSC-P01-QueueEncrypted').resources.find((r) => r.compliance === NagCompliance.SUPPRESSED);
    expect(legacy).toMatchObject({
      stack: 'FixtureData',
      constructPath: 'FixtureData/LegacyQueue/Resource',
      logicalId: expect.stringMatching(/^LegacyQueue/),
      resourceType: 'AWS::SQS::Queue',
      suppression: { reason: NASTY_REASON, suppressedRuleId: 'NCSC-P01-QueueEncrypted', appliesTo: [] },
    });
  });

  test('a suppression limited to findings names the finding and the plain reason', () => {
    const [policy] = control('NCSC-P10-NoWildcardActions').resources;
    expect(policy).toMatchObject({
      stack: 'Fixture-Audit',
      constructPath: 'FixtureAudit/ReplicationPolicy/Resource',
      suppression: { reason: WILDCARD_REASON, finding: 'Action::s3:*', appliesTo: ['Action::s3:*'] },
    });
  });

  test('a rule that could not evaluate a resource fails the control', () => {
    expect(control('NCSC-P11-TopicChecked').resources).toEqual([
      expect.objectContaining({ compliance: NagCompliance.UNKNOWN, constructPath: 'FixtureAudit/AlertTopic/Resource' }),
    ]);
  });

  test('a failing control lists its compliant and non-compliant resources', () => {
    expect(control('NCSC-P02-DataStoreClassified').resources.map((r) => [r.constructPath, r.compliance])).toEqual([
      ['FixtureData/ClassifiedBucket/Resource', NagCompliance.COMPLIANT],
      ['FixtureData/UnclassifiedBucket/Resource', NagCompliance.NON_COMPLIANT],
    ]);
  });

  test('procedural controls carry their evidence, or none', () => {
    expect(control('NCSC-P06-StaffScreening').evidence).toEqual(EVIDENCE);
    expect(control('NCSC-P04-SecurityGovernance').evidence).toEqual([]);
  });

  test('NCSC rules with no control in the mapping are listed, not dropped', () => {
    expect(report.unmappedRules.map((r) => [r.ruleId, r.resources.length])).toEqual([['NCSC-P99-NotInMapping', 2]]);
  });

  test('only the NCSC pack is read, and both stacks are listed with their environment', () => {
    const stackNames = report.principles.flatMap((p) => p.controls).flatMap((c) => c.resources).map((r) => r.stack);
    expect(new Set(stackNames)).toEqual(new Set(['FixtureData', 'Fixture-Audit']));
    expect(report.stacks.map((s) => [s.stackName, s.artifactId, s.environment])).toEqual([
      ['FixtureData', 'FixtureData', 'aws://111111111111/eu-west-2'],
      ['Fixture-Audit', 'FixtureAudit', 'aws://111111111111/eu-west-2'],
    ]);
    expect(report.warnings).toEqual([]);
  });
});

describe('evidence and mapping checks', () => {
  const build = (evidence: NcscEvidenceReference[]) => () => buildNcscReport({
    environment: 'production', generatedOn: '2026-01-31', assemblies: [], controls: fixtureControls(), evidence,
  });

  test('an unknown control ID in the evidence is an error naming it', () => {
    expect(build([{ controlId: 'NCSC-P06-Typo', reference: 'x' }])).toThrow(EvidenceInputError);
    expect(build([{ controlId: 'NCSC-P06-Typo', reference: 'x' }]))
      .toThrow(/evidence\[0\]\.controlId is "NCSC-P06-Typo", which is no control of the mapping; use one of the procedural controls: NCSC-P04-SecurityGovernance, NCSC-P06-StaffScreening/);
  });

  test('evidence for an automated control is an error', () => {
    expect(build([{ controlId: 'NCSC-P05-LogGroupRetention', reference: 'x' }])).toThrow(/an automated control whose evidence is the cdk-nag report/);
  });

  test('an empty reference is an error', () => {
    expect(build([{ controlId: 'NCSC-P06-StaffScreening', reference: ' ' }])).toThrow(/evidence\[0\]\.reference is " "; give a document reference/);
  });

  test('a control ID that repeats in the mapping is an error', () => {
    const controls = [...fixtureControls(), fixtureControls()[0]];
    expect(() => buildNcscReport({ environment: 'e', generatedOn: '2026-01-31', assemblies: [], controls }))
      .toThrow(/control "NCSC-P01-QueueEncrypted" appears more than once/);
  });

  test('an assembly with no NCSC report is a warning, and its automated controls read not assessed', () => {
    const empty = buildNcscReport({
      environment: 'e',
      generatedOn: '2026-01-31',
      controls: fixtureControls(),
      assemblies: [{ directory: '/x/cdk.out', stacks: [{ assemblyDir: '/x/cdk.out', stackName: 'S', environment: 'aws://1/r', resources: [], nagLines: [] }] }],
    });
    expect(empty.warnings).toEqual([expect.stringMatching(/^\/x\/cdk.out has no NCSC cdk-nag report: the NcscChecks pack did not run on it/)]);
    expect(empty.counts.notApplicable).toBe(0);
    expect(empty.counts.notAssessed).toBe(6);
    expect(empty.unassessedAssemblies).toEqual(['/x/cdk.out']);
    expect(empty.headline).toMatch(/^Not assessed: the NCSC pack did not run on \/x\/cdk.out, so 6 automated controls are not assessed; /);
    expect(empty.headline).not.toMatch(/not applicable/);
  });
});

describe('Markdown', () => {
  let text: string;
  beforeAll(() => {
    text = renderMarkdown(report);
  });

  test('opens with the title, the headline, the environment, the date and the assembly', () => {
    expect(text.startsWith('# NCSC Cloud Security Principles: evidence report for production\n\n**2 of 8 controls fail')).toBe(true);
    expect(text).toContain('| Environment | production |');
    expect(text).toContain('| Generated on | 2026-01-31 |');
    expect(text).toContain(`| Cloud assemblies | ${assemblyDir} |`);
  });

  test('has a summary row for each of the 14 principles and the totals', () => {
    expect(text).toContain('| 2 | [Asset protection and resilience](#principle-2) | 1 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |');
    expect(text).toContain('| 14 | [Secure use of the service](#principle-14) | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
    expect(text).toContain('| | **All principles** | **8** | **1** | **2** | **2** | **1** | **0** | **1** | **1** |');
    for (let n = 1; n <= 14; n++) {
      expect(text).toContain(`<a id="principle-${n}"></a>`);
    }
  });

  test('shows each control with its status and mapping columns', () => {
    expect(text).toContain('#### NCSC-P01-QueueEncrypted: Title of NCSC-P01-QueueEncrypted\n\nStatus: **SUPPRESSED**');
    expect(text).toContain('| DETECTIVE | AUTOMATED | - | SQS\\_QUEUE\\_ENCRYPTED | SQS.1 |');
    expect(text).toContain('Status: **EVIDENCE MISSING**');
    expect(text).toContain('- HR-POL-012 &lt;rev 3&gt; (owner: Head of HR)');
  });

  test('shows the suppression reason and the resource path, escaped', () => {
    expect(text).not.toContain('<script>');
    expect(text).toContain('| Suppressed | FixtureData | LegacyQueue');
    expect(text).toContain('FixtureData/LegacyQueue/Resource | Legacy consumer &lt;script&gt;alert("x")&lt;/script&gt; reads it \\| plain &amp; \'unencrypted\' |');
    expect(text).toContain(`${WILDCARD_REASON} (finding: Action::s3:\\*)`);
  });

  test('lists the unmapped rule', () => {
    expect(text).toContain('### NCSC-P99-NotInMapping');
  });
});

describe('HTML', () => {
  let html: string;
  beforeAll(() => {
    html = renderHtml(report);
  });

  test('is one self-contained page: inline CSS, no script, no external asset', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html).toContain('@media print');
  });

  test('escapes every value from the input', () => {
    expect(html).toContain('Legacy consumer &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; reads it | plain &amp; &#39;unencrypted&#39;');
    expect(html).toContain('HR-POL-012 &lt;rev 3&gt; (owner: Head of HR)');
  });

  test('puts the summary table first, then the details of all 14 principles', () => {
    const summary = html.indexOf('<h2 class="first">Summary</h2>');
    expect(summary).toBeGreaterThan(0);
    expect(html).toContain('<tr><td class="n">2</td><td><a href="#principle-2">Asset protection and resilience</a></td><td class="n">1</td><td class="n">0</td><td class="n">1</td>');
    for (let n = 1; n <= 14; n++) {
      expect(html.indexOf(`<h2 id="principle-${n}">Principle ${n}: `)).toBeGreaterThan(summary);
    }
  });

  test('shows each control with its status, mapping columns and resources', () => {
    expect(html).toContain('<h4>NCSC-P02-DataStoreClassified: Title of NCSC-P02-DataStoreClassified <span class="status FAIL">FAIL</span></h4>');
    expect(html).toContain('<td>REQUIRED_TAGS</td>');
    expect(html).toContain('<td class="path">FixtureData/UnclassifiedBucket/Resource</td>');
    expect(html).toContain('<span class="status NOT_APPLICABLE">NOT APPLICABLE</span>');
    expect(html).toContain('<td>Not evaluated (rule error)</td>');
  });
});

describe('JSON', () => {
  test('is the model with sorted keys, the same every time', () => {
    const json = renderJson(report);
    expect(json).toBe(renderJson(JSON.parse(json)));
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed.counts).toEqual(report.counts);
    expect(parsed.principles).toHaveLength(14);
    expect(parsed.principles[0].controls[0].resources.map((r: { suppression?: { reason: string } }) => r.suppression?.reason))
      .toEqual([NASTY_REASON, undefined]);
  });
});

describe('the revision and version in the header', () => {
  // The revision is free text, so it carries characters that each format must escape.
  const REVISION = 'git 1a2b3c4d5e6f (uncommitted changes) <main|*wip*>';
  let withRevision: NcscReport;
  beforeAll(() => {
    // GIVEN a report built with a revision
    withRevision = buildNcscReport({ environment: 'production', generatedOn: '2026-01-31', revision: REVISION, assemblies: [], controls: fixtureControls() });
  });

  test('Markdown shows the revision, escaped, and the package version', () => {
    // WHEN
    const text = renderMarkdown(withRevision);

    // THEN both rows follow the date of generation
    expect(text).toContain('| Generated on | 2026-01-31 |\n'
      + '| Code revision | git 1a2b3c4d5e6f (uncommitted changes) &lt;main\\|\\*wip\\*&gt; |\n'
      + `| Produced by | ${PRODUCED_BY} |\n`);
  });

  test('HTML shows the revision, escaped, and the package version', () => {
    // WHEN
    const html = renderHtml(withRevision);

    // THEN
    expect(html).toContain('<tr><th>Generated on</th><td>2026-01-31</td></tr>\n'
      + '<tr><th>Code revision</th><td>git 1a2b3c4d5e6f (uncommitted changes) &lt;main|*wip*&gt;</td></tr>\n'
      + `<tr><th>Produced by</th><td>${PRODUCED_BY}</td></tr>\n`);
  });

  test('JSON has the revision and the package version as fields', () => {
    // WHEN
    const parsed = JSON.parse(renderJson(withRevision));

    // THEN
    expect(parsed.revision).toBe(REVISION);
    expect(parsed.producedBy).toBe(PRODUCED_BY);
  });

  test('without a revision, every format reads "revision not given"', () => {
    // GIVEN the report built with no revision
    // WHEN it is rendered
    // THEN each format shows that, and still names the version
    expect(renderMarkdown(report)).toContain('| Code revision | revision not given |\n| Produced by | @ssd-platform/security-baseline ');
    expect(renderHtml(report)).toContain('<tr><th>Code revision</th><td>revision not given</td></tr>');
    expect(JSON.parse(renderJson(report))).toMatchObject({ revision: 'revision not given', producedBy: PRODUCED_BY });
  });
});
