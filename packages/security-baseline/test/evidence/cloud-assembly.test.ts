import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssemblyReadError, readCloudAssembly } from '../../src/evidence/cloud-assembly';
import { NagCompliance, parseNagReport } from '../../src/evidence/nag-report';

const HEADER = 'Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info\n';

describe('cdk-nag CSV report', () => {
  test('reads every compliance value cdk-nag writes', () => {
    const lines = parseNagReport(HEADER
      + '"NCSC-A","S/A/Resource","Compliant","N/A","Error","Info a"\n'
      + '"NCSC-A","S/B/Resource","Non-Compliant","N/A","Warning","Info a"\n'
      + '"NCSC-A","S/C/Resource","Suppressed","Kept for now","Error","Info a"\n'
      + '"NCSC-A","S/D/Resource","UNKNOWN","N/A","Error","Info a"\n'
      + '"NCSC-A","S/E/Resource","N/A","N/A","Info","Info a"\n', 'r.csv');
    expect(lines.map((l) => [l.resourcePath, l.compliance, l.exceptionReason, l.ruleLevel])).toEqual([
      ['S/A/Resource', NagCompliance.COMPLIANT, undefined, 'Error'],
      ['S/B/Resource', NagCompliance.NON_COMPLIANT, undefined, 'Warning'],
      ['S/C/Resource', NagCompliance.SUPPRESSED, 'Kept for now', 'Error'],
      ['S/D/Resource', NagCompliance.UNKNOWN, undefined, 'Error'],
      ['S/E/Resource', NagCompliance.NOT_APPLICABLE, undefined, 'Info'],
    ]);
  });

  test('keeps commas, doubled quotes and line breaks inside a quoted field', () => {
    const [line] = parseNagReport(`${HEADER}"NCSC-A","S/A/Resource","Suppressed","Says ""yes"", then\r\nno","Error","i"\r\n`, 'r.csv');
    expect(line.exceptionReason).toBe('Says "yes", then\r\nno');
  });

  test('an empty report has no lines', () => {
    expect(parseNagReport(HEADER, 'r.csv')).toEqual([]);
  });

  test('an unknown compliance value is an error naming the file, the line and the value', () => {
    expect(() => parseNagReport(`${HEADER}"NCSC-A","S/A","Maybe","N/A","Error","i"\n`, 'r.csv'))
      .toThrow('r.csv line 2 has the compliance value "Maybe", which this reader does not know; expected one of "Compliant", "Non-Compliant", "Suppressed", "UNKNOWN", "N/A".');
  });

  test('a different header is an error', () => {
    expect(() => parseNagReport('Rule,Resource\n', 'r.csv')).toThrow(/r.csv line 1 has the columns "Rule,Resource", expected "Rule ID,Resource ID,/);
  });

  test('a line with the wrong number of fields is an error', () => {
    expect(() => parseNagReport(`${HEADER}"NCSC-A","S/A","Compliant"\n`, 'r.csv')).toThrow('r.csv line 2 has 3 fields, expected 6.');
  });

  test('an unclosed quote is an error', () => {
    expect(() => parseNagReport(`${HEADER}"NCSC-A","S/A\n`, 'r.csv')).toThrow(/r.csv line 2 has a quoted field that is never closed/);
  });
});

describe('cdk-nag JSON report', () => {
  test('reads the lines of the JSON format', () => {
    const lines = parseNagReport(JSON.stringify({
      lines: [
        { ruleId: 'NCSC-A', resourceId: 'S/A/Resource', compliance: 'Suppressed', exceptionReason: 'why', ruleLevel: 'Error', ruleInfo: 'i' },
      ],
    }), 'r.json');
    expect(lines).toEqual([{ ruleId: 'NCSC-A', resourcePath: 'S/A/Resource', compliance: NagCompliance.SUPPRESSED, exceptionReason: 'why', ruleLevel: 'Error', ruleInfo: 'i' }]);
  });

  test('a JSON report without lines is an error', () => {
    expect(() => parseNagReport('{}', 'r.json')).toThrow('r.json has no "lines" array');
  });
});

describe('cloud assembly reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncsc-assembly-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(file: string, content: unknown): void {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }

  function stackArtifact(templateFile: string, extra: object = {}): object {
    return { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-2', properties: { templateFile }, ...extra };
  }

  test('reads stacks of nested assemblies, with reports from the top directory', () => {
    // GIVEN a stage whose stack writes its report to the app's top directory, as cdk-nag does
    write('manifest.json', { artifacts: { Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } } } });
    write('assembly-Stage/manifest.json', { artifacts: { 'Stage-App': stackArtifact('Stage-App.template.json') } });
    write('assembly-Stage/Stage-App.template.json', {
      Resources: { Bucket1: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:cdk:path': 'Stage/App/Bucket/Resource' } } },
    });
    write('NCSC-Stage-App-NagReport.csv', `${HEADER}"NCSC-A","Stage/App/Bucket/Resource","Compliant","N/A","Error","i"\n`);
    // WHEN
    const assembly = readCloudAssembly(dir, 'NCSC');
    // THEN
    expect(assembly.stacks).toHaveLength(1);
    expect(assembly.stacks[0]).toMatchObject({
      stackName: 'Stage-App',
      templateFile: path.join(dir, 'assembly-Stage', 'Stage-App.template.json'),
      nagReportFile: path.join(dir, 'NCSC-Stage-App-NagReport.csv'),
      resources: [{ logicalId: 'Bucket1', type: 'AWS::S3::Bucket', constructPath: 'Stage/App/Bucket/Resource', suppressions: [] }],
    });
  });

  test('reads suppressions, with regular expression findings, and logical IDs from the manifest metadata', () => {
    write('manifest.json', { artifacts: { App: stackArtifact('App.template.json', { metadata: { '/App/Role/Resource': [{ type: 'aws:cdk:logicalId', data: 'Role1' }] } }) } });
    write('App.template.json', {
      Resources: {
        Role1: {
          Type: 'AWS::IAM::Role',
          Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'NCSC-A', reason: 'why', applies_to: ['Action::s3:*', { regex: '/^Resource::.*$/' }] }] } },
        },
      },
    });
    const [stack] = readCloudAssembly(dir, 'NCSC').stacks;
    expect(stack.resources).toEqual([{
      logicalId: 'Role1',
      type: 'AWS::IAM::Role',
      constructPath: 'App/Role/Resource',
      suppressions: [{ ruleId: 'NCSC-A', reason: 'why', appliesTo: ['Action::s3:*', 'regex /^Resource::.*$/'] }],
    }]);
    expect(stack.nagReportFile).toBeUndefined();
  });

  test('keeps a report that matches no stack, and prefers a CSV report to a JSON one', () => {
    write('manifest.json', { artifacts: {} });
    write('NCSC-AppNested1234-NagReport.csv', `${HEADER}"NCSC-A","App/Nested/Bucket/Resource","Compliant","N/A","Error","i"\n`);
    write('NCSC-AppNested1234-NagReport.json', '{"lines": []}');
    write('Other-AppNested1234-NagReport.csv', HEADER);
    const { stacks } = readCloudAssembly(dir, 'NCSC');
    expect(stacks).toHaveLength(1);
    expect(stacks[0]).toMatchObject({ stackName: 'AppNested1234', nagLines: [expect.objectContaining({ ruleId: 'NCSC-A' })] });
    expect(stacks[0].templateFile).toBeUndefined();
    expect(stacks[0].nagReportFile).toBe(path.join(dir, 'NCSC-AppNested1234-NagReport.csv'));
  });

  test('a missing directory is an AssemblyReadError that says what to do', () => {
    const missing = path.join(dir, 'nope');
    expect(() => readCloudAssembly(missing, 'NCSC')).toThrow(AssemblyReadError);
    expect(() => readCloudAssembly(missing, 'NCSC')).toThrow(`The cloud assembly directory ${missing} does not exist or is not a directory. Run "cdk synth"`);
  });

  test('a directory without manifest.json is an AssemblyReadError', () => {
    expect(() => readCloudAssembly(dir, 'NCSC')).toThrow(/Cannot read the cloud assembly manifest at .*manifest.json/);
  });

  test('a manifest that is not JSON is an AssemblyReadError', () => {
    write('manifest.json', '{ not json');
    expect(() => readCloudAssembly(dir, 'NCSC')).toThrow(/the cloud assembly manifest at .* is not valid/);
  });

  test('a missing template is an AssemblyReadError naming the stack', () => {
    write('manifest.json', { artifacts: { App: stackArtifact('App.template.json') } });
    expect(() => readCloudAssembly(dir, 'NCSC')).toThrow(/Cannot read the template of stack App at .*App.template.json/);
  });

  test('a broken report is an AssemblyReadError naming the file', () => {
    write('manifest.json', { artifacts: { App: stackArtifact('App.template.json') } });
    write('App.template.json', { Resources: {} });
    write('NCSC-App-NagReport.csv', 'bad header\n');
    expect(() => readCloudAssembly(dir, 'NCSC')).toThrow(/Cannot read the cdk-nag report: .*NCSC-App-NagReport.csv line 1 has the columns "bad header"/);
  });
});
