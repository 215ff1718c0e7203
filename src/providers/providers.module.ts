import { Module } from '@nestjs/common';
import { LLM_PROVIDERS, LlmProvider } from './llm-provider.interface';
import { LlmProviderRegistry } from './llm-provider.registry';
import { LLM_PROVIDER_CLASSES } from './llm-providers';

/**
 * Instantiates every class of LLM_PROVIDER_CLASSES (enabled or not: each decides from config),
 * gathers them under LLM_PROVIDERS and exposes the registry that routes to them. Needs the
 * `providers` config namespace, which AppConfigModule loads globally.
 */
@Module({
  providers: [
    ...LLM_PROVIDER_CLASSES,
    {
      provide: LLM_PROVIDERS,
      useFactory: (...providers: LlmProvider[]): LlmProvider[] => providers,
      inject: LLM_PROVIDER_CLASSES,
    },
    LlmProviderRegistry,
  ],
  exports: [LlmProviderRegistry],
})
export class ProvidersModule {}
