import * as fs from 'fs';
import * as path from 'path';
import { NagReportLine, nagReportFileNames, parseNagReport } from './nag-report';

/** A cloud assembly could not be read: a missing directory, file or field, or a file that is not what cdk writes. */
export class AssemblyReadError extends Error {
  /**
   * @param directory the assembly directory as the caller gave it, so that a command can
   * name the option and the value that led to the error
   */
  constructor(message: string, public readonly directory?: string) {
    super(message);
    this.name = 'AssemblyReadError';
  }
}

/** A cdk-nag suppression recorded in a template, under `Metadata.cdk_nag.rules_to_suppress`. */
export interface TemplateSuppression {
  /** The rule the suppression is for, or `CdkNagValidationFailure`. */
  readonly ruleId: string;
  readonly reason: string;
  /** The findings the suppression is limited to; empty when it covers the whole rule. */
  readonly appliesTo: string[];
}

/** A resource of a synthesised template. */
export interface TemplateResource {
  readonly logicalId: string;
  /** The CloudFormation resource type, for example `AWS::S3::Bucket`. */
  readonly type: string;
  /** The construct path, from the `aws:cdk:path` metadata or the stack's logical ID metadata. */
  readonly constructPath?: string;
  readonly suppressions: TemplateSuppression[];
}

/** A stack of a cloud assembly, with its template's resources and its cdk-nag report lines for one pack. */
export interface AssemblyStack {
  /** The directory of the cloud assembly the stack was found in, as an absolute path. */
  readonly assemblyDir: string;
  /** The artifact ID in manifest.json; absent for a report that matches no stack. */
  readonly artifactId?: string;
  readonly stackName: string;
  /** The target environment, for example `aws://111111111111/eu-west-2`. */
  readonly environment: string;
  /** The template file, as an absolute path; absent for a report that matches no stack. */
  readonly templateFile?: string;
  readonly resources: TemplateResource[];
  /** The cdk-nag report file the lines came from, as an absolute path; absent when there is none. */
  readonly nagReportFile?: string;
  readonly nagLines: NagReportLine[];
}

/** The contents of one cloud assembly directory that the report uses. */
export interface CloudAssemblyContents {
  /** The directory, as an absolute path. */
  readonly directory: string;
  readonly stacks: AssemblyStack[];
}

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
const LOGICAL_ID_METADATA = 'aws:cdk:logicalId';

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { [key: string]: unknown };
  readonly metadata?: MetadataMap;
  readonly additionalMetadataFile?: string;
}

interface MetadataMap {
  [constructPath: string]: Array<{ type?: string; data?: unknown }>;
}

/**
 * Reads a cloud assembly directory (the `cdk.out` of an app): its stacks, their templates
 * and the cdk-nag reports of one rule pack.
 *
 * Stacks of nested assemblies (stages) are included. cdk-nag writes every report to the
 * app's top directory, named by stack name, so reports are looked for next to the stack's
 * own manifest first and then in the top directory. A report whose name matches no stack,
 * such as the report of a nested stack, is kept as a stack with no template so that its
 * lines are not lost.
 *
 * @throws AssemblyReadError when the directory, the manifest or a template cannot be read
 */
export function readCloudAssembly(directory: string, packName: string): CloudAssemblyContents {
  try {
    return readAssembly(directory, packName);
  } catch (e) {
    if (e instanceof AssemblyReadError && e.directory === undefined) {
      throw new AssemblyReadError(e.message, directory);
    }
    throw e;
  }
}

function readAssembly(directory: string, packName: string): CloudAssemblyContents {
  const top = path.resolve(directory);
  if (!fs.existsSync(top) || !fs.statSync(top).isDirectory()) {
    throw new AssemblyReadError(`The cloud assembly directory ${top} does not exist or is not a directory. Run "cdk synth" (or the app) first, and pass its output directory.`);
  }

  const stacks: AssemblyStack[] = [];
  const usedReports = new Set<string>();
  readAssemblyDir(top, top, packName, stacks, usedReports);

  for (const file of listReports(top, packName)) {
    if (!usedReports.has(file)) {
      stacks.push(reportOnlyStack(top, file, packName));
    }
  }
  return { directory: top, stacks };
}

function readAssemblyDir(dir: string, top: string, packName: string, stacks: AssemblyStack[], usedReports: Set<string>): void {
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = readJson(manifestFile, 'the cloud assembly manifest') as { artifacts?: { [id: string]: ManifestArtifact } };
  const artifacts = manifest.artifacts ?? {};

  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === NESTED_ASSEMBLY_ARTIFACT) {
      const nestedDir = artifact.properties?.directoryName;
      if (typeof nestedDir !== 'string') {
        throw new AssemblyReadError(`${manifestFile}: the nested assembly ${artifactId} has no properties.directoryName.`);
      }
      readAssemblyDir(path.join(dir, nestedDir), top, packName, stacks, usedReports);
    } else if (artifact.type === STACK_ARTIFACT) {
      stacks.push(readStack(dir, top, manifestFile, artifactId, artifact, packName, usedReports));
    }
  }
}

function readStack(
  dir: string, top: string, manifestFile: string, artifactId: string, artifact: ManifestArtifact,
  packName: string, usedReports: Set<string>,
): AssemblyStack {
  const templateName = artifact.properties?.templateFile;
  if (typeof templateName !== 'string') {
    throw new AssemblyReadError(`${manifestFile}: the stack ${artifactId} has no properties.templateFile.`);
  }
  const stackName = typeof artifact.properties?.stackName === 'string' ? artifact.properties.stackName : artifactId;
  const templateFile = path.join(dir, templateName);
  const template = readJson(templateFile, `the template of stack ${stackName}`) as { Resources?: { [id: string]: unknown } };
  const logicalIdPaths = readLogicalIdPaths(dir, manifestFile, artifact);

  const resources = Object.entries(template.Resources ?? {})
    .map(([logicalId, resource]) => toTemplateResource(logicalId, resource, logicalIdPaths))
    .sort((a, b) => a.logicalId.localeCompare(b.logicalId));

  const reportFile = findReport([dir, top], packName, stackName);
  if (reportFile) {
    usedReports.add(reportFile);
  }
  return {
    assemblyDir: top,
    artifactId,
    stackName,
    environment: artifact.environment ?? 'unknown',
    templateFile,
    resources,
    nagReportFile: reportFile,
    nagLines: reportFile ? readReport(reportFile) : [],
  };
}

/** Maps logical IDs to construct paths, from the stack's metadata in the manifest or its separate metadata file. */
function readLogicalIdPaths(dir: string, manifestFile: string, artifact: ManifestArtifact): Map<string, string> {
  const metadata: MetadataMap = { ...(artifact.metadata ?? {}) };
  if (artifact.additionalMetadataFile) {
    const file = path.join(dir, artifact.additionalMetadataFile);
    // The metadata only adds construct paths; a missing file loses them but not the evidence.
    if (fs.existsSync(file)) {
      Object.assign(metadata, readJson(file, `the stack metadata named in ${manifestFile}`) as MetadataMap);
    }
  }
  const paths = new Map<string, string>();
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries ?? []) {
      if (entry.type === LOGICAL_ID_METADATA && typeof entry.data === 'string') {
        paths.set(entry.data, constructPath.replace(/^\//, ''));
      }
    }
  }
  return paths;
}

function toTemplateResource(logicalId: string, resource: unknown, logicalIdPaths: Map<string, string>): TemplateResource {
  const r = (resource ?? {}) as { Type?: unknown; Metadata?: { [key: string]: unknown } };
  const cdkPath = r.Metadata?.['aws:cdk:path'];
  const nag = r.Metadata?.cdk_nag as { rules_to_suppress?: unknown } | undefined;
  const rules = Array.isArray(nag?.rules_to_suppress) ? nag.rules_to_suppress : [];
  const suppressions = rules.map((rule) => {
    const s = (rule ?? {}) as { id?: unknown; reason?: unknown; applies_to?: unknown };
    return {
      ruleId: typeof s.id === 'string' ? s.id : '',
      reason: typeof s.reason === 'string' ? s.reason : '',
      appliesTo: Array.isArray(s.applies_to) ? s.applies_to.map(describeFinding) : [],
    };
  });
  return {
    logicalId,
    type: typeof r.Type === 'string' ? r.Type : 'unknown',
    constructPath: typeof cdkPath === 'string' ? cdkPath : logicalIdPaths.get(logicalId),
    suppressions,
  };
}

/** Formats a suppression's `applies_to` entry: a string or, for a regular expression, `{ regex: '/.../' }`. */
function describeFinding(entry: unknown): string {
  if (typeof entry === 'string') {
    return entry;
  }
  const regex = (entry as { regex?: unknown } | null)?.regex;
  return typeof regex === 'string' ? `regex ${regex}` : JSON.stringify(entry);
}

function findReport(dirs: string[], packName: string, stackName: string): string | undefined {
  for (const dir of dirs) {
    for (const name of nagReportFileNames(packName, stackName)) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) {
        return file;
      }
    }
  }
  return undefined;
}

/** Lists the pack's report files in a directory. A CSV and a JSON report of the same stack count once, as the CSV. */
function listReports(dir: string, packName: string): string[] {
  const prefix = `${packName}-`;
  const names = fs.readdirSync(dir).filter((name) => name.startsWith(prefix)
    && (name.endsWith('-NagReport.csv') || name.endsWith('-NagReport.json')));
  return names
    .filter((name) => !(name.endsWith('.json') && names.includes(name.replace(/\.json$/, '.csv'))))
    .sort()
    .map((name) => path.join(dir, name));
}

function reportOnlyStack(top: string, file: string, packName: string): AssemblyStack {
  const stackName = path.basename(file).slice(packName.length + 1).replace(/-NagReport\.(csv|json)$/, '');
  return {
    assemblyDir: top,
    stackName,
    environment: 'unknown',
    resources: [],
    nagReportFile: file,
    nagLines: readReport(file),
  };
}

function readReport(file: string): NagReportLine[] {
  try {
    return parseNagReport(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    throw new AssemblyReadError(`Cannot read the cdk-nag report: ${(e as Error).message}`);
  }
}

function readJson(file: string, description: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AssemblyReadError(`Cannot read ${description} at ${file}: ${(e as Error).message}. Is this the output directory of "cdk synth"?`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('the file contains no JSON object');
    }
    return parsed;
  } catch (e) {
    throw new AssemblyReadError(`${description} at ${file} is not valid: ${(e as Error).message}.`);
  }
}
