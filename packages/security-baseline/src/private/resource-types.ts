import * as cdk from 'aws-cdk-lib';

/** The form of every CloudFormation resource type: three parts of letters and digits. */
const RESOURCE_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

/** A part of an AWS or Alexa type name, which always starts with a capital letter. */
const AWS_TYPE_PART = /^[A-Z][A-Za-z0-9]*$/;

/** The spelling of the vendor part of the types that aws-cdk-lib has L1 classes for. */
const VENDORS: Record<string, string> = { aws: 'AWS', alexa: 'Alexa' };

/** Services whose aws-cdk-lib module is not named `<vendor>_<service>` in lower case. */
const MODULE_NAMES: Record<string, string> = { 'aws::serverless': 'aws_sam' };

/**
 * Checks a CloudFormation resource type name, as CloudFormation writes it (`AWS::S3::Bucket`).
 *
 * CloudFormation compares type names case-sensitively, so `aws::s3::bucket` names no
 * type. For AWS and Alexa types, the name is looked up among the L1 classes of the
 * service's aws-cdk-lib module to find the right spelling. A type that the module does
 * not know, for example one newer than this aws-cdk-lib release, is accepted when its
 * parts start with capital letters.
 *
 * @returns a sentence that describes the problem and its fix, or undefined when the name is valid
 */
export function resourceTypeProblem(type: string): string | undefined {
  if (!RESOURCE_TYPE.test(type)) {
    return 'which is not a CloudFormation resource type. '
      + 'Give the type as CloudFormation names it, for example AWS::S3::Bucket.';
  }

  const [vendor, service] = type.split('::');
  const vendorSpelling = VENDORS[vendor.toLowerCase()];
  if (vendorSpelling === undefined) {
    return undefined;
  }

  const known = knownTypes(vendor, service);
  if (known.includes(type)) {
    return undefined;
  }
  const sameLetters = known.find((name) => name.toLowerCase() === type.toLowerCase());
  if (sameLetters !== undefined) {
    return `which CloudFormation writes as ${sameLetters}. CloudFormation compares resource types `
      + `case-sensitively, so give ${sameLetters}.`;
  }
  if (vendor !== vendorSpelling || !type.split('::').every((part) => AWS_TYPE_PART.test(part))) {
    return `which is not written as CloudFormation writes ${vendorSpelling} types: each part starts with `
      + 'a capital letter, as in AWS::S3::Bucket. CloudFormation compares resource types case-sensitively, '
      + 'so copy the type from the CloudFormation resource reference.';
  }
  return undefined;
}

/**
 * Lists the resource types of a service that aws-cdk-lib has L1 classes for, from the
 * static `CFN_RESOURCE_TYPE_NAME` of each class. Loads only that service's module.
 */
function knownTypes(vendor: string, service: string): string[] {
  const prefix = `${vendor}::${service}`.toLowerCase();
  const moduleName = MODULE_NAMES[prefix] ?? `${vendor}_${service}`.toLowerCase();
  const modules = cdk as unknown as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(modules, moduleName)) {
    return [];
  }

  const serviceModule = modules[moduleName];
  if (typeof serviceModule !== 'object' || serviceModule === null) {
    return [];
  }
  const types: string[] = [];
  for (const member of Object.values(serviceModule)) {
    const typeName: unknown = typeof member === 'function' ? (member as { CFN_RESOURCE_TYPE_NAME?: unknown }).CFN_RESOURCE_TYPE_NAME : undefined;
    if (typeof typeName === 'string') {
      types.push(typeName);
    }
  }
  return types;
}
