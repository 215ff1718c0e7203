import { Logger } from '@nestjs/common';
import { GatewayError } from '../common/errors/gateway-error';
import type { LlmProvider } from './llm-provider.interface';
import { LlmProviderRegistry } from './llm-provider.registry';

function fakeProvider(name: string, enabled: boolean): LlmProvider {
  const unused = (): never => {
    throw new Error('not called in registry tests');
  };
  return { name, enabled, complete: unused, stream: unused };
}

const openai = fakeProvider('openai', true);
const echo = fakeProvider('echo', true);
const local = fakeProvider('local', false);

function registry(
  defaultProvider = 'openai',
  providers = [openai, echo, local],
): LlmProviderRegistry {
  const config = {
    defaultProvider,
    openai: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x' },
    echo: { enabled: true },
    upstream: { connectTimeoutMs: 1, timeoutMs: 1, idleTimeoutMs: 1, maxConnections: 1 },
    sseKeepAliveMs: 15_000,
  };
  return new LlmProviderRegistry(providers, config);
}

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('LlmProviderRegistry', () => {
  it('routes a bare model name to DEFAULT_PROVIDER, unchanged', () => {
    expect(registry().resolve('gpt-4o-mini')).toEqual({ provider: openai, model: 'gpt-4o-mini' });
    expect(registry('echo').resolve('anything')).toEqual({ provider: echo, model: 'anything' });
  });

  it('routes provider/model to that provider with the prefix removed', () => {
    expect(registry().resolve('echo/gpt-4o')).toEqual({ provider: echo, model: 'gpt-4o' });
  });

  it('splits on the first slash only, so provider model names may contain slashes', () => {
    expect(registry().resolve('openai/meta-llama/Llama-3-8B')).toEqual({
      provider: openai,
      model: 'meta-llama/Llama-3-8B',
    });
  });

  it('rejects a prefix that names no registered provider as unknown_provider on model', () => {
    const error = failure(() => registry().resolve('anthropic/claude-3'));

    expect(error).toMatchObject({ code: 'unknown_provider', param: 'model', status: 400 });
    expect(error.message).toContain("'anthropic'");
    expect(error.message).toContain('openai, echo');
  });

  it('rejects a registered but disabled provider as not enabled', () => {
    const error = failure(() => registry().resolve('local/llama3'));

    expect(error).toMatchObject({ code: 'unknown_provider', param: 'model' });
    expect(error.message).toBe("Provider 'local' is not enabled.");
  });

  it('rejects a bare name when DEFAULT_PROVIDER is disabled or unregistered', () => {
    expect(failure(() => registry('local').resolve('llama3')).message).toBe(
      "Provider 'local' is not enabled.",
    );
    expect(failure(() => registry('nope').resolve('llama3')).code).toBe('unknown_provider');
  });

  it('rejects an empty model after the slash as invalid_value on model', () => {
    expect(failure(() => registry().resolve('openai/'))).toMatchObject({
      code: 'invalid_value',
      param: 'model',
    });
  });

  it('gets enabled providers only and lists their names in registration order', () => {
    const routes = registry();

    expect(routes.get('echo')).toBe(echo);
    expect(routes.get('local')).toBeUndefined();
    expect(routes.get('missing')).toBeUndefined();
    expect(routes.enabledNames()).toEqual(['openai', 'echo']);
  });

  it('refuses two providers with the same name', () => {
    expect(() => registry('openai', [openai, fakeProvider('openai', false)])).toThrow(
      "Two LLM providers are named 'openai'.",
    );
  });

  it('logs the enabled providers at startup and warns when DEFAULT_PROVIDER is off', () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    registry('local').onModuleInit();

    expect(log).toHaveBeenCalledWith('LLM providers enabled: openai, echo');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("DEFAULT_PROVIDER 'local'"));
    log.mockRestore();
    warn.mockRestore();
  });
});
