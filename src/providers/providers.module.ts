import { Module } from '@nestjs/common';
import { AdapterRegistry } from './adapter.registry';
import { LLM_ADAPTERS, LlmAdapter } from './llm-adapter.interface';
import { LLM_ADAPTER_CLASSES } from './llm-adapters';

/**
 * The wire protocols (LLM_ADAPTER_CLASSES) gathered under LLM_ADAPTERS, and the registry that
 * finds them by kind. Adapters read no configuration: routing builds one model per deployment.
 */
@Module({
  providers: [
    ...LLM_ADAPTER_CLASSES,
    {
      provide: LLM_ADAPTERS,
      useFactory: (...adapters: LlmAdapter[]): LlmAdapter[] => adapters,
      inject: LLM_ADAPTER_CLASSES,
    },
    AdapterRegistry,
  ],
  exports: [AdapterRegistry],
})
export class ProvidersModule {}
