import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack, Tags, aws_certificatemanager as acm, aws_ec2 as ec2, aws_s3 as s3 } from 'aws-cdk-lib';
import { ENV, NON_PRODUCTION, buildTier, removeAssemblies, synthesise } from './fixtures';
import { IngressDmz, RoutingDomain, SpokeVpc, TransitHub } from '../../src';
import { checkSegmentation } from '../../src/segmentation';
import { quote, renderDot, renderSvg, writeDiagram } from '../../src/segmentation/diagram';
import { NetworkModel } from '../../src/segmentation/model';

const REMOTE_TRANSIT_GATEWAY_ID = 'tgw-0a1b2c3d4e5f67890';
const QUOTED_NAME = 'lab "blue" \\ test';

afterAll(removeAssemblies);

/**
 * Builds a tier, an ingress DMZ on its hub, a spoke in another account attached to a
 * transit gateway ID that names nothing in the assembly, and a VPC whose Name tag contains
 * quotes and a backslash.
 */
function buildEstate(app: App): void {
  const tier = buildTier(app, NON_PRODUCTION);

  const ingressStack = new Stack(app, 'NonProd-Ingress', { env: ENV });
  new IngressDmz(ingressStack, 'Ingress', {
    hub: tier.hub,
    cidr: '10.64.20.0/24',
    internalCidrs: [NON_PRODUCTION.supernet],
    logBucket: s3.Bucket.fromBucketName(ingressStack, 'Logs', 'example-log-archive'),
    certificate: acm.Certificate.fromCertificateArn(ingressStack, 'Certificate',
      'arn:aws:acm:eu-west-2:111111111111:certificate/11111111-2222-3333-4444-555555555555'),
    deletionProtection: false,
  });

  const remoteStack = new Stack(app, 'Remote', { env: { account: '222222222222', region: ENV.region } });
  new SpokeVpc(remoteStack, 'Remote', {
    hub: TransitHub.fromTransitHubAttributes(remoteStack, 'Hub', { transitGatewayId: REMOTE_TRANSIT_GATEWAY_ID, tierName: NON_PRODUCTION.tierName }),
    domain: RoutingDomain.SHARED_SERVICES,
    vpcName: 'remote-shared',
    cidr: '10.80.0.0/20',
    flowLogBucket: s3.Bucket.fromBucketName(remoteStack, 'Logs', 'example-log-archive'),
    sessionManagerEndpoints: false,
  });

  const labStack = new Stack(app, 'Lab', { env: ENV });
  const lab = new ec2.CfnVPC(labStack, 'LabVpc', { cidrBlock: '192.168.0.0/24' });
  Tags.of(lab).add('Name', QUOTED_NAME);
}

/** Returns the edge lines of DOT text that go from a node whose ID contains `from` to one whose ID contains `to`. */
function edges(dot: string, from: string, to: string): string[] {
  return dot.split('\n').filter((line) => {
    const match = /^\s*"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)"/.exec(line);
    return match !== null && match[1].includes(from) && match[2].includes(to);
  });
}

/** Returns the line of DOT text that declares the node whose ID is exactly `id`, or an empty string. */
function nodeLine(dot: string, id: string): string {
  return dot.split('\n').find((line) => line.trim().startsWith(`${quote(id)} [`)) ?? '';
}

describe('network diagram', () => {
  let model: NetworkModel;
  let dot: string;
  beforeAll(() => {
    model = checkSegmentation([synthesise(buildEstate)]).model;
    dot = renderDot(model, { title: 'Network of test' });
  });

  test('hub is a cluster with its tier', () => {
    expect(dot).toMatch(/subgraph cluster_0 \{\n\s+graph \[[^\]]*label="non-production-transit-hub\\nstack NonProd-TransitHub\\ntier non-production"/);
  });

  test('route tables are labelled by domain', () => {
    const tables = [...model.tgwRouteTables.values()];

    expect(tables).toHaveLength(6);
    for (const table of tables) {
      expect(nodeLine(dot, table.node.key)).toContain(`label="${table.domain}"`);
    }
  });

  test('route tables sit inside the hub cluster', () => {
    const cluster = /subgraph cluster_0 \{\n([\s\S]*?)\n {2}\}/.exec(dot)?.[1] ?? '';

    expect(cluster).toMatch(/"NonProd-TransitHub\/HubManagementRouteTable[0-9A-F]+" \[/);
    expect(cluster).toMatch(/"NonProd-TransitHub\/HubBusinessApplicationRouteTable[0-9A-F]+" \[/);
    expect(cluster).toMatch(/"NonProd-TransitHub\/HubInternetDmzRouteTable[0-9A-F]+" \[/);
  });

  test('spoke VPC shows name, CIDR and domain', () => {
    expect(dot).toMatch(/label="non-production-benefit-a\\n10\.64\.32\.0\/19\\nspoke \(business-application\)"/);
  });

  test('egress DMZ VPC is marked', () => {
    expect(dot).toMatch(/label="non-production-egress-dmz\\n10\.64\.16\.0\/24\\negress DMZ \(internet-dmz\)"/);
  });

  test('ingress DMZ VPC is marked', () => {
    expect(dot).toMatch(/label="non-production-ingress-dmz\\n10\.64\.20\.0\/24\\ningress \/ DMZ \(internet-dmz\)"/);
  });

  test('association edge is solid', () => {
    const found = edges(dot, 'NonProd-BenefitA/BenefitA', 'HubBusinessApplicationRouteTable');

    expect(found).toHaveLength(1);
    expect(found[0]).not.toMatch(/style=/);
  });

  test('propagation edges are dashed', () => {
    const found = edges(dot, 'NonProd-BenefitA/BenefitA', 'HubManagementRouteTable');

    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/style="dashed"/);
  });

  test('static route is labelled with its CIDR', () => {
    const found = edges(dot, 'HubBusinessApplicationRouteTable', 'NonProd-Egress/EgressVpc');

    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/label="0\.0\.0\.0\/0"/);
  });

  test('blackhole routes end at a red node', () => {
    const found = edges(dot, 'HubBusinessApplicationRouteTable', 'blackhole:NonProd-TransitHub/HubBusinessApplicationRouteTable');

    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/color="#c0392b"/);
    expect(found[0]).toMatch(/label="10\.64\.0\.0\/14\\n10\.80\.0\.0\/16"/);
  });

  test('egress path runs through the firewall', () => {
    expect(edges(dot, 'NonProd-Egress/EgressVpc', 'NonProd-Egress/EgressFirewall')).toHaveLength(1);
    expect(edges(dot, 'NonProd-Egress/EgressFirewall', 'NATGateway')).toHaveLength(3);
    expect(edges(dot, 'NATGateway', 'NonProd-Egress/EgressVpcIGW')).toHaveLength(3);
    expect(edges(dot, 'NonProd-Egress/EgressVpcIGW', 'internet')).toHaveLength(1);
  });

  test('ingress DMZ reaches its internet gateway', () => {
    expect(edges(dot, 'NonProd-Ingress/IngressVpc', 'NonProd-Ingress/IngressVpcIGW')).toHaveLength(1);
  });

  test('external transit gateway is grey', () => {
    const line = nodeLine(dot, `external:${REMOTE_TRANSIT_GATEWAY_ID}`);

    expect(line).toMatch(/fillcolor="#e6e6e6"/);
    expect(line).toMatch(/label="tgw-0a1b2c3d4e5f67890\\n\(external transit gateway\)"/);
  });

  test('remote spoke points at external hub', () => {
    const found = edges(dot, 'Remote/Remote', `external:${REMOTE_TRANSIT_GATEWAY_ID}`);

    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/label="not associated"/);
  });

  test('quotes in labels are escaped', () => {
    expect(dot).toContain('label="lab \\"blue\\" \\\\ test\\n192.168.0.0/24\\nspoke"');
  });

  test('output is deterministic', () => {
    const again = renderDot(checkSegmentation([synthesise(buildEstate)]).model, { title: 'Network of test' });

    expect(again).toEqual(dot);
  });

  test('output ignores model order', () => {
    const reversed = Object.fromEntries(Object.entries(model).map(([field, value]) =>
      [field, value instanceof Map ? new Map([...value.entries()].reverse()) : value])) as unknown as NetworkModel;

    expect(renderDot(reversed, { title: 'Network of test' })).toEqual(dot);
  });

  test('title is the graph label', () => {
    expect(dot).toMatch(/^digraph network \{\n\s+graph \[[^\]]*label="Network of test"/);
  });

  test('SVG has the VPC names', async () => {
    const svg = await renderSvg(dot);

    expect(svg).toContain('<svg');
    expect(svg).toContain('non&#45;production&#45;benefit&#45;a');
    expect(svg).toContain('lab &quot;blue&quot; \\ test');
  });

  test('invalid DOT is rejected', async () => {
    await expect(renderSvg('digraph { a -> }')).rejects.toThrow(/Graphviz failed to render the network diagram: syntax error in line 1/);
  });

  test('writeDiagram writes both files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diagram-'));
    try {
      const paths = await writeDiagram(model, 'non production', dir);

      expect(paths).toEqual([join(dir, 'network-non-production.dot'), join(dir, 'network-non-production.svg')]);
      expect(existsSync(paths[1])).toBe(true);
      expect(readFileSync(paths[0], 'utf8')).toMatch(/label="Network of non production"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
