import { DynamicModule, Module, type Type } from '@nestjs/common';
import { EXTRA_LLM_ADAPTERS, type LlmAdapter } from './llm-adapter.interface';

/**
 * Adds wire protocols from outside `src/providers` (a team's own package):
 * `imports: [AppModule, LlmAdaptersModule.register([ReverseAdapter])]`. Its deployments then name
 * it as `provider: reverse`. Global, because the gateway's ProvidersModule must see it.
 */
@Module({})
export class LlmAdaptersModule {
  static register(adapters: Type<LlmAdapter>[]): DynamicModule {
    return {
      module: LlmAdaptersModule,
      global: true,
      providers: [
        ...adapters,
        {
          provide: EXTRA_LLM_ADAPTERS,
          useFactory: (...instances: LlmAdapter[]): LlmAdapter[] => instances,
          inject: adapters,
        },
      ],
      exports: [EXTRA_LLM_ADAPTERS],
    };
  }
}
