import type { FailureClass } from '../../providers/provider-error';
import type { HealthPolicy } from '../config/routing-config';

/** A deployment's health as routing reads it, synchronously and without a store round trip. */
export type Availability =
  | { state: 'closed' }
  | { state: 'open'; remainingMs: number; reason?: string }
  /** The cooldown ended: one request fleet-wide may probe it. */
  | { state: 'half_open' };

/** The failures that count against a deployment. */
export type HealthFailure = {
  cls: Exclude<FailureClass, 'client' | 'context_window'>;
  retryAfterMs?: number;
};

/**
 * What the attempt loop needs of deployment health: a local view kept in sync with the fleet,
 * to which it reports what it observes.
 */
export interface HealthLookup {
  availability(deploymentId: string): Availability;
  /** Takes the single fleet-wide probe of a half-open deployment; false when someone else has it. */
  tryProbe(deploymentId: string): Promise<boolean>;
  noteFailure(deploymentId: string, failure: HealthFailure, policy: HealthPolicy): void;
  noteSuccess(deploymentId: string): void;
}

export const HEALTH_LOOKUP = Symbol('HEALTH_LOOKUP');
