import { IConstruct, IDependable } from 'constructs';
import { DetectiveControlsSettings } from './settings';

/**
 * The resources of an account-level `DetectiveControls` that `OrganisationDetectiveControls`
 * builds the organisation settings on. A service that is off has no entry.
 */
export interface DetectiveControlsParts {
  /** The validated settings of the account-level construct. */
  readonly settings: DetectiveControlsSettings;
  readonly guardDuty?: { readonly detectorId: string };
  readonly securityHub?: { readonly hub: IDependable; readonly standards: IDependable[] };
  readonly inspector?: { readonly enabled: IDependable };
  readonly macie?: { readonly session: IDependable };
  /** This account's configuration recorder and delivery channel, when AWS Config is on. */
  readonly recorder?: IDependable;
}

// A weak map keeps the parts out of the public API of DetectiveControls, where jsii would
// have to expose them, and lets them be collected with the construct.
const PARTS = new WeakMap<IConstruct, DetectiveControlsParts>();

/** Records the resources of a `DetectiveControls`. */
export function recordParts(controls: IConstruct, parts: DetectiveControlsParts): void {
  PARTS.set(controls, parts);
}

/** Returns the resources of a `DetectiveControls`, or undefined when the value is not one. */
export function partsOf(controls: unknown): DetectiveControlsParts | undefined {
  if (typeof controls !== 'object' || controls === null) {
    return undefined;
  }
  return PARTS.get(controls as IConstruct);
}
