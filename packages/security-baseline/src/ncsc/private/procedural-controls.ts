import { NcscPrinciple } from '../../detective-controls';
import { NcscAssessment, NcscControl, NcscControlType } from '../control';

/**
 * Returns the controls that no template can show: processes, people and suppliers. The
 * evidence report expects a reference to the evidence of each one from the user.
 *
 * It is a function rather than a constant, for the same reason as `automatedControls`.
 */
export function proceduralControls(): NcscControl[] {
  const p = NcscPrinciple;
  return [
    procedural('NCSC-P02-ProviderAssurance', p.ASSET_PROTECTION_AND_RESILIENCE, NcscControlType.DIRECTIVE,
      'Physical protection and sanitisation are assured by AWS',
      'AWS protects the data centres of eu-west-2 and sanitises media at end of life; its independent audits evidence it.',
      'The current AWS ISO/IEC 27001 certificate and SOC 2 Type II report from AWS Artifact, covering the Europe (London) region.'),
    procedural('NCSC-P03-AccountSeparation', p.SEPARATION_BETWEEN_CUSTOMERS, NcscControlType.DIRECTIVE,
      'Workloads are separated by AWS account',
      'Each environment and service runs in its own AWS account, and AWS separates accounts from other customers.',
      'The account structure of the organisation, and the AWS SOC 2 Type II report section on logical separation of customers.'),
    procedural('NCSC-P04-SecurityGovernance', p.GOVERNANCE_FRAMEWORK, NcscControlType.DIRECTIVE,
      'A security governance framework directs the service',
      'A named board-level owner is accountable for security, and risks are recorded, assessed and reviewed.',
      'The security governance policy naming the accountable owner, the risk register and the minutes of the last risk review.'),
    procedural('NCSC-P05-VulnerabilityManagement', p.OPERATIONAL_SECURITY, NcscControlType.DETECTIVE,
      'Vulnerabilities are found and fixed in time',
      'Vulnerability scanning runs continuously, and findings are fixed within the times the policy sets for each severity.',
      'The vulnerability management procedure with its fix times, and the last quarter of scan results with their status.'),
    procedural('NCSC-P05-IncidentManagement', p.OPERATIONAL_SECURITY, NcscControlType.RESPONSIVE,
      'Security incidents are handled to a tested plan',
      'An incident response plan names the roles, contacts and steps, and it is exercised at least once a year.',
      'The incident response plan and the report of the last exercise with its actions.'),
    procedural('NCSC-P06-StaffScreening', p.PERSONNEL_SECURITY, NcscControlType.PREVENTIVE,
      'Staff with access are screened and trained',
      'Everyone with access to user data or administrative access holds at least BPSS clearance and completes security training.',
      'The personnel security policy, and the BPSS clearance and training records of the operations team.'),
    procedural('NCSC-P07-SecureDevelopment', p.SECURE_DEVELOPMENT, NcscControlType.DIRECTIVE,
      'The service is developed securely',
      'Changes are peer reviewed, tested and scanned in the pipeline, and threats are modelled for new designs.',
      'The secure development policy, the pipeline configuration with its checks, and a recent threat model.'),
    procedural('NCSC-P08-SupplyChainAssurance', p.SUPPLY_CHAIN_SECURITY, NcscControlType.DIRECTIVE,
      'Suppliers meet the security the service claims',
      'Every supplier that handles user data is assessed before use and reviewed each year.',
      'The supplier register with the security assessment of each supplier that handles user data.'),
    procedural('NCSC-P09-AccessReview', p.SECURE_USER_MANAGEMENT, NcscControlType.DETECTIVE,
      'Access is granted on request and reviewed',
      'Access is granted through an approved request, and every permission set assignment is reviewed each quarter.',
      'The access management procedure and the record of the last quarterly access review.'),
    procedural('NCSC-P10-MultiFactorAuthentication', p.IDENTITY_AND_AUTHENTICATION, NcscControlType.PREVENTIVE,
      'People sign in with multi-factor authentication',
      'The root user of every account and every IAM Identity Center user sign in with multi-factor authentication.',
      'The IAM Identity Center MFA settings and the root user MFA status of every account.'),
    procedural('NCSC-P11-ExternalInterfaceTesting', p.EXTERNAL_INTERFACE_PROTECTION, NcscControlType.DETECTIVE,
      'External interfaces are tested independently',
      'Every interface reachable from the internet is penetration tested before go-live and each year after.',
      'The last IT Health Check or penetration test report and the plan that fixes its findings.'),
    procedural('NCSC-P12-AdministrationDevices', p.SECURE_SERVICE_ADMINISTRATION, NcscControlType.PREVENTIVE,
      'Administration is done from trusted devices',
      'Administrators use managed devices that meet the end user device guidance to reach the console and APIs.',
      'The device management policy and the list of devices allowed to administer the service.'),
    procedural('NCSC-P14-SecureUseGuidance', p.SECURE_USE_OF_THE_SERVICE, NcscControlType.DIRECTIVE,
      'Users are told how to use the service securely',
      'Service teams get guidance on their security responsibilities, and its use is checked when they join the platform.',
      'The published guidance for service teams and the onboarding checklist they complete.'),
  ];
}

function procedural(
  id: string,
  principle: NcscPrinciple,
  controlType: NcscControlType,
  title: string,
  description: string,
  evidenceExpected: string,
): NcscControl {
  return { id, principle, title, description, controlType, assessment: NcscAssessment.PROCEDURAL, evidenceExpected };
}
