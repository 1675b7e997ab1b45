import { SinglePointOfFailureKind } from '../single-point-of-failure';
import { TemplateResource } from './template-model';

/** A rule's finding: the kind, the resource to fix or acknowledge, and the problem in plain English. */
export interface RuleFinding {
  readonly kind: SinglePointOfFailureKind;
  readonly resource: TemplateResource;
  /** The description, in a sentence or two: what fails, and what stops when it does. */
  readonly description: string;
  /** The change that removes the single point of failure. */
  readonly fix: string;
  /**
   * Other resources of the same single point of failure, for example the NAT gateway of a
   * VPC finding. An acknowledgement on any of them counts, so that a user can acknowledge
   * through whichever construct they hold.
   */
  readonly related?: TemplateResource[];
}

/** Starts a description with the resource's type and logical ID, as every rule does. */
export function named(resource: TemplateResource): string {
  return `${resource.type} ${resource.logicalId}`;
}
