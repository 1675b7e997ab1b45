/**
 * Prefixes and suffixes that Amazon S3 reserves, so a general purpose bucket name cannot use them.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

const ALLOWED_CHARACTERS = /^[a-z0-9.-]+$/;
const STARTS_AND_ENDS_ALPHANUMERIC = /^[a-z0-9](.*[a-z0-9])?$/;
const IP_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Checks a general purpose bucket name against the Amazon S3 naming rules.
 *
 * @returns one sentence per rule the name breaks, or an empty list when the name is valid
 */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`it is ${name.length} characters long, and S3 allows 3 to 63`);
  }
  if (!ALLOWED_CHARACTERS.test(name)) {
    problems.push('it contains characters other than lower-case letters, digits, dots and hyphens');
  }
  if (!STARTS_AND_ENDS_ALPHANUMERIC.test(name)) {
    problems.push('it must begin and end with a lower-case letter or a digit');
  }
  if (name.includes('..')) {
    problems.push('it contains two adjacent dots');
  }
  if (IP_ADDRESS.test(name)) {
    problems.push('it is formatted as an IP address');
  }
  const prefix = RESERVED_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix !== undefined) {
    problems.push(`it starts with the reserved prefix "${prefix}"`);
  }
  const suffix = RESERVED_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined) {
    problems.push(`it ends with the reserved suffix "${suffix}"`);
  }
  return problems;
}

/**
 * Checks a bucket name for dots, which S3 allows but which break TLS for virtual-hosted-style
 * requests: S3's certificate for `*.s3.<region>.amazonaws.com` matches one label only, so it
 * does not match `my.bucket.s3.<region>.amazonaws.com`. The platform never names its buckets
 * with dots, so callers that take the name of a platform bucket refuse them.
 *
 * @returns a sentence on the problem for a name with dots, or undefined for a name without
 */
export function dottedBucketNameProblem(name: string): string | undefined {
  if (!name.includes('.')) {
    return undefined;
  }
  return 'it contains dots, and the TLS certificate that S3 presents for virtual-hosted-style requests '
    + '(*.s3.<region>.amazonaws.com) does not match a bucket name with dots, so HTTPS requests to the bucket fail '
    + 'certificate checks';
}
