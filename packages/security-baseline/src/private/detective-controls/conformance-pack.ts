import { aws_config as config } from 'aws-cdk-lib';
import { Construct, IDependable } from 'constructs';
import { CommonSettings, ConformancePackSettings } from './settings';
import type { ConformancePackRule } from '../../detective-controls';

/** The number and title of each NCSC Cloud Security Principle, by `NcscPrinciple` value. */
export const NCSC_PRINCIPLES: Record<string, { readonly number: number; readonly title: string }> = {
  DATA_IN_TRANSIT_PROTECTION: { number: 1, title: 'data in transit protection' },
  ASSET_PROTECTION_AND_RESILIENCE: { number: 2, title: 'asset protection and resilience' },
  SEPARATION_BETWEEN_CUSTOMERS: { number: 3, title: 'separation between customers' },
  GOVERNANCE_FRAMEWORK: { number: 4, title: 'governance framework' },
  OPERATIONAL_SECURITY: { number: 5, title: 'operational security' },
  PERSONNEL_SECURITY: { number: 6, title: 'personnel security' },
  SECURE_DEVELOPMENT: { number: 7, title: 'secure development' },
  SUPPLY_CHAIN_SECURITY: { number: 8, title: 'supply chain security' },
  SECURE_USER_MANAGEMENT: { number: 9, title: 'secure user management' },
  IDENTITY_AND_AUTHENTICATION: { number: 10, title: 'identity and authentication' },
  EXTERNAL_INTERFACE_PROTECTION: { number: 11, title: 'external interface protection' },
  SECURE_SERVICE_ADMINISTRATION: { number: 12, title: 'secure service administration' },
  AUDIT_INFORMATION_FOR_USERS: { number: 13, title: 'audit information for users' },
  SECURE_USE_OF_THE_SERVICE: { number: 14, title: 'secure use of the service' },
};

/** The maximum length of a rule description that AWS Config accepts. */
export const MAX_RULE_DESCRIPTION_LENGTH = 256;

/**
 * Builds the description of a rule in the pack: the principle, then what the rule checks.
 * The principle leads, so that the AWS Config console and the compliance reports show it.
 */
export function ruleDescription(rule: ConformancePackRule): string {
  const principle = NCSC_PRINCIPLES[rule.principle];
  const prefix = principle !== undefined ? `NCSC principle ${principle.number}, ${principle.title}: ` : '';
  return `${prefix}${rule.description}`;
}

/** Turns a rule name such as `s3-bucket-ssl-requests-only` into a template logical ID, `S3BucketSslRequestsOnly`. */
export function ruleLogicalId(ruleName: string): string {
  return ruleName
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Renders a conformance pack template from managed rules, as indented JSON.
 *
 * JSON is a subset of YAML, which AWS Config reads templates as. The rules are assumed
 * valid; `validateDetectiveControlsProps` checks the rules a user adds.
 */
export function renderConformancePackTemplate(rules: ConformancePackRule[]): string {
  const resources: Record<string, unknown> = {};
  for (const rule of rules) {
    const inputParameters = rule.inputParameters !== undefined && Object.keys(rule.inputParameters).length > 0
      ? rule.inputParameters
      : undefined;
    resources[ruleLogicalId(rule.ruleName)] = {
      Type: 'AWS::Config::ConfigRule',
      Properties: {
        ConfigRuleName: rule.ruleName,
        Description: ruleDescription(rule),
        Source: { Owner: 'AWS', SourceIdentifier: rule.identifier },
        ...(inputParameters !== undefined ? { InputParameters: inputParameters } : {}),
        ...(rule.maximumExecutionFrequency !== undefined ? { MaximumExecutionFrequency: rule.maximumExecutionFrequency } : {}),
      },
    };
  }
  return JSON.stringify({ Resources: resources }, undefined, 2);
}

/** Returns the size of a template body in bytes, as AWS Config counts it against the inline limit. */
export function templateBytes(body: string): number {
  return Buffer.byteLength(body, 'utf8');
}

/**
 * Deploys the conformance pack: to every account of the organisation with
 * `organizationWide`, otherwise to this account only.
 *
 * An organisation conformance pack is deployed from the delegated administrator of
 * `config-multiaccountsetup.amazonaws.com`. In each account it fails until that account
 * records its configuration, so deploy the configuration recorders first.
 *
 * @param recorder what must exist before the pack: this account's recorder and delivery channel
 */
export function deployConformancePack(
  scope: Construct,
  settings: ConformancePackSettings,
  common: CommonSettings,
  recorder: IDependable | undefined,
): { packName: string } {
  let pack: config.CfnOrganizationConformancePack | config.CfnConformancePack;
  if (common.organizationWide) {
    pack = new config.CfnOrganizationConformancePack(scope, 'OrganizationConformancePack', {
      organizationConformancePackName: settings.packName,
      templateBody: settings.templateBody,
      templateS3Uri: settings.templateS3Uri,
      excludedAccounts: settings.excludedAccounts.length > 0 ? settings.excludedAccounts : undefined,
    });
  } else {
    pack = new config.CfnConformancePack(scope, 'ConformancePack', {
      conformancePackName: settings.packName,
      templateBody: settings.templateBody,
      templateS3Uri: settings.templateS3Uri,
    });
  }

  if (recorder !== undefined) {
    pack.node.addDependency(recorder);
  }
  return { packName: settings.packName };
}
