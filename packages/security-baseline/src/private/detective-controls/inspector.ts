import { Stack, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IDependable } from 'constructs';
import { callAwsApi } from './api-call';
import { CommonSettings, InspectorSettings } from './settings';

/**
 * The service-linked roles that Amazon Inspector creates when it is turned on: one for
 * scanning, one for agentless EC2 scanning of EBS snapshots.
 *
 * @see https://docs.aws.amazon.com/inspector/latest/user/using-service-linked-roles.html
 */
const SERVICE_LINKED_ROLES = [
  { service: 'inspector2.amazonaws.com', roleName: 'AWSServiceRoleForAmazonInspector2' },
  { service: 'agentless.inspector2.amazonaws.com', roleName: 'AWSServiceRoleForAmazonInspector2Agentless' },
];

/**
 * Turns on Amazon Inspector scanning in this account and, with `organizationWide`, for
 * accounts that join the organisation.
 *
 * CloudFormation has no resource that turns Inspector on, so custom resources call
 * `Enable` and `UpdateOrganizationConfiguration`.
 *
 * TODO: member accounts already in the organisation are not activated. The delegated
 * administrator activates them once, with "Activate all accounts" in the Inspector console
 * or `AssociateMember` and `Enable` for each account.
 *
 * @see https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html
 */
export function enableInspector(scope: Construct, settings: InspectorSettings, common: CommonSettings): { enabled: IDependable } {
  const root = new Construct(scope, 'Inspector');
  const stack = Stack.of(scope);
  const resourceTypes = [...(settings.ec2Scanning ? ['EC2'] : []), ...(settings.ecrScanning ? ['ECR'] : [])];

  // NOTE: Enable only adds scan types. Turning ec2Scanning or ecrScanning off after deployment,
  // or deleting the resource, leaves scanning on: call Disable by hand, which deletes the findings.
  const enable = callAwsApi(root, 'Enable', {
    resourceType: 'Custom::InspectorEnable',
    onCreate: {
      service: 'Inspector2',
      action: 'enable',
      parameters: { resourceTypes },
      physicalResourceId: cr.PhysicalResourceId.of('inspector-enable'),
    },
    statements: [
      // Inspector's Enable supports no resource-level permissions.
      new iam.PolicyStatement({ actions: ['inspector2:Enable'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['iam:CreateServiceLinkedRole'],
        resources: SERVICE_LINKED_ROLES.map((role) => stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: `aws-service-role/${role.service}/${role.roleName}`,
        })),
        conditions: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES.map((role) => role.service) } },
      }),
    ],
    policySuppressions: [{
      id: 'AwsSolutions-IAM5',
      reason: 'inspector2:Enable supports no resource-level permissions, so IAM accepts only Resource "*" for it; the service-linked role permission names the two Inspector roles only.',
    }],
  });

  if (common.organizationWide) {
    configureInspectorOrganization(root, settings, enable);
  }
  return { enabled: enable };
}

/**
 * Makes accounts that join the organisation get the same Inspector scan types as this account.
 *
 * @param enabled the call that turned Inspector on in this account, possibly in another stack of this account
 */
export function configureInspectorOrganization(scope: Construct, settings: InspectorSettings, enabled: IDependable): void {
  const organization = callAwsApi(scope, 'OrganizationConfiguration', {
    resourceType: 'Custom::InspectorOrganizationConfiguration',
    onCreate: {
      service: 'Inspector2',
      action: 'updateOrganizationConfiguration',
      parameters: { autoEnable: { ec2: settings.ec2Scanning, ecr: settings.ecrScanning, lambda: false, lambdaCode: false } },
      physicalResourceId: cr.PhysicalResourceId.of('inspector-organization-configuration'),
    },
    statements: [new iam.PolicyStatement({ actions: ['inspector2:UpdateOrganizationConfiguration'], resources: ['*'] })],
    policySuppressions: [{
      id: 'AwsSolutions-IAM5',
      reason: 'inspector2:UpdateOrganizationConfiguration supports no resource-level permissions, so IAM accepts only Resource "*" for it.',
    }],
  });
  organization.node.addDependency(enabled);
}
