import { AwsSolutionsChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { REUSED_RULE_FIXTURES, messagesFor, newStack } from './fixtures';
import { NcscAssessment, NcscControlCatalogue } from '../../src/ncsc';

describe('NCSC rules reused from cdk-nag', () => {
  test.each(REUSED_RULE_FIXTURES.map((fixture) => [fixture.id, fixture]))('%s passes a compliant resource', (id, fixture) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    fixture.compliant(stack);

    // THEN
    expect(messagesFor(stack, id)).toEqual([]);
  });

  test.each(REUSED_RULE_FIXTURES.map((fixture) => [fixture.id, fixture]))('%s reports a non-compliant resource', (id, fixture) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    fixture.nonCompliant(stack);

    // THEN
    const messages = messagesFor(stack, id);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toContain(id);
  });
});

describe('the cdkNagRule column', () => {
  const reused = NcscControlCatalogue.all().filter((control) => control.cdkNagRule !== undefined);

  test('every control that names a cdk-nag rule has a fixture', () => {
    const fixtureIds = REUSED_RULE_FIXTURES.map((fixture) => fixture.id).sort();

    expect(reused.map((control) => control.id).sort()).toEqual(fixtureIds);
  });

  test.each(reused.map((control) => [control.id, control.cdkNagRule as string]))(
    '%s names %s, which the cdk-nag pack reports for the same resource', (id, cdkNagRule) => {
      // GIVEN the pack that owns the rule ID
      const pack: NagPack = cdkNagRule.startsWith('AwsSolutions-')
        ? new AwsSolutionsChecks({ reports: false })
        : new NIST80053R5Checks({ reports: false });
      const stack = newStack('eu-west-2', pack);

      // WHEN
      REUSED_RULE_FIXTURES.find((fixture) => fixture.id === id)!.nonCompliant(stack);

      // THEN
      expect(messagesFor(stack, cdkNagRule).length).toBeGreaterThan(0);
    });

  test('reused rules are automated', () => {
    expect(reused.every((control) => control.assessment === NcscAssessment.AUTOMATED)).toBe(true);
  });
});
