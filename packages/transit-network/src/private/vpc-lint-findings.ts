import { CfnResource, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ignoreCfnLintChecks } from './cfn-lint-directives';

/**
 * Tells cfn-lint to skip W3010, which warns about every availability zone named in a
 * template, on each of the subnets. State where this is called why the zones are named
 * rather than looked up.
 */
export function ignoreNamedZones(subnets: ec2.ISubnet[]): void {
  for (const subnet of subnets) {
    const cfnSubnet = subnet.node.defaultChild;
    if (CfnResource.isCfnResource(cfnSubnet)) {
      ignoreCfnLintChecks(cfnSubnet, ['W3010']);
    }
  }
}

/**
 * Tells cfn-lint to skip W3005 on the Lambda function that restricts the default security
 * group of the stack's VPCs, if the stack has it.
 *
 * aws-cdk-lib creates the provider of that custom resource once per stack, and gives its
 * function a DependsOn on its role, which the function's GetAtt of the role already
 * implies. Adding the same ignore again for a second VPC in the stack changes nothing.
 */
export function ignoreRestrictDefaultSgHandlerDependsOn(scope: IConstruct): void {
  const provider = Stack.of(scope).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
  const handler = provider?.node.tryFindChild('Handler');
  if (CfnResource.isCfnResource(handler)) {
    ignoreCfnLintChecks(handler, ['W3005']);
  }
}
