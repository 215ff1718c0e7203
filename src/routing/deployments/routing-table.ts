import type { Tier } from '../../chat/chat-command';
import type { AdapterRegistry } from '../../providers/adapter.registry';
import type { DeploymentSpec } from '../../providers/deployment-spec';
import type { RoutingConfig, RoutingDefaults } from '../config/routing-config';
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

/** What a routing file's deployment needs from the environment: keys and default timeouts. */
export interface DeploymentDefaults {
  timeouts: DeploymentSpec['timeouts'];
  maxConnections: number;
  environment: Record<string, string | undefined>;
}

/** The table of a routing file (already validated): its deployments, groups and tiers. */
export function buildConfiguredRouting(
  adapters: AdapterRegistry,
  config: RoutingConfig,
  defaults: DeploymentDefaults,
): RoutingTable {
  const deployments = config.deployments.map((d) =>
    createDeployment(
      adapters,
      {
        id: d.id,
        provider: d.provider,
        model: d.model,
        baseUrl: d.baseUrl,
        apiKey: d.apiKeyEnv === undefined ? undefined : defaults.environment[d.apiKeyEnv],
        timeouts: { ...defaults.timeouts, headersMs: d.timeoutMs ?? defaults.timeouts.headersMs },
        maxConnections: defaults.maxConnections,
      },
      { weight: d.weight, priority: d.priority, relativeCost: d.relativeCost },
    ),
  );
  const byId = new Map(deployments.map((d) => [d.id, d]));
  const groups = new Map<string, RouteGroup>();
  for (const [name, group] of config.groups) {
    groups.set(name, {
      name,
      members: group.deployments.map((id) => byId.get(id) as Deployment),
      fallbacks: group.fallbacks,
      strategy: group.strategy,
      attempts: group.attempts,
      health: group.health,
      stickiness: group.stickiness,
    });
  }
  return {
    implicit: false,
    defaults: config.defaults,
    deployments,
    byId,
    groups,
    tiers: { ...config.tiers },
    unnamed: unnamedGroup(config.defaults),
  };
}
