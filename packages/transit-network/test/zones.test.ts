import { App, Fn, Stack, Token } from 'aws-cdk-lib';
import { PropsValidator } from '../src/private/validation';
import { resolveAvailabilityZones } from '../src/private/zones';

const LONDON_ZONES = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'];

/** Returns a stack in the given region, or an environment-agnostic one for undefined. */
function stackIn(region?: string): Stack {
  const app = new App();
  return new Stack(app, 'Network', region ? { env: { account: '111111111111', region } } : undefined);
}

/** Resolves the zones and returns them with the validation error, if any. */
function resolve(region: string | undefined, given?: unknown): { zones: string[]; error?: string } {
  const validator = new PropsValidator('test props');
  const zones = resolveAvailabilityZones(stackIn(region), validator, given as string[] | undefined);
  try {
    validator.throwIfInvalid();
  } catch (error) {
    return { zones, error: (error as Error).message };
  }
  return { zones };
}

describe('default zones', () => {
  test('eu-west-2 gets zones a, b and c', () => {
    expect(resolve('eu-west-2')).toEqual({ zones: LONDON_ZONES });
  });

  test('stack without a region needs explicit zones', () => {
    expect(resolve(undefined).error).toMatch(/availabilityZones is undefined and the stack has no region, so the zones cannot be chosen/);
  });

  test.each(['us-west-1', 'ap-northeast-1', 'eu-west-1'])('region %s outside the table needs explicit zones', (region) => {
    expect(resolve(region).error).toMatch(new RegExp(
      `availabilityZones is undefined and the stack's region ${region} is not in this package's table of zone names \\(eu-west-2\\)\\. `
      + `Zone letters differ between regions and accounts, so pass availabilityZones: 3 zones that \`aws ec2 describe-availability-zones --region ${region}\` lists\\.`));
  });
});

describe('explicit zones', () => {
  test('eu-west-2 zones are accepted in eu-west-2', () => {
    expect(resolve('eu-west-2', LONDON_ZONES)).toEqual({ zones: LONDON_ZONES });
  });

  test('eu-west-2 zones are accepted in a stack without a region', () => {
    expect(resolve(undefined, LONDON_ZONES)).toEqual({ zones: LONDON_ZONES });
  });

  test('zones of a region outside the table are accepted there', () => {
    const zones = ['us-west-1a', 'us-west-1c', 'us-west-1d'];

    expect(resolve('us-west-1', zones)).toEqual({ zones });
  });

  test('unknown eu-west-2 zone is rejected', () => {
    expect(resolve('eu-west-2', ['eu-west-2a', 'eu-west-2b', 'eu-west-2d']).error)
      .toMatch(/availabilityZones\[2\] is "eu-west-2d", which is not a zone of eu-west-2; use eu-west-2a, eu-west-2b, eu-west-2c\./);
  });

  test('unknown eu-west-2 zone is rejected without a stack region', () => {
    expect(resolve(undefined, ['eu-west-2a', 'eu-west-2b', 'eu-west-2d']).error)
      .toMatch(/availabilityZones\[2\] is "eu-west-2d", which is not a zone of eu-west-2/);
  });

  test('zone of another region is rejected', () => {
    expect(resolve('eu-west-2', ['eu-west-1a', 'eu-west-2b', 'eu-west-2c']).error)
      .toMatch(/availabilityZones\[0\] is "eu-west-1a", which is not in the stack's region eu-west-2\./);
  });

  test('zones of two regions are rejected without a stack region', () => {
    expect(resolve(undefined, ['eu-west-1a', 'eu-west-2b', 'eu-west-2c']).error)
      .toMatch(/availabilityZones is \["eu-west-1a","eu-west-2b","eu-west-2c"\], which names zones of eu-west-1 and eu-west-2; a VPC lies in one region/);
  });

  test.each([
    ['a region', 'eu-west-2'],
    ['a number', 2],
    ['a token', Token.asString({ Ref: 'Zone' })],
  ])('entry that is %s is rejected', (_kind, zone) => {
    expect(resolve('eu-west-2', ['eu-west-2a', 'eu-west-2b', zone]).error)
      .toMatch(/availabilityZones\[2\] is .*, which is not a zone name; use a zone name such as eu-west-2a\./);
  });

  test('token entry is shown as a token', () => {
    expect(resolve('eu-west-2', ['eu-west-2a', 'eu-west-2b', Token.asString({ Ref: 'Zone' })]).error)
      .toMatch(/availabilityZones\[2\] is a token, which is not a zone name/);
  });

  test('list token is rejected', () => {
    expect(resolve('eu-west-2', Fn.getAzs()).error)
      .toMatch(/availabilityZones is a list token; pass a literal list of 3 zone names, because each subnet is placed in its zone at synth time\./);
  });

  test('repeated zone is rejected', () => {
    expect(resolve('eu-west-2', ['eu-west-2a', 'eu-west-2a', 'eu-west-2b']).error)
      .toMatch(/availabilityZones is \["eu-west-2a","eu-west-2a","eu-west-2b"\]; pass 3 distinct zones/);
  });

  test('a string instead of a list is rejected', () => {
    expect(resolve('eu-west-2', 'eu-west-2a').error).toMatch(/availabilityZones is "eu-west-2a"; pass a list of 3 zone names\./);
  });
});
