import { NcscPrinciple } from '../detective-controls';

/** One of the 14 NCSC Cloud Security Principles, as the report presents it. */
export interface PrincipleInfo {
  /** The principle's number, 1 to 14, as the NCSC numbers it. */
  readonly number: number;
  readonly principle: NcscPrinciple;
  /** The principle's name. */
  readonly name: string;
  /** The principle's requirement, in one line. */
  readonly statement: string;
}

// The statements are this package's own one-line summaries, the same as the
// documentation of the NcscPrinciple enum, so the report and the API use the same words.
const PRINCIPLES: PrincipleInfo[] = [
  {
    number: 1,
    principle: NcscPrinciple.DATA_IN_TRANSIT_PROTECTION,
    name: 'Data in transit protection',
    statement: 'User data in transit is protected against tampering and eavesdropping.',
  },
  {
    number: 2,
    principle: NcscPrinciple.ASSET_PROTECTION_AND_RESILIENCE,
    name: 'Asset protection and resilience',
    statement: 'User data and the assets storing or processing it are protected against physical tampering, loss, damage or seizure.',
  },
  {
    number: 3,
    principle: NcscPrinciple.SEPARATION_BETWEEN_CUSTOMERS,
    name: 'Separation between customers',
    statement: 'A compromised or malicious user of the service cannot affect the service or data of another.',
  },
  {
    number: 4,
    principle: NcscPrinciple.GOVERNANCE_FRAMEWORK,
    name: 'Governance framework',
    statement: 'A security governance framework coordinates and directs the management of the service.',
  },
  {
    number: 5,
    principle: NcscPrinciple.OPERATIONAL_SECURITY,
    name: 'Operational security',
    statement: 'The service is operated securely, to detect and prevent attacks.',
  },
  {
    number: 6,
    principle: NcscPrinciple.PERSONNEL_SECURITY,
    name: 'Personnel security',
    statement: 'Staff with access to user data and systems are screened and trained.',
  },
  {
    number: 7,
    principle: NcscPrinciple.SECURE_DEVELOPMENT,
    name: 'Secure development',
    statement: 'The service is designed and developed to identify and mitigate threats.',
  },
  {
    number: 8,
    principle: NcscPrinciple.SUPPLY_CHAIN_SECURITY,
    name: 'Supply chain security',
    statement: 'The supply chain supports the security principles the service claims to implement.',
  },
  {
    number: 9,
    principle: NcscPrinciple.SECURE_USER_MANAGEMENT,
    name: 'Secure user management',
    statement: 'Users get the tools to manage their use of the service securely.',
  },
  {
    number: 10,
    principle: NcscPrinciple.IDENTITY_AND_AUTHENTICATION,
    name: 'Identity and authentication',
    statement: 'Access to service interfaces is limited to authenticated and authorised identities.',
  },
  {
    number: 11,
    principle: NcscPrinciple.EXTERNAL_INTERFACE_PROTECTION,
    name: 'External interface protection',
    statement: 'All external or less trusted interfaces of the service are identified and defended.',
  },
  {
    number: 12,
    principle: NcscPrinciple.SECURE_SERVICE_ADMINISTRATION,
    name: 'Secure service administration',
    statement: 'Systems used to administer the service are highly trusted.',
  },
  {
    number: 13,
    principle: NcscPrinciple.AUDIT_INFORMATION_FOR_USERS,
    name: 'Audit information and alerting for customers',
    statement: 'Users get the audit records they need to monitor access to their service and data.',
  },
  {
    number: 14,
    principle: NcscPrinciple.SECURE_USE_OF_THE_SERVICE,
    name: 'Secure use of the service',
    statement: 'Users meet their responsibilities for using the service securely.',
  },
];

/** Returns the 14 principles in the NCSC's order, as a copy so that callers cannot change the table. */
export function ncscPrinciples(): PrincipleInfo[] {
  return PRINCIPLES.map((p) => ({ ...p }));
}
