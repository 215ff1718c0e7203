import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ConfigValidationError } from './config/config-validation.error';
import { loadEnv } from './config/validate-env';
import { SentinelExpressAdapter } from './common/http/express-adapter';
import { configureApp } from './configure-app';
import { installGracefulShutdown } from './graceful-shutdown';
import { AdapterRegistry } from './providers/adapter.registry';
import { LLM_ADAPTER_CLASSES } from './providers/llm-adapters';
import { RoutingConfigError } from './routing/config/routing-config.error';
import { loadRouting } from './routing/deployments/deployment-table';

async function bootstrap(): Promise<void> {
  // Before Nest starts: a bad environment is one line on stderr, not a DI stack trace. (By now
  // importing AppModule has merged `.env` into process.env.)
  const env = loadEnv();
  if (env.ROUTING_CONFIG_FILE !== undefined) {
    // Adapters are plain classes: the routing file is checked against them before Nest starts.
    const adapters = new AdapterRegistry(LLM_ADAPTER_CLASSES.map((Adapter) => new Adapter()));
    loadRouting(adapters, env.ROUTING_CONFIG_FILE, process.env);
  }
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule,
    new SentinelExpressAdapter(),
    {
      bodyParser: false,
      abortOnError: false,
      // Held until configureApp installs the pino logger, so boot messages are JSON too.
      bufferLogs: true,
    },
  );
  const config = configureApp(app);
  const server = await app.listen(config.port, config.host);
  installGracefulShutdown(app, server, config.shutdownGraceMs);
  new Logger('Sentinel').log(`listening on http://${config.host}:${config.port}`);
}

bootstrap().catch((error: unknown) => {
  // One clear line for a bad configuration; no stack for an operator to wade through.
  if (error instanceof ConfigValidationError || error instanceof RoutingConfigError) {
    process.stderr.write(`sentinel: ${error.message}\n`);
  } else {
    const e = error instanceof Error ? error : new Error(String(error));
    process.stderr.write(`sentinel: failed to start: ${e.name}: ${e.message}\n`);
  }
  process.exit(1);
});
