import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagPack, NagReportFormat, NagRuleCompliance, NagRuleResult, NagSuppressions } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { NcscPrinciple } from '../../src/detective-controls';
import { NcscAssessment, NcscControl, NcscControlType } from '../../src/ncsc/control';

/** A suppression reason that must reach the reader as text in every format. */
export const NASTY_REASON = 'Legacy consumer <script>alert("x")</script> reads it | plain & \'unencrypted\'';

/** The reason of the suppression that names its finding. */
export const WILDCARD_REASON = 'The replication job copies every object, so it needs every S3 action on the archive bucket.';

interface FixtureRule {
  readonly suffix: string;
  readonly info: string;
  readonly check: (node: CfnResource) => NagRuleResult;
}

const classified = (node: CfnResource): NagRuleResult => {
  if (!(node instanceof s3.CfnBucket)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return node.tags.tagValues().DataClassification ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
};

// The rules stand in for NcscChecks: each gives one kind of report line that cdk-nag writes.
const RULES: FixtureRule[] = [
  {
    suffix: 'P01-QueueEncrypted',
    info: 'The queue is not encrypted with a customer managed key.',
    check: (node) => {
      if (!(node instanceof sqs.CfnQueue)) {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      return node.kmsMasterKeyId ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
  { suffix: 'P02-DataStoreClassified', info: 'The data store has no DataClassification tag.', check: classified },
  {
    suffix: 'P05-LogGroupRetention',
    info: 'The log group keeps its events for no set time.',
    check: (node) => {
      if (!(node instanceof logs.CfnLogGroup)) {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      return node.retentionInDays ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
  {
    suffix: 'P10-NoWildcardActions',
    info: 'The policy allows every action of a service.',
    check: (node) => {
      if (!(node instanceof iam.CfnPolicy)) {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      const document = Stack.of(node).resolve(node.policyDocument) as { Statement: Array<{ Action: string | string[] }> };
      const actions = document.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
      const wildcards = actions.filter((a) => a.endsWith(':*')).map((a) => `Action::${a}`);
      return wildcards.length > 0 ? wildcards : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    suffix: 'P11-TopicChecked',
    info: 'The topic could not be checked.',
    check: (node) => {
      if (!(node instanceof sns.CfnTopic)) {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      throw new Error('the topic name is a token');
    },
  },
  { suffix: 'P99-NotInMapping', info: 'A rule the mapping does not know.', check: classified },
];

/** A stand-in for the NcscChecks pack, with the same pack name and rule ID form. */
class FixtureNcscPack extends NagPack {
  constructor() {
    super({ reports: true, reportFormats: [NagReportFormat.CSV] });
    this.packName = 'NCSC';
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) {
      return;
    }
    for (const rule of RULES) {
      this.applyRule({
        ruleSuffixOverride: rule.suffix,
        info: rule.info,
        explanation: 'Fixture rule.',
        level: NagMessageLevel.ERROR,
        rule: rule.check,
        node,
      });
    }
  }
}

/** Another pack in the same assembly, whose reports the evidence report must ignore. */
class OtherPack extends NagPack {
  constructor() {
    super({ reports: true });
    this.packName = 'Other';
  }

  public visit(node: IConstruct): void {
    if (node instanceof CfnResource) {
      this.applyRule({ info: 'Other.', explanation: 'Other.', level: NagMessageLevel.WARN, rule: () => NagRuleCompliance.NON_COMPLIANT, node });
    }
  }
}

/**
 * Synthesises a small app with two stacks and the fixture pack, into a new temporary
 * directory, and returns the directory.
 */
export function buildFixtureAssembly(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncsc-evidence-'));
  const app = new App({ outdir });
  const env = { account: '111111111111', region: 'eu-west-2' };

  // The data stack: one classified and one unclassified bucket, and a queue kept unencrypted with a suppression.
  const data = new Stack(app, 'FixtureData', { env });
  const classifiedBucket = new s3.Bucket(data, 'ClassifiedBucket');
  (classifiedBucket.node.defaultChild as s3.CfnBucket).tags.setTag('DataClassification', 'OFFICIAL');
  new s3.Bucket(data, 'UnclassifiedBucket');
  const legacyQueue = new sqs.Queue(data, 'LegacyQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
  NagSuppressions.addResourceSuppressions(legacyQueue, [{ id: 'NCSC-P01-QueueEncrypted', reason: NASTY_REASON }]);

  // The audit stack: an encrypted queue, a log group, a topic the rule cannot check, and a policy with a suppressed finding.
  const audit = new Stack(app, 'FixtureAudit', { env, stackName: 'Fixture-Audit' });
  new sqs.Queue(audit, 'AuditQueue', { encryptionMasterKey: new kms.Key(audit, 'QueueKey', { enableKeyRotation: true }) });
  new logs.LogGroup(audit, 'AuditLogs', { retention: logs.RetentionDays.ONE_YEAR });
  new sns.Topic(audit, 'AlertTopic');
  const policy = new iam.Policy(audit, 'ReplicationPolicy', {
    statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::archive/*'] })],
  });
  NagSuppressions.addResourceSuppressions(policy, [{ id: 'NCSC-P10-NoWildcardActions', reason: WILDCARD_REASON, appliesTo: ['Action::s3:*'] }]);
  new iam.Role(audit, 'ReplicationRole', { assumedBy: new iam.ServicePrincipal('s3.amazonaws.com') }).attachInlinePolicy(policy);

  Aspects.of(app).add(new FixtureNcscPack());
  Aspects.of(app).add(new OtherPack());
  app.synth();
  return outdir;
}

function control(id: string, principle: NcscPrinciple, assessment: NcscAssessment, extra: Partial<NcscControl> = {}): NcscControl {
  return {
    id,
    principle,
    title: `Title of ${id}`,
    description: `Description of ${id}.`,
    controlType: assessment === NcscAssessment.AUTOMATED ? NcscControlType.DETECTIVE : NcscControlType.DIRECTIVE,
    assessment,
    ...extra,
  };
}

/** The control list of the tests: one control per status. */
export function fixtureControls(): NcscControl[] {
  return [
    control('NCSC-P01-QueueEncrypted', NcscPrinciple.DATA_IN_TRANSIT_PROTECTION, NcscAssessment.AUTOMATED, {
      configRule: 'SQS_QUEUE_ENCRYPTED', securityHubControl: 'SQS.1',
    }),
    control('NCSC-P02-DataStoreClassified', NcscPrinciple.ASSET_PROTECTION_AND_RESILIENCE, NcscAssessment.AUTOMATED, {
      configRule: 'REQUIRED_TAGS', cdkNagRule: 'AwsSolutions-S1',
    }),
    control('NCSC-P04-SecurityGovernance', NcscPrinciple.GOVERNANCE_FRAMEWORK, NcscAssessment.PROCEDURAL, {
      evidenceExpected: 'the security governance framework and its board minutes',
    }),
    control('NCSC-P05-LogGroupRetention', NcscPrinciple.OPERATIONAL_SECURITY, NcscAssessment.AUTOMATED, {
      configRule: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK', securityHubControl: 'CloudWatch.16',
    }),
    control('NCSC-P06-StaffScreening', NcscPrinciple.PERSONNEL_SECURITY, NcscAssessment.PROCEDURAL, {
      evidenceExpected: 'the personnel security policy and the screening records',
    }),
    control('NCSC-P10-NoWildcardActions', NcscPrinciple.IDENTITY_AND_AUTHENTICATION, NcscAssessment.AUTOMATED),
    control('NCSC-P11-TopicChecked', NcscPrinciple.EXTERNAL_INTERFACE_PROTECTION, NcscAssessment.AUTOMATED),
    control('NCSC-P12-BastionSessionsLogged', NcscPrinciple.SECURE_SERVICE_ADMINISTRATION, NcscAssessment.AUTOMATED),
  ];
}
