import { Module } from '@nestjs/common';
import { AdapterRegistry } from './adapter.registry';
import { EXTRA_LLM_ADAPTERS, LLM_ADAPTERS, LlmAdapter } from './llm-adapter.interface';
import { LLM_ADAPTER_CLASSES } from './llm-adapters';

/**
 * The wire protocols (LLM_ADAPTER_CLASSES, plus any registered from outside through
 * LlmAdaptersModule.register) gathered under LLM_ADAPTERS, and the registry that
 * finds them by kind. Adapters read no configuration: routing builds one model per deployment.
 */
@Module({
  providers: [
    ...LLM_ADAPTER_CLASSES,
    {
      provide: LLM_ADAPTERS,
      useFactory: (...adapters: (LlmAdapter | LlmAdapter[] | undefined)[]): LlmAdapter[] =>
        adapters.flatMap((a) => (a === undefined ? [] : a)),
      inject: [...LLM_ADAPTER_CLASSES, { token: EXTRA_LLM_ADAPTERS, optional: true }],
    },
    AdapterRegistry,
  ],
  exports: [AdapterRegistry],
})
export class ProvidersModule {}
