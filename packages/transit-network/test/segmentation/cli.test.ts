import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { NON_PRODUCTION, buildTier, removeAssemblies, synthesise } from './fixtures';
import { RoutingDomain } from '../../src';
import { runCli } from '../../src/segmentation/cli';
import { SegmentationReport } from '../../src/segmentation/report';

let reportDir: string;
let clean: string;
let leaking: string;

beforeAll(() => {
  reportDir = mkdtempSync(join(tmpdir(), 'segmentation-reports-'));
  clean = synthesise((app) => buildTier(app, NON_PRODUCTION));
  leaking = synthesise((app) => {
    const tier = buildTier(app, NON_PRODUCTION);
    new ec2.CfnTransitGatewayRouteTablePropagation(Stack.of(tier.businessA), 'LeakIntoBusiness', {
      transitGatewayAttachmentId: tier.businessA.attachmentId,
      transitGatewayRouteTableId: tier.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
    });
  });
});

afterAll(() => {
  removeAssemblies();
  rmSync(reportDir, { recursive: true, force: true });
});

/** Runs the CLI and returns its exit status and what it wrote. */
function run(...argv: string[]): { status: number; log: string; error: string } {
  const log: string[] = [];
  const error: string[] = [];
  const status = runCli(argv, { log: (line) => log.push(line), error: (line) => error.push(line) });
  return { status, log: log.join('\n'), error: error.join('\n') };
}

describe('segmentation CLI', () => {
  test('clean estate exits 0', () => {
    const result = run('--assembly', clean, '--report-dir', reportDir, '--environment', 'clean');

    expect(result.status).toBe(0);
    expect(result.log).toMatch(/^Segmentation of clean: passed/);
    expect(result.log).toMatch(/proven {9}domainPolicyHolds \(\d+ paths checked\)/);
    const report = JSON.parse(readFileSync(join(reportDir, 'segmentation-clean.json'), 'utf8')) as SegmentationReport;
    expect(report.passed).toBe(true);
    expect(report.intents.map((intent) => intent.status)).toEqual(['not-applicable', 'proven', 'not-applicable', 'not-applicable', 'proven']);
  });

  test('Markdown report lists intents', () => {
    run('--assembly', clean, '--report-dir', reportDir, '--environment', 'clean');
    const markdown = readFileSync(join(reportDir, 'segmentation-clean.md'), 'utf8');

    expect(markdown).toMatch(/^# Segmentation report: clean\n\n\*\*Passed\*\*/);
    expect(markdown).toMatch(/\| internetOnlyThroughEgressFirewall \| proven \| \d+ \| 0 \| 0 \|/);
    expect(markdown).toMatch(/### External values\n\nNone/);
  });

  test('violation exits 1 with the path', () => {
    const result = run('--assembly', leaking, '--report-dir', reportDir, '--environment', 'leaking');

    expect(result.status).toBe(1);
    expect(result.log).toMatch(/violated {7}domainPolicyHolds/);
    expect(result.log).toMatch(/- VPC non-production-benefit-b .* reaches VPC non-production-benefit-a/);
    expect(result.log).toMatch(/propagated by NonProd-BenefitA\/LeakIntoBusiness/);
    const markdown = readFileSync(join(reportDir, 'segmentation-leaking.md'), 'utf8');
    expect(markdown).toMatch(/### Violations \(\d+\)\n\n1\. VPC non-production-benefit-b/);
    expect(markdown).toMatch(/ {3}```text\n {3}From VPC non-production-benefit-b in eu-west-2a/);
  });

  test('policy file changes the verdict', () => {
    const policy = join(reportDir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ connections: [{ domain: 'business-application', peer: 'internet-dmz' }, { domain: 'management', peer: 'internet-dmz' }] }));

    const result = run('--assembly', clean, '--report-dir', reportDir, '--environment', 'strict', '--policy', policy);

    expect(result.status).toBe(1);
    expect(result.log).toMatch(/VPC non-production-management .* reaches VPC non-production-benefit-a .*the routing policy does not connect management and business-application/);
  });

  test('missing arguments exit 2', () => {
    const result = run('--report-dir');

    expect(result.status).toBe(2);
    expect(result.error).toMatch(/^Invalid arguments: --report-dir needs a value; --assembly is missing; --report-dir is missing\.\n\nUsage:/);
  });

  test('bad bind exits 2', () => {
    expect(run('--assembly', clean, '--report-dir', reportDir, '--bind', 'tgw-1').error).toMatch(/--bind "tgw-1" is not <value>=<resource>/);
    expect(run('--assembly', clean, '--report-dir', reportDir, '--bind', 'tgw-1=Nowhere/Hub').error)
      .toMatch(/^Segmentation check failed: Invalid bindings:\n {2}- tgw-1 is bound to Nowhere\/Hub, which names no resource/);
  });

  test('folder without manifest exits 2', () => {
    const result = run('--assembly', reportDir, '--report-dir', reportDir);

    expect(result.status).toBe(2);
    expect(result.error).toMatch(/is not a cloud assembly: it has no manifest\.json/);
  });

  test('invalid policy exits 2', () => {
    const policy = join(reportDir, 'bad-policy.json');
    writeFileSync(policy, JSON.stringify({ connections: [{ domain: 'internet-dmz', peer: 'government-network-business-dmz' }] }));

    const result = run('--assembly', clean, '--report-dir', reportDir, '--policy', policy);

    expect(result.status).toBe(2);
    expect(result.error).toMatch(/would give the internet a route to the government network/);
  });
});
