import { awscdk, javascript, typescript } from 'projen';

// Versions measured to work together offline; see the toolchain notes in the README.
const CDK_VERSION = '2.257.0';
const CONSTRUCTS_VERSION = '10.5.0';
const TYPESCRIPT_VERSION = '~5.9.3';
const JSII_VERSION = '~5.9.0';
const CDK_NAG_VERSION = '2.37.51';
const INTEG_TESTS_VERSION = '2.245.0-alpha.0';
const INTEG_RUNNER_VERSION = '2.197.10';
const MIN_NODE_VERSION = '20.0.0';

const AUTHOR = 'SSD Platform Team';
const AUTHOR_ADDRESS = 'platform-engineering@ssd-platform.invalid';
const REPOSITORY = 'https://git.ssd-platform.invalid/platform/landing-zone.git';

const root = new typescript.TypeScriptProject({
  name: 'ssd-platform',
  description: 'AWS CDK construct libraries for the SSD hosting platform landing zone.',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  typescriptVersion: TYPESCRIPT_VERSION,
  minNodeVersion: MIN_NODE_VERSION,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  licensed: false,
  srcdir: 'tools',
  testdir: 'tools/test',
  jest: true,
  jestOptions: {
    jestVersion: '^30',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/tools/test/**/*.test.ts'],
      transform: { '^.+\\.ts$': new javascript.Transform('ts-jest', { tsconfig: 'tools/test/tsconfig.json' }) },
    },
  },
  eslintOptions: {
    dirs: ['tools'],
    devdirs: ['tools', 'projenrc', 'bench'],
    // Tests must never rewrite sources; run `npx projen eslint --fix` by hand instead.
    commandOptions: { fix: false },
  },
  tsconfig: {
    compilerOptions: { rootDir: '.' },
    include: ['tools/**/*.ts'],
  },
  tsconfigDev: {
    // The tools are type-checked by the compile step; Jest only transpiles them.
    compilerOptions: { isolatedModules: true },
    include: ['tools/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
  },
  devDeps: [
    'ts-node@^10.9.2',
    'ts-jest@^29',
    `aws-cdk-lib@${CDK_VERSION}`,
    `constructs@${CONSTRUCTS_VERSION}`,
    `cdk-nag@${CDK_NAG_VERSION}`,
    `@aws-cdk/integ-runner@${INTEG_RUNNER_VERSION}`,
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_VERSION}`,
    'jsii-docgen@^10',
    // The AWS Control Tower proactive controls as cfn-guard rules, with the cfn-guard binary.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
  ],
  gitignore: ['cdk.out/', '*.tsbuildinfo', '/reports/'],
});
root.package.addField('private', true);

// The build machine runs Node.js 20, which works with jsii but is past its end of life;
// the jsii tools print a large banner on every call unless that version is silenced.
const SILENCE_NODE_20_BANNER = { name: 'JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', value: '20' };
root.tasks.addEnvironment(SILENCE_NODE_20_BANNER.name, SILENCE_NODE_20_BANNER.value);

/** The libraries, in build order: a package comes after every sibling it uses. */
interface LibrarySpec {
  readonly dir: string;
  readonly description: string;
  /** False for a package that only states its scope so far: it gets no test runners. */
  readonly hasConstructs: boolean;
  /** Runtime dependencies that are not jsii libraries, so jsii requires them bundled. */
  readonly bundledDeps?: string[];
  readonly siblings?: string[];
  readonly deps?: string[];
  /** jsii libraries that users install beside this one, such as cdk-nag for a NagPack. */
  readonly peerDeps?: string[];
}

const LIBRARIES: LibrarySpec[] = [
  {
    dir: 'security-baseline',
    hasConstructs: true,
    description: 'Security baseline for the SSD platform: log archive, tagging standard, guardrails, keys and detective controls.',
    deps: [],
    // The NCSC checks are a cdk-nag pack, and the evidence report reads cdk-nag's reports.
    peerDeps: [`cdk-nag@^${CDK_NAG_VERSION}`],
  },
  {
    dir: 'transit-network',
    hasConstructs: true,
    // Graphviz compiled to WebAssembly renders the network diagrams with no system package.
    bundledDeps: ['@viz-js/viz@3.31.0'],
    description: 'Transit network for the SSD platform: address plan, transit hubs, spoke VPCs, DMZs and egress filtering.',
  },
  {
    dir: 'foundation-services',
    hasConstructs: false,
    description: 'Foundation services for the SSD platform: directory, DNS, monitoring, backup, patching, image pipeline and access.',
  },
  {
    dir: 'emm-jamf',
    hasConstructs: false,
    description: 'Self-hosted Jamf Pro for the SSD platform DevOps Macs.',
  },
  {
    dir: 'lib-workload',
    hasConstructs: false,
    description: 'Hosting for the Low Income Benefits case-management workload on the SSD platform.',
  },
];

const workspaces: string[] = [];
const libraries: awscdk.AwsCdkConstructLibrary[] = [];

for (const spec of LIBRARIES) {
  const lib = new awscdk.AwsCdkConstructLibrary({
    parent: root,
    outdir: `packages/${spec.dir}`,
    name: `@ssd-platform/${spec.dir}`,
    description: spec.description,
    author: AUTHOR,
    authorAddress: AUTHOR_ADDRESS,
    repositoryUrl: REPOSITORY,
    repositoryDirectory: `packages/${spec.dir}`,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    cdkVersion: CDK_VERSION,
    constructsVersion: CONSTRUCTS_VERSION,
    jsiiVersion: JSII_VERSION,
    typescriptVersion: TYPESCRIPT_VERSION,
    minNodeVersion: MIN_NODE_VERSION,
    licensed: false,
    github: false,
    release: false,
    depsUpgrade: false,
    sampleCode: false,
    docgen: false,
    jest: spec.hasConstructs,
    jestOptions: {
      jestVersion: '^30',
      updateSnapshot: javascript.UpdateSnapshot.NEVER,
      // Jest's default leaves one core to its parent process, which on a 2-core machine
      // means one test file at a time; each test file is CPU-bound CDK synthesis.
      extraCliOptions: ['--maxWorkers=100%'],
      jestConfig: { testMatch: ['<rootDir>/test/**/*.test.ts'] },
    },
    eslintOptions: {
      dirs: ['src'],
      devdirs: ['test'],
      // Tests must never rewrite sources; run `npx projen eslint --fix` by hand instead.
      commandOptions: { fix: false },
    },
    deps: spec.deps,
    peerDeps: spec.peerDeps,
    bundledDeps: spec.bundledDeps,
    devDeps: [
      `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_VERSION}`,
      `@aws-cdk/integ-runner@${INTEG_RUNNER_VERSION}`,
      `cdk-nag@${CDK_NAG_VERSION}`,
      'ts-node@^10.9.2',
    ],
  });

  lib.tasks.addEnvironment(SILENCE_NODE_20_BANNER.name, SILENCE_NODE_20_BANNER.value);

  // API.md is generated from the jsii assembly after every compile.
  const docgen = lib.addTask('docgen', {
    description: 'Generate API.md from the jsii assembly',
    exec: 'node -r ts-node/register/transpile-only ../../tools/docgen.ts',
  });
  lib.postCompileTask.spawn(docgen);

  // Every README and doc-comment example must compile against the package's real API.
  const rosetta = lib.addTask('rosetta', {
    description: 'Compile every README and doc-comment example (jsii-rosetta, strict)',
    exec: 'jsii-rosetta extract --strict',
  });
  lib.postCompileTask.spawn(rosetta);
  lib.gitignore.exclude('.jsii.tabl.json');
  // integ-runner's working folders, left behind when a run is interrupted.
  lib.gitignore.exclude('cdk-integ.out.*');

  // Integration tests: snapshot mode only, so no AWS credentials are needed.
  // ts-node runs without type checking here because jsii has already type-checked src/.
  // --parallel-regions takes a list, so it comes first: after it, a test file named on
  // the command line would be read as a second region and every test would run.
  const integArgs = [
    'integ-runner',
    '--parallel-regions eu-west-2',
    '--language typescript',
    '--directory test',
    '--app "node -r ts-node/register/transpile-only {filePath}"',
  ];
  const integ = lib.addTask('integ', {
    description: 'Verify the committed integration test snapshots (offline)',
    exec: integArgs.join(' '),
    receiveArgs: true,
  });
  lib.addTask('integ:update', {
    description: 'Re-synthesise integration tests and update their snapshots without deploying',
    exec: [...integArgs, '--update-on-failed', '--dry-run'].join(' '),
    receiveArgs: true,
  });
  if (spec.hasConstructs) {
    lib.testTask.spawn(integ);
  }

  libraries.push(lib);
  workspaces.push(`packages/${spec.dir}`);
}

// The estate's configuration and the composition the example apps share, so that each
// app stays a thin call for one environment.
const exampleCommon = new typescript.TypeScriptProject({
  parent: root,
  outdir: 'examples/common',
  name: '@ssd-platform/example-common',
  description: 'The estate configuration and tier composition shared by the example apps.',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  typescriptVersion: TYPESCRIPT_VERSION,
  minNodeVersion: MIN_NODE_VERSION,
  licensed: false,
  github: false,
  release: false,
  depsUpgrade: false,
  sampleCode: false,
  jest: false,
  deps: [
    '@ssd-platform/transit-network@*',
    '@ssd-platform/security-baseline@*',
    `aws-cdk-lib@^${CDK_VERSION}`,
    `constructs@^${CONSTRUCTS_VERSION}`,
    `cdk-nag@${CDK_NAG_VERSION}`,
  ],
  eslintOptions: {
    dirs: ['src'],
    // Tests must never rewrite sources; run `npx projen eslint --fix` by hand instead.
    commandOptions: { fix: false },
  },
  tsconfig: { compilerOptions: { typeRoots: ['../../node_modules/@types'] } },
  tsconfigDev: { compilerOptions: { typeRoots: ['../../node_modules/@types'] } },
});
exampleCommon.package.addField('private', true);
workspaces.push('examples/common');

// The segmentation checker reads synthesised cloud assemblies; users run it on their own apps.
libraries.find((lib) => lib.package.packageName === '@ssd-platform/transit-network')!
  .addBins({ 'segmentation-check': 'lib/segmentation/cli.js' });
// The NCSC evidence report and the resilience check read synthesised cloud assemblies too.
libraries.find((lib) => lib.package.packageName === '@ssd-platform/security-baseline')!
  .addBins({ 'ncsc-report': 'lib/evidence/cli.js', 'resilience-check': 'lib/resilience/cli.js' });

/** An example app per environment, composed only from the packages. */
const EXAMPLES = ['management', 'security', 'non-production', 'production', 'shared-services'];
const examples: awscdk.AwsCdkTypeScriptApp[] = [];
for (const name of EXAMPLES) {
  const app = new awscdk.AwsCdkTypeScriptApp({
    parent: root,
    outdir: `examples/${name}`,
    name: `@ssd-platform/example-${name}`,
    description: `The ${name} environment of the SSD platform, composed from the construct libraries.`,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    cdkVersion: CDK_VERSION,
    constructsVersion: CONSTRUCTS_VERSION,
    typescriptVersion: TYPESCRIPT_VERSION,
    minNodeVersion: MIN_NODE_VERSION,
    licensed: false,
    github: false,
    depsUpgrade: false,
    sampleCode: false,
    requireApproval: awscdk.ApprovalLevel.BROADENING,
    app: 'node lib/main.js',
    cdkCliVersion: '2.1149.0',
    featureFlags: awscdk.CdkFeatureFlags.V2.fromLocalAwsCdkLib(),
    deps: [
      '@ssd-platform/transit-network@*',
      '@ssd-platform/security-baseline@*',
      '@ssd-platform/example-common@*',
      `cdk-nag@${CDK_NAG_VERSION}`,
    ],
    jest: false,
    eslintOptions: {
      dirs: ['src'],
      // Tests must never rewrite sources; run `npx projen eslint --fix` by hand instead.
      commandOptions: { fix: false },
    },
    tsconfig: { compilerOptions: { typeRoots: ['../../node_modules/@types'] } },
    tsconfigDev: { compilerOptions: { typeRoots: ['../../node_modules/@types'] } },
  });
  app.package.addField('private', true);
  app.eslint?.addIgnorePattern('cdk.out/');
  examples.push(app);
  workspaces.push(`examples/${name}`);
}

root.package.addField('workspaces', workspaces);

// Root tasks: build every workspace in dependency order, then run the checks.
const compileAll = root.addTask('compile:all', {
  description: 'Compile every library (jsii) and example app (tsc) in dependency order',
});
for (const dir of workspaces) {
  const isExample = dir.startsWith('examples/');
  compileAll.exec(isExample ? 'npx tsc --build' : 'npx projen compile && npx projen post-compile', { cwd: dir });
}
// The root's own TypeScript, last: the tools' tests import the example composition, whose
// package imports resolve to the libraries' compiled declarations.
compileAll.exec('tsc --noEmit -p tools/test/tsconfig.json');

const preflight = root.addTask('preflight', {
  description: 'Check that the tools the checks need are installed, before the long compile',
  exec: 'node -r ts-node/register/transpile-only tools/preflight.ts',
});

root.addTask('synth', {
  description: 'Synthesise every example environment, run every check and print a summary',
  steps: [
    { spawn: preflight.name },
    { spawn: compileAll.name },
    { exec: 'node -r ts-node/register/transpile-only tools/main-job.ts' },
  ],
});

// Benchmarks are measured on demand, never in the test command: they write docs/benchmarks.md.
root.addTask('bench', {
  description: 'Measure synth speed, scale and the test command; writes docs/benchmarks.md',
  steps: [
    { spawn: preflight.name },
    { spawn: compileAll.name },
    { exec: 'node -r ts-node/register/transpile-only bench/run.ts', receiveArgs: true },
  ],
});

const testAll = root.addTask('test:packages', {
  description: 'Run every library\'s unit and integration tests',
});
for (const dir of workspaces.filter((d) => d.startsWith('packages/'))) {
  testAll.exec('npx projen test', { cwd: dir });
}
for (const dir of workspaces.filter((d) => d.startsWith('examples/'))) {
  testAll.exec('npx projen eslint', { cwd: dir });
}

root.testTask.reset();
root.testTask.spawn(preflight);
root.testTask.spawn(compileAll);
root.testTask.spawn(root.tasks.tryFind('eslint')!);
root.testTask.exec('jest --passWithNoTests --ci', { receiveArgs: false });
root.testTask.spawn(testAll);
root.testTask.exec('node -r ts-node/register/transpile-only tools/main-job.ts --include-integ-snapshots');
root.testTask.exec('node -r ts-node/register/transpile-only tools/test-summary.ts');

root.synth();
