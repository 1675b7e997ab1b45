import * as fs from 'fs';
import * as path from 'path';
import { AnalysisOptions, Finding, analyseTemplate } from './analysis';
import { isRecord } from './template-model';

/*
 * Reads the stacks of a cloud assembly directory (cdk.out) from its manifest.json, without
 * aws-cdk-lib's cloud assembly classes, so that an assembly written by another CDK version
 * can be read too. Nested assemblies (stages) are read recursively, and so are nested stacks,
 * whose templates the manifest does not list.
 */

const MANIFEST = 'manifest.json';
const NESTED_TEMPLATE_SUFFIX = '.nested.template.json';

/** An assembly, manifest or template that cannot be read. The message names the file and the problem. */
export class AssemblyReadError extends Error {}

/** One stack of an assembly, ready for the analysis. */
interface StackEntry {
  readonly stackName: string;
  readonly templatePath: string;
  readonly constructPaths: Record<string, string>;
}

/** A construct path and the logical ID that the assembly's metadata gives it. */
interface PathEntry {
  readonly constructPath: string;
  readonly logicalId: string;
}

/** Lists the single points of failure of every stack, nested stacks included, in a cloud assembly directory. */
export function analyseAssembly(directory: string, options: AnalysisOptions = {}): Finding[] {
  const stacks = stacksOf(directory);
  if (stacks.length === 0) {
    throw new AssemblyReadError(`${directory} is a cloud assembly without CloudFormation stacks, so there is nothing to check. `
      + 'Give the directory that cdk synth writes for the environment\'s app.');
  }
  return stacks.flatMap((stack) => analyseStack(stack, options));
}

/**
 * Lists the single points of failure of one template file and of the nested stacks it deploys.
 *
 * The stack name and construct paths come from the manifest of the assembly that contains
 * the file. Without a manifest, the stack is named after the file.
 */
export function analyseTemplateFile(templatePath: string, options: AnalysisOptions = {}): Finding[] {
  return analyseTemplateFiles([templatePath], options);
}

/**
 * Lists the single points of failure of template files, as the policy validation plugin gets
 * them: the top-level stacks only. The nested stacks of each are added, and so is any nested
 * stack template in the same directories that no parent template leads to.
 */
export function analyseTemplateFiles(templatePaths: readonly string[], options: AnalysisOptions = {}): Finding[] {
  const stacks: StackEntry[] = [];
  const directories = new Set<string>();
  for (const templatePath of templatePaths) {
    const directory = path.dirname(templatePath);
    directories.add(path.resolve(directory));
    const known = fs.existsSync(path.join(directory, MANIFEST))
      ? stacksOf(directory, false).filter((stack) => isSameOrNestedIn(stack, templatePath))
      : [];
    stacks.push(...known.length > 0 ? known : [{
      stackName: path.basename(templatePath).replace(/\.template\.json$/, ''),
      templatePath,
      constructPaths: {},
    }]);
  }
  for (const directory of directories) {
    stacks.push(...unreachedNestedTemplates(directory, stacks));
  }
  return uniqueByTemplate(stacks).flatMap((stack) => analyseStack(stack, options));
}

/** Tests whether a stack entry is the top-level stack of the template file, or one of its nested stacks. */
function isSameOrNestedIn(stack: StackEntry & { readonly topTemplatePath?: string }, templatePath: string): boolean {
  return path.resolve(stack.topTemplatePath ?? stack.templatePath) === path.resolve(templatePath);
}

function analyseStack(stack: StackEntry, options: AnalysisOptions): Finding[] {
  return analyseTemplate(readJson(stack.templatePath, `the template of stack ${stack.stackName}`), stack, options);
}

function stacksOf(directory: string, recursive = true): Array<StackEntry & { readonly topTemplatePath: string }> {
  const manifest = readManifest(directory);
  const artifacts = isRecord(manifest.artifacts) ? manifest.artifacts : {};

  const stacks: Array<StackEntry & { readonly topTemplatePath: string }> = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact) || !isRecord(artifact.properties)) {
      continue;
    }
    const properties = artifact.properties;
    if (artifact.type === 'aws:cloudformation:stack' && typeof properties.templateFile === 'string') {
      const pathEntries = pathEntriesOf(directory, artifact);
      const top: StackEntry = {
        stackName: typeof properties.stackName === 'string' ? properties.stackName : artifactId,
        templatePath: path.join(directory, properties.templateFile),
        constructPaths: constructPathsFor(pathEntries, undefined),
      };
      const topTemplatePath = top.templatePath;
      stacks.push({ ...top, topTemplatePath });
      stacks.push(...nestedStacksOf(directory, top, pathEntries, assetFilesOf(directory, artifacts))
        .map((nested) => ({ ...nested, topTemplatePath })));
    } else if (recursive && artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      stacks.push(...stacksOf(path.join(directory, properties.directoryName)));
    }
  }
  if (recursive) {
    stacks.push(...unreachedNestedTemplates(directory, stacks).map((stack) => ({ ...stack, topTemplatePath: stack.templatePath })));
  }
  return stacks;
}

/** Reads and checks manifest.json: an object with a version, as cdk synth writes it. */
function readManifest(directory: string): Record<string, unknown> {
  const manifestPath = path.join(directory, MANIFEST);
  if (!fs.existsSync(manifestPath)) {
    throw new AssemblyReadError(`${directory} is not a cloud assembly: it has no ${MANIFEST}. Give the directory that cdk synth writes, for example cdk.out.`);
  }
  const manifest = readJson(manifestPath, 'the cloud assembly manifest');
  if (!isRecord(manifest) || typeof manifest.version !== 'string' || (manifest.artifacts !== undefined && !isRecord(manifest.artifacts))) {
    throw new AssemblyReadError(`${manifestPath} is not a cloud assembly manifest: it has no "version" and "artifacts" as cdk synth writes them. `
      + 'Give the directory that cdk synth writes, for example cdk.out.');
  }
  return manifest;
}

/**
 * Finds the nested stacks that a template deploys, at any depth: the `AWS::CloudFormation::Stack`
 * resources whose template file is in the assembly. The file is named by the resource's
 * `aws:asset:path` metadata, which the CDK CLI reads, or else found through the asset
 * manifest, whose object key is the end of the resource's `TemplateURL`.
 */
function nestedStacksOf(directory: string, parent: StackEntry, pathEntries: PathEntry[], assetFiles: Map<string, string>,
  seen: Set<string> = new Set([path.resolve(parent.templatePath)])): StackEntry[] {
  const template = readJson(parent.templatePath, `the template of stack ${parent.stackName}`);
  const resources = isRecord(template) && isRecord(template.Resources) ? template.Resources : {};

  const nested: StackEntry[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || resource.Type !== 'AWS::CloudFormation::Stack') {
      continue;
    }
    const file = nestedTemplateFile(resource, assetFiles);
    const templatePath = file !== undefined ? path.join(directory, file) : undefined;
    if (templatePath === undefined || !fs.existsSync(templatePath) || seen.has(path.resolve(templatePath))) {
      continue;
    }
    seen.add(path.resolve(templatePath));
    const prefix = nestedPrefix(parent.constructPaths[logicalId] ?? metadataPath(resource));
    const entry: StackEntry = {
      stackName: `${parent.stackName}/${prefix !== undefined ? prefix.split('/').pop() : logicalId}`,
      templatePath,
      constructPaths: prefix !== undefined ? constructPathsFor(pathEntries, prefix) : {},
    };
    nested.push(entry, ...nestedStacksOf(directory, entry, pathEntries, assetFiles, seen));
  }
  return nested;
}

function nestedTemplateFile(resource: Record<string, unknown>, assetFiles: Map<string, string>): string | undefined {
  const metadata = isRecord(resource.Metadata) ? resource.Metadata : {};
  if (typeof metadata['aws:asset:path'] === 'string') {
    return metadata['aws:asset:path'];
  }
  const url = isRecord(resource.Properties) ? JSON.stringify(resource.Properties.TemplateURL) ?? '' : '';
  for (const [objectKey, file] of assetFiles) {
    if (url.includes(`/${objectKey}"`)) {
      return file;
    }
  }
  return undefined;
}

/** Maps the object keys of file assets to their files, from the asset manifests of the assembly. */
function assetFilesOf(directory: string, artifacts: Record<string, unknown>): Map<string, string> {
  const files = new Map<string, string>();
  for (const artifact of Object.values(artifacts)) {
    if (!isRecord(artifact) || artifact.type !== 'cdk:asset-manifest' || !isRecord(artifact.properties)
      || typeof artifact.properties.file !== 'string') {
      continue;
    }
    const manifestPath = path.join(directory, artifact.properties.file);
    const manifest = fs.existsSync(manifestPath) ? readJson(manifestPath, 'the asset manifest') : undefined;
    const assets = isRecord(manifest) && isRecord(manifest.files) ? manifest.files : {};
    for (const asset of Object.values(assets)) {
      if (!isRecord(asset) || !isRecord(asset.source) || typeof asset.source.path !== 'string' || !isRecord(asset.destinations)) {
        continue;
      }
      for (const destination of Object.values(asset.destinations)) {
        if (isRecord(destination) && typeof destination.objectKey === 'string') {
          files.set(destination.objectKey, asset.source.path);
        }
      }
    }
  }
  return files;
}

/**
 * Nested stack templates in the directory that no parent template leads to, for example when
 * neither asset metadata nor an asset manifest is there. They are analysed under their file names.
 */
function unreachedNestedTemplates(directory: string, known: readonly StackEntry[]): StackEntry[] {
  const reached = new Set(known.map((stack) => path.resolve(stack.templatePath)));
  return fs.readdirSync(directory)
    .filter((file) => file.endsWith(NESTED_TEMPLATE_SUFFIX) && !reached.has(path.resolve(directory, file)))
    .sort()
    .map((file) => ({ stackName: file.slice(0, -NESTED_TEMPLATE_SUFFIX.length), templatePath: path.join(directory, file), constructPaths: {} }));
}

/**
 * Returns the construct path of a nested stack from the path of its stack resource, which CDK
 * writes as `<nested stack path>.NestedStack/<id>.NestedStackResource`.
 */
function nestedPrefix(resourcePath: string | undefined): string | undefined {
  const match = resourcePath !== undefined ? /^(.*)\.NestedStack\/[^/]+\.NestedStackResource$/.exec(resourcePath) : null;
  return match !== null ? match[1] : undefined;
}

function metadataPath(resource: Record<string, unknown>): string | undefined {
  const metadata = isRecord(resource.Metadata) ? resource.Metadata['aws:cdk:path'] : undefined;
  return typeof metadata === 'string' ? metadata : undefined;
}

/**
 * Maps logical IDs to construct paths for one template. The parent stack's metadata lists the
 * resources of its nested stacks too, so each entry belongs to the deepest nested stack whose
 * construct path contains it, or to the top-level stack (prefix undefined) when none does.
 */
function constructPathsFor(entries: PathEntry[], prefix: string | undefined): Record<string, string> {
  const prefixes = entries.map((entry) => nestedPrefix(entry.constructPath)).filter((found): found is string => found !== undefined);
  const owner = (constructPath: string): string | undefined => prefixes
    .filter((candidate) => constructPath.startsWith(`${candidate}/`))
    .sort((a, b) => b.length - a.length)[0];

  const paths: Record<string, string> = {};
  for (const entry of entries) {
    if (owner(entry.constructPath) === prefix) {
      paths[entry.logicalId] = entry.constructPath;
    }
  }
  return paths;
}

/** Lists the `aws:cdk:logicalId` metadata entries of a stack artifact, from the manifest and its metadata file. */
function pathEntriesOf(directory: string, artifact: Record<string, unknown>): PathEntry[] {
  const sources: unknown[] = [artifact.metadata];
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(directory, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) {
      sources.push(readJson(file, 'the stack metadata'));
    }
  }

  const entries: PathEntry[] = [];
  for (const source of sources) {
    if (!isRecord(source)) {
      continue;
    }
    for (const [constructPath, values] of Object.entries(source)) {
      for (const value of Array.isArray(values) ? values : []) {
        if (isRecord(value) && value.type === 'aws:cdk:logicalId' && typeof value.data === 'string') {
          // The metadata keys start with a slash, the template's aws:cdk:path entries do not.
          entries.push({ constructPath: constructPath.replace(/^\//, ''), logicalId: value.data });
        }
      }
    }
  }
  return entries;
}

function uniqueByTemplate(stacks: StackEntry[]): StackEntry[] {
  const seen = new Set<string>();
  return stacks.filter((stack) => {
    const key = path.resolve(stack.templatePath);
    const fresh = !seen.has(key);
    seen.add(key);
    return fresh;
  });
}

/** Reads a JSON file, with an error that names the file and what it is for. */
function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a directory' : String((error as Error).message);
    throw new AssemblyReadError(`cannot read ${what}, ${file}: ${reason}. Run cdk synth again to write a complete cloud assembly.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AssemblyReadError(`cannot read ${what}, ${file}: it is not valid JSON (${(error as Error).message}). `
      + 'Run cdk synth again to write a complete cloud assembly.');
  }
}
