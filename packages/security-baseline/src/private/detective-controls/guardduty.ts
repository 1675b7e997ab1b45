import { Stack, aws_guardduty as guardduty, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { callAwsApi } from './api-call';
import { CommonSettings, GuardDutySettings } from './settings';

/** A GuardDuty feature and, for Runtime Monitoring, its agent management settings. */
interface Feature {
  readonly name: string;
  readonly enabled: boolean;
  readonly additional?: Array<{ readonly name: string; readonly enabled: boolean }>;
}

/**
 * Lists every GuardDuty feature with its status, so that no feature is left at a service
 * default that may change.
 *
 * EKS Runtime Monitoring is never listed: GuardDuty rejects a request that names both it and
 * Runtime Monitoring, which covers EKS through its EKS add-on setting.
 *
 * @see https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html
 */
function features(settings: GuardDutySettings): Feature[] {
  return [
    { name: 'S3_DATA_EVENTS', enabled: settings.s3Protection },
    { name: 'EBS_MALWARE_PROTECTION', enabled: settings.malwareProtection },
    { name: 'RDS_LOGIN_EVENTS', enabled: settings.rdsProtection },
    { name: 'LAMBDA_NETWORK_LOGS', enabled: settings.lambdaProtection },
    { name: 'EKS_AUDIT_LOGS', enabled: settings.eksProtection },
    {
      name: 'RUNTIME_MONITORING',
      enabled: settings.runtimeMonitoring,
      additional: settings.runtimeMonitoring
        ? [
          { name: 'EC2_AGENT_MANAGEMENT', enabled: true },
          { name: 'ECS_FARGATE_AGENT_MANAGEMENT', enabled: false },
          { name: 'EKS_ADDON_MANAGEMENT', enabled: settings.eksProtection },
        ]
        : undefined,
    },
  ];
}

function status(enabled: boolean): string {
  return enabled ? 'ENABLED' : 'DISABLED';
}

/**
 * Turns on GuardDuty in this account and, with `organizationWide`, for the member accounts.
 *
 * CloudFormation has no resource for GuardDuty's organisation configuration, so a custom
 * resource calls UpdateOrganizationConfiguration. Only the delegated administrator may call it.
 */
export function enableGuardDuty(scope: Construct, settings: GuardDutySettings, common: CommonSettings): { detectorId: string } {
  const root = new Construct(scope, 'GuardDuty');
  const list = features(settings);

  const detector = new guardduty.CfnDetector(root, 'Detector', {
    enable: true,
    findingPublishingFrequency: 'FIFTEEN_MINUTES',
    features: list.map((feature) => ({
      name: feature.name,
      status: status(feature.enabled),
      additionalConfiguration: feature.additional?.map((extra) => ({ name: extra.name, status: status(extra.enabled) })),
    })),
  });
  detector.applyRemovalPolicy(common.removalPolicy);

  if (common.organizationWide) {
    configureGuardDutyOrganization(root, detector.ref, settings);
  }
  return { detectorId: detector.ref };
}

/**
 * Makes member accounts get GuardDuty with the same features as this account's detector.
 *
 * CloudFormation has no resource for GuardDuty's organisation configuration, so a custom
 * resource calls UpdateOrganizationConfiguration. Only the delegated administrator may call it.
 *
 * @param detectorId the ID of this account's detector, possibly from another stack of this account
 */
export function configureGuardDutyOrganization(scope: Construct, detectorId: string, settings: GuardDutySettings): void {
  const list = features(settings);
  const members = settings.autoEnableOrganizationMembers;
  const autoEnable = (enabled: boolean): string => (enabled ? members : 'NONE');
  const call: cr.AwsSdkCall = {
    service: 'GuardDuty',
    action: 'updateOrganizationConfiguration',
    parameters: {
      DetectorId: detectorId,
      AutoEnableOrganizationMembers: members,
      Features: list.map((feature) => ({
        Name: feature.name,
        AutoEnable: autoEnable(feature.enabled),
        AdditionalConfiguration: feature.additional?.map((extra) => ({ Name: extra.name, AutoEnable: autoEnable(extra.enabled) })),
      })),
    },
    physicalResourceId: cr.PhysicalResourceId.of('guardduty-organization-configuration'),
  };

  const detectorArn = Stack.of(scope).formatArn({ service: 'guardduty', resource: 'detector', resourceName: detectorId });
  // NOTE: on deletion the organisation configuration stays as it is, so member accounts keep
  // GuardDuty. Turn auto-enable off in the GuardDuty console if that is the intent.
  callAwsApi(scope, 'OrganizationConfiguration', {
    resourceType: 'Custom::GuardDutyOrganizationConfiguration',
    onCreate: call,
    statements: [new iam.PolicyStatement({ actions: ['guardduty:UpdateOrganizationConfiguration'], resources: [detectorArn] })],
  });
}
