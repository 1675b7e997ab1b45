import { ArnFormat, Stack, aws_iam as iam } from 'aws-cdk-lib';

/** A service-linked role: the service principal that uses it and the role's name. */
export interface ServiceLinkedRole {
  readonly service: string;
  readonly roleName: string;
}

/** Returns the ARN of a service-linked role in the stack's account. */
export function serviceLinkedRoleArn(stack: Stack, role: ServiceLinkedRole): string {
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `aws-service-role/${role.service}/${role.roleName}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * Returns the statement that lets a caller create the given service-linked roles and no
 * other: the resource names each role, and the condition names each role's service.
 */
export function createServiceLinkedRoleStatement(stack: Stack, roles: ServiceLinkedRole[]): iam.PolicyStatement {
  const services = [...new Set(roles.map((role) => role.service))];
  return new iam.PolicyStatement({
    actions: ['iam:CreateServiceLinkedRole'],
    resources: roles.map((role) => serviceLinkedRoleArn(stack, role)),
    conditions: { StringEquals: { 'iam:AWSServiceName': services.length === 1 ? services[0] : services } },
  });
}
