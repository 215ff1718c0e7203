import type { AddressInfo } from 'node:net';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { CACHE_BACKEND, CacheBackend } from '../../src/cache/cache-backend.interface';
import { InMemoryCacheBackend } from '../../src/cache/in-memory-cache.backend';
import { SentinelExpressAdapter } from '../../src/common/http/express-adapter';
import { configureApp } from '../../src/configure-app';

export interface TestAppOptions {
  /** Environment for this app only (undefined deletes a variable); restored by close(). */
  env?: Record<string, string | undefined>;
  /** The CACHE_BACKEND to use; an in-memory one by default. `false` keeps the configured one. */
  cache?: CacheBackend | false;
  /** Modules imported beside AppModule, as a team's own root module would (extensions). */
  imports?: (Type | DynamicModule)[];
  /** Further overrides on the testing module, applied after the CACHE_BACKEND one. */
  override?: (builder: TestingModuleBuilder) => void;
}

export interface TestApp {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>`: the app listens on a real loopback port. */
  url: string;
  /** The cache instance the app uses (when overridden), for assertions on stored records. */
  cache?: CacheBackend;
  close(): Promise<void>;
}

export const ALICE = 'sk-alice-test-key';
export const BOB = 'sk-bob-test-key';
export const auth = (key: string = ALICE): Record<string, string> => ({
  authorization: `Bearer ${key}`,
});

/**
 * Builds the real AppModule with the production HTTP pipeline (configureApp), overriding
 * CACHE_BACKEND with an in-memory instance the test keeps a handle to, and listens on
 * 127.0.0.1 so real HTTP clients (fetch, the openai package) can be used.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(options.env ?? {})) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const restoreEnv = (): void => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };

  try {
    const cache =
      options.cache === false
        ? undefined
        : (options.cache ?? new InMemoryCacheBackend({ maxEntries: 10_000 }));
    const builder = Test.createTestingModule({ imports: [AppModule, ...(options.imports ?? [])] });
    if (cache !== undefined) builder.overrideProvider(CACHE_BACKEND).useValue(cache);
    options.override?.(builder);
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>(
      new SentinelExpressAdapter(),
      { bodyParser: false },
    );
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return {
      app,
      url: `http://127.0.0.1:${port}`,
      cache,
      close: async (): Promise<void> => {
        // Keep-alive sockets live 65 s (HTTP_KEEP_ALIVE_TIMEOUT_MS): a test's clients may hold
        // some open, or half-sent, so the test ends every connection rather than wait for them.
        const server = app.getHttpServer();
        const closing = app.close();
        server.closeAllConnections();
        await closing;
        await cache?.shutdown();
        restoreEnv();
      },
    };
  } catch (error) {
    restoreEnv();
    throw error;
  }
}
