import { TaggingStandard } from '@ssd-platform/security-baseline';
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, NagReportFormat } from 'cdk-nag';

/**
 * Adds the checks every example stack must pass: the tagging standard, and the cdk-nag
 * AwsSolutions and NIST 800-53 rev 5 packs with CSV reports for the main job.
 */
export function applyPlatformChecks(app: App): void {
  TaggingStandard.enforce(app);
  Aspects.of(app).add(new AwsSolutionsChecks({ reports: true, reportFormats: [NagReportFormat.CSV] }));
  Aspects.of(app).add(new NIST80053R5Checks({ reports: true, reportFormats: [NagReportFormat.CSV] }));
}
