import type { Tier } from '../../chat/chat-command';

export type StrategyName = 'weighted' | 'priority' | 'cost' | 'latency' | 'least_busy';
export interface AttemptPolicy {
  max: number;
  deadlineMs: number;
}
export interface HealthPolicy {
  consecutiveFailures: number;
  cooldownInitialS: number;
  cooldownMultiplier: number;
  cooldownMaxS: number;
  terminalCooldownS: number;
}
export interface StickinessPolicy {
  onUnhealthy: 'migrate' | 'strict';
  maxWaitMs: number;
}
export interface DeploymentConfig {
  id: string;
  provider: string;
  model: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  weight: number;
  priority: number;
  relativeCost?: number;
  timeoutMs?: number;
}
export interface GroupConfig {
  name: string;
  deployments: string[];
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
export interface RoutingConfig {
  defaults: RoutingDefaults;
  deployments: DeploymentConfig[];
  groups: ReadonlyMap<string, GroupConfig>;
  tiers: Partial<Record<Tier, string>>;
}
