import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PropsValidator, show } from './validation';

/** The number of availability zones a VPC of this platform spans. */
export const ZONE_COUNT = 3;

/**
 * Returns the availability zones a VPC uses: the given ones, or the first three
 * zones of the stack's region (`a`, `b`, `c`).
 *
 * Naming the zones avoids a context lookup, which would need AWS credentials at synth
 * time. Records a problem on `validator` when the zones cannot be used.
 */
export function resolveAvailabilityZones(scope: IConstruct, validator: PropsValidator, given?: string[]): string[] {
  const region = Stack.of(scope).region;

  if (given === undefined) {
    if (Token.isUnresolved(region)) {
      validator.fail('availabilityZones is undefined and the stack has no region, so the zones cannot be chosen. '
        + 'Give the stack an env with a region, or pass availabilityZones, for example ["eu-west-2a", "eu-west-2b", "eu-west-2c"].');
      return [];
    }
    return ['a', 'b', 'c'].map((letter) => `${region}${letter}`);
  }

  if (!Array.isArray(given)) {
    validator.fail(`availabilityZones is ${show(given)}; pass a list of ${ZONE_COUNT} zone names.`);
    return [];
  }
  const distinct = new Set(given);
  if (given.length !== ZONE_COUNT || distinct.size !== ZONE_COUNT) {
    validator.fail(`availabilityZones is ${show(given)}; pass ${ZONE_COUNT} distinct zones so that the VPC survives the loss of a zone.`);
  }
  given.forEach((zone, index) => {
    if (typeof zone !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(zone)) {
      validator.fail(`availabilityZones[${index}] is ${show(zone)}; use a zone name such as eu-west-2a.`);
    } else if (!Token.isUnresolved(region) && !zone.startsWith(region)) {
      validator.fail(`availabilityZones[${index}] is ${show(zone)}, which is not in the stack's region ${region}.`);
    }
  });
  return given;
}
