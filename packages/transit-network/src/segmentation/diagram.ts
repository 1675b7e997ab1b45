import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type * as VizModule from '@viz-js/viz' with { 'resolution-mode': 'import' };
import { AddressSet } from './address-set';
import { NetworkModel, NodeRef, VpcModel, nodeLabel } from './model';
import { Ipv4Block, formatCidr } from '../private/cidr';
import { GOVERNMENT_NETWORK_DOMAINS, RoutingDomain } from '../routing-domain';

/** Options of a network diagram. */
export interface DiagramOptions {
  /**
   * The title printed above the diagram.
   *
   * @default - no title
   */
  readonly title?: string;
}

type EdgeKind = 'association' | 'propagation' | 'attached' | 'static-route' | 'blackhole' | 'egress' | 'hybrid-link';
type Attributes = Record<string, string>;

const EDGE_STYLES: Record<EdgeKind, Attributes> = {
  'association': { color: '#333333' },
  'propagation': { style: 'dashed', color: '#777777', arrowhead: 'empty' },
  'attached': { style: 'dotted', color: '#777777' },
  'static-route': { color: '#1f5fa8', fontcolor: '#1f5fa8', constraint: 'false' },
  'blackhole': { color: '#c0392b', fontcolor: '#c0392b' },
  'egress': { color: '#b35900', fontcolor: '#b35900', penwidth: '1.5' },
  'hybrid-link': { style: 'bold', color: '#6a3d9a', dir: 'none' },
};

/** The node that stands for the networks outside AWS that VPN and Direct Connect attachments lead to. */
const OUTSIDE_NETWORK = 'outside-aws';
const HYBRID_STYLE: Attributes = { shape: 'cds', style: 'filled', fillcolor: '#e4d7f0', color: '#6a3d9a' };

const EXTERNAL_STYLE: Attributes = { shape: 'box', style: 'dashed,filled', fillcolor: '#e6e6e6', color: '#808080', fontcolor: '#505050' };
const BLACKHOLE_STYLE: Attributes = { shape: 'circle', style: 'filled', fillcolor: '#c0392b', fontcolor: 'white', fontsize: '8', width: '0.3', label: 'blackhole' };

/** The routing domains whose VPCs face a network outside the platform. */
const DMZ_DOMAINS: string[] = [RoutingDomain.INTERNET_DMZ, ...GOVERNMENT_NETWORK_DOMAINS];

/** The name TransitHub gives its transit gateway: `<tier>-transit-hub`. */
const HUB_NAME = /^(.+)-transit-hub$/;

/**
 * Describes the network model as a Graphviz DOT digraph.
 *
 * Each transit gateway is a cluster of its route tables, labelled with its routing
 * domain. VPCs point to the route tables their attachments are associated with (solid)
 * and propagate into (dashed). Static routes point from a route table to the attachment's
 * VPC, and blackhole routes to the table's red blackhole node, each labelled with its
 * CIDR blocks. Routes that can carry internet traffic to a firewall endpoint, NAT
 * gateway or internet gateway draw the egress path. VPN and Direct Connect attachments
 * are purple, joined to one node for the networks outside AWS. Values the model could
 * not resolve are grey. Nodes and edges are sorted by key, so the same model gives the same text.
 */
export function renderDot(model: NetworkModel, options: DiagramOptions = {}): string {
  const graph = new DotGraph();
  for (const external of model.externals.values()) {
    const label = `${external.node.logicalId}\n(external ${[...external.usedAs].sort().join(', ')})`;
    const tooltip = `used by ${external.usedBy.map(nodeLabel).sort().join(', ')}`;
    graph.node(external.node.key, { ...EXTERNAL_STYLE, label, tooltip });
  }
  addHubs(graph, model);
  addVpcs(graph, model);
  addAttachments(graph, model);
  addEgressPath(graph, model);
  return graph.render(options.title);
}

/**
 * Renders DOT text as SVG with Graphviz compiled to WebAssembly (@viz-js/viz). Throws
 * an error with Graphviz's messages if the text is not valid DOT.
 */
export async function renderSvg(dot: string): Promise<string> {
  const viz = await loadViz();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz failed to render the network diagram: ${result.errors.map((error) => error.message).join('; ')}`);
  }
  return result.output;
}

/**
 * Writes the diagram of an environment's model to `network-<environment>.dot` and
 * `network-<environment>.svg` in `reportDir`, and returns the two paths.
 */
export async function writeDiagram(model: NetworkModel, environment: string, reportDir: string): Promise<string[]> {
  const dot = renderDot(model, { title: `Network of ${environment}` });
  const svg = await renderSvg(dot);
  mkdirSync(reportDir, { recursive: true });
  const base = join(reportDir, `network-${environment.replace(/[^A-Za-z0-9._-]/g, '-')}`);
  writeFileSync(`${base}.dot`, dot);
  writeFileSync(`${base}.svg`, svg);
  return [`${base}.dot`, `${base}.svg`];
}

let vizInstance: Promise<VizModule.Viz> | undefined;

/** Loads Graphviz on first use, because the module embeds a WebAssembly binary of about 1.2 MB. */
function loadViz(): Promise<VizModule.Viz> {
  // @viz-js/viz 3.31 is an ES module package with a CommonJS build under its "require"
  // export. Its type declarations are ESM only, so TypeScript (module node16) rejects a
  // static import from this CommonJS module, and a dynamic import() fails in Jest without
  // --experimental-vm-modules. require() loads the CommonJS build in Node.js and Jest.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const viz = require('@viz-js/viz') as typeof VizModule;
  vizInstance ??= viz.instance();
  return vizInstance;
}

function addHubs(graph: DotGraph, model: NetworkModel): void {
  model.transitGateways.forEach((gateway) => graph.cluster(gateway.node.key, hubLabel(gateway.node), false));
  for (const table of model.tgwRouteTables.values()) {
    // A route table of a transit gateway outside the assemblies gets a grey cluster of its own.
    const cluster = table.transitGateway === '' ? undefined : table.transitGateway;
    if (cluster !== undefined) {
      graph.cluster(cluster, [`${table.transitGateway} (external)`], true);
    }
    const label = table.domain ?? (table.implicitDefault ? 'default route table' : shortName(table.node));
    graph.node(table.node.key, { shape: 'tab', style: 'filled', fillcolor: '#eef3e2', label, tooltip: nodeLabel(table.node) }, cluster);

    const blackholes = table.staticRoutes.filter((route) => route.target.kind === 'blackhole');
    if (blackholes.length > 0) {
      const sink = `blackhole:${table.node.key}`;
      graph.node(sink, BLACKHOLE_STYLE, cluster);
      blackholes.forEach((route) => graph.edge(table.node.key, sink, 'blackhole', route.destination));
    }
  }
}

/** Labels a hub with its name, stack and tier. The tier comes from the name TransitHub gives the transit gateway. */
function hubLabel(node: NodeRef): string[] {
  const tier = HUB_NAME.exec(node.name ?? '')?.[1];
  return [shortName(node), `stack ${node.stack}`, ...(tier === undefined ? [] : [`tier ${tier}`])];
}

function addVpcs(graph: DotGraph, model: NetworkModel): void {
  const firewallVpcs = new Set([...model.firewalls.values()].map((firewall) => firewall.vpc));
  const internetVpcs = new Set([...model.internetGateways.values()].flatMap((gateway) => gateway.vpcs));
  for (const vpc of model.vpcs.values()) {
    const domains = domainsOf(model, vpc);
    const dmz = internetVpcs.has(vpc.node.key) || domains.some((domain) => DMZ_DOMAINS.includes(domain));
    const inspection = domains.includes('inspection') && firewallVpcs.has(vpc.node.key);
    const [kind, fill] = inspection ? ['east-west inspection', '#f8d7a8']
      : firewallVpcs.has(vpc.node.key) ? ['egress DMZ', '#f8d7a8']
        : dmz ? ['ingress / DMZ', '#fff2b3'] : ['spoke', '#dbe9f6'];
    const cidrs = vpc.cidrs.length === 0 ? 'CIDR unknown' : vpc.cidrs.map(formatCidr).join(', ');
    const label = [shortName(vpc.node), cidrs, domains.length === 0 || inspection ? kind : `${kind} (${domains.join(', ')})`];
    graph.node(vpc.node.key, { shape: 'box', style: 'rounded,filled', fillcolor: fill, label: label.join('\n'), tooltip: nodeLabel(vpc.node) });
  }
}

/** Returns a VPC's routing domains: of each associated route table, else of the attachment's or the VPC's tag. */
function domainsOf(model: NetworkModel, vpc: VpcModel): string[] {
  const domains = new Set<string>();
  for (const attachment of [...model.attachments.values()].filter((candidate) => candidate.vpc === vpc.node.key)) {
    const tableDomains = attachment.associations.map((association) => model.tgwRouteTables.get(association.routeTable)?.domain);
    const domain = tableDomains.find((candidate) => candidate !== undefined) ?? attachment.domainTag;
    if (domain !== undefined) {
      domains.add(domain);
    }
  }
  if (domains.size === 0 && vpc.domainTag !== undefined) {
    domains.add(vpc.domainTag);
  }
  return [...domains].sort();
}

function addAttachments(graph: DotGraph, model: NetworkModel): void {
  const originOf = (attachment: string) => attachmentOrigin(graph, model, attachment);
  for (const attachment of model.attachments.values()) {
    const origin = originOf(attachment.node.key);
    attachment.associations.forEach((association) => graph.edge(origin, association.routeTable, 'association'));

    // An attachment with no association on a hub reaches no route table there, so it points at the hub itself.
    const associatedHubs = attachment.associations.map((association) => model.tgwRouteTables.get(association.routeTable)?.transitGateway);
    for (const gateway of attachment.transitGateways.filter((candidate) => !associatedHubs.includes(candidate))) {
      const internal = model.transitGateways.has(gateway);
      if (internal) {
        graph.node(`hub:${gateway}`, { shape: 'doubleoctagon', label: 'transit gateway' }, gateway);
      }
      graph.edge(origin, internal ? `hub:${gateway}` : gateway, 'attached', 'not associated');
    }
  }
  for (const table of model.tgwRouteTables.values()) {
    table.propagations.forEach((propagation) => graph.edge(originOf(propagation.attachment), table.node.key, 'propagation'));
    for (const route of table.staticRoutes) {
      if (route.target.kind === 'attachment') {
        graph.edge(table.node.key, originOf(route.target.attachment), 'static-route', route.destination);
      }
    }
  }
}

/**
 * Returns the node an attachment's edges start from: its VPC, the external value that
 * names its VPC, or a node for the attachment itself.
 */
function attachmentOrigin(graph: DotGraph, model: NetworkModel, key: string): string {
  const attachment = model.attachments.get(key)!;
  if (attachment.kind === 'external') {
    return key;
  }
  if (attachment.vpc !== undefined && model.vpcs.has(attachment.vpc)) {
    return attachment.vpc;
  }
  const externalVpc = [...model.externals.values()].find((external) =>
    external.usedAs.includes('VPC') && external.usedBy.some((user) => user.key === key));
  if (externalVpc !== undefined) {
    return externalVpc.node.key;
  }
  if (attachment.kind === 'vpn' || attachment.kind === 'direct-connect-gateway') {
    const kind = attachment.kind === 'vpn' ? 'Site-to-Site VPN' : 'Direct Connect gateway';
    graph.node(key, { ...HYBRID_STYLE, label: `${kind}\n${hybridName(attachment.node)}`, tooltip: nodeLabel(attachment.node) });
    graph.node(OUTSIDE_NETWORK, { ...HYBRID_STYLE, shape: 'ellipse', label: 'networks outside AWS\n(government network)' });
    graph.edge(key, OUTSIDE_NETWORK, 'hybrid-link');
    return key;
  }
  const kind = attachment.kind === 'peering' ? 'peering attachment' : 'VPC attachment';
  graph.node(key, { shape: 'cds', label: `${kind}\n${shortName(attachment.node)}`, tooltip: nodeLabel(attachment.node) });
  return key;
}

/**
 * Names a VPN or Direct Connect attachment by the construct that made it: the path of
 * its lookup without the stack and the lookup itself, such as `ManagementVpn/gov-mgmt-a`.
 */
function hybridName(node: NodeRef): string {
  const parts = (node.constructPath ?? '').split('/').slice(1);
  const lookup = parts.findIndex((part) => /AttachmentLookup$/.test(part));
  const owner = lookup > 0 ? parts.slice(0, lookup) : parts;
  return owner.length > 0 ? owner.join('/') : shortName(node);
}

/**
 * Draws the routes that can carry internet traffic to a firewall endpoint, NAT gateway
 * or internet gateway, from what sits in the subnets using each route table: the
 * firewall's endpoints, NAT gateways, or else the VPC's own workloads and attachment.
 */
function addEgressPath(graph: DotGraph, model: NetworkModel): void {
  const internet = AddressSet.publicInternet();
  for (const firewall of model.firewalls.values()) {
    const label = `Network Firewall\n${shortName(firewall.node)}`;
    graph.node(firewall.node.key, { shape: 'hexagon', style: 'filled', fillcolor: '#f4b183', label, tooltip: nodeLabel(firewall.node) });
  }
  for (const nat of model.natGateways.values()) {
    const zone = model.subnets.get(nat.subnet)?.zone ?? 'zone unknown';
    graph.node(nat.node.key, { shape: 'invtrapezium', label: `NAT gateway\n${zone}`, tooltip: nodeLabel(nat.node) });
  }
  for (const gateway of model.internetGateways.values()) {
    graph.node(gateway.node.key, { shape: 'house', label: `internet gateway\n${shortName(gateway.node)}`, tooltip: nodeLabel(gateway.node) });
    graph.node('internet', { shape: 'ellipse', style: 'filled', fillcolor: '#cfe8cf', label: 'internet' });
    graph.edge(gateway.node.key, 'internet', 'egress');
  }

  // NOTE: routes to a Gateway Load Balancer endpoint or a peering connection are not drawn.
  for (const table of model.routeTables.values()) {
    const subnets = [...model.subnets.values()].filter((subnet) => subnet.routeTable === table.node.key);
    const occupants = subnets.flatMap((subnet) => occupantsOf(model, subnet.node.key));
    for (const route of table.routes) {
      const target = route.target.kind === 'network-firewall-endpoint' ? route.target.firewall
        : route.target.kind === 'nat-gateway' ? route.target.natGateway
          : route.target.kind === 'internet-gateway' ? route.target.internetGateway : undefined;
      if (target !== undefined && !AddressSet.of([route.destination]).intersect(internet).isEmpty) {
        occupants.forEach((occupant) => graph.edge(occupant, target, 'egress', route.destination));
      }
    }
  }
}

/** Returns the nodes whose traffic leaves a subnet: its firewall endpoints and NAT gateways, and the VPC for anything else. */
function occupantsOf(model: NetworkModel, subnet: string): string[] {
  const firewalls = [...model.firewalls.values()].filter((firewall) => firewall.subnets.includes(subnet)).map((firewall) => firewall.node.key);
  const nats = [...model.natGateways.values()].filter((nat) => nat.subnet === subnet).map((nat) => nat.node.key);
  const holdsAttachment = [...model.attachments.values()].some((attachment) => attachment.subnets.includes(subnet));
  const vpc = model.subnets.get(subnet)!.vpc;
  return [...firewalls, ...nats, ...(holdsAttachment || firewalls.length + nats.length === 0 ? [vpc] : [])].filter((key) => key !== '');
}

/** Nodes, clusters and edges collected in any order and written out sorted. */
class DotGraph {
  private readonly nodes = new Map<string, { attributes: Attributes; cluster?: string }>();
  private readonly clusters = new Map<string, { label: string[]; external: boolean }>();
  private readonly edges = new Map<string, { from: string; to: string; kind: EdgeKind; destinations: Ipv4Block[]; notes: Set<string> }>();

  /** Adds a node unless one with the same ID exists, so the first description wins. */
  public node(id: string, attributes: Attributes, cluster?: string): void {
    if (!this.nodes.has(id)) {
      this.nodes.set(id, { attributes, cluster });
    }
  }

  /** Adds a cluster unless one with the same ID exists, so the first description wins. */
  public cluster(id: string, label: string[], external: boolean): void {
    if (!this.clusters.has(id)) {
      this.clusters.set(id, { label, external });
    }
  }

  /** Adds an edge, merging the CIDR blocks or note of edges of the same kind between the same nodes. */
  public edge(from: string, to: string, kind: EdgeKind, label?: Ipv4Block | string): void {
    const key = [from, to, kind].join('\u0000');
    const edge = this.edges.get(key) ?? { from, to, kind, destinations: [], notes: new Set<string>() };
    if (typeof label === 'string') {
      edge.notes.add(label);
    } else if (label !== undefined && !edge.destinations.some((block) => formatCidr(block) === formatCidr(label))) {
      edge.destinations.push(label);
    }
    this.edges.set(key, edge);
  }

  public render(title?: string): string {
    const heading: Attributes = title === undefined ? {} : { label: title, labelloc: 't', fontsize: '16' };
    const lines = ['digraph network {', `  graph ${attributeList({ rankdir: 'LR', fontname: 'Helvetica', ...heading })};`];
    lines.push('  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];');

    const nodes = [...this.nodes.entries()].sort(([a], [b]) => compareText(a, b));
    [...this.clusters.keys()].sort(compareText).forEach((id, index) => {
      const cluster = this.clusters.get(id)!;
      const style = cluster.external ? { style: 'dashed,filled', fillcolor: '#f0f0f0', color: '#808080' } : { style: 'rounded,filled', fillcolor: '#f7f9fc', color: '#5b7fa6' };
      lines.push(`  subgraph cluster_${index} {`, `    graph ${attributeList({ ...style, fontsize: '11', label: cluster.label.join('\n'), tooltip: id })};`);
      nodes.filter(([, node]) => node.cluster === id).forEach(([nodeId, node]) => lines.push(`    ${quote(nodeId)} ${attributeList(node.attributes)};`));
      lines.push('  }');
    });
    nodes.filter(([, node]) => node.cluster === undefined || !this.clusters.has(node.cluster))
      .forEach(([nodeId, node]) => lines.push(`  ${quote(nodeId)} ${attributeList(node.attributes)};`));

    const edges = [...this.edges.entries()].sort(([a], [b]) => compareText(a, b)).map(([, edge]) => edge);
    for (const edge of edges) {
      const destinations = [...edge.destinations].sort((a, b) => a.address - b.address || a.prefixLength - b.prefixLength).map(formatCidr);
      const label = [...destinations, ...[...edge.notes].sort()].join('\n');
      const attributes = { ...EDGE_STYLES[edge.kind], ...(label === '' ? {} : { label }) };
      lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} ${attributeList(attributes)};`);
    }
    lines.push('}', '');
    return lines.join('\n');
  }
}

/** Names a node by its Name tag, else its logical ID or external value. */
function shortName(node: NodeRef): string {
  return node.name ?? node.logicalId;
}

/** Compares by UTF-16 code units, which unlike localeCompare does not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function attributeList(attributes: Attributes): string {
  return `[${Object.keys(attributes).sort().map((name) => `${name}=${quote(attributes[name])}`).join(', ')}]`;
}

/**
 * Quotes a DOT ID or attribute value. A backslash and a double quote are escaped, so
 * that Graphviz prints them as written, and a line break becomes `\n`, a centred line.
 */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n')}"`;
}

