import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogArchive, OrganisationTrail } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'OrganisationTrailInteg');

// Only the management account of an organisation, with trusted access for CloudTrail, can
// create an organisation trail. Run the test there with -c organizationId=o-..., or
// CloudTrail rejects the trail. The log archive is in the same stack and account here, while
// the platform keeps it in the Security account.
const organizationId: string = app.node.tryGetContext('organizationId') ?? 'o-exampleorgid';

const trailName = 'ssd-integ-organisation-trail';

// DESTROY and a one-day retention let a maintainer's real run clean up. The trail delivers
// log files, which stay locked for a day: empty the archive by hand after that and delete
// the stack again if the first deletion fails.
const archive = new LogArchive(stack, 'LogArchive', {
  cloudTrailSources: [{ trailArn: stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName }), organizationId }],
  objectLockRetention: Duration.days(1),
  transitionAfter: Duration.days(30),
  archiveAfter: Duration.days(180),
  expiration: Duration.days(181),
  removalPolicy: RemovalPolicy.DESTROY,
});
const trail = new OrganisationTrail(stack, 'Trail', {
  organizationId,
  logArchiveBucketName: archive.bucket.bucketName,
  trailName,
  removalPolicy: RemovalPolicy.DESTROY,
});
// The bucket policy must let the trail write before CloudTrail creates the trail.
(trail.node.defaultChild as CfnResource).node.addDependency(archive.bucket.policy!);

const test = new IntegTest(app, 'OrganisationTrailTest', { testCases: [stack], regions: ['eu-west-2'] });

// The trail is logging.
test.assertions
  .awsApiCall('CloudTrail', 'getTrailStatus', { Name: trail.trailArn })
  .expect(ExpectedResult.objectLike({ IsLogging: true }));

// It covers the organisation in every region, validates log files and encrypts them with its key.
test.assertions
  .awsApiCall('CloudTrail', 'describeTrails', { trailNameList: [trail.trailArn] })
  .expect(ExpectedResult.objectLike({
    trailList: [{
      Name: trailName,
      S3BucketName: archive.bucket.bucketName,
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
      KmsKeyId: trail.encryptionKey.keyArn,
    }],
  }));
