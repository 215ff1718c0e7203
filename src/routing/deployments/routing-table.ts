import type { Tier } from '../../chat/chat-command';
import type { AdapterRegistry } from '../../providers/adapter.registry';
import type { DeploymentSpec } from '../../providers/deployment-spec';
import type { RoutingDefaults } from '../config/routing-config.types';
import type { Deployment, RouteGroup } from './deployment';

/** The routing state built at boot; see DeploymentTable. */
export interface RoutingTable {
  /** No routing file: one deployment per enabled provider, serving any model. */
  implicit: boolean;
  defaults: RoutingDefaults;
  deployments: Deployment[];
  byId: Map<string, Deployment>;
  groups: Map<string, RouteGroup>;
  tiers: Partial<Record<Tier, string>>;
  /** The policies of an unnamed `provider/model` group (no members). */
  unnamed: RouteGroup;
}

/**
 * Without a routing file there is nothing to fail over to, so the implicit deployments keep
 * wave 1's behaviour: one attempt, and no cooldown (every request reaches the upstream).
 */
export const IMPLICIT_DEFAULTS: RoutingDefaults = {
  strategy: 'weighted',
  attempts: { max: 1, deadlineMs: 3_600_000 },
  health: {
    consecutiveFailures: 1,
    cooldownInitialS: 0,
    cooldownMultiplier: 1,
    cooldownMaxS: 0,
    terminalCooldownS: 0,
  },
  stickiness: { onUnhealthy: 'migrate', maxWaitMs: 0 },
};

export function unnamedGroup(defaults: RoutingDefaults): RouteGroup {
  return { name: undefined, members: [], fallbacks: [], ...defaults };
}

export function createDeployment(
  adapters: AdapterRegistry,
  spec: DeploymentSpec,
  extra: { weight?: number; priority?: number; relativeCost?: number } = {},
): Deployment {
  const adapter = adapters.get(spec.provider);
  if (adapter === undefined) throw new Error(`No adapter of kind '${spec.provider}'.`);
  const baseUrl = spec.baseUrl ?? adapter.defaultBaseUrl;
  return {
    id: spec.id,
    provider: spec.provider,
    model: spec.model === '*' ? undefined : spec.model,
    weight: extra.weight ?? 1,
    priority: extra.priority ?? 0,
    relativeCost: extra.relativeCost,
    origin: baseUrl === undefined ? undefined : new URL(baseUrl).origin,
    supportedParams: adapter.supportedParams,
    llm: adapter.createModel({ ...spec, baseUrl }),
  };
}

/** The implicit table: only adapters that are registered (a spec for another kind is skipped). */
export function buildImplicitRouting(
  adapters: AdapterRegistry,
  specs: DeploymentSpec[],
): RoutingTable {
  const deployments = specs
    .filter((spec) => adapters.get(spec.provider) !== undefined)
    .map((spec) => createDeployment(adapters, spec));
  return {
    implicit: true,
    defaults: IMPLICIT_DEFAULTS,
    deployments,
    byId: new Map(deployments.map((d) => [d.id, d])),
    groups: new Map(),
    tiers: {},
    unnamed: unnamedGroup(IMPLICIT_DEFAULTS),
  };
}
