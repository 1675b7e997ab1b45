import { SinglePointOfFailure, SinglePointOfFailureKind } from '../single-point-of-failure';
import { BackupSelectionTags, resourcesWithoutBackup } from './backup-rules';
import { fragileSearchDomains, singleInstanceBrokers, singleNodeRedshiftClusters, standaloneInstances } from './compute-rules';
import { bucketsWithoutVersioning, fragileCaches, singleAzDbInstances, singleAzFileSystems, singleInstanceDbClusters } from './data-rules';
import { RuleFinding } from './finding';
import {
  fragileAutoScalingGroups,
  fragileDirectories,
  fragileVpnConnections,
  singleAzEndpoints,
  singleDirectConnectConnections,
  singleNatGateways,
} from './network-rules';
import { TemplateModel, TemplateResource, TemplateSource, isRecord } from './template-model';

/** A single point of failure found in a template. */
export interface Finding {
  readonly kind: SinglePointOfFailureKind;
  readonly stackName: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The construct path, when the template or the assembly's metadata records it. */
  readonly constructPath?: string;
  readonly templatePath?: string;
  /** The plain-English description: what fails, and what stops when it does. */
  readonly description: string;
  /** The change that removes the single point of failure. */
  readonly fix: string;
  /** The acknowledgement on the resource, when the single point of failure stays by design. */
  readonly acknowledgement?: {
    readonly reason: string;
    readonly recoveryProcedure: string;
  };
}

/** Options of the analysis. */
export interface AnalysisOptions {
  /**
   * The tag key that the organisation backup policy selects by.
   *
   * @default 'backup'
   */
  readonly backupTagKey?: string;

  /**
   * The tag values that select a resource for backup.
   *
   * @default ['true']
   */
  readonly backupTagValues?: string[];
}

export const DEFAULT_BACKUP_TAG_KEY = 'backup';
export const DEFAULT_BACKUP_TAG_VALUES = ['true'];

/**
 * Lists every single point of failure in one synthesised template.
 *
 * A pure function of the template JSON: it reads no files and no construct tree, so that it
 * runs on cloud assemblies written by any app. Acknowledgements are read from each resource's
 * `ssd:resilience` metadata.
 */
export function analyseTemplate(template: unknown, source: TemplateSource, options: AnalysisOptions = {}): Finding[] {
  const model = new TemplateModel(template, source);
  const selectionTags: BackupSelectionTags = {
    tagKey: options.backupTagKey ?? DEFAULT_BACKUP_TAG_KEY,
    tagValues: options.backupTagValues ?? DEFAULT_BACKUP_TAG_VALUES,
  };

  const ruleFindings: RuleFinding[] = [
    ...singleAzDbInstances(model),
    ...singleInstanceDbClusters(model),
    ...singleNatGateways(model),
    ...fragileAutoScalingGroups(model),
    ...fragileDirectories(model),
    ...fragileVpnConnections(model),
    ...singleDirectConnectConnections(model),
    ...bucketsWithoutVersioning(model),
    ...resourcesWithoutBackup(model, selectionTags),
    ...fragileCaches(model),
    ...singleAzFileSystems(model),
    ...singleAzEndpoints(model),
    ...standaloneInstances(model),
    ...fragileSearchDomains(model),
    ...singleInstanceBrokers(model),
    ...singleNodeRedshiftClusters(model),
  ];

  return ruleFindings.map((finding) => {
    const acknowledgement = [finding.resource, ...finding.related ?? []]
      .map((resource) => acknowledgementOf(resource, finding.kind))
      .find((found) => found !== undefined);
    const constructPath = model.constructPathOf(finding.resource);
    return {
      kind: finding.kind,
      stackName: source.stackName,
      logicalId: finding.resource.logicalId,
      resourceType: finding.resource.type,
      ...(constructPath !== undefined ? { constructPath } : {}),
      ...(source.templatePath !== undefined ? { templatePath: source.templatePath } : {}),
      description: finding.description,
      fix: finding.fix,
      ...(acknowledgement !== undefined ? { acknowledgement } : {}),
    };
  });
}

/**
 * Reads the acknowledgement of one kind from a resource's metadata.
 *
 * An entry whose reason or recovery procedure is missing or blank does not count, because
 * the metadata may have been written by hand, without the checks of `SinglePointOfFailure.acknowledge`.
 */
function acknowledgementOf(resource: TemplateResource, kind: SinglePointOfFailureKind): Finding['acknowledgement'] {
  const metadata = resource.metadata[SinglePointOfFailure.METADATA_KEY];
  const entries = isRecord(metadata) && Array.isArray(metadata.acknowledgements) ? metadata.acknowledgements : [];
  for (const entry of entries) {
    if (isRecord(entry) && entry.kind === kind && isText(entry.reason) && isText(entry.recoveryProcedure)) {
      return { reason: entry.reason, recoveryProcedure: entry.recoveryProcedure };
    }
  }
  return undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
