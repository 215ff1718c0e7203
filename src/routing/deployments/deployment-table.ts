import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Tier } from '../../chat/chat-command';
import { GatewayError } from '../../common/errors/gateway-error';
import { providersConfig } from '../../config/providers.config';
import { AdapterRegistry } from '../../providers/adapter.registry';
import type { DeploymentSpec } from '../../providers/deployment-spec';
import type { RoutingDefaults } from '../config/routing-config';
import type { Deployment, RouteGroup } from './deployment';
import { loadRoutingConfig } from '../config/load-routing-config';
import { buildConfiguredRouting, buildImplicitRouting, RoutingTable } from './routing-table';

/** Where a request's `model` (or `tier`) leads: a group, and for implicit deployments the model. */
export interface ResolvedTarget {
  group: RouteGroup;
  /** Set when the deployments serve any model (implicit): the model the request named. */
  model?: string;
}

/**
 * Every deployment with its model object, the groups and tiers, built once at boot. Resolves
 * what a request names (in this order: a group, then `provider/model`, then a bare name under
 * DEFAULT_PROVIDER) without any store access. Closes every pool at shutdown.
 */
@Injectable()
export class DeploymentTable implements OnApplicationShutdown {
  private readonly logger = new Logger(DeploymentTable.name);
  private readonly table: RoutingTable;

  constructor(
    adapters: AdapterRegistry,
    @Inject(providersConfig.KEY) private readonly config: ConfigType<typeof providersConfig>,
  ) {
    const file = config.routing.configFile;
    this.table =
      file === undefined
        ? buildImplicitRouting(adapters, implicitSpecs(config))
        : buildConfiguredRouting(
            adapters,
            loadRouting(adapters, file, config.routing.environment),
            {
              timeouts: implicitSpecs.timeouts(config),
              maxConnections: config.upstream.maxConnections,
              environment: config.routing.environment,
            },
          );
    const ids = this.table.deployments.map((d) => d.id).join(', ') || 'none';
    this.logger.log(`deployments: ${ids}`);
    if (!this.table.implicit) return;
    if (!this.table.byId.has(config.defaultProvider)) {
      this.logger.warn(
        `DEFAULT_PROVIDER '${config.defaultProvider}' is not enabled: bare model names will be rejected`,
      );
    }
  }

  get implicit(): boolean {
    return this.table.implicit;
  }

  get defaults(): RoutingDefaults {
    return this.table.defaults;
  }

  get deployments(): readonly Deployment[] {
    return this.table.deployments;
  }

  get groups(): ReadonlyMap<string, RouteGroup> {
    return this.table.groups;
  }

  get tiers(): Partial<Record<Tier, string>> {
    return this.table.tiers;
  }

  deployment(id: string): Deployment | undefined {
    return this.table.byId.get(id);
  }

  group(name: string): RouteGroup | undefined {
    return this.table.groups.get(name);
  }

  /** A request's `model`. Throws 400 `unknown_provider`, `unknown_model` or `invalid_value`. */
  resolve(model: string): ResolvedTarget {
    const named = this.table.groups.get(model);
    if (named !== undefined) return { group: named };
    const slash = model.indexOf('/');
    if (slash === -1) return this.byProviderModel(this.config.defaultProvider, model, model);
    return this.byProviderModel(model.slice(0, slash), model.slice(slash + 1), model);
  }

  /** The tier's group; 400 `invalid_value` when the routing configuration has no such tier. */
  resolveTier(tier: Tier): ResolvedTarget {
    const name = this.table.tiers[tier];
    const group = name === undefined ? undefined : this.table.groups.get(name);
    if (group === undefined) {
      throw new GatewayError('invalid_value', `Tier '${tier}' is not configured.`, {
        param: 'tier',
      });
    }
    return { group };
  }

  /**
   * The unnamed group of one provider and model: every deployment serving it (implicit: the
   * provider's one deployment). Empty when none does.
   */
  providerModelGroup(provider: string, model: string): RouteGroup {
    const members = this.table.deployments.filter(
      (d) => d.provider === provider && (d.model === undefined || d.model === model),
    );
    return { ...this.table.unnamed, members };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.table.deployments.map((d) => d.llm.close()));
  }

  private byProviderModel(provider: string, model: string, named: string): ResolvedTarget {
    const known = this.table.deployments.some((d) => d.provider === provider);
    if (!known) {
      const enabled = [...new Set(this.table.deployments.map((d) => d.provider))];
      throw new GatewayError(
        'unknown_provider',
        `Unknown provider '${provider}' in model '${named}'. Enabled providers: ${enabled.join(', ') || 'none'}.`,
        { param: 'model' },
      );
    }
    if (model === '') {
      throw new GatewayError(
        'invalid_value',
        `Model '${named}' names no model after '${provider}/'.`,
        {
          param: 'model',
        },
      );
    }
    const group = this.providerModelGroup(provider, model);
    if (group.members.length === 0) {
      throw new GatewayError('unknown_model', `Unknown model '${named}'.`, { param: 'model' });
    }
    return this.table.implicit ? { group, model } : { group };
  }
}

/**
 * Reads and validates ROUTING_CONFIG_FILE against the registered adapters; throws one
 * RoutingConfigError listing every problem (main.ts checks it before the app is built).
 */
export function loadRouting(
  adapters: AdapterRegistry,
  file: string,
  environment: Record<string, string | undefined>,
): ReturnType<typeof loadRoutingConfig> {
  return loadRoutingConfig(
    file,
    environment,
    adapters.kinds(),
    (kind) => adapters.get(kind)?.requiresApiKey === true,
  );
}

/** Today's environment as deployments: one per enabled provider, each serving any model. */
function implicitSpecs(config: ConfigType<typeof providersConfig>): DeploymentSpec[] {
  const base = {
    model: '*',
    timeouts: implicitSpecs.timeouts(config),
    maxConnections: config.upstream.maxConnections,
  };
  const specs: DeploymentSpec[] = [];
  if (config.openai.apiKey) {
    specs.push({ ...base, id: 'openai', provider: 'openai', ...config.openai });
  }
  if (config.anthropic.apiKey) {
    specs.push({ ...base, id: 'anthropic', provider: 'anthropic', ...config.anthropic });
  }
  if (config.echo.enabled) specs.push({ ...base, id: 'echo', provider: 'echo' });
  return specs;
}

/** The timeouts of the environment (UPSTREAM_*), for every deployment that sets none. */
implicitSpecs.timeouts = (
  config: ConfigType<typeof providersConfig>,
): DeploymentSpec['timeouts'] => ({
  connectMs: config.upstream.connectTimeoutMs,
  headersMs: config.upstream.timeoutMs,
  idleMs: config.upstream.idleTimeoutMs,
});
