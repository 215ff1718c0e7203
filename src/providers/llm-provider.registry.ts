import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { GatewayError } from '../common/errors/gateway-error';
import { providersConfig } from '../config/providers.config';
import { LLM_PROVIDERS, LlmProvider } from './llm-provider.interface';

/** A routable model: the provider that serves it and the provider's own model name. */
export interface ResolvedModel {
  provider: LlmProvider;
  model: string;
}

/**
 * Routes `provider/model` names to enabled LlmProviders. The prefix up to the FIRST '/' names
 * the provider, so `openai/meta-llama/Llama-3` asks openai for `meta-llama/Llama-3`; a name
 * without '/' goes to DEFAULT_PROVIDER.
 */
@Injectable()
export class LlmProviderRegistry implements OnModuleInit {
  private readonly providers = new Map<string, LlmProvider>();
  private readonly logger = new Logger(LlmProviderRegistry.name);

  constructor(
    @Inject(LLM_PROVIDERS) providers: LlmProvider[],
    @Inject(providersConfig.KEY) private readonly config: ConfigType<typeof providersConfig>,
  ) {
    for (const provider of providers) {
      if (this.providers.has(provider.name)) {
        throw new Error(`Two LLM providers are named '${provider.name}'.`);
      }
      this.providers.set(provider.name, provider);
    }
  }

  onModuleInit(): void {
    const enabled = this.enabledNames();
    this.logger.log(`LLM providers enabled: ${enabled.length > 0 ? enabled.join(', ') : 'none'}`);
    const fallback = this.config.defaultProvider;
    if (!enabled.includes(fallback)) {
      this.logger.warn(
        `DEFAULT_PROVIDER '${fallback}' is not enabled: bare model names will be rejected`,
      );
    }
  }

  /**
   * The provider and provider-side model for a request's `model`. Throws GatewayError
   * `unknown_provider` (prefix not registered, or provider disabled) or `invalid_value` (empty
   * model name), both with `param: 'model'`.
   */
  resolve(model: string): ResolvedModel {
    const slash = model.indexOf('/');
    if (slash === -1) {
      return { provider: this.require(this.config.defaultProvider), model };
    }
    const name = model.slice(0, slash);
    const rest = model.slice(slash + 1);
    if (!this.providers.has(name)) {
      const known = this.enabledNames().join(', ') || 'none';
      throw new GatewayError(
        'unknown_provider',
        `Unknown provider '${name}' in model '${model}'. Enabled providers: ${known}.`,
        { param: 'model' },
      );
    }
    const provider = this.require(name);
    if (rest === '') {
      throw new GatewayError('invalid_value', `Model '${model}' names no model after '${name}/'.`, {
        param: 'model',
      });
    }
    return { provider, model: rest };
  }

  /** The enabled provider of that name. */
  get(name: string): LlmProvider | undefined {
    const provider = this.providers.get(name);
    return provider?.enabled ? provider : undefined;
  }

  /** Names of the enabled providers, in registration order. */
  enabledNames(): string[] {
    return [...this.providers.values()].filter((p) => p.enabled).map((p) => p.name);
  }

  private require(name: string): LlmProvider {
    const provider = this.get(name);
    if (provider === undefined) {
      const reason = this.providers.has(name) ? 'is not enabled' : 'is not registered';
      throw new GatewayError('unknown_provider', `Provider '${name}' ${reason}.`, {
        param: 'model',
      });
    }
    return provider;
  }
}
