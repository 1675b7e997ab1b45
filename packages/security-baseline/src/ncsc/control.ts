import { NcscPrinciple } from '../detective-controls';

/** The kind of a control, in the usual governance terms. */
export enum NcscControlType {
  /** States what must be done: a policy, a standard or a configuration rule. */
  DIRECTIVE = 'DIRECTIVE',

  /** Stops a non-compliant change before it takes effect, for example a service control policy. */
  PREVENTIVE = 'PREVENTIVE',

  /** Finds a non-compliant state after the fact, for example an AWS Config rule. */
  DETECTIVE = 'DETECTIVE',

  /** Reacts to a finding: an alert, a remediation or an incident procedure. */
  RESPONSIVE = 'RESPONSIVE',
}

/** The way the evidence report assesses a control. */
export enum NcscAssessment {
  /** A rule of the `NcscChecks` cdk-nag pack checks the synthesised templates. */
  AUTOMATED = 'AUTOMATED',

  /** The control is a process; the user records a reference to its evidence. */
  PROCEDURAL = 'PROCEDURAL',
}

/** One row of the NCSC control mapping. */
export interface NcscControl {
  /**
   * The control's identifier. For an automated control it is the rule ID that the
   * `NcscChecks` pack writes in its cdk-nag report, for example `NCSC-P02-DataStoreClassified`.
   * For a procedural control it names the evidence slot, for example `NCSC-P06-StaffScreening`.
   */
  readonly id: string;

  /** The Cloud Security Principle the control gives evidence for. */
  readonly principle: NcscPrinciple;

  /** A one-line title that a security architect reads in the report. */
  readonly title: string;

  /** The requirement of the control and its reason, in one or two sentences. */
  readonly description: string;

  readonly controlType: NcscControlType;

  readonly assessment: NcscAssessment;

  /**
   * The cdk-nag rule whose check this control reuses, for example `AwsSolutions-S10`.
   *
   * @default - the check is this package's own, or the control is procedural
   */
  readonly cdkNagRule?: string;

  /**
   * The AWS Config managed rule identifier that checks the same thing after deployment,
   * for example `S3_BUCKET_SSL_REQUESTS_ONLY`.
   *
   * @default - no AWS Config managed rule checks it
   */
  readonly configRule?: string;

  /**
   * The AWS Security Hub control ID that checks the same thing, for example `S3.5`.
   *
   * @default - no Security Hub control checks it
   */
  readonly securityHubControl?: string;

  /**
   * For a procedural control, the evidence a reviewer expects a reference to, for example
   * "the personnel security policy and the BPSS clearance records of the operations team".
   *
   * @default - none, for an automated control
   */
  readonly evidenceExpected?: string;
}

/** A reference to the evidence for a procedural control, supplied by the user for the report. */
export interface NcscEvidenceReference {
  /** The `id` of the procedural control this evidence is for. */
  readonly controlId: string;

  /** The location of the evidence: a document reference, a URL or a ticket. */
  readonly reference: string;

  /**
   * The person or role that owns the evidence.
   *
   * @default - not recorded
   */
  readonly owner?: string;
}
