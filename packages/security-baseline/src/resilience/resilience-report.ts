import { isValidRevision } from '../evidence/provenance';
import { PropsValidator, checkList, isConcreteString, show } from '../private/validation';
import { checkTagKey, checkTagValues } from './private/options';
import { writeReport } from './private/report';

/** Options of the resilience report: the environment, its assemblies and the output directory. */
export interface ResilienceReportOptions {
  /**
   * The name of the environment, for example `production`. It names the report files
   * `resilience-<environment>.md` and `.json`, so it is letters, digits, dots, hyphens and
   * underscores.
   */
  readonly environment: string;

  /** The cloud assembly directories (cdk.out) of the environment's apps. */
  readonly assemblyDirs: string[];

  /** The directory the report files are written to. It is created if it does not exist. */
  readonly outDir: string;

  /**
   * Whether the environment is production, where every single point of failure must be
   * fixed or acknowledged.
   *
   * @default false
   */
  readonly production?: boolean;

  /**
   * The tag key that the organisation backup policy selects resources by.
   *
   * @default 'backup'
   */
  readonly backupTagKey?: string;

  /**
   * The values of `backupTagKey` that select a resource for backup.
   *
   * @default ['true']
   */
  readonly backupTagValues?: string[];

  /**
   * The revision of the code the cloud assemblies were synthesised from, as free text, for
   * example `git 1a2b3c4d5e6f (uncommitted changes)`. The Markdown and JSON reports show it
   * in their header, next to the version of this package, so that a reviewer can tell which
   * code the report describes.
   *
   * @default - the header reads "revision not given"
   */
  readonly revision?: string;
}

/** The counts and files of a written resilience report. */
export interface ResilienceReportResult {
  /** The number of single points of failure without an acknowledgement. */
  readonly unacknowledgedCount: number;

  /** The number of single points of failure acknowledged with a recovery procedure. */
  readonly acknowledgedCount: number;

  /** False when the environment is production and a single point of failure is not acknowledged. */
  readonly passed: boolean;

  /** The path of the Markdown report. */
  readonly markdownFile: string;

  /** The path of the JSON report. */
  readonly jsonFile: string;
}

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The resilience report of one environment: every single point of failure in its cloud
 * assemblies, unacknowledged and acknowledged, grouped by kind, as Markdown and JSON.
 */
export class ResilienceReport {
  /**
   * Analyses the cloud assemblies and writes the report files.
   *
   * Reads the assemblies only: run it after `cdk synth`, on the directories that synth wrote.
   */
  public static write(options: ResilienceReportOptions): ResilienceReportResult {
    const validator = new PropsValidator('ResilienceReport options');
    if (typeof options !== 'object' || options === null) {
      validator.fail(`options is ${show(options)}. Pass { environment, assemblyDirs, outDir }.`);
      validator.throwIfInvalid();
    }
    if (!isConcreteString(options.environment) || !ENVIRONMENT_NAME.test(options.environment)) {
      validator.fail(`environment is ${show(options.environment)}. Give a name of 1 to 64 letters, digits, dots, hyphens `
        + 'and underscores, starting with a letter or digit, for example "production".');
    }
    const assemblyDirs = checkList(validator, 'assemblyDirs', options.assemblyDirs, '["cdk.out"]');
    if (assemblyDirs !== undefined && assemblyDirs.length === 0) {
      validator.fail('assemblyDirs is empty. Give at least one cloud assembly directory, for example ["cdk.out"].');
    }
    assemblyDirs?.forEach((directory, index) => {
      if (typeof directory !== 'string' || directory.length === 0) {
        validator.fail(`assemblyDirs[${index}] is ${show(directory)}. Give the path of a cloud assembly directory.`);
      }
    });
    if (typeof options.outDir !== 'string' || options.outDir.length === 0) {
      validator.fail(`outDir is ${show(options.outDir)}. Give the directory to write the report to, for example "reports".`);
    }
    if (options.production !== undefined && typeof options.production !== 'boolean') {
      validator.fail(`production is ${show(options.production)}. Give true or false.`);
    }
    if (!isValidRevision(options.revision)) {
      validator.fail(`revision is ${show(options.revision)}. Give the revision of the code the assemblies were synthesised from `
        + 'as text, for example "git 1a2b3c4d5e6f", or leave it out.');
    }
    const backupTagKey = checkTagKey(validator, options.backupTagKey);
    const backupTagValues = checkTagValues(validator, options.backupTagValues);
    validator.throwIfInvalid();

    return writeReport({
      environment: options.environment,
      assemblyDirs: options.assemblyDirs,
      outDir: options.outDir,
      production: options.production ?? false,
      revision: options.revision,
      backupTagKey,
      backupTagValues,
    });
  }

  private constructor() {}
}
