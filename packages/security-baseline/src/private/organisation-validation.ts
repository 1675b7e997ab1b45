import { Token } from 'aws-cdk-lib';
import { PropsValidator, checkList, isConcreteString, isGiven, show } from './validation';

/** The ID of an organization root: `r-` and 4 to 32 lowercase letters or digits. */
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

/** AWS Organizations accepts account names of 1 to 50 printable ASCII characters. */
const ACCOUNT_NAME = /^[\x20-\x7E]{1,50}$/;

/** The email address pattern that AWS Organizations applies, and its length limits. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_EMAIL_LENGTH = 6;
const MAX_EMAIL_LENGTH = 64;

/** The name of the role that AWS Organizations creates in a new account. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** AWS Organizations accepts organizational unit names of 1 to 128 characters. */
const MAX_OU_NAME_LENGTH = 128;

/** Checks the ID of the organization root, unless it is a token. */
export function checkRootId(validator: PropsValidator, value: unknown): void {
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    return;
  }
  if (!isConcreteString(value) || !ROOT_ID.test(value)) {
    validator.fail(`rootId is ${show(value)}, which is not the ID of an organization root. Give the ID that `
      + '`aws organizations list-roots` returns: "r-" and 4 to 32 lowercase letters or digits, for example "r-a1b2".');
  }
}

/** An organizational unit's key in the props, its default name, and the key of its parent (undefined for the root). */
export interface OrganizationalUnitSpec {
  readonly key: string;
  readonly propName: string;
  readonly defaultName: string;
  readonly parent?: string;
}

/**
 * Checks the names of the organizational units. Returns the name of each unit by key,
 * defaults included.
 */
export function checkOrganizationalUnitNames(validator: PropsValidator, value: unknown, specs: readonly OrganizationalUnitSpec[])
  : Record<string, string> {
  const given: Record<string, unknown> = {};
  if (isGiven(value)) {
    if (typeof value === 'object') {
      Object.assign(given, value);
    } else {
      validator.fail(`organizationalUnitNames is ${show(value)}. Give the names as an object, for example `
        + '{ infrastructure: "SharedServices" }, or omit it to use the default names.');
    }
  }

  const names: Record<string, string> = {};
  for (const spec of specs) {
    const name = given[spec.propName] ?? spec.defaultName;
    const path = `organizationalUnitNames.${spec.propName}`;
    if (!isConcreteString(name)) {
      validator.fail(`${path} is ${show(name)}. Give the name as a literal string, for example "${spec.defaultName}".`);
    } else if (name.trim().length === 0 || name.length > MAX_OU_NAME_LENGTH) {
      validator.fail(`${path} is ${show(name)}. AWS Organizations accepts organizational unit names of 1 to `
        + `${MAX_OU_NAME_LENGTH} characters that are not all spaces.`);
    }
    names[spec.key] = typeof name === 'string' ? name : spec.defaultName;
  }

  // AWS Organizations rejects two organizational units of the same name under one parent.
  for (const parent of new Set(specs.map((spec) => spec.parent))) {
    const siblings = specs.filter((spec) => spec.parent === parent);
    for (const [index, spec] of siblings.entries()) {
      const twin = siblings.slice(0, index).find((other) => names[other.key] === names[spec.key]);
      if (twin !== undefined) {
        validator.fail(`organizationalUnitNames.${spec.propName} and organizationalUnitNames.${twin.propName} are both `
          + `${show(names[spec.key])}, but organizational units under the same parent need different names. Rename one.`);
      }
    }
  }
  return names;
}

/** A member account as the props give it, before it is checked. */
interface RawAccount {
  readonly accountName?: unknown;
  readonly email?: unknown;
  readonly organizationalUnit?: unknown;
  readonly roleName?: unknown;
}

/**
 * Checks the member accounts. Returns them when the list can be read, with a construct ID
 * for each, derived from its name.
 *
 * @param units the values of the organizational unit enum
 */
export function checkAccounts(validator: PropsValidator, value: unknown, units: readonly string[])
  : Array<{ readonly index: number; readonly constructId: string }> {
  if (!isGiven(value)) {
    return [];
  }
  const accounts = checkList(validator, 'accounts', value,
    '[{ accountName: "Security", email: "aws-security@example.gov.uk", organizationalUnit: PlatformOrganizationalUnit.SECURITY }]');
  if (accounts === undefined) {
    return [];
  }

  const result: Array<{ readonly index: number; readonly constructId: string }> = [];
  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  for (const [index, entry] of accounts.entries()) {
    const path = `accounts[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      validator.fail(`${path} is ${show(entry)}. Give each account as { accountName, email, organizationalUnit }.`);
      continue;
    }
    const account = entry as RawAccount;
    checkAccountFields(validator, path, account, units);

    if (isConcreteString(account.accountName) && ACCOUNT_NAME.test(account.accountName)) {
      const constructId = accountConstructId(account.accountName);
      const twin = seenIds.get(constructId.toLowerCase());
      if (twin !== undefined) {
        validator.fail(`${path}.accountName ${show(account.accountName)} is the same as accounts[${twin}].accountName, `
          + 'ignoring case, spaces and punctuation. The name identifies the account in the stack, so give each account a different name.');
      } else {
        seenIds.set(constructId.toLowerCase(), index);
        result.push({ index, constructId });
      }
    }
    if (isConcreteString(account.email)) {
      const key = account.email.toLowerCase();
      const twin = seenEmails.get(key);
      if (twin !== undefined) {
        validator.fail(`${path}.email ${show(account.email)} is also the email of accounts[${twin}]. `
          + 'Every AWS account needs its own email address.');
      } else {
        seenEmails.set(key, index);
      }
    }
  }
  return result;
}

/** Checks the fields of one member account. */
function checkAccountFields(validator: PropsValidator, path: string, account: RawAccount, units: readonly string[]): void {
  const name = account.accountName;
  if (!isConcreteString(name)) {
    validator.fail(`${path}.accountName is ${show(name)}. Give the account name as a literal string, because it `
      + 'identifies the account in the stack.');
  } else if (!ACCOUNT_NAME.test(name) || name.trim().length === 0) {
    validator.fail(`${path}.accountName is ${show(name)}. AWS Organizations accepts account names of 1 to 50 `
      + 'printable ASCII characters.');
  }

  const email = account.email;
  if (typeof email === 'string' && Token.isUnresolved(email)) {
    // Checked by AWS Organizations at deployment.
  } else if (typeof email !== 'string' || !EMAIL.test(email) || email.length < MIN_EMAIL_LENGTH || email.length > MAX_EMAIL_LENGTH) {
    validator.fail(`${path}.email is ${show(email)}, which is not an email address AWS Organizations accepts. Give an `
      + `address of ${MIN_EMAIL_LENGTH} to ${MAX_EMAIL_LENGTH} characters, such as "aws-security@example.gov.uk", `
      + 'that no other AWS account uses.');
  }

  if (!units.includes(account.organizationalUnit as string)) {
    validator.fail(`${path}.organizationalUnit is ${show(account.organizationalUnit)}, which is not an organizational unit `
      + `of the platform. Use a PlatformOrganizationalUnit value: ${units.join(', ')}.`);
  }

  if (isGiven(account.roleName) && (!isConcreteString(account.roleName) || !ROLE_NAME.test(account.roleName))) {
    validator.fail(`${path}.roleName is ${show(account.roleName)}, which is not an IAM role name. Give 1 to 64 letters, `
      + 'digits and + = , . @ _ -, or omit roleName for OrganizationAccountAccessRole.');
  }
}

/** Derives a construct ID from an account name: its letters and digits, each word capitalised. */
export function accountConstructId(accountName: string): string {
  const words = accountName.split(/[^A-Za-z0-9]+/).filter((word) => word.length > 0);
  return `Account${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}`;
}
