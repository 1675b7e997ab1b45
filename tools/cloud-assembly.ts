import { existsSync, readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';

/** The contents of one synthesised stack, as the main job reports them. */
export interface StackSummary {
  /** The example app the stack belongs to. */
  readonly app: string;
  readonly stackName: string;
  /** The template's path, for cfn-lint. */
  readonly templatePath: string;
  readonly resourceCount: number;
  readonly templateSizeKb: number;
  readonly nag: NagCounts;
  /** Error annotations that did not come from cdk-nag rules. */
  readonly synthErrors: string[];
  /** Warning annotations that did not come from cdk-nag rules. */
  readonly synthWarnings: string[];
}

/** cdk-nag results for a stack, summed over every rule pack applied to it. */
export interface NagCounts {
  errors: number;
  warnings: number;
  suppressed: number;
  /** Rules that could not be evaluated (cdk-nag's UNKNOWN state); cdk-nag treats them as errors. */
  unknown: number;
  /** One line per non-compliant or unknown finding: rule, resource and level. */
  findings: string[];
}

interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
  readonly metadata?: MetadataByPath;
  /** Newer assemblies keep the metadata in a file of its own beside the manifest. */
  readonly additionalMetadataFile?: string;
}

type MetadataByPath = Record<string, Array<{ readonly type: string; readonly data: unknown }>>;

/** Rule ids of the cdk-nag packs start with the pack's name and a hyphen. */
const NAG_MESSAGE = /^\[?(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321|Serverless|NCSC|CdkNagValidationFailure)[-:\]]/;

/** Reads every stack of a cloud assembly directory and its cdk-nag CSV reports. */
export function summariseAssembly(app: string, outdir: string): StackSummary[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const nagReports = readNagReports(outdir);
  const stacks: StackSummary[] = [];

  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) {
      continue;
    }
    const templatePath = join(outdir, artifact.properties.templateFile);
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, unknown> };
    const stackName = artifact.properties.stackName ?? artifactId;

    const synthErrors: string[] = [];
    const synthWarnings: string[] = [];
    const metadata: MetadataByPath = {
      ...artifact.metadata,
      ...(artifact.additionalMetadataFile ? JSON.parse(readFileSync(join(outdir, artifact.additionalMetadataFile), 'utf8')) : {}),
    };
    for (const [path, entries] of Object.entries(metadata)) {
      for (const entry of entries) {
        const message = typeof entry.data === 'string' ? entry.data : JSON.stringify(entry.data);
        if (NAG_MESSAGE.test(message)) {
          continue;
        }
        if (entry.type === 'aws:cdk:error') {
          synthErrors.push(`${path}: ${message}`);
        } else if (entry.type === 'aws:cdk:warning') {
          synthWarnings.push(`${path}: ${message}`);
        }
      }
    }

    stacks.push({
      app,
      stackName,
      templatePath,
      resourceCount: Object.keys(template.Resources ?? {}).length,
      templateSizeKb: statSync(templatePath).size / 1024,
      nag: nagReports.get(stackName) ?? { errors: 0, warnings: 0, suppressed: 0, unknown: 0, findings: [] },
      synthErrors,
      synthWarnings,
    });
  }
  return stacks;
}

/**
 * Sums the cdk-nag CSV reports (`<Pack>-<StackName>-NagReport.csv`) by stack name.
 *
 * The CSV format is used because cdk-nag appends each CSV row, while it rewrites the
 * whole JSON report for every row.
 */
function readNagReports(outdir: string): Map<string, NagCounts> {
  const byStack = new Map<string, NagCounts>();
  if (!existsSync(outdir)) {
    return byStack;
  }
  for (const file of readdirSync(outdir)) {
    const match = /^(.+?)-(.+)-NagReport\.csv$/.exec(file);
    if (!match) {
      continue;
    }
    const stackName = stripPackName(file);
    const counts = byStack.get(stackName) ?? { errors: 0, warnings: 0, suppressed: 0, unknown: 0, findings: [] };
    const rows = parseCsv(readFileSync(join(outdir, file), 'utf8')).slice(1);
    for (const [ruleId, resource, compliance, , level] of rows) {
      if (compliance === 'Suppressed') {
        counts.suppressed += 1;
      } else if (compliance === 'UNKNOWN') {
        counts.unknown += 1;
        counts.findings.push(`${ruleId} could not be evaluated on ${resource}`);
      } else if (compliance === 'Non-Compliant') {
        if (level === 'Error') {
          counts.errors += 1;
        } else {
          counts.warnings += 1;
        }
        counts.findings.push(`${level} ${ruleId} on ${resource}`);
      }
    }
    byStack.set(stackName, counts);
  }
  return byStack;
}

/** The pack names cdk-nag writes, longest first so that `NIST.800.53.R5` is not cut at a hyphen. */
const PACK_PREFIXES = ['AwsSolutions-', 'NIST.800.53.R5-', 'HIPAA.Security-', 'PCI.DSS.321-', 'Serverless-', 'NCSC-'];

function stripPackName(file: string): string {
  const withoutSuffix = file.replace(/-NagReport\.csv$/, '');
  const prefix = PACK_PREFIXES.find((p) => withoutSuffix.startsWith(p));
  return prefix ? withoutSuffix.slice(prefix.length) : withoutSuffix.replace(/^[^-]+-/, '');
}

/** Parses CSV with double-quoted fields and doubled quotes inside them, as cdk-nag writes it. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (char !== '\r') {
      field += char;
    }
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
