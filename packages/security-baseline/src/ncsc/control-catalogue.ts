import { NcscPrinciple } from '../detective-controls';
import { NcscControl } from './control';
import { automatedControls } from './private/controls';
import { proceduralControls } from './private/procedural-controls';

/**
 * The mapping of the platform's controls to the NCSC Cloud Security Principles.
 *
 * One row per control. Automated rows are the rules of `NcscChecks`, read from the same
 * table the pack applies, so the two cannot drift apart. Each names the cdk-nag rule it
 * reuses, and the AWS Config managed rule and Security Hub control that check the same
 * thing after deployment, where one exists. Procedural rows are the controls no template
 * can show, each with the evidence a reviewer expects. Every principle has at least one row.
 *
 * @see https://www.ncsc.gov.uk/collection/cloud/the-cloud-security-principles
 */
export class NcscControlCatalogue {
  /** Returns every control: the automated ones in the order of the pack, then the procedural ones. */
  public static all(): NcscControl[] {
    return [...automatedControls().map((automated) => automated.control), ...proceduralControls()];
  }

  /** Returns the controls that give evidence for one principle. */
  public static forPrinciple(principle: NcscPrinciple): NcscControl[] {
    return NcscControlCatalogue.all().filter((control) => control.principle === principle);
  }

  private constructor() {}
}
