import { Token } from 'aws-cdk-lib';
import { PropsValidator, checkList, isGiven, show } from '../validation';

/**
 * Reads the fields of one options struct, such as `guardDuty`, recording a problem for
 * each field of the wrong type. Every message names the field by its full path.
 */
export class OptionsReader {
  /**
   * Returns a reader of `props[name]`, or undefined after recording a problem when the
   * value is given but is not an object. A missing value reads as an empty object.
   */
  public static of(validator: PropsValidator, name: string, value: unknown): OptionsReader | undefined {
    if (!isGiven(value)) {
      return new OptionsReader(validator, name, {});
    }
    if (typeof value !== 'object' || Array.isArray(value) || Token.isUnresolved(value)) {
      validator.fail(`${name} is ${show(value)}, which is not an object. Give the settings as an object, `
        + `for example { enabled: true }, or omit ${name} to use the defaults.`);
      return undefined;
    }
    return new OptionsReader(validator, name, value as Record<string, unknown>);
  }

  private constructor(
    public readonly validator: PropsValidator,
    public readonly name: string,
    private readonly fields: Record<string, unknown>,
  ) {}

  /** Returns the full path of a field, for messages. Fields of the props themselves have no prefix. */
  public path(field: string): string {
    return this.name === '' ? field : `${this.name}.${field}`;
  }

  /** Returns the raw value of a field, or undefined when it is not given. */
  public raw(field: string): unknown {
    const value = this.fields[field];
    return isGiven(value) ? value : undefined;
  }

  /** Returns a boolean field, or `defaultValue` when it is missing or invalid. */
  public boolean(field: string, defaultValue: boolean): boolean {
    const value = this.raw(field);
    if (value === undefined) {
      return defaultValue;
    }
    if (typeof value !== 'boolean') {
      this.validator.fail(`${this.path(field)} is ${show(value)}, which is not a boolean. Give true or false, `
        + `or omit it for ${defaultValue}.`);
      return defaultValue;
    }
    return value;
  }

  /**
   * Returns a field whose value must be one of `allowed`, or `defaultValue` when it is
   * missing or invalid.
   *
   * @param enumName the name of the enum that defines the allowed values, for the message
   */
  public oneOf<T extends string>(field: string, allowed: readonly T[], defaultValue: T, enumName: string): T {
    const value = this.raw(field);
    if (value === undefined) {
      return defaultValue;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.validator.fail(`${this.path(field)} is ${show(value)}, which is not one of the ${enumName} values. `
        + `Use one of ${allowed.map((choice) => `${enumName}.${choice}`).join(', ')}, or omit it for ${enumName}.${defaultValue}.`);
      return defaultValue;
    }
    return value as T;
  }

  /** Returns a list field, or an empty list when it is missing or not a literal list. */
  public list(field: string, example: string): unknown[] {
    const value = this.raw(field);
    if (value === undefined) {
      return [];
    }
    return checkList(this.validator, this.path(field), value, example) ?? [];
  }

  /**
   * Records a problem for every field given besides `enabled` when `enabled` is false,
   * because those settings would have no effect. Returns whether the service is on.
   */
  public enabled(): boolean {
    const enabled = this.boolean('enabled', true);
    if (!enabled) {
      const ignored = Object.keys(this.fields).filter((field) => field !== 'enabled' && isGiven(this.fields[field]));
      if (ignored.length > 0) {
        this.validator.fail(`${this.path('enabled')} is false, but ${ignored.map((field) => this.path(field)).join(', ')} `
          + `${ignored.length === 1 ? 'is' : 'are'} also set and would have no effect. Remove ${ignored.length === 1 ? 'it' : 'them'}, `
          + `or set ${this.path('enabled')} to true.`);
      }
    }
    return enabled;
  }
}
