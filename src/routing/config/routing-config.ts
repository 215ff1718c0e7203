/** How a group chooses among its healthy, not-yet-tried deployments. */
export const STRATEGIES = ['weighted', 'priority', 'cost', 'latency', 'least_busy'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const ROUTING_TIERS = ['simple', 'moderate', 'complex'] as const;
export type RoutingTier = (typeof ROUTING_TIERS)[number];

/** One budget per client request, across a group and its fallback groups. */
export interface AttemptPolicy {
  /** Most upstream calls per client request (1..10). */
  max: number;
  /** Wall-clock budget for all attempts of one request. */
  deadlineMs: number;
}

/** When a deployment's cooldown opens and for how long. */
export interface HealthPolicy {
  /** Consecutive retryable failures that open the cooldown. */
  consecutiveFailures: number;
  /** First cooldown, in seconds; 0 disables cooldowns for the group. */
  cooldownInitialS: number;
  /** Each re-opening (failed probe) multiplies the cooldown by this. */
  cooldownMultiplier: number;
  /** Upper bound of the backoff and of a honoured Retry-After, in seconds. */
  cooldownMaxS: number;
  /** Cooldown after 401/403/404 (our key or the model is gone), in seconds. */
  terminalCooldownS: number;
}

/** What a conversation bound to a cooling deployment does. */
export interface StickinessPolicy {
  onUnhealthy: 'migrate' | 'strict';
  /** A rate-limit cooldown ending within this many ms is waited out (0 = never wait). */
  maxWaitMs: number;
}

export interface DeploymentConfig {
  /** Stable slug; keys all health and session state. */
  id: string;
  /** Adapter kind (`openai`, `anthropic`, `echo`...). */
  provider: string;
  model: string;
  baseUrl?: string;
  /** Name of the environment variable holding the key (never the key itself). */
  apiKeyEnv?: string;
  /** Resolved: `weight`, else `1 / relative_cost`, else 1. 0 = only when nothing else is left. */
  weight: number;
  /** Lower is tried first by the `priority` strategy; default 0. */
  priority: number;
  relativeCost?: number;
  timeoutMs?: number;
}

export interface GroupConfig {
  name: string;
  /** Deployment ids, in the order written. */
  deployments: string[];
  /** Group names tried, in order, after this group's own deployments. */
  fallbacks: string[];
  strategy: StrategyName;
  attempts: AttemptPolicy;
  health: HealthPolicy;
  stickiness: StickinessPolicy;
}

export interface RoutingDefaults {
  strategy: StrategyName;
  attempts: AttemptPolicy;
  health: HealthPolicy;
  stickiness: StickinessPolicy;
}

/** The routing file, validated and fully resolved (every default applied), deeply frozen. */
export interface RoutingConfig {
  defaults: RoutingDefaults;
  deployments: DeploymentConfig[];
  groups: ReadonlyMap<string, GroupConfig>;
  tiers: Partial<Record<RoutingTier, string>>;
}

/** What applies when the file (or a group) leaves a key out. */
export const ROUTING_DEFAULTS: RoutingDefaults = Object.freeze({
  strategy: 'weighted',
  attempts: Object.freeze({ max: 3, deadlineMs: 120_000 }),
  health: Object.freeze({
    consecutiveFailures: 3,
    cooldownInitialS: 10,
    cooldownMultiplier: 2,
    cooldownMaxS: 300,
    terminalCooldownS: 300,
  }),
  stickiness: Object.freeze({ onUnhealthy: 'migrate', maxWaitMs: 1_500 }),
});
