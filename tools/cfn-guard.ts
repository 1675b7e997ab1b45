import { spawn } from 'child_process';
import { existsSync, readFileSync, readdirSync } from 'fs';
import { arch, availableParallelism, platform } from 'os';
import { basename, dirname, join, resolve } from 'path';
import { DISABLED_GUARD_RULES, DisabledGuardRule, GUARD_EXEMPTIONS, GuardExemption } from './cfn-guard-disabled-rules';
import { splitBySize } from './cfn-lint';

/** One resource that breaks one cfn-guard rule. */
export interface GuardFailure {
  /** The rule name in the guard file, for example `s3_bucket_logging_enabled_check`. */
  readonly rule: string;
  /** The AWS Control Tower control id, for example `CT.S3.PR.2`, when the rule's metadata gives one. */
  readonly controlId?: string;
  /** The logical id of the resource that fails; absent when the rule fails on the template as a whole. */
  readonly logicalId?: string;
  /** The control's requirement, from the rule's own message. */
  readonly message: string;
  /** The remediation, when the rule's message gives one. */
  readonly fix?: string;
  /** The checks that failed on this resource: the clause and the property path it reached. */
  readonly checks: string[];
}

/** cfn-guard findings for one template. */
export interface GuardResult {
  /** Failures that count: neither their rule is disabled nor the resource exempted. */
  readonly failures: GuardFailure[];
  /** Failures that a resource-level exemption in cfn-guard-disabled-rules.ts covers, kept so that reports can show them. */
  readonly exempted: GuardFailure[];
}

/** One rule of the bundled rule set, read from its guard file and metadata. */
export interface GuardRule {
  /** The primary rule names the guard file defines (the rules that report results). */
  readonly names: string[];
  /** The AWS Control Tower control id, when the metadata or the rule's message gives one. */
  readonly controlId?: string;
  /** Absolute path of the guard file. */
  readonly file: string;
  /**
   * Every resource type the rule evaluates or refers to: the metadata's evaluated types and
   * every type named in the guard file. A template with none of them cannot fail the rule,
   * because every Control Tower rule selects the resources it checks by their `Type`.
   */
  readonly resourceTypes: string[];
  /** The control's title from its metadata, used when a failure carries no message. */
  readonly title?: string;
}

/** Options for {@link guardTemplates}; tests use them, the main job takes the defaults. */
export interface GuardOptions {
  /** Rules (by control id or rule name) switched off for the whole estate. @default DISABLED_GUARD_RULES */
  readonly disabledRules?: readonly DisabledGuardRule[];
  /** Failures of single resources that are accepted. @default GUARD_EXEMPTIONS */
  readonly exemptions?: readonly GuardExemption[];
  /**
   * A rule set laid out like the bundled Control Tower one: `cfn-guard/<service>/*.guard`
   * and `metadata/<service>/<name>.metadata.json`.
   * @default the AWS Control Tower proactive rules bundled with @cdklabs/cdk-validator-cfnguard
   */
  readonly rulesRoot?: string;
  /** How many cfn-guard processes may run at once, each over a share of the templates. @default one per CPU core */
  readonly processes?: number;
}

/** cfn-guard's exit codes when it ran every rule: 0 when everything passed or skipped, 19 when a rule failed. */
const COMPLETED_EXIT_CODES = new Set([0, 19]);

/** The structured output contains the whole evaluation tree: 74 templates against every rule produce about 5 MB. */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/** Returns the directory of the installed @cdklabs/cdk-validator-cfnguard package. */
function validatorPackageDir(): string {
  return dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
}

/** Returns the root of the AWS Control Tower proactive rules bundled with the validator package. */
export function bundledRulesRoot(): string {
  return join(validatorPackageDir(), 'rules', 'control-tower');
}

/**
 * Returns the path of the cfn-guard binary bundled for this operating system and architecture.
 *
 * The package ships builds for Linux (in a folder named `ubuntu`, but they run on any glibc
 * Linux) and macOS, each for x86_64 and aarch64.
 */
export function guardBinaryPath(os: string = platform(), cpu: string = arch()): string {
  const osFolder: Record<string, string> = { linux: 'ubuntu', darwin: 'macos' };
  const cpuFolder: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64' };
  const bundled = 'Linux and macOS on x64 or arm64';
  if (!osFolder[os] || !cpuFolder[cpu]) {
    throw new Error(`@cdklabs/cdk-validator-cfnguard bundles no cfn-guard binary for ${os}/${cpu} (it bundles ${bundled}). Run the checks on one of those.`);
  }
  const binary = join(validatorPackageDir(), 'bin', osFolder[os], cpuFolder[cpu], 'cfn-guard');
  if (!existsSync(binary)) {
    throw new Error(`The cfn-guard binary for ${os}/${cpu} is missing at ${binary}. Reinstall the dependencies with npm ci.`);
  }
  return binary;
}

/**
 * Reads every rule of a rule set: its guard file, primary rule names, control id and the
 * resource types it can apply to.
 *
 * Throws when a guard file defines no rule or when two files define the same rule name,
 * because cfn-guard reports results by rule name only.
 */
export function loadGuardRules(rulesRoot: string = bundledRulesRoot()): GuardRule[] {
  const guardRoot = join(rulesRoot, 'cfn-guard');
  if (!existsSync(guardRoot)) {
    throw new Error(`No cfn-guard rules at ${guardRoot}: expected cfn-guard/<service>/*.guard under the rules root.`);
  }
  const rules: GuardRule[] = [];
  const fileByName = new Map<string, string>();
  for (const service of readdirSync(guardRoot).sort()) {
    const serviceDir = join(guardRoot, service);
    for (const fileName of readdirSync(serviceDir).filter((name) => name.endsWith('.guard')).sort()) {
      const file = join(serviceDir, fileName);
      const rule = readGuardRule(file, join(rulesRoot, 'metadata', service, fileName.replace(/\.guard$/, '.metadata.json')));
      for (const name of rule.names) {
        const other = fileByName.get(name);
        if (other) {
          throw new Error(`Rule name ${name} is defined in both ${other} and ${file}; cfn-guard results would be ambiguous.`);
        }
        fileByName.set(name, file);
      }
      rules.push(rule);
    }
  }
  return rules;
}

interface ControlMetadata {
  readonly Id?: string;
  readonly DisplayName?: string;
  readonly EvaluatedResourceTypes?: string[];
}

function readGuardRule(file: string, metadataFile: string): GuardRule {
  const text = readFileSync(file, 'utf8');
  // Primary rules are the conditional ones (`rule name when ...`); the helper rules they call take parameters.
  const names = [...new Set([...text.matchAll(/^rule\s+([A-Za-z0-9_]+)\s+when\b/gm)].map((match) => match[1]))];
  if (names.length === 0) {
    throw new Error(`Guard file ${file} defines no rule of the form "rule <name> when <condition>", so its results could not be attributed.`);
  }
  const metadata: ControlMetadata = existsSync(metadataFile) ? JSON.parse(readFileSync(metadataFile, 'utf8')) : {};
  const namedTypes = [...text.matchAll(/"((?:AWS|Custom)::[A-Za-z0-9]+(?:::[A-Za-z0-9]+)?)"/g)].map((match) => match[1]);
  return {
    names,
    controlId: metadata.Id ?? /\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/.exec(text)?.[1],
    file,
    resourceTypes: [...new Set([...(metadata.EvaluatedResourceTypes ?? []), ...namedTypes])].sort(),
    title: metadata.DisplayName,
  };
}

/**
 * Runs the AWS Control Tower proactive cfn-guard rules over every template and returns the
 * failures by absolute template path.
 *
 * Only the rules that name a resource type present in at least one of the templates run:
 * any other rule would skip every template, and leaving those out cuts the CPU time about three
 * times on the example apps, with the same results. Everything runs in one cfn-guard process.
 * Rules in the disabled list do not run; failures that match a resource-level exemption are
 * returned under `exempted`.
 *
 * Throws when a template cannot be read or parsed, when cfn-guard fails or cannot parse a rule
 * file, and when the disabled list or the exemptions name a control that the rule set does not
 * have. A broken check must never read as a pass.
 */
export async function guardTemplates(templatePaths: string[], options: GuardOptions = {}): Promise<Map<string, GuardResult>> {
  const rules = loadGuardRules(options.rulesRoot);
  const disabled = options.disabledRules ?? DISABLED_GUARD_RULES;
  const exemptions = options.exemptions ?? GUARD_EXEMPTIONS;
  checkRuleReferences(rules, disabled, exemptions);

  const paths = [...new Set(templatePaths.map((path) => resolve(path)))];
  const typesInTemplates = new Set(paths.flatMap(readResourceTypes));
  const selected = rules
    .filter((rule) => !disabled.some((entry) => refersTo(entry.control, rule)))
    .filter((rule) => rule.resourceTypes.some((type) => typesInTemplates.has(type)));

  const results = new Map<string, GuardResult>();
  for (const path of paths) {
    results.set(path, { failures: [], exempted: [] });
  }
  if (paths.length === 0 || selected.length === 0) {
    return results;
  }

  const ruleByName = new Map(selected.flatMap((rule) => rule.names.map((name) => [name, rule] as const)));
  const reported = new Set<string>();
  const ruleFiles = selected.map((rule) => rule.file);
  const batches = splitBySize(paths, options.processes ?? availableParallelism());
  const reports = (await Promise.all(batches.map((batch) => runGuard(ruleFiles, batch)))).flat();
  for (const report of reports) {
    const path = resolve(report.name);
    const result = results.get(path);
    if (!result) {
      throw new Error(`cfn-guard reported on a template it was not given: ${report.name}`);
    }
    reported.add(path);
    for (const failure of mergeByResource(report.not_compliant.flatMap((node) => failuresOf(node, ruleByName)))) {
      const exempt = exemptions.some((exemption) => exempts(exemption, failure, path));
      (exempt ? result.exempted : result.failures).push(failure);
    }
  }
  const unreported = paths.filter((path) => !reported.has(path));
  if (unreported.length > 0) {
    throw new Error(`cfn-guard returned no result for ${unreported.length} template(s): ${unreported.join(', ')}`);
  }
  for (const result of results.values()) {
    result.failures.sort(compareFailures);
    result.exempted.sort(compareFailures);
  }
  return results;
}

/** Formats one failure as a single line for logs and summaries. */
export function formatGuardFailure(failure: GuardFailure): string {
  const control = failure.controlId ? `${failure.controlId} (${failure.rule})` : failure.rule;
  const where = failure.logicalId ? ` at ${failure.logicalId}` : '';
  const fix = failure.fix ? ` Fix: ${failure.fix}` : '';
  return `${control}${where}: ${failure.message}.${fix}`;
}

/** Throws when a disabled rule or an exemption names a control or rule that the rule set does not have. */
function checkRuleReferences(rules: GuardRule[], disabled: readonly DisabledGuardRule[], exemptions: readonly GuardExemption[]): void {
  const problems: string[] = [];
  for (const entry of disabled) {
    if (!rules.some((rule) => refersTo(entry.control, rule))) {
      problems.push(`disabled rule "${entry.control}" matches no control id or rule name`);
    }
    if (entry.reason.trim() === '') {
      problems.push(`disabled rule "${entry.control}" has no reason`);
    }
  }
  for (const exemption of exemptions) {
    if (!rules.some((rule) => refersTo(exemption.control, rule))) {
      problems.push(`exemption for "${exemption.control}" matches no control id or rule name`);
    }
    if (!exemption.templatePattern && !exemption.logicalIdPattern) {
      problems.push(`exemption for "${exemption.control}" names neither a template nor a logical id; disable the rule instead`);
    }
    if (exemption.reason.trim() === '') {
      problems.push(`exemption for "${exemption.control}" has no reason`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`cfn-guard-disabled-rules.ts is out of date with the bundled rules:\n${problems.map((p) => `  - ${p}`).join('\n')}\nRemove or correct these entries.`);
  }
}

/** True when `control` is the rule's control id or one of its rule names. */
function refersTo(control: string, rule: GuardRule): boolean {
  return control === rule.controlId || rule.names.includes(control);
}

function exempts(exemption: GuardExemption, failure: GuardFailure, templatePath: string): boolean {
  if (exemption.control !== failure.controlId && exemption.control !== failure.rule) {
    return false;
  }
  if (exemption.templatePattern && !exemption.templatePattern.test(templatePath)) {
    return false;
  }
  if (exemption.logicalIdPattern && !(failure.logicalId && exemption.logicalIdPattern.test(failure.logicalId))) {
    return false;
  }
  return true;
}

/** Reads a JSON template and returns the resource types it declares. */
function readResourceTypes(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read template ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let template: { Resources?: Record<string, { Type?: unknown }> };
  try {
    template = JSON.parse(text);
  } catch (error) {
    // CDK writes JSON; a template that does not parse is a broken synth output, not a compliant one.
    throw new Error(`Template ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new Error(`Template ${path} is not a CloudFormation template: its top level is not a JSON object.`);
  }
  return Object.values(template.Resources ?? {})
    .map((resource) => resource?.Type)
    .filter((type): type is string => typeof type === 'string');
}

/** The part of cfn-guard's structured report for one data file that this module reads. */
interface GuardFileReport {
  readonly name: string;
  readonly status: string;
  readonly not_compliant: unknown[];
}

/** Runs one cfn-guard process over every rule file and the given templates and returns its structured report. */
function runGuard(ruleFiles: string[], templatePaths: string[]): Promise<GuardFileReport[]> {
  const args = [
    'validate',
    ...ruleFiles.flatMap((file) => ['--rules', file]),
    ...templatePaths.flatMap((path) => ['--data', path]),
    '--structured', '--show-summary', 'none', '--output-format', 'json',
  ];
  const binary = guardBinaryPath();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args);
    const stdoutChunks: Buffer[] = [];
    const stderrChunks: Buffer[] = [];
    let outputBytes = 0;
    const collect = (chunks: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > MAX_OUTPUT_BYTES) {
        child.kill();
        return;
      }
      chunks.push(chunk);
    };
    child.stdout.on('data', collect(stdoutChunks));
    child.stderr.on('data', collect(stderrChunks));
    child.on('error', (error) => reject(new Error(`cfn-guard could not be run from ${binary}: ${error.message}`)));
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(stdoutChunks).toString('utf8');
      const stderr = Buffer.concat(stderrChunks).toString('utf8').trim();
      try {
        resolvePromise(parseGuardOutput(code, signal, stdout, stderr, outputBytes));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Checks how a cfn-guard run ended and returns its structured report. */
function parseGuardOutput(
  code: number | null,
  signal: NodeJS.Signals | null,
  stdout: string,
  stderr: string,
  outputBytes: number,
): GuardFileReport[] {
  if (outputBytes > MAX_OUTPUT_BYTES) {
    throw new Error(`cfn-guard printed more than ${MAX_OUTPUT_BYTES} bytes and was stopped.`);
  }
  // A rule file that does not parse is reported on stderr while the other rules still run,
  // so the exit code alone would let a broken rule pass silently.
  const unparsed = [...stderr.matchAll(/Parsing error handling rule file = (.+?), Error = /g)].map((match) => match[1]);
  if (unparsed.length > 0) {
    throw new Error(`cfn-guard could not parse rule file(s) ${unparsed.join(', ')}:\n${stderr}`);
  }
  if (code === null || !COMPLETED_EXIT_CODES.has(code) || stderr !== '') {
    const how = code === null ? `was stopped by ${signal}` : `failed with exit code ${code}`;
    throw new Error(`cfn-guard ${how}:\n${stderr || stdout.slice(0, 500)}`);
  }
  try {
    return JSON.parse(stdout) as GuardFileReport[];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cfn-guard printed output that is not JSON (${reason}):\n${stdout.slice(0, 500)}`);
  }
}

/**
 * Turns one not-compliant entry of the structured report into one failure per resource.
 *
 * The entry is the evaluation tree of one rule: nested rules, blocks and clauses, where each
 * failed clause records the template path it reached (`/Resources/<logical id>/...`).
 */
function failuresOf(node: unknown, ruleByName: Map<string, GuardRule>): GuardFailure[] {
  const name = (node as { Rule?: { name?: string } }).Rule?.name;
  const rule = name === undefined ? undefined : ruleByName.get(name);
  if (!name || !rule) {
    throw new Error(`cfn-guard reported a failure of a rule it was not given: ${name ?? JSON.stringify(node).slice(0, 200)}`);
  }
  const failedChecks: Array<{ path: string; check: string }> = [];
  const customMessages: string[] = [];
  collectFailedChecks(node, failedChecks, customMessages);
  const { message, fix } = splitMessage(customMessages.find((text) => text.includes('[CT.')) ?? customMessages[0], rule);

  const checksByResource = new Map<string | undefined, string[]>();
  for (const { path, check } of failedChecks) {
    const logicalId = /^\/Resources\/([^/]+)/.exec(path)?.[1];
    const checks = checksByResource.get(logicalId) ?? [];
    const line = path ? `${check} at ${path}` : check;
    if (!checks.includes(line)) {
      checks.push(line);
    }
    checksByResource.set(logicalId, checks);
  }
  // Clauses that compare rule variables report an empty path. When other clauses of the
  // rule name a resource, those unattributed clauses belong to it, not to the template.
  if (checksByResource.size > 1) {
    checksByResource.delete(undefined);
  }
  if (checksByResource.size === 0) {
    checksByResource.set(undefined, []);
  }
  return [...checksByResource].map(([logicalId, checks]) => ({ rule: name, controlId: rule.controlId, logicalId, message, fix, checks }));
}

/** Walks the evaluation tree and collects every failed clause with its path, and every custom message. */
function collectFailedChecks(node: unknown, checks: Array<{ path: string; check: string }>, messages: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((child) => collectFailedChecks(child, checks, messages));
    return;
  }
  if (typeof node !== 'object' || node === null) {
    return;
  }
  const record = node as Record<string, unknown>;
  const custom = (record.messages as { custom_message?: string | null } | undefined)?.custom_message;
  if (custom && custom.trim() !== '') {
    messages.push(custom);
  }
  if (record.Clause !== undefined) {
    const clause = Object.values(record.Clause as Record<string, ClauseReport>)[0];
    collectFailedChecks(clause, [], messages);
    checks.push({ path: clausePath(clause.check), check: (clause.context ?? 'clause').trim() });
    return;
  }
  if (record.Block !== undefined) {
    const block = record.Block as { context: string; unresolved?: { traversed_to?: { path?: string }; remaining_query?: string } };
    checks.push({ path: block.unresolved?.traversed_to?.path ?? '', check: `${block.unresolved?.remaining_query ?? 'block'} missing` });
    return;
  }
  Object.values(record).forEach((child) => collectFailedChecks(child, checks, messages));
}

interface ClauseReport {
  readonly context: string;
  readonly check: Record<string, { from?: { path?: string }; value?: { path?: string; traversed_to?: { path?: string } } }>;
}

/** Returns the template path on the left-hand side of a failed clause: the property that was checked. */
function clausePath(check: ClauseReport['check']): string {
  const outcome = Object.values(check)[0] ?? {};
  return outcome.from?.path ?? outcome.value?.traversed_to?.path ?? outcome.value?.path ?? '';
}

/** Splits a Control Tower rule message, "[CT.X.PR.n]: requirement [FIX]: how to fix", into its parts. */
function splitMessage(custom: string | undefined, rule: GuardRule): { message: string; fix?: string } {
  const text = (custom ?? '').replace(/\s+/g, ' ').trim();
  const match = /^(?:\[[^\]]+\]:\s*)?(.*?)(?:\s*\[FIX\]:\s*(.*))?$/.exec(text);
  const message = match?.[1] || rule.title || `Rule ${rule.names[0]} in ${basename(rule.file)} failed`;
  return { message, fix: match?.[2] || undefined };
}

/**
 * Merges failures of the same rule on the same resource. A guard file defines its primary rule
 * twice (for templates and for CloudFormation hooks) under one name, so a rule name can appear
 * more than once in a report.
 */
function mergeByResource(failures: GuardFailure[]): GuardFailure[] {
  const merged = new Map<string, GuardFailure>();
  for (const failure of failures) {
    const key = `${failure.rule}\u0000${failure.logicalId ?? ''}`;
    const existing = merged.get(key);
    if (existing) {
      existing.checks.push(...failure.checks.filter((check) => !existing.checks.includes(check)));
    } else {
      merged.set(key, failure);
    }
  }
  return [...merged.values()];
}

function compareFailures(a: GuardFailure, b: GuardFailure): number {
  return (a.controlId ?? a.rule).localeCompare(b.controlId ?? b.rule, 'en', { numeric: true })
    || (a.logicalId ?? '').localeCompare(b.logicalId ?? '');
}
