import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { providersConfig } from '../config/providers.config';
import { EchoProvider } from './echo/echo.provider';
import { LLM_PROVIDERS, LlmProvider } from './llm-provider.interface';
import { LlmProviderRegistry } from './llm-provider.registry';
import { LLM_PROVIDER_CLASSES } from './llm-providers';
import { OpenAiProvider } from './openai/openai.provider';
import { ProvidersModule } from './providers.module';

/** Stands in for AppConfigModule, which provides the `providers` namespace globally. */
@Global()
@Module({
  providers: [
    {
      provide: providersConfig.KEY,
      useValue: {
        defaultProvider: 'echo',
        openai: { baseUrl: 'https://api.openai.com/v1', apiKey: undefined },
        echo: { enabled: true },
        upstream: { connectTimeoutMs: 100, timeoutMs: 100, idleTimeoutMs: 100, maxConnections: 1 },
        sseKeepAliveMs: 15_000,
      },
    },
  ],
  exports: [providersConfig.KEY],
})
class FakeProvidersConfig {}

describe('ProvidersModule', () => {
  it('instantiates every registered class under LLM_PROVIDERS and routes through them', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FakeProvidersConfig, ProvidersModule],
    })
      .setLogger({ log: () => undefined, error: () => undefined, warn: () => undefined })
      .compile();
    await moduleRef.init();

    const providers = moduleRef.get<LlmProvider[]>(LLM_PROVIDERS);
    const registry = moduleRef.get(LlmProviderRegistry);

    expect(LLM_PROVIDER_CLASSES).toEqual([OpenAiProvider, EchoProvider]);
    expect(providers.map((p) => p.name)).toEqual(['openai', 'echo']);
    expect(registry.enabledNames()).toEqual(['echo']);
    expect(registry.resolve('hello').provider).toBe(moduleRef.get(EchoProvider));
    await moduleRef.close();
  });
});
