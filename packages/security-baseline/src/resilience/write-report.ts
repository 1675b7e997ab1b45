import { ResilienceReport, ResilienceReportOptions, ResilienceReportResult } from './resilience-report';

/**
 * Writes the resilience report of one environment: `resilience-<environment>.md` and `.json`
 * in `outDir`, and returns the counts and the files.
 *
 * The same as `ResilienceReport.write`, as a function for TypeScript callers. It is not
 * exported from the package index, because jsii cannot export functions.
 */
export function writeResilienceReport(options: ResilienceReportOptions): ResilienceReportResult {
  return ResilienceReport.write(options);
}
