import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PropsValidator, show } from './validation';

/** The number of availability zones a VPC of this platform spans. */
export const ZONE_COUNT = 3;

/**
 * The availability zone names that every account has, for each region this platform
 * deploys to.
 *
 * A region's zone letters differ: some regions skip a letter, and some offer an account
 * only two zones. So the default zones come from this table, never from the letters a,
 * b and c alone, and explicit zones of a listed region are checked against it. When AWS
 * adds a zone to a listed region, add it here. To deploy to a new region, add the region
 * with the zone names that `aws ec2 describe-availability-zones` returns there.
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
 */
const KNOWN_ZONES: Readonly<Record<string, readonly string[]>> = {
  'eu-west-2': ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
};

/** A zone name: the region code followed by one letter, such as eu-west-2a. */
const ZONE_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

/** Returns the known zones of a region, or undefined if the region is not in the table. */
function knownZonesOf(region: string): readonly string[] | undefined {
  return Object.prototype.hasOwnProperty.call(KNOWN_ZONES, region) ? KNOWN_ZONES[region] : undefined;
}

/**
 * Returns the availability zones a VPC uses: the given ones, or the first three known
 * zones of the stack's region.
 *
 * Naming the zones avoids a context lookup, which would need AWS credentials at synth
 * time. Records a problem on `validator` when the zones cannot be used. Explicit zones
 * are accepted in a stack with no region (an environment-agnostic stack) if they are
 * valid zones of one region.
 */
export function resolveAvailabilityZones(scope: IConstruct, validator: PropsValidator, given?: string[]): string[] {
  const region = Stack.of(scope).region;
  if (given === undefined) {
    return defaultZones(validator, region);
  }

  if (!Array.isArray(given)) {
    validator.fail(`availabilityZones is ${show(given)}; pass a list of ${ZONE_COUNT} zone names.`);
    return [];
  }
  if (Token.isUnresolved(given)) {
    validator.fail(`availabilityZones is a list token; pass a literal list of ${ZONE_COUNT} zone names, `
      + 'because each subnet is placed in its zone at synth time.');
    return [];
  }
  const distinct = new Set(given);
  if (given.length !== ZONE_COUNT || distinct.size !== ZONE_COUNT) {
    validator.fail(`availabilityZones is ${show(given)}; pass ${ZONE_COUNT} distinct zones so that the VPC survives the loss of a zone.`);
  }

  const zoneRegions = new Set<string>();
  given.forEach((zone, index) => {
    const problem = zoneProblem(zone, region);
    if (problem) {
      validator.fail(`availabilityZones[${index}] is ${show(zone)}, ${problem}`);
    } else {
      zoneRegions.add(zone.slice(0, -1));
    }
  });
  if (zoneRegions.size > 1) {
    validator.fail(`availabilityZones is ${show(given)}, which names zones of ${[...zoneRegions].join(' and ')}; `
      + 'a VPC lies in one region, so pass zones of that region only.');
  }
  return given;
}

/** Returns zones a, b and c of a region in the table, or records why there are no default zones. */
function defaultZones(validator: PropsValidator, region: string): string[] {
  if (Token.isUnresolved(region)) {
    validator.fail('availabilityZones is undefined and the stack has no region, so the zones cannot be chosen. '
      + 'Give the stack an env with a region, or pass availabilityZones, for example ["eu-west-2a", "eu-west-2b", "eu-west-2c"].');
    return [];
  }
  const known = knownZonesOf(region);
  if (!known) {
    validator.fail(`availabilityZones is undefined and the stack's region ${region} is not in this package's table of zone names `
      + `(${Object.keys(KNOWN_ZONES).join(', ')}). Zone letters differ between regions and accounts, so pass availabilityZones: `
      + `${ZONE_COUNT} zones that \`aws ec2 describe-availability-zones --region ${region}\` lists.`);
    return [];
  }
  return known.slice(0, ZONE_COUNT);
}

/**
 * Describes what is wrong with one zone name, as a clause to follow the value in an
 * error message, or returns undefined if the zone is usable.
 */
function zoneProblem(zone: unknown, stackRegion: string): string | undefined {
  if (typeof zone !== 'string' || Token.isUnresolved(zone) || !ZONE_NAME.test(zone)) {
    return 'which is not a zone name; use a zone name such as eu-west-2a.';
  }
  const zoneRegion = zone.slice(0, -1);
  if (!Token.isUnresolved(stackRegion) && zoneRegion !== stackRegion) {
    return `which is not in the stack's region ${stackRegion}.`;
  }
  const known = knownZonesOf(zoneRegion);
  if (known && !known.includes(zone)) {
    return `which is not a zone of ${zoneRegion}; use ${known.join(', ')}.`;
  }
  return undefined;
}
