import { RemovalPolicy, aws_accessanalyzer as accessanalyzer } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccessAnalyzerSettings, CommonSettings } from './settings';

/**
 * Creates IAM Access Analyzer analyzers: external access with the organisation (or, without
 * `organizationWide`, this account) as the zone of trust, and optionally unused access.
 *
 * An organisation analyzer needs this account to be the delegated administrator of
 * `access-analyzer.amazonaws.com`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-settings.html
 */
export function enableAccessAnalyzer(scope: Construct, settings: AccessAnalyzerSettings, common: CommonSettings): { analyzerArn: string } {
  const root = new Construct(scope, 'AccessAnalyzer');
  return createAnalyzers(root, common.organizationWide ? 'ORGANIZATION' : 'ACCOUNT', settings, common.removalPolicy);
}

/**
 * Creates the analyzers of one zone of trust: external access, the account analyzer when
 * asked for (only in addition to an organisation analyzer), and unused access.
 */
export function createAnalyzers(
  root: Construct,
  zone: 'ORGANIZATION' | 'ACCOUNT',
  settings: AccessAnalyzerSettings,
  removalPolicy: RemovalPolicy,
): { analyzerArn: string } {
  const organization = zone === 'ORGANIZATION';
  // Each type has its own construct ID: the type cannot change without replacing the analyzer.
  const external = new accessanalyzer.CfnAnalyzer(root, organization ? 'Organization' : 'Account', { type: zone });
  external.applyRemovalPolicy(removalPolicy);
  if (organization && settings.accountAnalyzer) {
    new accessanalyzer.CfnAnalyzer(root, 'Account', { type: 'ACCOUNT' }).applyRemovalPolicy(removalPolicy);
  }
  if (settings.unusedAccess) {
    const unused = new accessanalyzer.CfnAnalyzer(root, organization ? 'OrganizationUnusedAccess' : 'AccountUnusedAccess', {
      type: `${zone}_UNUSED_ACCESS`,
      analyzerConfiguration: { unusedAccessConfiguration: { unusedAccessAge: settings.unusedAccessAgeDays } },
    });
    unused.applyRemovalPolicy(removalPolicy);
  }
  return { analyzerArn: external.attrArn };
}
