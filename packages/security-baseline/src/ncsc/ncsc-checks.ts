import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { MINIMUM_BACKUP_RETENTION_DAYS as BACKUP_DAYS, BACKUP_TAG_KEY as BACKUP_KEY, BACKUP_TAG_VALUE as BACKUP_VALUE } from './private/backup-rules';
import { AutomatedControl, PACK_NAME, automatedControls } from './private/controls';
import { MINIMUM_LOG_RETENTION_DAYS as LOG_DAYS } from './private/log-retention-rule';
import { HOME_REGION as REGION } from './private/region-rule';
import { forgetStackIndex } from './private/template-values';

/**
 * A cdk-nag pack that checks the synthesised templates against the controls of the UK
 * NCSC Cloud Security Principles that a template can show.
 *
 * Each rule ID names its principle, for example `NCSC-P02-DataStoreClassified`. Some rules
 * reuse the checks of the AwsSolutions and NIST 800-53 rev 5 packs under an NCSC ID. The
 * others are this package's own. They check for resources in eu-west-2 only, a data classification on
 * every data store, customer managed keys for OFFICIAL-SENSITIVE data, TLS 1.2 or later on
 * every endpoint, backup coverage and retention, and log retention. `NcscControlCatalogue`
 * lists every rule with the principle, the AWS Config rule and the Security Hub control
 * it corresponds to.
 *
 * Every rule reports at error level. Suppress a finding with `NagSuppressions` and a
 * reason, as for any cdk-nag pack. Where a rule can fail for more than one reason, the
 * finding ID in brackets after the rule ID names the problem, for example
 * `NCSC-P01-Tls12OrLater[ViewerPlainHttp]`, and a suppression can accept that one finding
 * with `appliesTo`.
 *
 * Add the pack to the app with `Aspects.of(app).add(new NcscChecks())`; the rules run when
 * the app is validated, after every aspect, so the priority it is added with does not matter.
 * Aspects added to the app do not reach the stacks inside a `Stage` (aws-cdk-lib applies
 * each stage's aspects on their own, and this is true of every cdk-nag pack), so add the
 * pack to each stage as well: `Aspects.of(stage).add(new NcscChecks())`.
 */
export class NcscChecks extends NagPack {
  /** The region where every regional resource must be: Europe (London). */
  public static readonly HOME_REGION: string = REGION;

  /** The shortest retention, in days, that NCSC-P13-LogRetention accepts for a log group. */
  public static readonly MINIMUM_LOG_RETENTION_DAYS: number = LOG_DAYS;

  /** The shortest retention, in days, that NCSC-P02-BackupRetention accepts for a backup plan rule. */
  public static readonly MINIMUM_BACKUP_RETENTION_DAYS: number = BACKUP_DAYS;

  /** The tag key that the organisation backup policy selects resources by. */
  public static readonly BACKUP_TAG_KEY: string = BACKUP_KEY;

  /** The value of the backup tag that selects a resource for backup. */
  public static readonly BACKUP_TAG_VALUE: string = BACKUP_VALUE;

  private readonly controls: AutomatedControl[];

  constructor(props?: NagPackProps) {
    super(props);
    this.packName = PACK_NAME;
    this.controls = automatedControls();
  }

  /**
   * Registers the rules of the pack on a CloudFormation resource. Other constructs are ignored.
   *
   * The rules run when the app is validated, after every aspect has run, whatever the
   * priority the pack was added with. So tags added by a tag aspect, property overrides and
   * suppressions added later in the code all count, and no `Lazy` value is resolved early.
   */
  public visit(node: IConstruct): void {
    if (Stack.isStack(node)) {
      // Validations run parent first, so this drops the stack's index before any rule of this
      // synthesis reads it, and a second synthesis reads the resources added since the first.
      node.node.addValidation({
        validate: () => {
          forgetStackIndex(node);
          return [];
        },
      });
      return;
    }
    if (!CfnResource.isCfnResource(node)) {
      return;
    }
    node.node.addValidation({
      validate: () => {
        this.applyRules(node);
        return [];
      },
    });
  }

  private applyRules(node: CfnResource): void {
    for (const { control, rule, info, explanation, level, findingInfo } of this.controls) {
      // cdk-nag writes the pack name, a hyphen and this suffix as the rule ID.
      const ruleSuffixOverride = control.id.slice(PACK_NAME.length + 1);
      const outcome = evaluate(rule, node);
      if (outcome.findings === undefined) {
        this.applyRule({ ruleSuffixOverride, info, explanation, level, rule: outcome.replay, node });
        continue;
      }
      // Each finding is applied on its own, so that its message names the problem it reports.
      for (const finding of outcome.findings) {
        this.applyRule({
          ruleSuffixOverride,
          info: findingInfo[finding] ?? info,
          explanation,
          level,
          rule: () => [finding],
          node,
        });
      }
    }
  }
}

/** The result of a rule, run once: either its findings, or a rule that replays its result or its error for cdk-nag. */
interface RuleOutcome {
  readonly findings?: string[];
  readonly replay: (node: CfnResource) => NagRuleResult;
}

function evaluate(rule: (node: CfnResource) => NagRuleResult, node: CfnResource): RuleOutcome {
  let result: NagRuleResult;
  try {
    result = rule(node);
  } catch (error) {
    // cdk-nag reports the error of a rule as a validation failure, which it can suppress.
    return { replay: () => { throw error; } };
  }
  if (Array.isArray(result) && result.length > 0) {
    return { findings: result, replay: () => result };
  }
  return { replay: () => result };
}
