import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GuardResult, formatGuardFailure, guardBinaryPath, guardTemplates, loadGuardRules } from '../cfn-guard';
import { DISABLED_GUARD_RULES, GUARD_EXEMPTIONS } from '../cfn-guard-disabled-rules';

// Each test runs the bundled cfn-guard binary; a run over small templates takes about a second.
jest.setTimeout(60_000);

const VERSIONED_KMS_BUCKET = {
  Type: 'AWS::S3::Bucket',
  Properties: {
    VersioningConfiguration: { Status: 'Enabled' },
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
  },
};

const BARE_BUCKET = { Type: 'AWS::S3::Bucket', Properties: {} };

describe('guardTemplates', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'guard-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function writeTemplate(name: string, resources: Record<string, unknown>): string {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }));
    return path;
  }

  function failuresOf(result: GuardResult | undefined, controlId: string): string[] {
    return (result?.failures ?? []).filter((failure) => failure.controlId === controlId).map((failure) => failure.logicalId ?? '(template)');
  }

  function writeRuleSet(guardText: string): string {
    const root = join(dir, 'rules');
    mkdirSync(join(root, 'cfn-guard', 'test'), { recursive: true });
    writeFileSync(join(root, 'cfn-guard', 'test', 'test-rule.guard'), guardText);
    return root;
  }

  test('bucket without versioning fails CT.S3.PR.11 and a versioned bucket passes it', async () => {
    const template = writeTemplate('buckets.template.json', { Bare: BARE_BUCKET, Versioned: VERSIONED_KMS_BUCKET });

    const result = (await guardTemplates([template])).get(template);

    expect(failuresOf(result, 'CT.S3.PR.11')).toEqual(['Bare']);
    const failure = result!.failures.find((f) => f.controlId === 'CT.S3.PR.11')!;
    expect(failure).toMatchObject({
      rule: 's3_bucket_versioning_enabled_check',
      message: 'Require an Amazon S3 bucket to have versioning enabled',
      fix: expect.stringMatching(/VersioningConfiguration/),
    });
    expect(failure.checks.join('\n')).toMatch(/at \/Resources\/Bare/);
  });

  test('bucket without KMS default encryption fails CT.S3.PR.10 and a bucket with it passes', async () => {
    const template = writeTemplate('buckets.template.json', {
      SseS3: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
      Kms: VERSIONED_KMS_BUCKET,
    });

    const result = (await guardTemplates([template])).get(template);

    expect(failuresOf(result, 'CT.S3.PR.10')).toEqual(['SseS3']);
  });

  test('unencrypted queue fails CT.SQS.PR.2 and a queue with a KMS key passes', async () => {
    const template = writeTemplate('queues.template.json', {
      Plain: { Type: 'AWS::SQS::Queue', Properties: {} },
      Encrypted: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/queues' } },
    });

    const result = (await guardTemplates([template])).get(template);

    expect(failuresOf(result, 'CT.SQS.PR.2')).toEqual(['Plain']);
  });

  test('template without resources that a rule evaluates has no failures', async () => {
    const topicOnly = writeTemplate('topic.template.json', { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } });
    const bucket = writeTemplate('bucket.template.json', { Bare: BARE_BUCKET });

    const results = await guardTemplates([topicOnly, bucket]);

    expect(results.get(topicOnly)).toEqual({ failures: [], exempted: [] });
    expect(results.get(bucket)!.failures.length).toBeGreaterThan(0);
  });

  test('results are the same for templates checked together and one at a time', async () => {
    const first = writeTemplate('first.template.json', { Bare: BARE_BUCKET });
    const second = writeTemplate('second.template.json', { Plain: { Type: 'AWS::SQS::Queue', Properties: {} }, Versioned: VERSIONED_KMS_BUCKET });

    const together = await guardTemplates([first, second]);

    expect(together.get(first)).toEqual((await guardTemplates([first])).get(first));
    expect(together.get(second)).toEqual((await guardTemplates([second])).get(second));
  });

  test('results are the same in one process and in several', async () => {
    const templates = ['a', 'b', 'c'].map((name) => writeTemplate(`${name}.template.json`, { Bare: BARE_BUCKET, Versioned: VERSIONED_KMS_BUCKET }));

    const oneProcess = await guardTemplates(templates, { processes: 1 });
    const threeProcesses = await guardTemplates(templates, { processes: 3 });

    expect(threeProcesses).toEqual(oneProcess);
    expect(failuresOf(threeProcesses.get(templates[2]), 'CT.S3.PR.11')).toEqual(['Bare']);
  });

  test('no templates runs nothing', async () => {
    expect((await guardTemplates([])).size).toBe(0);
  });

  test('disabled rule in the estate list reports nothing', async () => {
    // CT.S3.PR.4 (event notifications) is in DISABLED_GUARD_RULES.
    const template = writeTemplate('bucket.template.json', { Bare: BARE_BUCKET });

    const withEstateList = (await guardTemplates([template])).get(template);
    const withNothingDisabled = (await guardTemplates([template], { disabledRules: [] })).get(template);

    expect(failuresOf(withEstateList, 'CT.S3.PR.4')).toEqual([]);
    expect(failuresOf(withNothingDisabled, 'CT.S3.PR.4')).toEqual(['Bare']);
  });

  test('disabled rule can be named by its rule name', async () => {
    const template = writeTemplate('bucket.template.json', { Bare: BARE_BUCKET });

    const result = (await guardTemplates([template], { disabledRules: [{ control: 's3_bucket_versioning_enabled_check', reason: 'test' }] })).get(template);

    expect(failuresOf(result, 'CT.S3.PR.11')).toEqual([]);
  });

  test('estate exemption moves a server access logs bucket failure to exempted', async () => {
    const template = writeTemplate('logs.template.json', {
      NetworkLogsAccessLogsBucket1A2B3C4D: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
    });

    const result = (await guardTemplates([template])).get(template)!;

    expect(failuresOf(result, 'CT.S3.PR.10')).toEqual([]);
    expect(result.exempted.filter((f) => f.controlId === 'CT.S3.PR.10').map((f) => f.logicalId)).toEqual(['NetworkLogsAccessLogsBucket1A2B3C4D']);
  });

  test('exemption applies only to the resources and templates it names', async () => {
    const matching = writeTemplate('matching.template.json', { Fixture: BARE_BUCKET, Other: BARE_BUCKET });
    const elsewhere = writeTemplate('elsewhere.template.json', { Fixture: BARE_BUCKET });
    const exemptions = [{ control: 'CT.S3.PR.11', templatePattern: /matching\.template\.json$/, logicalIdPattern: /^Fixture$/, reason: 'test' }];

    const results = await guardTemplates([matching, elsewhere], { exemptions });

    expect(failuresOf(results.get(matching), 'CT.S3.PR.11')).toEqual(['Other']);
    expect(results.get(matching)!.exempted.map((f) => f.logicalId)).toEqual(['Fixture']);
    expect(failuresOf(results.get(elsewhere), 'CT.S3.PR.11')).toEqual(['Fixture']);
  });

  test('disabled rule that names no bundled control is an error', async () => {
    const template = writeTemplate('bucket.template.json', { Bare: BARE_BUCKET });

    await expect(guardTemplates([template], { disabledRules: [{ control: 'CT.S3.PR.99', reason: 'removed control' }] })).rejects.toThrow(/disabled rule "CT\.S3\.PR\.99" matches no control id or rule name/);
  });

  test('exemption without a template or logical id is an error', async () => {
    const template = writeTemplate('bucket.template.json', { Bare: BARE_BUCKET });

    await expect(guardTemplates([template], { exemptions: [{ control: 'CT.S3.PR.11', reason: 'everything' }] })).rejects.toThrow(/names neither a template nor a logical id; disable the rule instead/);
  });

  test('missing template is an error that names the path', async () => {
    const missing = join(dir, 'missing.template.json');

    await expect(guardTemplates([missing])).rejects.toThrow(`Cannot read template ${missing}`);
  });

  test('template that is not JSON is an error', async () => {
    const path = join(dir, 'garbage.template.json');
    writeFileSync(path, '{ not json');

    await expect(guardTemplates([path])).rejects.toThrow(/garbage\.template\.json is not valid JSON/);
  });

  test('rule file that does not parse is an error that names the file', async () => {
    const rulesRoot = writeRuleSet('rule broken_check when Resources exists {\n  Resources.*[ Type == "AWS::S3::Bucket" ] {\n    Properties ==\n');
    const template = writeTemplate('bucket.template.json', { Bare: BARE_BUCKET });

    await expect(guardTemplates([template], { rulesRoot, disabledRules: [], exemptions: [] })).rejects.toThrow(/could not parse rule file\(s\) .*test-rule\.guard/);
  });

  test('template-level failure has no logical id', async () => {
    const rulesRoot = writeRuleSet([
      'let buckets = Resources.*[ Type == "AWS::S3::Bucket" ]',
      'rule template_description_check when %buckets not empty {',
      '  Description exists',
      '  <<',
      '  [CT.TEST.PR.1]: Require a template description',
      '  [FIX]: Set Description.',
      '  >>',
      '}',
    ].join('\n'));
    const template = writeTemplate('bucket.template.json', { Bare: BARE_BUCKET });

    const failures = (await guardTemplates([template], { rulesRoot, disabledRules: [], exemptions: [] })).get(template)!.failures;

    expect(failures).toEqual([expect.objectContaining({
      rule: 'template_description_check',
      controlId: 'CT.TEST.PR.1',
      logicalId: undefined,
      message: 'Require a template description',
      fix: 'Set Description.',
    })]);
    expect(formatGuardFailure(failures[0])).toBe('CT.TEST.PR.1 (template_description_check): Require a template description. Fix: Set Description.');
  });
});

describe('disabled rules and exemptions', () => {
  const rules = loadGuardRules();
  const known = new Set(rules.flatMap((rule) => [...rule.names, ...(rule.controlId ? [rule.controlId] : [])]));

  test.each(DISABLED_GUARD_RULES.map((entry) => [entry.control, entry]))('disabled rule %s is valid', (_, entry) => {
    expect(known.has(entry.control)).toBe(true);
    expect(entry.reason.length).toBeGreaterThan(40);
  });

  const exemptionCases = GUARD_EXEMPTIONS.map((entry) => [entry.control, String(entry.logicalIdPattern ?? entry.templatePattern), entry] as const);
  test.each(exemptionCases)('exemption of %s for %s is valid', (_control, _pattern, entry) => {
    expect(known.has(entry.control)).toBe(true);
    expect(entry.templatePattern ?? entry.logicalIdPattern).toBeDefined();
    expect(entry.reason.length).toBeGreaterThan(40);
  });

  test('every bundled rule has a control id', async () => {
    expect(rules.filter((rule) => rule.controlId === undefined).map((rule) => rule.file)).toEqual([]);
  });
});

describe('guardBinaryPath', () => {
  test('platform without a bundled binary is an error', async () => {
    expect(() => guardBinaryPath('win32', 'x64')).toThrow(/bundles no cfn-guard binary for win32\/x64/);
  });

  test('Linux on x64 uses the ubuntu x86_64 build', async () => {
    expect(guardBinaryPath('linux', 'x64')).toMatch(/bin\/ubuntu\/x86_64\/cfn-guard$/);
  });
});
