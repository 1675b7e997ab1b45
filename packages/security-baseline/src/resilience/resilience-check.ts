import {
  IPolicyValidationContextBeta1,
  IPolicyValidationPlugin,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
  PolicyViolationBeta1,
} from 'aws-cdk-lib';
import { PropsValidator, show } from '../private/validation';
import { Finding } from './private/analysis';
import { analyseTemplateFiles } from './private/assembly';
import { checkTagKey, checkTagValues } from './private/options';
import { SinglePointOfFailureKind } from './single-point-of-failure';

/** Properties of the resilience check. */
export interface ResilienceCheckProps {
  /**
   * Whether the app deploys a production environment.
   *
   * In production, every single point of failure that is not acknowledged is a violation,
   * and synthesis fails. Elsewhere the check reports none: the resilience report still
   * lists them.
   */
  readonly production: boolean;

  /**
   * The tag key that the organisation backup policy selects resources by.
   *
   * @default 'backup', as in the backup policy of GuardrailPolicies
   */
  readonly backupTagKey?: string;

  /**
   * The values of `backupTagKey` that select a resource for backup.
   *
   * @default ['true']
   */
  readonly backupTagValues?: string[];
}

/**
 * A policy validation plugin that fails synthesis of a production app on any single point
 * of failure that is not acknowledged.
 *
 * Pass it to the app: `new App({ policyValidationBeta1: [new ResilienceCheck({ production: true })] })`.
 * aws-cdk-lib runs it after the cloud assembly is written. A violation does not make
 * `app.synth()` throw: aws-cdk-lib prints the report, writes `policy-validation-report.json`
 * into the assembly and sets the process exit code to 1, so `cdk synth` and `cdk deploy` fail.
 *
 * aws-cdk-lib 2.257.0 marks `policyValidationBeta1` as deprecated. The check also implements
 * the interface of its replacement, so `Validations.of(app).addPlugins(check)` works too.
 */
export class ResilienceCheck implements IPolicyValidationPluginBeta1, IPolicyValidationPlugin {
  /** The plugin name that the validation report shows. */
  public readonly name = 'ResilienceCheck';

  /** The rule IDs of the check: the values of SinglePointOfFailureKind. */
  public readonly ruleIds?: string[] = Object.values(SinglePointOfFailureKind);

  private readonly production: boolean;
  private readonly backupTagKey: string;
  private readonly backupTagValues: string[];

  constructor(props: ResilienceCheckProps) {
    const validator = new PropsValidator('ResilienceCheck props');
    if (typeof props !== 'object' || props === null) {
      validator.fail(`props is ${show(props)}. Pass { production: true } for a production app, or { production: false }.`);
      validator.throwIfInvalid();
    }
    if (typeof props.production !== 'boolean') {
      validator.fail(`production is ${show(props.production)}. Give true for a production app, false otherwise.`);
    }
    this.backupTagKey = checkTagKey(validator, props.backupTagKey);
    this.backupTagValues = checkTagValues(validator, props.backupTagValues);
    validator.throwIfInvalid();
    this.production = props.production;
  }

  /** Analyses the app's templates and reports each unacknowledged single point of failure in production. */
  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const options = { backupTagKey: this.backupTagKey, backupTagValues: this.backupTagValues };
    // aws-cdk-lib passes the top-level templates only: the analysis adds their nested stacks.
    const findings = analyseTemplateFiles(context.templatePaths, options);
    const unacknowledged = findings.filter((finding) => finding.acknowledgement === undefined);
    const violations = this.production ? unacknowledged.map(toViolation) : [];

    return {
      success: violations.length === 0,
      violations,
      metadata: {
        production: String(this.production),
        unacknowledged: String(unacknowledged.length),
        acknowledged: String(findings.length - unacknowledged.length),
      },
    };
  }
}

function toViolation(finding: Finding): PolicyViolationBeta1 {
  const kindName = Object.entries(SinglePointOfFailureKind).find(([, value]) => value === finding.kind)?.[0];
  const where = finding.constructPath ?? `${finding.stackName}/${finding.logicalId}`;
  return {
    ruleName: finding.kind,
    severity: 'error',
    description: `${finding.description} (${where})`,
    fix: `${finding.fix} If it stays by design, acknowledge it with its recovery procedure: `
      + `SinglePointOfFailure.acknowledge(construct, { kind: SinglePointOfFailureKind.${kindName}, reason: '...', recoveryProcedure: '...' }).`,
    violatingResources: [{
      resourceLogicalId: finding.logicalId,
      templatePath: finding.templatePath ?? '',
      locations: [],
    }],
  };
}
