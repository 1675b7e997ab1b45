import { ArnFormat, Stack, aws_iam as iam, aws_securityhub as securityhub, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IDependable } from 'constructs';
import { callAwsApi } from './api-call';
import { CommonSettings, SecurityHubSettings } from './settings';

/**
 * The standards every account runs, by the part of their ARN after `standards/`.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html
 */
const STANDARDS: ReadonlyArray<{ readonly id: string; readonly path: string }> = [
  { id: 'FoundationalBestPractices', path: 'aws-foundational-security-best-practices/v/1.0.0' },
  { id: 'CisFoundationsBenchmark', path: 'cis-aws-foundations-benchmark/v/3.0.0' },
];

/** Returns the ARN of a standard in the stack's region, for example `arn:aws:securityhub:eu-west-2::standards/...`. */
export function standardArn(stack: Stack, path: string): string {
  return stack.formatArn({ service: 'securityhub', account: '', resource: 'standards', resourceName: path, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/**
 * Turns on Security Hub CSPM in this account with consolidated control findings and the
 * standards, and with central configuration, for every account of the organisation.
 */
export function enableSecurityHub(
  scope: Construct,
  settings: SecurityHubSettings,
  common: CommonSettings,
): { hubArn: string; hub: IDependable; standards: IDependable[] } {
  const root = new Construct(scope, 'SecurityHub');
  const stack = Stack.of(scope);

  // Default standards are off so that exactly the listed standards run, and new controls
  // of those standards are turned on as AWS adds them.
  const hub = new securityhub.CfnHub(root, 'Hub', {
    controlFindingGenerator: 'SECURITY_CONTROL',
    autoEnableControls: true,
    enableDefaultStandards: false,
  });
  hub.applyRemovalPolicy(common.removalPolicy);

  const standards = STANDARDS.map((standard) => {
    const subscription = new securityhub.CfnStandard(root, standard.id, { standardsArn: standardArn(stack, standard.path) });
    subscription.addDependency(hub);
    return subscription;
  });

  if (settings.centralConfiguration) {
    configureSecurityHubOrganization(root, { hub, standards }, settings, common.organizationRootId!);
  }
  return { hubArn: hub.attrArn, hub, standards };
}

/**
 * Configures Security Hub for the organisation with a configuration policy associated
 * with the root, so that every account, present and future, runs the same standards.
 *
 * Central configuration needs a home Region, which is this one. The platform uses one
 * region, so the finding aggregator links no other region. CloudFormation's
 * `AWS::SecurityHub::FindingAggregator` accepts no such mode, so a custom resource creates
 * it with the API's `NO_REGIONS` linking mode.
 *
 * @param account this account's hub and standard subscriptions, possibly in another stack of this account
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html
 */
export function configureSecurityHubOrganization(
  scope: Construct,
  account: { readonly hub: IDependable; readonly standards: IDependable[] },
  settings: SecurityHubSettings,
  rootId: string,
): void {
  const stack = Stack.of(scope);
  const aggregatorArnPath = 'FindingAggregatorArn';
  const aggregator = callAwsApi(scope, 'HomeRegion', {
    resourceType: 'Custom::SecurityHubHomeRegion',
    onCreate: {
      service: 'SecurityHub',
      action: 'createFindingAggregator',
      parameters: { RegionLinkingMode: 'NO_REGIONS' },
      physicalResourceId: cr.PhysicalResourceId.fromResponse(aggregatorArnPath),
    },
    // The aggregator has nothing to update: its only setting is fixed.
    onUpdate: {
      service: 'SecurityHub',
      action: 'getFindingAggregator',
      parameters: { FindingAggregatorArn: new cr.PhysicalResourceIdReference() },
      physicalResourceId: cr.PhysicalResourceId.fromResponse(aggregatorArnPath),
    },
    onDelete: {
      service: 'SecurityHub',
      action: 'deleteFindingAggregator',
      parameters: { FindingAggregatorArn: new cr.PhysicalResourceIdReference() },
    },
    statements: [new iam.PolicyStatement({
      actions: ['securityhub:CreateFindingAggregator', 'securityhub:GetFindingAggregator', 'securityhub:DeleteFindingAggregator'],
      // The hub and the aggregator of this account and region.
      resources: [stack.formatArn({ service: 'securityhub', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME })],
    })],
    policySuppressions: [{
      id: 'AwsSolutions-IAM5',
      reason: 'The finding aggregator ARN ends in an ID that Security Hub generates, so the policy names every Security Hub resource of this account and region; the actions only create, read and delete the aggregator.',
    }],
  });
  aggregator.node.addDependency(account.hub);

  // Central configuration needs AutoEnable false and AutoEnableStandards NONE: the policy decides instead.
  const organization = new securityhub.CfnOrganizationConfiguration(scope, 'OrganizationConfiguration', {
    configurationType: 'CENTRAL',
    autoEnable: false,
    autoEnableStandards: 'NONE',
  });
  organization.node.addDependency(aggregator);
  // The standards are enabled in this account before central configuration manages it.
  account.standards.forEach((standard) => organization.node.addDependency(standard));

  const policy = new securityhub.CfnConfigurationPolicy(scope, 'ConfigurationPolicy', {
    name: 'security-baseline',
    description: 'Security Hub on, with the AWS Foundational Security Best Practices and CIS AWS Foundations Benchmark v3.0.0 standards.',
    configurationPolicy: {
      securityHub: {
        serviceEnabled: true,
        enabledStandardIdentifiers: STANDARDS.map((standard) => standardArn(stack, standard.path)),
        // Listing the disabled controls, not the enabled ones, keeps new controls on.
        securityControlsConfiguration: { disabledSecurityControlIdentifiers: settings.disabledControlIds },
      },
    },
  });
  policy.addDependency(organization);

  new securityhub.CfnPolicyAssociation(scope, 'RootAssociation', {
    configurationPolicyId: policy.attrId,
    targetType: 'ROOT',
    targetId: rootId,
  });
}
