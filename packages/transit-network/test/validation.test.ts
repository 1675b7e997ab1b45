import { PropsValidator, validateNoHoles } from '../src/private/validation';

describe('validateNoHoles', () => {
  test('a list with a hole is reported with its index', () => {
    const validator = new PropsValidator('Thing props');
    // eslint-disable-next-line no-sparse-arrays
    const complete = validateNoHoles(validator, 'sourceCidrs', [, '10.0.0.0/16']);

    expect(complete).toBe(false);
    expect(() => validator.throwIfInvalid()).toThrow(
      'Invalid Thing props:\n  - sourceCidrs[0] is missing (the list has a hole); remove the extra comma or give the entry.');
  });

  test('a list whose entries are undefined but present is complete', () => {
    const validator = new PropsValidator('Thing props');

    expect(validateNoHoles(validator, 'sourceCidrs', [undefined, '10.0.0.0/16'])).toBe(true);
    expect(() => validator.throwIfInvalid()).not.toThrow();
  });
});
