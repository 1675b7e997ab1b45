import { NcscChecks, ResilienceCheck, TaggingStandard } from '@ssd-platform/security-baseline';
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, NagReportFormat } from 'cdk-nag';

/**
 * The example environments that serve production: every environment but the
 * Non-Production tier. The management, security and shared-services accounts carry
 * production's guardrails, keys, logs and directory, so they count as production too.
 */
const NON_PRODUCTION_ENVIRONMENTS = ['non-production'];

/** Tests whether an example environment, named as its folder under examples/, serves production. */
export function servesProduction(environment: string): boolean {
  return !NON_PRODUCTION_ENVIRONMENTS.includes(environment);
}

/**
 * Adds the checks every example stack must pass: the tagging standard; the cdk-nag
 * AwsSolutions, NIST 800-53 rev 5 and NCSC packs with CSV reports for the main job; and
 * the resilience check, which fails synth on an unacknowledged single point of failure
 * in an environment that serves production.
 *
 * @param environment the environment's folder name under examples/, for example `production`
 */
export function applyPlatformChecks(app: App, environment: string): void {
  TaggingStandard.enforce(app);
  Aspects.of(app).add(new AwsSolutionsChecks({ reports: true, reportFormats: [NagReportFormat.CSV] }));
  Aspects.of(app).add(new NIST80053R5Checks({ reports: true, reportFormats: [NagReportFormat.CSV] }));
  Aspects.of(app).add(new NcscChecks({ reports: true, reportFormats: [NagReportFormat.CSV] }));
  Validations.of(app).addPlugins(new ResilienceCheck({ production: servesProduction(environment) }));
}
