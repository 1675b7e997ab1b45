import { App, Aspects, Stack, aws_ec2 as ec2, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

/*
 * Fixtures that the unit tests of the egress DMZ, the ingress DMZ and the east-west
 * inspection share: the environment, the tier's ranges and the lookups into their VPCs
 * and templates.
 */

/** The account and region of the stacks under test. */
export const ENV = { account: '111111111111', region: 'eu-west-2' };

/** The zones of eu-west-2, in the order the constructs use by default. */
export const ZONES = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'];

/** The tier's supernets. */
export const INTERNAL = ['10.0.0.0/12', '172.16.0.0/16'];

/** Returns a new stack named `Network` in `ENV`, in a new app. */
export function newNetworkStack(): Stack {
  return new Stack(new App(), 'Network', { env: ENV });
}

/** Returns the log archive bucket `example-log-archive`, imported into the stack under the ID `Logs`. */
export function logArchive(stack: Stack): s3.IBucket {
  return s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');
}

/** Returns the subnets of one subnet group of the construct's VPC. */
export function subnetsOf(owner: { readonly vpc: ec2.IVpc }, group: string): ec2.ISubnet[] {
  return owner.vpc.selectSubnets({ subnetGroupName: group }).subnets;
}

/** Returns the CloudFormation expression that picks one zone's endpoint out of the firewall's EndpointIds. */
export function endpointIn(template: Template, zone: string): unknown {
  const firewallId = Object.keys(template.findResources('AWS::NetworkFirewall::Firewall'))[0];
  return {
    'Fn::Select': [0, {
      'Fn::Split': [',', {
        'Fn::Select': [1, {
          'Fn::Split': [`${zone}:`, { 'Fn::Join': [',', { 'Fn::GetAtt': [firewallId, 'EndpointIds'] }] }],
        }],
      }],
    }],
  };
}

/**
 * Runs `create` and returns the message of the error it throws, or throws if it throws
 * none, naming `constructName` as the construct that accepted the props.
 */
export function errorThrownBy(constructName: string, create: () => unknown): string {
  try {
    create();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${constructName} accepted the props`);
}

/**
 * Builds a stack named `Network` in `ENV` with `build`, runs the AwsSolutions and NIST
 * 800-53 rev 5 packs of cdk-nag on it and returns their errors as `<path>: <message>`.
 *
 * The app enables the feature flags of a new CDK app, because some add resources the
 * packs check. Pass more context to add to them.
 */
export function cdkNagErrors(build: (stack: Stack) => void, context: Record<string, unknown> = {}): string[] {
  const app = new App({ context: { ...RECOMMENDED_FEATURE_FLAGS, ...context } });
  const stack = new Stack(app, 'Network', { env: ENV });
  build(stack);
  Aspects.of(app).add(new AwsSolutionsChecks());
  Aspects.of(app).add(new NIST80053R5Checks());
  return Annotations.fromStack(stack).findError('*', Match.anyValue()).map((error) => `${error.id}: ${error.entry.data}`);
}
