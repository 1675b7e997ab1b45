import { existsSync, readFileSync } from 'fs';
import { basename, join, resolve } from 'path';

/** A resource of a CloudFormation template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

/** The parts of a CloudFormation template that the segmentation checker reads. */
export interface CfnTemplateJson {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** One stack of a cloud assembly, with its template. */
export interface StackTemplate {
  /**
   * The stack's label in the model and in reports: its artifact ID, prefixed with the
   * assembly folder's name when two assemblies have a stack of the same ID.
   */
  readonly label: string;
  readonly stackName: string;
  /** The cloud assembly folder the stack came from. */
  readonly assemblyDir: string;
  /** The account, or undefined for an environment-agnostic stack. */
  readonly account?: string;
  /** The region, or undefined for an environment-agnostic stack. */
  readonly region?: string;
  readonly template: CfnTemplateJson;
  /** The construct path of each resource, by logical ID, where the assembly records it. */
  readonly constructPaths: ReadonlyMap<string, string>;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly directoryName?: string };
  readonly metadata?: MetadataByPath;
  readonly additionalMetadataFile?: string;
}

type MetadataByPath = Record<string, Array<{ readonly type?: string; readonly data?: unknown }>>;

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
const UNKNOWN_ACCOUNT = 'unknown-account';
const UNKNOWN_REGION = 'unknown-region';

/**
 * Reads the stacks of one or more cloud assembly folders (the `cdk.out` of `cdk synth`),
 * including the assemblies of nested stages.
 *
 * Throws an error naming the folder when it has no readable `manifest.json` or a stack's
 * template cannot be read.
 */
export function readCloudAssemblies(assemblyDirs: readonly string[]): StackTemplate[] {
  if (assemblyDirs.length === 0) {
    throw new Error('No cloud assembly folder given: pass at least one folder that `cdk synth` wrote, such as cdk.out.');
  }
  const raw = assemblyDirs.flatMap((dir) => readAssembly(resolve(dir), new Set()));

  // Stack IDs are unique inside an assembly but not across assemblies, and the model keys
  // resources by stack label and logical ID.
  const counts = new Map<string, number>();
  raw.forEach((stack) => counts.set(stack.label, (counts.get(stack.label) ?? 0) + 1));
  return raw.map((stack) => (counts.get(stack.label)! > 1 ? { ...stack, label: `${assemblyLabel(stack.assemblyDir)}:${stack.label}` } : stack));
}

function readAssembly(dir: string, seen: Set<string>): StackTemplate[] {
  if (seen.has(dir)) {
    return [];
  }
  seen.add(dir);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`${dir} is not a cloud assembly: it has no manifest.json. Pass the folder that \`cdk synth\` wrote (cdk.out by default).`);
  }
  const manifest = readJson(manifestPath) as { artifacts?: Record<string, ManifestArtifact> };

  const stacks: StackTemplate[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === NESTED_ASSEMBLY_ARTIFACT && artifact.properties?.directoryName) {
      stacks.push(...readAssembly(join(dir, artifact.properties.directoryName), seen));
      continue;
    }
    if (artifact.type !== STACK_ARTIFACT || !artifact.properties?.templateFile) {
      continue;
    }
    const template = readJson(join(dir, artifact.properties.templateFile)) as CfnTemplateJson;
    const { account, region } = parseEnvironment(artifact.environment);
    stacks.push({
      label: artifactId,
      stackName: artifact.properties.stackName ?? artifactId,
      assemblyDir: dir,
      account,
      region,
      template,
      constructPaths: constructPathsOf(dir, artifact, template),
    });
  }
  return stacks;
}

/**
 * Maps each logical ID to its construct path. Paths come from the `aws:cdk:path` resource
 * metadata when the template has it, and from the `aws:cdk:logicalId` entries of the
 * artifact's metadata otherwise. Newer assemblies keep that metadata in a file of its own.
 */
function constructPathsOf(dir: string, artifact: ManifestArtifact, template: CfnTemplateJson): Map<string, string> {
  const paths = new Map<string, string>();
  const metadata: MetadataByPath = { ...(artifact.metadata ?? {}) };
  if (artifact.additionalMetadataFile && existsSync(join(dir, artifact.additionalMetadataFile))) {
    Object.assign(metadata, readJson(join(dir, artifact.additionalMetadataFile)) as MetadataByPath);
  }
  for (const [path, entries] of Object.entries(metadata)) {
    for (const entry of entries ?? []) {
      if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        paths.set(entry.data, path.replace(/^\//, ''));
      }
    }
  }
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const path = resource?.Metadata?.['aws:cdk:path'];
    if (typeof path === 'string') {
      paths.set(logicalId, path);
    }
  }
  return paths;
}

function parseEnvironment(environment: string | undefined): { account?: string; region?: string } {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  if (!match) {
    return {};
  }
  return {
    account: match[1] === UNKNOWN_ACCOUNT ? undefined : match[1],
    region: match[2] === UNKNOWN_REGION ? undefined : match[2],
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Names an assembly folder for labels: `examples/production/cdk.out` becomes `production`. */
export function assemblyLabel(dir: string): string {
  const name = basename(dir);
  return name === 'cdk.out' ? basename(resolve(dir, '..')) : name;
}
