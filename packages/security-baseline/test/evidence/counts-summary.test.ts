import { countsSummary } from '../../src/evidence/labels';
import { StatusCounts } from '../../src/evidence/model';

const COUNTS: StatusCounts = {
  total: 16,
  pass: 5,
  fail: 1,
  suppressed: 2,
  notApplicable: 3,
  notAssessed: 0,
  procedural: 1,
  evidenceMissing: 4,
};

describe('countsSummary', () => {
  test('names each status as the count columns do', () => {
    expect(countsSummary(COUNTS)).toBe('5 pass, 1 fail, 2 suppressed, 3 not applicable, 1 procedural, 4 evidence missing');
  });

  test('lists not assessed only when some are', () => {
    expect(countsSummary({ ...COUNTS, notAssessed: 2 }))
      .toBe('5 pass, 1 fail, 2 suppressed, 3 not applicable, 2 not assessed, 1 procedural, 4 evidence missing');
  });
});
