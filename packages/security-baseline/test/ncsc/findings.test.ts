import {
  App, Aspects, CfnParameter, CfnResource, Stack, Stage, Tags,
  aws_certificatemanager as acm, aws_cloudfront as cloudfront, aws_cloudwatch as cloudwatch,
  aws_elasticloadbalancingv2 as elbv2, aws_globalaccelerator as globalaccelerator, aws_s3 as s3,
  aws_shield as shield, aws_sqs as sqs, aws_transfer as transfer,
} from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ACCOUNT, classify, messagesFor, newStack } from './fixtures';
import { NcscChecks, NcscControlCatalogue } from '../../src/ncsc';

const CERTIFICATE = { acmCertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/1`, minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' };

const CUSTOMER_KEY = {
  serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1` } }],
};

function distribution(stack: Stack, props: {
  origin?: cloudfront.CfnDistribution.CustomOriginConfigProperty;
  cacheBehaviors?: cloudfront.CfnDistribution.CacheBehaviorProperty[];
}): void {
  new cloudfront.CfnDistribution(stack, 'Distribution', {
    distributionConfig: {
      enabled: true,
      origins: [{
        id: 'web',
        domainName: 'example.gov.uk',
        customOriginConfig: props.origin ?? { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] },
      }],
      defaultCacheBehavior: { targetOriginId: 'web', viewerProtocolPolicy: 'redirect-to-https' },
      cacheBehaviors: props.cacheBehaviors,
      viewerCertificate: CERTIFICATE,
    },
  });
}

function httpListener(stack: Stack, protocol: string = 'HTTP'): elbv2.CfnListener {
  return new elbv2.CfnListener(stack, 'Listener', {
    loadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:loadbalancer/app/web/1`,
    port: 80,
    protocol,
    defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
  });
}

function listenerRule(stack: Stack, listenerArn: string, actions: elbv2.CfnListenerRule.ActionProperty[]): void {
  new elbv2.CfnListenerRule(stack, 'Rule', {
    listenerArn,
    priority: 1,
    conditions: [{ field: 'path-pattern', values: ['/*'] }],
    actions,
  });
}

describe('raw resources whose tag property is not Tags', () => {
  test('raw EFS tags in FileSystemTags count', () => {
    // GIVEN a raw CfnResource, which has no tag manager
    const stack = newStack();

    // WHEN
    new CfnResource(stack, 'FileSystem', {
      type: 'AWS::EFS::FileSystem',
      properties: {
        Encrypted: true,
        FileSystemTags: [{ Key: 'DataClassification', Value: 'OFFICIAL' }, { Key: 'backup', Value: 'true' }],
      },
    });

    // THEN
    expect(messagesFor(stack, 'NCSC-P02-DataStoreClassified')).toEqual([]);
    expect(messagesFor(stack, 'NCSC-P02-BackupCoverage')).toEqual([]);
  });

  test('raw vault tags in BackupVaultTags count', () => {
    const stack = newStack();
    new CfnResource(stack, 'Vault', {
      type: 'AWS::Backup::BackupVault',
      properties: { BackupVaultName: 'platform', BackupVaultTags: { DataClassification: 'OFFICIAL' } },
    });
    expect(messagesFor(stack, 'NCSC-P02-DataStoreClassified')).toEqual([]);
  });

  test('raw EFS without the tag fails', () => {
    const stack = newStack();
    new CfnResource(stack, 'FileSystem', {
      type: 'AWS::EFS::FileSystem',
      properties: { Encrypted: true, FileSystemTags: [{ Key: 'Owner', Value: 'platform' }] },
    });
    expect(messagesFor(stack, 'NCSC-P02-DataStoreClassified')).toHaveLength(1);
  });
});

describe('NCSC-P01-Tls12OrLater findings', () => {
  const id = 'NCSC-P01-Tls12OrLater';

  test('Transfer server with plain FTP fails', () => {
    const stack = newStack();
    new transfer.CfnServer(stack, 'Server', { protocols: ['FTP'], securityPolicyName: 'TransferSecurityPolicy-2024-01' });
    expect(messagesFor(stack, id)).toEqual([
      expect.stringMatching(/^NCSC-P01-Tls12OrLater\[PlainFtp\]: The Transfer Family server accepts plain FTP/),
    ]);
  });

  test('Transfer server with SFTP and FTPS passes', () => {
    const stack = newStack();
    new transfer.CfnServer(stack, 'Server', { protocols: ['SFTP', 'FTPS'], securityPolicyName: 'TransferSecurityPolicy-2024-01' });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('allow-all behaviour reports plain HTTP', () => {
    const stack = newStack();
    distribution(stack, { cacheBehaviors: [{ pathPattern: '/x', targetOriginId: 'web', viewerProtocolPolicy: 'allow-all' }] });
    const messages = messagesFor(stack, id);
    expect(messages).toEqual([expect.stringMatching(/^NCSC-P01-Tls12OrLater\[ViewerPlainHttp\]: .*plain HTTP/)]);
    expect(messages[0]).not.toMatch(/older than 1\.2/);
  });

  test('parameter protocol reports a deploy-time value', () => {
    const stack = newStack();
    httpListener(stack, new CfnParameter(stack, 'Protocol').valueAsString);
    expect(messagesFor(stack, id)).toEqual([expect.stringMatching(/^NCSC-P01-Tls12OrLater\[DeployTimeValue\]: .*known only at deploy time/)]);
  });
});

describe('NCSC-P01-CloudFrontOriginTls', () => {
  const id = 'NCSC-P01-CloudFrontOriginTls';

  test('HTTPS origin with TLS 1.2 passes', () => {
    const stack = newStack();
    distribution(stack, {});
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('http-only origin fails', () => {
    const stack = newStack();
    distribution(stack, { origin: { originProtocolPolicy: 'http-only' } });
    expect(messagesFor(stack, id)).toEqual([expect.stringMatching(/^NCSC-P01-CloudFrontOriginTls\[OriginPlainHttp\]: CloudFront connects to an origin over plain HTTP/)]);
  });

  test('origin allowing TLSv1 or SSLv3 fails', () => {
    const stack = newStack();
    distribution(stack, { origin: { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1', 'SSLv3'] } });
    expect(messagesFor(stack, id)).toEqual([expect.stringMatching(/^NCSC-P01-CloudFrontOriginTls\[OriginTlsBelow12\]: /)]);
  });

  test('deploy-time origin policy fails', () => {
    const stack = newStack();
    distribution(stack, { origin: { originProtocolPolicy: new CfnParameter(stack, 'Policy').valueAsString } });
    expect(messagesFor(stack, id)).toEqual([expect.stringMatching(/^NCSC-P01-CloudFrontOriginTls\[OriginDeployTimeValue\]: /)]);
  });

  test('rule has a catalogue row', () => {
    const row = NcscControlCatalogue.all().find((control) => control.id === id);
    expect(row).toMatchObject({ principle: 'DATA_IN_TRANSIT_PROTECTION', configRule: 'CLOUDFRONT_TRAFFIC_TO_ORIGIN_ENCRYPTED' });
  });
});

describe('NCSC-P01-HttpRedirectsToHttps on listener rules', () => {
  const id = 'NCSC-P01-HttpRedirectsToHttps';

  test('forwarding rule of HTTP listener fails', () => {
    const stack = newStack();
    const listener = httpListener(stack);
    listenerRule(stack, listener.ref, [{ type: 'forward', targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-2:1:targetgroup/t/1' }]);
    expect(messagesFor(stack, id)).toEqual([expect.stringMatching(/^NCSC-P01-HttpRedirectsToHttps\[HttpNotRedirected\]: /)]);
  });

  test('redirecting rule of HTTP listener passes', () => {
    const stack = newStack();
    const listener = httpListener(stack);
    listenerRule(stack, listener.ref, [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', statusCode: 'HTTP_301' } }]);
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('HTTPS or imported listener rules ignored', () => {
    const https = newStack();
    const listener = new elbv2.CfnListener(https, 'Listener', {
      loadBalancerArn: 'arn:lb',
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificates: [{ certificateArn: 'arn:cert' }],
      defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
    });
    listenerRule(https, listener.ref, [{ type: 'forward', targetGroupArn: 'arn:tg' }]);
    const imported = newStack();
    listenerRule(imported, `arn:aws:elasticloadbalancing:eu-west-2:${ACCOUNT}:listener/app/web/1/2`, [{ type: 'forward', targetGroupArn: 'arn:tg' }]);

    expect(messagesFor(https, id)).toEqual([]);
    expect(messagesFor(imported, id)).toEqual([]);
  });

  test('parameter protocol reported as unknown', () => {
    const stack = newStack();
    httpListener(stack, new CfnParameter(stack, 'Protocol').valueAsString);
    const messages = messagesFor(stack, id);
    expect(messages).toEqual([expect.stringMatching(/^NCSC-P01-HttpRedirectsToHttps\[ProtocolUnknown\]: The listener's protocol is known only at deploy time/)]);
  });
});

describe('NCSC-P02-LondonRegionOnly outside London by necessity', () => {
  const id = 'NCSC-P02-LondonRegionOnly';

  test('Global Accelerator is global', () => {
    const stack = newStack('us-west-2');
    new globalaccelerator.CfnAccelerator(stack, 'Accelerator', { name: 'web' });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('us-east-1 necessities are exempt', () => {
    const stack = newStack('us-east-1');
    new acm.CfnCertificate(stack, 'Certificate', { domainName: 'example.gov.uk' });
    new shield.CfnProtection(stack, 'Protection', { name: 'web', resourceArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E1` });
    new cloudwatch.CfnAlarm(stack, 'Billing', {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      metricName: 'EstimatedCharges',
      namespace: 'AWS/Billing',
      period: 21600,
      statistic: 'Maximum',
      threshold: 100,
    });
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test('other cases outside London fail', () => {
    const elsewhere = newStack('eu-west-1');
    new acm.CfnCertificate(elsewhere, 'Certificate', { domainName: 'example.gov.uk' });
    const virginia = newStack('us-east-1');
    new shield.CfnProtection(virginia, 'Protection', { name: 'alb', resourceArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/web/1` });
    new cloudwatch.CfnAlarm(virginia, 'Cpu', {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      metricName: 'CPUUtilization',
      namespace: 'AWS/EC2',
      period: 300,
      statistic: 'Average',
      threshold: 90,
    });
    new sqs.CfnQueue(virginia, 'Queue');

    expect(messagesFor(elsewhere, id)).toHaveLength(1);
    expect(messagesFor(virginia, id)).toHaveLength(3);
  });
});

describe('the stack index', () => {
  test('second synthesis sees new resources', () => {
    // GIVEN a stack synthesised once, which builds its index
    const stack = newStack();
    const first = new s3.CfnBucket(stack, 'First', { bucketEncryption: CUSTOMER_KEY });
    Tags.of(first).add('DataClassification', 'OFFICIAL-SENSITIVE');
    expect(messagesFor(stack, 'NCSC-P02-SensitiveDataCustomerKey')).toEqual([]);

    // WHEN a sensitive SSE-S3 bucket and a bucket that sends its access logs to it are added
    const logs = new s3.CfnBucket(stack, 'Logs', { bucketName: 'access-logs' });
    const data = new s3.CfnBucket(stack, 'Data', {
      loggingConfiguration: { destinationBucketName: 'access-logs' },
      bucketEncryption: CUSTOMER_KEY,
    });
    Tags.of(logs).add('DataClassification', 'OFFICIAL-SENSITIVE');
    Tags.of(data).add('DataClassification', 'OFFICIAL-SENSITIVE');

    // THEN the next synthesis sees the sender, so the log bucket is exempt: S3 delivers access logs only to SSE-S3 buckets
    expect(messagesFor(stack, 'NCSC-P02-SensitiveDataCustomerKey')).toEqual([]);
  });

  test('large stack checked in linear time', () => {
    // GIVEN two stacks of buckets that all log to one name, one four times the size of the other
    const time = (count: number): number => {
      const stack = newStack();
      for (let i = 0; i < count; i++) {
        new s3.CfnBucket(stack, `Bucket${i}`, { loggingConfiguration: { destinationBucketName: 'logs' } });
      }
      classify(stack, 'OFFICIAL-SENSITIVE');
      const start = Date.now();
      Annotations.fromStack(stack);
      return Date.now() - start;
    };
    time(20);

    // WHEN
    const small = time(50);
    const large = time(200);

    // THEN a quadratic scan would take about sixteen times as long; allow for noise on a shared machine
    expect(large).toBeLessThan(Math.max(small, 50) * 10);
  });
});

describe('stages', () => {
  test('stage needs its own pack', () => {
    const app = new App();
    Aspects.of(app).add(new NcscChecks({ reports: false }));
    const unchecked = new Stage(app, 'Unchecked', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const checked = new Stage(app, 'Checked', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    Aspects.of(checked).add(new NcscChecks({ reports: false }));
    const uncheckedStack = new Stack(unchecked, 'Workload');
    const checkedStack = new Stack(checked, 'Workload');
    new sqs.CfnQueue(uncheckedStack, 'Queue');
    new sqs.CfnQueue(checkedStack, 'Queue');

    const errors = (stack: Stack) => Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^NCSC-P02-LondonRegionOnly'));
    expect(errors(uncheckedStack)).toHaveLength(0);
    expect(errors(checkedStack)).toHaveLength(1);
  });
});
