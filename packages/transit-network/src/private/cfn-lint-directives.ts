import { CfnResource } from 'aws-cdk-lib';

/**
 * Tells cfn-lint to skip some of its checks on one resource, keeping any it already skips.
 *
 * cfn-lint reads the `ignore_checks` list under the resource's `cfn-lint` metadata. State
 * the reason in a comment where this is called, because cfn-lint accepts no reason field.
 */
export function ignoreCfnLintChecks(resource: CfnResource, checks: string[]): void {
  const existing: string[] = resource.getMetadata('cfn-lint')?.config?.ignore_checks ?? [];
  resource.addMetadata('cfn-lint', { config: { ignore_checks: [...new Set([...existing, ...checks])] } });
}
