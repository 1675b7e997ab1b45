import { Duration, RemovalPolicy, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show, showDuration } from './validation';
// private-certificate-authority imports this module too, so its values are read only inside
// functions, after both modules have loaded.
import { PrivateCertificateAuthorityProps, RevocationMethod, SubordinateCaShare } from '../private-certificate-authority';

/** A subordinate CA after validation. */
export interface SubordinateSettings {
  /** The name given in `subordinateNames`. */
  readonly name: string;
  /** The construct ID of the CA's scope, the name in PascalCase. */
  readonly constructId: string;
  readonly commonName: string;
  /** The account IDs and organizational unit ARNs that the CA is shared with; empty when it is not shared. */
  readonly sharedWith: string[];
}

/** A warning for the construct to add, with the last part of its stable ID. */
export interface CertificateAuthorityWarning {
  readonly id: string;
  readonly message: string;
}

/** The props after defaults, as the construct uses them. */
export interface CertificateAuthoritySettings {
  readonly organization: string;
  readonly organizationalUnit?: string;
  readonly country: string;
  readonly rootCommonName: string;
  readonly subordinates: SubordinateSettings[];
  readonly rootValidityDays: number;
  readonly subordinateValidityDays: number;
  readonly crl: boolean;
  readonly ocsp: boolean;
  readonly crlValidityDays: number;
  readonly crlCustomCname?: string;
  readonly serverAccessLogsBucket?: s3.IBucket;
  readonly acmRenewal: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly warnings: CertificateAuthorityWarning[];
}

/** X.520 limits each of these subject attributes to 64 characters. */
const MAX_NAME_LENGTH = 64;
const SUBORDINATE_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const COUNTRY = /^[A-Z]{2}$/;
/** A DNS host name: labels of letters, digits and hyphens, separated by dots. */
const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const MIN_CRL_DAYS = 1;
const MAX_CRL_DAYS = 5000;
const DEFAULT_SUBORDINATES = ['production', 'non-production'];
const DEFAULT_ROOT_VALIDITY_DAYS = 3650;
const DEFAULT_SUBORDINATE_VALIDITY_DAYS = 1825;
const DEFAULT_CRL_VALIDITY_DAYS = 7;
const REMOVAL_POLICIES: string[] = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];
const ACCOUNT_ID = /^\d{12}$/;
/** The ARN forms of an organizational unit and of an organisation, as AWS Organizations documents them. */
const OU_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ORGANIZATION_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const EXAMPLE_OU_ARN = "'arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-ex12-abcd1234'";

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateCertificateAuthorityProps(scope: Construct, id: string,
  rawProps: PrivateCertificateAuthorityProps | null | undefined): CertificateAuthoritySettings {
  const validator = new PropsValidator(describeConstruct('PrivateCertificateAuthority', scope, id));
  if (typeof rawProps !== 'object' || rawProps === null) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with at least organization.`);
    validator.throwIfInvalid();
  }
  const props = rawProps as PrivateCertificateAuthorityProps;

  const organization = checkSubjectName(validator, 'organization', props.organization, true) ?? '';
  checkSubjectName(validator, 'organizationalUnit', props.organizationalUnit, false);
  const country = props.country ?? 'GB';
  if (!isConcreteString(country) || !COUNTRY.test(country)) {
    validator.fail(`country is ${show(country)}. Give the ISO 3166 two-letter country code in capitals, for example 'GB'.`);
  }
  const rootCommonName = props.rootCommonName ?? `${organization} Root CA`;
  checkSubjectName(validator, isGiven(props.rootCommonName) ? 'rootCommonName' : 'rootCommonName (from organization)', rootCommonName, true);
  const warnings: CertificateAuthorityWarning[] = [];
  const subordinates = checkSubordinates(validator, props.subordinateNames, organization);
  const shares = checkShares(validator, props.subordinateShares, subordinates, Stack.of(scope).account, warnings);

  const rootValidityDays = checkDays(validator, 'rootValidity', props.rootValidity, DEFAULT_ROOT_VALIDITY_DAYS);
  const subordinateValidityDays = checkDays(validator, 'subordinateValidity', props.subordinateValidity, DEFAULT_SUBORDINATE_VALIDITY_DAYS);
  if (rootValidityDays !== undefined && subordinateValidityDays !== undefined && subordinateValidityDays >= rootValidityDays) {
    validator.fail(`subordinateValidity (${subordinateValidityDays} days) is not shorter than rootValidity (${rootValidityDays} days). `
      + 'AWS Private CA does not issue a certificate that outlives its issuer\'s, so shorten subordinateValidity or lengthen rootValidity.');
  }

  const revocation = props.revocation ?? RevocationMethod.CRL;
  if (!(Object.values(RevocationMethod) as string[]).includes(revocation)) {
    validator.fail(`revocation is ${show(revocation)}, which is not a revocation method. Use RevocationMethod.CRL, `
      + 'RevocationMethod.OCSP or RevocationMethod.CRL_AND_OCSP.');
  }
  const crl = revocation !== RevocationMethod.OCSP;
  const crlValidityDays = checkDays(validator, 'crlValidity', props.crlValidity, DEFAULT_CRL_VALIDITY_DAYS);
  if (crlValidityDays !== undefined && (crlValidityDays < MIN_CRL_DAYS || crlValidityDays > MAX_CRL_DAYS)) {
    validator.fail(`crlValidity is ${crlValidityDays} days. AWS Private CA accepts ${MIN_CRL_DAYS} to ${MAX_CRL_DAYS} days, for example Duration.days(7).`);
  }
  checkCrlOptions(validator, props, crl);

  const acmRenewal = props.acmRenewal ?? true;
  if (typeof acmRenewal !== 'boolean') {
    validator.fail(`acmRenewal is ${show(acmRenewal)}, which is not a boolean. Give true or false.`);
  }
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  if (!REMOVAL_POLICIES.includes(removalPolicy)) {
    validator.fail(`removalPolicy is ${show(removalPolicy)}, which certificate authorities do not support. `
      + 'Use RemovalPolicy.RETAIN, RemovalPolicy.DESTROY or RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, or omit it to retain the CAs.');
  }

  validator.throwIfInvalid();
  return {
    organization,
    organizationalUnit: props.organizationalUnit ?? undefined,
    country,
    rootCommonName,
    subordinates: subordinates.map((subordinate) => ({ ...subordinate, sharedWith: shares.get(subordinate.name) ?? [] })),
    rootValidityDays: rootValidityDays!,
    subordinateValidityDays: subordinateValidityDays!,
    crl,
    ocsp: revocation !== RevocationMethod.CRL,
    crlValidityDays: crlValidityDays!,
    crlCustomCname: props.crlCustomCname ?? undefined,
    serverAccessLogsBucket: props.serverAccessLogsBucket ?? undefined,
    acmRenewal,
    removalPolicy,
    warnings,
  };
}

/** Checks a subject attribute and returns it when it is a string. */
function checkSubjectName(validator: PropsValidator, propName: string, value: unknown, required: boolean): string | undefined {
  if (!isGiven(value)) {
    if (required) {
      validator.fail(`${propName} is missing. Give the name as a string, for example 'SSD Platform'.`);
    }
    return undefined;
  }
  if (typeof value !== 'string') {
    validator.fail(`${propName} is ${show(value)}, which is not a string. Give the name as a string, for example 'SSD Platform'.`);
    return undefined;
  }
  if (isConcreteString(value) && (value.trim().length === 0 || value.length > MAX_NAME_LENGTH)) {
    validator.fail(`${propName} ${show(value)} has ${value.length} characters. Certificate subject names have 1 to `
      + `${MAX_NAME_LENGTH} characters, so shorten it.`);
  }
  return value;
}

function checkSubordinates(validator: PropsValidator, value: unknown, organization: string): SubordinateSettings[] {
  const names = isGiven(value) ? checkList(validator, 'subordinateNames', value, '[\'production\', \'non-production\']') ?? [] : DEFAULT_SUBORDINATES;
  if (names.length === 0) {
    validator.fail('subordinateNames is empty. List at least one tier, for example [\'production\'], because the root CA '
      + 'issues no end-entity certificates.');
  }

  const settings: SubordinateSettings[] = [];
  const constructIds = new Map<string, string>();
  names.forEach((name, index) => {
    const path = `subordinateNames[${index}]`;
    if (!isConcreteString(name) || !SUBORDINATE_NAME.test(name)) {
      validator.fail(`${path} is ${show(name)}. Give a literal name of lowercase letters, digits and hyphens, starting with `
        + 'a letter and at most 32 characters, for example \'production\'.');
      return;
    }
    const constructId = name.split('-').filter((part) => part.length > 0)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
    const first = constructIds.get(constructId);
    if (first !== undefined) {
      validator.fail(`${path} is ${show(name)}, which is the same tier as ${first}. Give each subordinate CA its own name.`);
      return;
    }
    constructIds.set(constructId, path);

    const commonName = `${organization} ${name} Issuing CA`;
    if (isConcreteString(organization) && commonName.length > MAX_NAME_LENGTH) {
      validator.fail(`${path} makes the common name ${show(commonName)}, which has ${commonName.length} characters. `
        + `Certificate common names have at most ${MAX_NAME_LENGTH}, so shorten the name or organization.`);
    }
    settings.push({ name, constructId, commonName, sharedWith: [] });
  });
  return settings;
}

/** Checks a literal duration of whole days, and returns the days, or `defaultDays` when it is not given. */
function checkDays(validator: PropsValidator, propName: string, value: unknown, defaultDays: number): number | undefined {
  if (!isGiven(value)) {
    return defaultDays;
  }
  if (!(value instanceof Duration) || value.isUnresolved()) {
    validator.fail(`${propName} is ${value instanceof Duration ? 'a token' : show(value)}. Give a literal Duration in whole days, `
      + `for example Duration.days(${defaultDays}), because the construct compares the validity periods before deployment.`);
    return undefined;
  }
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    validator.fail(`${propName} is ${showDuration(value)}. Give a whole number of days of at least 1, for example Duration.days(${defaultDays}).`);
    return undefined;
  }
  return days;
}

function checkCrlOptions(validator: PropsValidator, props: PrivateCertificateAuthorityProps, crl: boolean): void {
  const cname: unknown = props.crlCustomCname;
  if (isGiven(cname)) {
    if (!crl) {
      validator.fail('crlCustomCname is given, but revocation is OCSP only, so there are no CRLs. Remove crlCustomCname, '
        + 'or use RevocationMethod.CRL_AND_OCSP.');
    }
    if (typeof cname !== 'string' || (isConcreteString(cname) && !HOST_NAME.test(cname))) {
      validator.fail(`crlCustomCname is ${show(cname)}, which is not a host name. Give a host name without a protocol or path, `
        + 'for example \'crl.pki.example.gov.uk\'.');
    }
  }

  const bucket: unknown = props.serverAccessLogsBucket;
  if (isGiven(bucket)) {
    if (!crl) {
      validator.fail('serverAccessLogsBucket is given, but revocation is OCSP only, so there is no CRL bucket to log. '
        + 'Remove serverAccessLogsBucket, or use a revocation method with CRLs.');
    }
    if (typeof bucket !== 'object' || bucket === null || typeof (bucket as s3.IBucket).bucketName !== 'string') {
      validator.fail(`serverAccessLogsBucket is ${show(bucket)}, which is not an S3 bucket. Give an IBucket.`);
    }
  }
}

/**
 * Checks the shares of subordinate CAs, and returns the principals of each shared
 * subordinate by name. Tokens are accepted wherever a value is expected.
 */
function checkShares(validator: PropsValidator, value: unknown, subordinates: SubordinateSettings[], ownAccount: string,
  warnings: CertificateAuthorityWarning[]): Map<string, string[]> {
  const shares = new Map<string, string[]>();
  if (!isGiven(value)) {
    return shares;
  }
  const list = checkList(validator, 'subordinateShares', value, '[{ subordinateName: \'production\', accountIds: [\'555555555555\'] }]') ?? [];
  const names = subordinates.map((subordinate) => subordinate.name);
  const firstShare = new Map<string, string>();

  list.forEach((entry, index) => {
    const path = `subordinateShares[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      validator.fail(`${path} is ${show(entry)}, which is not a share. Give an object with subordinateName and accountIds, `
        + 'organizationalUnitArns or both.');
      return;
    }
    const share = entry as SubordinateCaShare;
    const name: unknown = share.subordinateName;
    if (!isConcreteString(name) || !names.includes(name)) {
      validator.fail(`${path}.subordinateName is ${show(name)}, which is not a subordinate CA of the hierarchy. Use one of `
        + `${names.map((known) => show(known)).join(', ')}, or add the name to subordinateNames.`);
    } else if (firstShare.has(name)) {
      validator.fail(`${path}.subordinateName is ${show(name)}, which ${firstShare.get(name)} already shares. Put every `
        + 'principal of a subordinate CA in one share.');
    } else {
      firstShare.set(name, path);
    }

    const accounts = checkAccounts(validator, `${path}.accountIds`, share.accountIds, ownAccount);
    const units = checkOrganizationalUnits(validator, `${path}.organizationalUnitArns`, share.organizationalUnitArns, warnings);
    if (accounts !== undefined && units !== undefined && accounts.length + units.length === 0) {
      validator.fail(`${path} shares ${show(name)} with no principal. Give accountIds, organizationalUnitArns or both, `
        + 'for example accountIds: [\'555555555555\'].');
    }
    if (isConcreteString(name) && firstShare.get(name) === path) {
      shares.set(name, [...new Set([...(accounts ?? []), ...(units ?? [])])]);
    }
  });
  warnOfPrincipalsInSeveralShares(shares, warnings);
  return shares;
}

/**
 * Warns of each account or OU that several subordinate CAs are shared with: it can issue
 * certificates that each of those tiers trusts, so the subordinates stop being separate
 * trust boundaries. Shared Services may need this on purpose, so it is not an error.
 */
function warnOfPrincipalsInSeveralShares(shares: Map<string, string[]>, warnings: CertificateAuthorityWarning[]): void {
  const subordinatesByPrincipal = new Map<string, string[]>();
  for (const [name, principals] of shares) {
    for (const principal of principals.filter(isConcreteString)) {
      subordinatesByPrincipal.set(principal, [...(subordinatesByPrincipal.get(principal) ?? []), name]);
    }
  }
  for (const [principal, names] of subordinatesByPrincipal) {
    if (names.length > 1) {
      warnings.push({
        id: 'privateCaSharedAcrossTiers',
        message: `${show(principal)} is in the shares of the subordinate CAs ${names.map((name) => show(name)).join(' and ')}, so it can `
          + 'issue certificates that each of those tiers trusts. Share each subordinate only with its own tier\'s accounts, '
          + 'unless the principal serves every tier by design, and then acknowledge this warning.',
      });
    }
  }
}

/** Checks the account IDs of a share. Returns undefined when they are not a list. */
function checkAccounts(validator: PropsValidator, path: string, value: unknown, ownAccount: string): string[] | undefined {
  if (!isGiven(value)) {
    return [];
  }
  const accounts = checkList(validator, path, value, '[\'555555555555\']');
  accounts?.forEach((account, index) => {
    if (typeof account !== 'string' || (isConcreteString(account) && !ACCOUNT_ID.test(account))) {
      validator.fail(`${path}[${index}] is ${show(account)}, which is not an AWS account ID. Give the 12-digit account ID `
        + 'as a string, for example \'555555555555\'.');
    } else if (isConcreteString(account) && account === ownAccount) {
      validator.fail(`${path}[${index}] is ${show(account)}, the account of the CA itself, which AWS RAM cannot share with. `
        + 'Remove it: principals of this account already reach the CA through IAM policies.');
    }
  });
  return accounts as string[] | undefined;
}

/** Checks the OU and organisation ARNs of a share. Returns undefined when they are not a list. */
function checkOrganizationalUnits(validator: PropsValidator, path: string, value: unknown,
  warnings: CertificateAuthorityWarning[]): string[] | undefined {
  if (!isGiven(value)) {
    return [];
  }
  const arns = checkList(validator, path, value, `[${EXAMPLE_OU_ARN}]`);
  arns?.forEach((arn, index) => {
    if (typeof arn !== 'string' || (isConcreteString(arn) && !OU_ARN.test(arn) && !ORGANIZATION_ARN.test(arn))) {
      validator.fail(`${path}[${index}] is ${show(arn)}, which is not the ARN of an organizational unit or organisation. `
        + `Give an OU ARN, for example ${EXAMPLE_OU_ARN}.`);
    } else if (isConcreteString(arn) && ORGANIZATION_ARN.test(arn)) {
      warnings.push({
        id: 'privateCaSharedWithOrganization',
        message: `${path}[${index}] is the organisation ${show(arn)}, so every account of every tier can issue certificates `
          + 'from this subordinate CA, which is then no longer a trust boundary of its tier. Share it with the tier\'s '
          + 'accounts or organizational units instead.',
      });
    }
  });
  return arns as string[] | undefined;
}
