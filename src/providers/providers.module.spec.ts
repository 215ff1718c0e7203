import { Test } from '@nestjs/testing';
import { AdapterRegistry } from './adapter.registry';
import { LLM_ADAPTERS, LlmAdapter } from './llm-adapter.interface';
import { LLM_ADAPTER_CLASSES } from './llm-adapters';
import { ProvidersModule } from './providers.module';

describe('ProvidersModule', () => {
  it('gathers one instance of every registered adapter and finds each by its kind', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ProvidersModule] }).compile();
    const adapters = moduleRef.get<LlmAdapter[]>(LLM_ADAPTERS);
    const registry = moduleRef.get(AdapterRegistry);

    expect(adapters).toHaveLength(LLM_ADAPTER_CLASSES.length);
    for (const adapter of adapters) expect(registry.get(adapter.kind)).toBe(adapter);
    expect(registry.kinds()).toEqual(adapters.map((a) => a.kind));
    expect(registry.kinds()).toEqual(expect.arrayContaining(['openai', 'echo']));
    expect(registry.get('nope')).toBeUndefined();
    await moduleRef.close();
  });
});
