import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App, Aspects, CfnParameter, CfnResource, Fn, Stack, Tags,
  aws_apigateway as apigw, aws_apigatewayv2 as apigwv2, aws_backup as backup, aws_cloudfront as cloudfront,
  aws_dynamodb as dynamodb, aws_ec2 as ec2, aws_efs as efs, aws_elasticache as elasticache, aws_elasticloadbalancingv2 as elbv2, aws_iam as iam,
  aws_kms as kms, aws_logs as logs, aws_opensearchservice as opensearch, aws_rds as rds, aws_s3 as s3, aws_sqs as sqs,
  aws_transfer as transfer, aws_wafv2 as wafv2,
} from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import { ACCOUNT, classify, messagesFor, newStack } from './fixtures';
import { NcscChecks } from '../../src/ncsc';

const CERTIFICATE_ARN = `arn:aws:acm:eu-west-2:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`;

function table(stack: Stack, props: Partial<dynamodb.TableProps> = {}): dynamodb.Table {
  return new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, ...props });
}

function listener(stack: Stack, props: Partial<elbv2.CfnListenerProps>): elbv2.CfnListener {
  return new elbv2.CfnListener(stack, 'Listener', {
    loadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:loadbalancer/app/web/1`,
    defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
    ...props,
  });
}

function distribution(stack: Stack, viewerCertificate: cloudfront.CfnDistribution.ViewerCertificateProperty | undefined,
  viewerProtocolPolicy = 'redirect-to-https'): void {
  new cloudfront.CfnDistribution(stack, 'Distribution', {
    distributionConfig: {
      enabled: true,
      origins: [{ id: 'web', domainName: 'example.gov.uk', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
      defaultCacheBehavior: { targetOriginId: 'web', viewerProtocolPolicy, cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
      viewerCertificate,
    },
  });
}

function backupPlan(stack: Stack, lifecycle: backup.CfnBackupPlan.LifecycleResourceTypeProperty | undefined): void {
  new backup.CfnBackupPlan(stack, 'Plan', {
    backupPlan: {
      backupPlanName: 'daily',
      backupPlanRule: [{ ruleName: 'Daily', targetBackupVault: 'platform', scheduleExpression: 'cron(0 3 * * ? *)', lifecycle }],
    },
  });
}

describe('NcscChecks', () => {
  test('the pack is named NCSC and its rule IDs carry the principle', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new s3.Bucket(stack, 'Bucket');

    // THEN
    expect(new NcscChecks().readPackName).toBe('NCSC');
    expect(messagesFor(stack, 'NCSC-P02-DataStoreClassified')).toEqual([
      expect.stringMatching(/^NCSC-P02-DataStoreClassified: The data store has no DataClassification tag/),
    ]);
  });

  test('a finding suppressed with a reason is not reported', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    NagSuppressions.addResourceSuppressions(bucket, [
      { id: 'NCSC-P02-DataStoreClassified', reason: 'The bucket holds public reference data only.' },
    ]);

    // THEN
    expect(messagesFor(stack, 'NCSC-P02-DataStoreClassified')).toEqual([]);
  });

  test('the CSV report lists the NCSC rule IDs', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncsc-'));
    const app = new App({ outdir });
    Aspects.of(app).add(new NcscChecks({ reports: true }));
    const stack = new Stack(app, 'Workload', { env: { account: ACCOUNT, region: 'eu-west-2' } });
    new s3.Bucket(stack, 'Bucket');

    // WHEN
    app.synth();

    // THEN
    const report = fs.readFileSync(path.join(outdir, 'NCSC-Workload-NagReport.csv'), 'utf8');
    expect(report).toContain('"NCSC-P02-DataStoreClassified","Workload/Bucket/Resource","Non-Compliant"');
    expect(report).toContain('"NCSC-P01-S3RequireTls"');
  });

  test('the rule limits are public', () => {
    expect(NcscChecks.HOME_REGION).toBe('eu-west-2');
    expect(NcscChecks.MINIMUM_LOG_RETENTION_DAYS).toBe(365);
    expect(NcscChecks.MINIMUM_BACKUP_RETENTION_DAYS).toBe(35);
    expect([NcscChecks.BACKUP_TAG_KEY, NcscChecks.BACKUP_TAG_VALUE]).toEqual(['backup', 'true']);
  });
});

describe('NCSC-P02-LondonRegionOnly', () => {
  const id = 'NCSC-P02-LondonRegionOnly';

  test('a resource in eu-west-2 passes', () => {
    const stack = newStack('eu-west-2');
    new sqs.CfnQueue(stack, 'Queue');
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a resource in another region is reported', () => {
    const stack = newStack('eu-west-1');
    new sqs.CfnQueue(stack, 'Queue');
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a resource in a stack with no region is reported', () => {
    // GIVEN an environment-agnostic stack, whose region is a token
    const app = new App();
    Aspects.of(app).add(new NcscChecks({ reports: false }));
    const stack = new Stack(app, 'Agnostic');

    // WHEN
    new sqs.CfnQueue(stack, 'Queue');

    // THEN
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('global resources are not applicable in any region', () => {
    const stack = newStack('us-east-1');
    new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: {} });
    new wafv2.CfnWebACL(stack, 'Acl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
    });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a regional web ACL outside eu-west-2 is reported', () => {
    const stack = newStack('us-east-1');
    new wafv2.CfnWebACL(stack, 'Acl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
    });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });
});

describe('NCSC-P02-DataStoreClassified', () => {
  const id = 'NCSC-P02-DataStoreClassified';

  test.each(['OFFICIAL', 'OFFICIAL-SENSITIVE'])('a bucket classified %s passes', (classification) => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket');
    classify(stack, classification);
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a data store without the tag is reported', () => {
    const stack = newStack();
    table(stack);
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a value outside the classifications is reported', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket');
    classify(stack, 'SECRET');
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a value known only at deploy time is reported', () => {
    // GIVEN a classification from a parameter
    const stack = newStack();
    const classification = new CfnParameter(stack, 'Classification');

    // WHEN
    new s3.Bucket(stack, 'Bucket');
    classify(stack, classification.valueAsString);

    // THEN
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('tags in the EFS FileSystemTags property count', () => {
    const stack = newStack();
    new efs.CfnFileSystem(stack, 'FileSystem', { encrypted: true });
    classify(stack, 'OFFICIAL');
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('resources that keep no data, and Aurora instances, are not applicable', () => {
    const stack = newStack();
    new sqs.CfnQueue(stack, 'Queue');
    const cluster = new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql' });
    cluster.addPropertyOverride('Tags', [{ Key: 'DataClassification', Value: 'OFFICIAL' }]);
    new rds.CfnDBInstance(stack, 'Instance', { dbInstanceClass: 'db.r6g.large', engine: 'aurora-postgresql', dbClusterIdentifier: cluster.ref });
    expect(messagesFor(stack, id)).toEqual([]);
  });
});

describe('NCSC-P02-SensitiveDataCustomerKey', () => {
  const id = 'NCSC-P02-SensitiveDataCustomerKey';

  function sensitiveStack(): Stack {
    const stack = newStack();
    classify(stack, 'OFFICIAL-SENSITIVE');
    return stack;
  }

  test('a sensitive bucket with a customer managed key passes', () => {
    const stack = sensitiveStack();
    new s3.Bucket(stack, 'Bucket', { encryptionKey: new kms.Key(stack, 'Key') });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a sensitive bucket with SSE-S3 is reported', () => {
    const stack = sensitiveStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a sensitive bucket with the AWS managed key is reported', () => {
    const stack = sensitiveStack();
    new s3.CfnBucket(stack, 'Bucket', {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/aws/s3' } }] },
    });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a sensitive bucket that receives server access logs may use SSE-S3', () => {
    // GIVEN a bucket whose server access logs go to a bucket with SSE-S3, as S3 requires
    const stack = sensitiveStack();
    const accessLogs = new s3.Bucket(stack, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED });

    // WHEN
    new s3.Bucket(stack, 'Bucket', { encryptionKey: new kms.Key(stack, 'Key'), serverAccessLogsBucket: accessLogs });

    // THEN
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('an OFFICIAL bucket with SSE-S3 is not applicable', () => {
    const stack = newStack();
    classify(stack, 'OFFICIAL');
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('sensitive table needs its own key', () => {
    const managed = sensitiveStack();
    table(managed, { encryption: dynamodb.TableEncryption.AWS_MANAGED });
    const own = sensitiveStack();
    table(own, { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED });

    expect(messagesFor(managed, id)).toHaveLength(1);
    expect(messagesFor(own, id)).toEqual([]);
  });

  test('a sensitive log group needs a key', () => {
    const without = sensitiveStack();
    new logs.LogGroup(without, 'Logs');
    const withKey = sensitiveStack();
    new logs.LogGroup(withKey, 'Logs', { encryptionKey: new kms.Key(withKey, 'Key') });

    expect(messagesFor(without, id)).toHaveLength(1);
    expect(messagesFor(withKey, id)).toEqual([]);
  });

  test('a key imported from another stack counts as customer managed', () => {
    const stack = sensitiveStack();
    new rds.CfnDBCluster(stack, 'Cluster', {
      engine: 'aurora-postgresql', storageEncrypted: true, kmsKeyId: Fn.importValue('platform-data-key-arn'),
    });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a standalone ElastiCache cluster cannot be encrypted and is reported', () => {
    const stack = sensitiveStack();
    new elasticache.CfnCacheCluster(stack, 'Cache', { cacheNodeType: 'cache.t3.micro', engine: 'redis', numCacheNodes: 1 });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });
});

describe('NCSC-P01-Tls12OrLater', () => {
  const id = 'NCSC-P01-Tls12OrLater';

  test('an HTTPS listener with a TLS 1.2 policy passes', () => {
    const stack = newStack();
    listener(stack, { port: 443, protocol: 'HTTPS', sslPolicy: elbv2.SslPolicy.TLS13_RES, certificates: [{ certificateArn: CERTIFICATE_ARN }] });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test.each([
    ['no policy', undefined],
    ['the 2016-08 policy', elbv2.SslPolicy.RECOMMENDED],
    ['a TLS 1.1 policy', elbv2.SslPolicy.TLS13_11],
  ])('an HTTPS listener with %s is reported', (_name, sslPolicy) => {
    const stack = newStack();
    listener(stack, { port: 443, protocol: 'HTTPS', sslPolicy, certificates: [{ certificateArn: CERTIFICATE_ARN }] });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a TCP listener is not applicable', () => {
    const stack = newStack();
    listener(stack, { port: 5432, protocol: 'TCP' });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a listener whose protocol is known only at deploy time is reported', () => {
    const stack = newStack();
    listener(stack, { port: 443, protocol: new CfnParameter(stack, 'Protocol').valueAsString });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('an L2 HTTPS listener with the platform policy passes', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    alb.addListener('Https', {
      port: 443,
      sslPolicy: elbv2.SslPolicy.TLS13_12_RES_PQ,
      certificates: [elbv2.ListenerCertificate.fromArn(CERTIFICATE_ARN)],
      defaultAction: elbv2.ListenerAction.fixedResponse(404),
    });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a distribution with its own certificate and TLS 1.2 passes', () => {
    const stack = newStack();
    distribution(stack, { acmCertificateArn: CERTIFICATE_ARN, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test.each([
    ['the default certificate', { cloudFrontDefaultCertificate: true }, 'redirect-to-https'],
    ['a TLS 1.1 minimum', { acmCertificateArn: CERTIFICATE_ARN, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.1_2016' }, 'redirect-to-https'],
    ['viewers on HTTP', { acmCertificateArn: CERTIFICATE_ARN, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' }, 'allow-all'],
  ])('a distribution with %s is reported', (_name, certificate, viewerProtocolPolicy) => {
    const stack = newStack();
    distribution(stack, certificate, viewerProtocolPolicy);
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('API Gateway domain names need the TLS_1_2 policy', () => {
    const good = newStack();
    new apigw.CfnDomainName(good, 'Domain', { domainName: 'api.example.gov.uk', regionalCertificateArn: CERTIFICATE_ARN, securityPolicy: 'TLS_1_2' });
    const old = newStack();
    new apigw.CfnDomainName(old, 'Domain', { domainName: 'api.example.gov.uk', regionalCertificateArn: CERTIFICATE_ARN });

    expect(messagesFor(good, id)).toEqual([]);
    expect(messagesFor(old, id)).toHaveLength(1);
  });

  test('HTTP API domain names must state TLS_1_2', () => {
    const good = newStack();
    new apigwv2.CfnDomainName(good, 'Domain', {
      domainName: 'api.example.gov.uk', domainNameConfigurations: [{ certificateArn: CERTIFICATE_ARN, securityPolicy: 'TLS_1_2' }],
    });
    const unstated = newStack();
    new apigwv2.CfnDomainName(unstated, 'Domain', { domainName: 'api.example.gov.uk', domainNameConfigurations: [{ certificateArn: CERTIFICATE_ARN }] });

    expect(messagesFor(good, id)).toEqual([]);
    expect(messagesFor(unstated, id)).toHaveLength(1);
  });

  test('OpenSearch Service domains enforce HTTPS with a TLS 1.2 policy', () => {
    const good = newStack();
    new opensearch.CfnDomain(good, 'Search', {
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2 },
    });
    const old = newStack();
    new opensearch.CfnDomain(old, 'Search', { domainEndpointOptions: { enforceHttps: true } });

    expect(messagesFor(good, id)).toEqual([]);
    expect(messagesFor(old, id)).toHaveLength(1);
  });

  test('Transfer Family servers state a policy later than 2018', () => {
    const good = newStack();
    new transfer.CfnServer(good, 'Server', { securityPolicyName: 'TransferSecurityPolicy-2024-01' });
    const old = newStack();
    new transfer.CfnServer(old, 'Server', { securityPolicyName: 'TransferSecurityPolicy-2018-11' });
    const unstated = newStack();
    new transfer.CfnServer(unstated, 'Server', {});

    expect(messagesFor(good, id)).toEqual([]);
    expect(messagesFor(old, id)).toHaveLength(1);
    expect(messagesFor(unstated, id)).toHaveLength(1);
  });
});

describe('NCSC-P01-HttpRedirectsToHttps', () => {
  const id = 'NCSC-P01-HttpRedirectsToHttps';

  test('an HTTP listener that redirects to HTTPS passes', () => {
    const stack = newStack();
    listener(stack, {
      port: 80,
      protocol: 'HTTP',
      defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('an HTTP listener that serves content is reported', () => {
    const stack = newStack();
    listener(stack, { port: 80, protocol: 'HTTP' });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('an HTTPS listener is not applicable', () => {
    const stack = newStack();
    listener(stack, { port: 443, protocol: 'HTTPS', sslPolicy: elbv2.SslPolicy.TLS13_RES });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a listener whose protocol is known only at deploy time is reported', () => {
    const stack = newStack();
    listener(stack, { port: 80, protocol: new CfnParameter(stack, 'Protocol').valueAsString });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });
});

describe('NCSC-P02-BackupCoverage', () => {
  const id = 'NCSC-P02-BackupCoverage';

  test('a table tagged for the organisation backup policy passes', () => {
    const stack = newStack();
    Tags.of(table(stack)).add('backup', 'true');
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test.each([['no backup tag', undefined], ['backup=false', 'false']])('a table with %s is reported', (_name, value) => {
    const stack = newStack();
    const t = table(stack);
    if (value !== undefined) {
      Tags.of(t).add('backup', value);
    }
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a backup tag known only at deploy time is reported', () => {
    const stack = newStack();
    Tags.of(table(stack)).add('backup', new CfnParameter(stack, 'Backup').valueAsString);
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a table named by a backup selection passes', () => {
    // GIVEN
    const stack = newStack();
    const t = table(stack);

    // WHEN
    const plan = backup.BackupPlan.daily35DayRetention(stack, 'Plan');
    plan.addSelection('Selection', { resources: [backup.BackupResource.fromDynamoDbTable(t)] });

    // THEN
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('selection by tag or wildcard ARN covers', () => {
    const byTag = newStack();
    Tags.of(table(byTag)).add('tier', 'data');
    backup.BackupPlan.daily35DayRetention(byTag, 'Plan')
      .addSelection('Selection', { resources: [backup.BackupResource.fromTag('tier', 'data')] });
    const byArn = newStack();
    new efs.CfnFileSystem(byArn, 'FileSystem', { encrypted: true });
    backup.BackupPlan.daily35DayRetention(byArn, 'Plan')
      .addSelection('Selection', { resources: [backup.BackupResource.fromArn('arn:aws:elasticfilesystem:eu-west-2:111122223333:file-system/*')] });

    expect(messagesFor(byTag, id)).toEqual([]);
    expect(messagesFor(byArn, id)).toEqual([]);
  });

  test('a selection of another table does not cover this one', () => {
    const stack = newStack();
    table(stack);
    const other = new dynamodb.Table(stack, 'Other', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    backup.BackupPlan.daily35DayRetention(stack, 'Plan')
      .addSelection('Selection', { resources: [backup.BackupResource.fromDynamoDbTable(other)] });

    expect(messagesFor(stack, id)).toHaveLength(1);
  });
});

describe('NCSC-P02-BackupRetention', () => {
  const id = 'NCSC-P02-BackupRetention';

  test.each([
    ['35 days', { deleteAfterDays: 35 }],
    ['no expiry', undefined],
    ['a lifecycle without expiry', { moveToColdStorageAfterDays: 30 }],
  ])('a plan that keeps recovery points for %s passes', (_name, lifecycle) => {
    const stack = newStack();
    backupPlan(stack, lifecycle);
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('a plan that deletes recovery points after 7 days is reported', () => {
    const stack = newStack();
    backupPlan(stack, { deleteAfterDays: 7 });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a retention known only at deploy time is reported', () => {
    const stack = newStack();
    backupPlan(stack, { deleteAfterDays: new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('the L2 daily plan with 35 days passes', () => {
    const stack = newStack();
    backup.BackupPlan.daily35DayRetention(stack, 'Plan');
    expect(messagesFor(stack, id)).toEqual([]);
  });
});

describe('NCSC-P13-LogRetention', () => {
  const id = 'NCSC-P13-LogRetention';

  test.each([logs.RetentionDays.ONE_YEAR, logs.RetentionDays.TEN_YEARS])('a log group that keeps events for %d days passes', (retention) => {
    const stack = newStack();
    new logs.LogGroup(stack, 'Logs', { retention });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test.each([
    ['a month', logs.RetentionDays.ONE_MONTH],
    ['no stated retention', logs.RetentionDays.INFINITE],
  ])('a log group with %s is reported', (_name, retention) => {
    const stack = newStack();
    new logs.LogGroup(stack, 'Logs', { retention });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a retention known only at deploy time is reported', () => {
    const stack = newStack();
    new logs.CfnLogGroup(stack, 'Logs', { retentionInDays: new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

  test('a raw log group resource is checked too', () => {
    const stack = newStack();
    new CfnResource(stack, 'Logs', { type: 'AWS::Logs::LogGroup', properties: { RetentionInDays: 7 } });
    expect(messagesFor(stack, id)).toHaveLength(1);
  });

});
