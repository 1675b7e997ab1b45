import { App, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SinglePointOfFailureKind } from '../../src';
import { AnalysisOptions, Finding, analyseTemplate } from '../../src/resilience/analysis';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-2';
export const ZONES = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'];

/** Creates an app with the three zones of eu-west-2 in its context, so that VPCs span them without a lookup. */
export function newApp(props: { readonly pathMetadata?: boolean } = {}): App {
  return new App({
    context: {
      [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: ZONES,
      'aws:cdk:enable-path-metadata': props.pathMetadata ?? false,
    },
  });
}

export function newStack(app: App = newApp(), id = 'Workload'): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region: REGION } });
}

/** Creates a VPC across the three zones, with one NAT gateway per zone unless the props say otherwise. */
export function newVpc(stack: Stack, props: ec2.VpcProps = {}): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, ...props });
}

/** Analyses the stack's template, as the check does with a template file. */
export function analyse(stack: Stack, options: AnalysisOptions = {}): Finding[] {
  return analyseTemplate(Template.fromStack(stack).toJSON(), { stackName: stack.stackName }, options);
}

/** Returns the findings of one kind. */
export function findingsOf(stack: Stack, kind: SinglePointOfFailureKind, options: AnalysisOptions = {}): Finding[] {
  return analyse(stack, options).filter((finding) => finding.kind === kind);
}

export function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } } | unknown): string {
  const target = (construct as any).node?.defaultChild ?? construct;
  return stack.getLogicalId(target);
}
