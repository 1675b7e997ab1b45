import { CfnResource, Stack, Token, aws_s3 as s3 } from 'aws-cdk-lib';
import { estimateJsonCharacters } from './inline-policy-size';

/**
 * The largest bucket policy that Amazon S3 accepts, in bytes.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html
 */
export const MAX_BUCKET_POLICY_BYTES = 20_480;

/** The maximum bucket name length in S3, counted for a bucket whose name CloudFormation generates. */
const MAX_BUCKET_NAME_LENGTH = 63;

/** The part of a bucket policy that one prop of the construct adds, found by the IDs of its statements. */
export interface PolicySource {
  /** The prop, or other origin, named in the message. */
  readonly label: string;
  /** Matches the `Sid` of every statement of this origin. */
  readonly sid: RegExp;
}

/** One origin's share of the policy. */
interface Share {
  readonly label: string;
  readonly statements: number;
  readonly bytes: number;
}

/**
 * Checks, once every statement has been added, that a bucket policy stays within the size S3
 * accepts. CloudFormation and cfn-lint do not check it, so an oversized policy fails only at
 * deployment.
 *
 * The policy is measured as CloudFormation sends it, without white space, with the bucket's
 * own ARN at its real length when the name is known, and at the longest name S3 allows when
 * CloudFormation generates it. Other values known only at deployment count as in
 * `estimateJsonCharacters`, so the size is an estimate.
 *
 * @param sources the props whose statements the message names when the policy is too large
 * @param fix what to do, for the message
 * @returns one message when the policy is too large, or none
 */
export function bucketPolicySizeProblems(bucket: s3.Bucket, bucketName: string | undefined,
  sources: readonly PolicySource[], fix: string): string[] {
  const policy = bucket.policy;
  if (policy === undefined) {
    return [];
  }
  const stack = Stack.of(bucket);
  const document = withBucketArn(stack.resolve(policy.document), bucket, bucketName);
  const bytes = estimateJsonCharacters(document);
  if (bytes <= MAX_BUCKET_POLICY_BYTES) {
    return [];
  }

  const statements: Array<Record<string, unknown>> = Array.isArray(document?.Statement) ? document.Statement : [];
  const shares = shareOf(statements, sources);
  const largest = shares.slice(0, 3).map((share) => `${share.label} (${share.statements} `
    + `${share.statements === 1 ? 'statement' : 'statements'}, about ${share.bytes} bytes)`).join(', ');
  return [`The bucket policy of ${bucket.node.path} would have about ${bytes} bytes, and S3 accepts at most `
    + `${MAX_BUCKET_POLICY_BYTES} in a bucket policy, so the deployment would fail although synthesis passes. `
    + `The largest parts: ${largest}. ${fix}`];
}

/** Groups the statements by the origin their `Sid` names, largest first. */
function shareOf(statements: Array<Record<string, unknown>>, sources: readonly PolicySource[]): Share[] {
  const shares = new Map<string, { statements: number; bytes: number }>();
  for (const statement of statements) {
    const sid = typeof statement.Sid === 'string' ? statement.Sid : undefined;
    const label = sources.find((source) => sid !== undefined && source.sid.test(sid))?.label ?? otherLabel(sid);
    const share = shares.get(label) ?? { statements: 0, bytes: 0 };
    share.statements += 1;
    share.bytes += estimateJsonCharacters(statement);
    shares.set(label, share);
  }
  return [...shares.entries()].map(([label, share]) => ({ label, ...share })).sort((first, second) => second.bytes - first.bytes);
}

/** Names statements of no known origin by their `Sid`, numbered statements such as `Reader1` and `Reader2` together. */
function otherLabel(sid: string | undefined): string {
  if (sid === undefined) {
    return 'the statements without a Sid, such as the TLS requirement';
  }
  const stem = sid.replace(/\d+$/, '');
  return stem !== sid && stem !== '' ? `the statements ${stem}<n>` : `the statement ${sid}`;
}

/**
 * Replaces the references to the bucket's own ARN and name in a resolved policy with their
 * real length, which the generic estimate would count as much shorter.
 */
function withBucketArn(document: any, bucket: s3.Bucket, bucketName: string | undefined): any {
  const stack = Stack.of(bucket);
  const logicalId = stack.resolve((bucket.node.defaultChild as CfnResource).logicalId);
  const name = bucketName !== undefined && !Token.isUnresolved(bucketName) ? bucketName : 'x'.repeat(MAX_BUCKET_NAME_LENGTH);
  // The platform deploys in the aws partition only.
  const arn = `arn:aws:s3:::${name}`;
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(replace);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const record = value as Record<string, unknown>;
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[0] === logicalId && getAtt[1] === 'Arn') {
      return arn;
    }
    if (record.Ref === logicalId) {
      return name;
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, replace(item)]));
  };
  return replace(document);
}
