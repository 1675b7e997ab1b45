import { readFileSync, statSync } from 'fs';
import { join } from 'path';

/** Figures of one stack of a cloud assembly. */
export interface StackFigures {
  readonly stackName: string;
  readonly resources: number;
  readonly parameters: number;
  /** The size of the template file, which is what the CDK uploads to CloudFormation. */
  readonly templateBytes: number;
  readonly templatePath: string;
  /** The stacks of the same assembly that must deploy first. */
  readonly dependencies: string[];
}

/** The longest chain of stack dependencies of an assembly: the stacks that must deploy one after another. */
export interface DeployCriticalPath {
  /** The stacks of the chain, the first to deploy first. */
  readonly chain: string[];
  /** How many stacks sit at each position of the deploy order: position 1 has the stacks without dependencies. */
  readonly stacksPerWave: number[];
}

interface ManifestArtifact {
  readonly type: string;
  readonly dependencies?: string[];
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
}

/**
 * Reads the stacks of a cloud assembly folder from its manifest.json.
 *
 * NOTE: only top-level stacks are read. An assembly with stages keeps their stacks in
 * nested assemblies, which the example apps do not use.
 */
export function readStacks(outdir: string): StackFigures[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = Object.entries(manifest.artifacts ?? {}).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  const stackIds = new Set(artifacts.map(([id]) => id));

  return artifacts.map(([id, artifact]) => {
    const templatePath = join(outdir, artifact.properties?.templateFile ?? `${id}.template.json`);
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources?: object; Parameters?: object };
    return {
      stackName: artifact.properties?.stackName ?? id,
      resources: Object.keys(template.Resources ?? {}).length,
      parameters: Object.keys(template.Parameters ?? {}).length,
      templateBytes: statSync(templatePath).size,
      templatePath,
      // The asset manifests are dependencies too, but they publish before any stack deploys.
      dependencies: (artifact.dependencies ?? []).filter((dependency) => stackIds.has(dependency)),
    };
  });
}

/**
 * Finds the longest chain of stack dependencies. Stacks in the same wave do not depend
 * on each other, so a deploy with enough concurrency takes one wave at a time.
 */
export function deployCriticalPath(stacks: StackFigures[]): DeployCriticalPath {
  const byName = new Map(stacks.map((stack) => [stack.stackName, stack]));
  const depth = new Map<string, number>();
  const previous = new Map<string, string | undefined>();

  const depthOf = (name: string, visiting: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) {
      return known;
    }
    if (visiting.has(name)) {
      throw new Error(`The stack dependencies form a cycle through ${name}; the CDK rejects such an assembly, so check the manifest.`);
    }
    visiting.add(name);
    let deepest: string | undefined;
    let deepestDepth = 0;
    for (const dependency of byName.get(name)?.dependencies ?? []) {
      const dependencyDepth = depthOf(dependency, visiting);
      if (dependencyDepth > deepestDepth) {
        deepest = dependency;
        deepestDepth = dependencyDepth;
      }
    }
    visiting.delete(name);
    depth.set(name, deepestDepth + 1);
    previous.set(name, deepest);
    return deepestDepth + 1;
  };

  let last: string | undefined;
  for (const stack of stacks) {
    const stackDepth = depthOf(stack.stackName, new Set());
    if (last === undefined || stackDepth > depth.get(last)!) {
      last = stack.stackName;
    }
  }

  const chain: string[] = [];
  for (let name = last; name !== undefined; name = previous.get(name)) {
    chain.unshift(name);
  }
  const stacksPerWave = new Array<number>(chain.length).fill(0);
  for (const stack of stacks) {
    stacksPerWave[depth.get(stack.stackName)! - 1] += 1;
  }
  return { chain, stacksPerWave };
}
