import type { LlmModel } from '../../providers/llm-adapter.interface';
import type { OptionalParam } from '../../providers/llm-types';
import type {
  AttemptPolicy,
  HealthPolicy,
  StickinessPolicy,
  StrategyName,
} from '../config/routing-config';

/** One deployment at run time: its configuration and the model object that calls it. */
export interface Deployment {
  /** Stable slug keying all state: health, sessions, metrics. */
  readonly id: string;
  /** The adapter kind. */
  readonly provider: string;
  /**
   * The provider's model name. Undefined for an implicit deployment (no routing file), which
   * serves whatever model a request names for its provider.
   */
  readonly model: string | undefined;
  readonly weight: number;
  readonly priority: number;
  readonly relativeCost?: number;
  /** The upstream's origin, for operators (never a key). */
  readonly origin?: string;
  readonly supportedParams: ReadonlySet<OptionalParam>;
  readonly llm: LlmModel;
}

/**
 * The deployments a request may be served by, with the policies that govern them: a named
 * group of the routing file, or the unnamed group of every deployment of one `provider/model`.
 */
export interface RouteGroup {
  /** Undefined for the unnamed group of a `provider/model` name. */
  readonly name: string | undefined;
  readonly members: readonly Deployment[];
  /** Group names tried, in order, after this group's own members. */
  readonly fallbacks: readonly string[];
  readonly strategy: StrategyName;
  readonly attempts: AttemptPolicy;
  readonly health: HealthPolicy;
  readonly stickiness: StickinessPolicy;
}

/** Who serves one attempt: a deployment and the model name its upstream receives. */
export interface Assignment {
  readonly deployment: Deployment;
  readonly model: string;
}
