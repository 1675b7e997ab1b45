import { App, Aspects, Stack, aws_sqs as sqs } from 'aws-cdk-lib';
import { NagMessageLevel, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { NcscPrinciple } from '../../src';
import { NcscAssessment, NcscChecks, NcscControlCatalogue } from '../../src/ncsc';
import { automatedControls } from '../../src/ncsc/private/controls';

const ID_PATTERN = /^NCSC-P(0[1-9]|1[0-4])-[A-Za-z0-9]+$/;

/** The principle number of each enum member, in the order of the NCSC guidance. */
const PRINCIPLE_NUMBERS: Record<string, number> = Object.fromEntries(
  Object.values(NcscPrinciple).map((principle, index) => [principle, index + 1]));

/** A pack that records the rule ID of every rule it applies, instead of checking anything. */
class RecordingChecks extends NcscChecks {
  public readonly ruleIds = new Set<string>();

  constructor(props?: NagPackProps) {
    super(props);
  }

  protected applyRule(params: Parameters<NcscChecks['applyRule']>[0]): void {
    this.ruleIds.add(`${this.readPackName}-${params.ruleSuffixOverride}`);
    super.applyRule({ ...params, rule: () => NagRuleCompliance.NOT_APPLICABLE });
  }
}

function ruleIdsOfPack(): Set<string> {
  const app = new App();
  const pack = new RecordingChecks({ reports: false });
  Aspects.of(app).add(pack);
  new sqs.CfnQueue(new Stack(app, 'Workload', { env: { account: '111122223333', region: 'eu-west-2' } }), 'Queue');
  app.synth();
  return pack.ruleIds;
}

describe('NcscControlCatalogue', () => {
  const controls = NcscControlCatalogue.all();

  test('every one of the 14 principles has at least one control', () => {
    expect(Object.values(NcscPrinciple)).toHaveLength(14);
    for (const principle of Object.values(NcscPrinciple)) {
      expect(NcscControlCatalogue.forPrinciple(principle).length).toBeGreaterThan(0);
    }
  });

  test('control IDs are unique', () => {
    const ids = controls.map((control) => control.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('control IDs carry the number of their principle', () => {
    for (const control of controls) {
      expect(control.id).toMatch(ID_PATTERN);
      expect(Number(control.id.slice('NCSC-P'.length, 'NCSC-P'.length + 2))).toBe(PRINCIPLE_NUMBERS[control.principle]);
    }
  });

  test('the automated controls are exactly the rules of the pack', () => {
    const automated = controls.filter((control) => control.assessment === NcscAssessment.AUTOMATED).map((control) => control.id);

    expect([...ruleIdsOfPack()].sort()).toEqual([...automated].sort());
  });

  test('procedural controls say what evidence is expected, and automated ones do not', () => {
    for (const control of controls) {
      if (control.assessment === NcscAssessment.PROCEDURAL) {
        expect(control.evidenceExpected?.trim()).toBeTruthy();
        expect(control.cdkNagRule).toBeUndefined();
      } else {
        expect(control.evidenceExpected).toBeUndefined();
      }
    }
  });

  test('the mostly procedural principles have procedural controls', () => {
    for (const principle of [
      NcscPrinciple.GOVERNANCE_FRAMEWORK, NcscPrinciple.PERSONNEL_SECURITY, NcscPrinciple.SECURE_DEVELOPMENT,
      NcscPrinciple.SUPPLY_CHAIN_SECURITY, NcscPrinciple.SECURE_USER_MANAGEMENT, NcscPrinciple.SECURE_SERVICE_ADMINISTRATION,
      NcscPrinciple.SECURE_USE_OF_THE_SERVICE,
    ]) {
      expect(NcscControlCatalogue.forPrinciple(principle).some((control) => control.assessment === NcscAssessment.PROCEDURAL)).toBe(true);
    }
  });

  test('identifiers have the shape of their source', () => {
    for (const control of controls) {
      if (control.cdkNagRule !== undefined) {
        expect(control.cdkNagRule).toMatch(/^(AwsSolutions-[A-Z0-9]+|NIST\.800\.53\.R5-[A-Za-z0-9]+)$/);
      }
      if (control.configRule !== undefined) {
        expect(control.configRule).toMatch(/^[A-Z0-9_]+$/);
      }
      if (control.securityHubControl !== undefined) {
        expect(control.securityHubControl).toMatch(/^[A-Za-z0-9]+\.\d+$/);
      }
    }
  });

  test('forPrinciple returns the controls of that principle only', () => {
    const transit = NcscControlCatalogue.forPrinciple(NcscPrinciple.DATA_IN_TRANSIT_PROTECTION);

    expect(transit.map((control) => control.id)).toContain('NCSC-P01-Tls12OrLater');
    expect(transit.every((control) => control.principle === NcscPrinciple.DATA_IN_TRANSIT_PROTECTION)).toBe(true);
  });

  test('callers get a copy they cannot use to change the catalogue', () => {
    const first = NcscControlCatalogue.all();
    first.pop();

    expect(NcscControlCatalogue.all()).toHaveLength(controls.length);
  });

  test('every rule reports at error level, so that a finding stops the pipeline', () => {
    expect(automatedControls().map((automated) => automated.level)).toEqual(automatedControls().map(() => NagMessageLevel.ERROR));
  });
});
