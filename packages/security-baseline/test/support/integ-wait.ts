import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Makes cfn-lint skip W3005 on the state machines that retrying assertions create.
 * integ-tests-alpha gives each of them a DependsOn on its role, which its GetAtt of the role
 * already implies, and cfn-lint warns about the redundant DependsOn.
 *
 * @param assertion an assertion with `waitForAssertions`, in the stack that contains the state machines
 */
export function ignoreRedundantStateMachineDependsOn(assertion: IConstruct): void {
  for (const construct of Stack.of(assertion).node.findAll()) {
    if (construct instanceof CfnResource && construct.cfnResourceType === 'AWS::StepFunctions::StateMachine') {
      construct.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    }
  }
}
