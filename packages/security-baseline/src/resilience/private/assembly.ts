import * as fs from 'fs';
import * as path from 'path';
import { AnalysisOptions, Finding, analyseTemplate } from './analysis';
import { isRecord } from './template-model';

/*
 * Reads the stacks of a cloud assembly directory (cdk.out) from its manifest.json, without
 * aws-cdk-lib's cloud assembly classes, so that an assembly written by another CDK version
 * can be read too. Nested assemblies (stages) are read recursively.
 */

const MANIFEST = 'manifest.json';

/** One stack of an assembly, ready for the analysis. */
interface StackEntry {
  readonly stackName: string;
  readonly templatePath: string;
  readonly constructPaths: Record<string, string>;
}

/** Lists the single points of failure of every stack in a cloud assembly directory. */
export function analyseAssembly(directory: string, options: AnalysisOptions = {}): Finding[] {
  return stacksOf(directory).flatMap((stack) => analyseStack(stack, options));
}

/**
 * Lists the single points of failure of one template file.
 *
 * The stack name and construct paths come from the manifest of the assembly that contains
 * the file. Without a manifest, the stack is named after the file.
 */
export function analyseTemplateFile(templatePath: string, options: AnalysisOptions = {}): Finding[] {
  const directory = path.dirname(templatePath);
  const known = fs.existsSync(path.join(directory, MANIFEST))
    ? stacksOf(directory, false).find((stack) => path.resolve(stack.templatePath) === path.resolve(templatePath))
    : undefined;
  const stack = known ?? {
    stackName: path.basename(templatePath).replace(/\.template\.json$/, ''),
    templatePath,
    constructPaths: {},
  };
  return analyseStack(stack, options);
}

function analyseStack(stack: StackEntry, options: AnalysisOptions): Finding[] {
  const template = JSON.parse(fs.readFileSync(stack.templatePath, 'utf-8')) as unknown;
  return analyseTemplate(template, stack, options);
}

function stacksOf(directory: string, recursive = true): StackEntry[] {
  const manifestPath = path.join(directory, MANIFEST);
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${directory} is not a cloud assembly: it has no ${MANIFEST}. Give the directory that cdk synth writes, for example cdk.out.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf-8')) as unknown;
  const artifacts = isRecord(manifest) && isRecord(manifest.artifacts) ? manifest.artifacts : {};

  const stacks: StackEntry[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact) || !isRecord(artifact.properties)) {
      continue;
    }
    const properties = artifact.properties;
    if (artifact.type === 'aws:cloudformation:stack' && typeof properties.templateFile === 'string') {
      stacks.push({
        stackName: typeof properties.stackName === 'string' ? properties.stackName : artifactId,
        templatePath: path.join(directory, properties.templateFile),
        constructPaths: constructPathsOf(directory, artifact),
      });
    } else if (recursive && artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      stacks.push(...stacksOf(path.join(directory, properties.directoryName)));
    }
  }
  return stacks;
}

/** Maps logical IDs to construct paths from the artifact's `aws:cdk:logicalId` metadata entries. */
function constructPathsOf(directory: string, artifact: Record<string, unknown>): Record<string, string> {
  const sources: unknown[] = [artifact.metadata];
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(directory, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) {
      sources.push(JSON.parse(fs.readFileSync(file, 'utf-8')));
    }
  }

  const paths: Record<string, string> = {};
  for (const source of sources) {
    if (!isRecord(source)) {
      continue;
    }
    for (const [constructPath, entries] of Object.entries(source)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        if (isRecord(entry) && entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
          // The metadata keys start with a slash, the template's aws:cdk:path entries do not.
          paths[entry.data] = constructPath.replace(/^\//, '');
        }
      }
    }
  }
  return paths;
}
