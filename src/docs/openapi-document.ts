import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { authConfig, AuthConfig } from '../config/auth.config';
import { metricsConfig, MetricsConfig } from '../config/metrics.config';
import { OPENAI_V1_TAG } from '../surfaces/openai-v1/openai-v1.tag';
import { documentEnabledRoutes } from './document-enabled-routes';

const DESCRIPTION = `
Sentinel is an LLM gateway: one OpenAI-compatible API in front of several providers, with
**conversation stickiness** — every request that carries the same \`conversation_id\` is served by
the same provider and model while the conversation stays active.

Two surfaces share one request schema, router, session store and error envelope: the native one
under \`/native/v1\` (with the session routes) and OpenAI's paths under \`/v1\`, for tools that only
let you change the base URL (there the conversation id may also come from the
\`x-sentinel-conversation-id\` header).

Every error, on every route, is an \`ErrorEnvelope\`:
\`{"error":{"message","type","code","param"}}\`. Every response carries \`x-request-id\`.
`.trim();

/** package.json sits two levels up from both src/docs (ts-jest) and dist/docs (the build). */
function packageVersion(): string {
  const raw = readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

/** The security schemes this instance's configuration turns on. */
function enabledSchemes(app: INestApplication): Set<string> {
  const auth = app.get<AuthConfig>(authConfig.KEY);
  const metrics = app.get<MetricsConfig>(metricsConfig.KEY);
  const schemes = new Set(['api_key']);
  if (auth.debugEndpoints) schemes.add('admin_key');
  if (metrics.token !== undefined) schemes.add('metrics_token');
  return schemes;
}

/**
 * The OpenAPI document of the app's enabled routes, as served at /native/docs/openapi.json:
 * disabled routes are not listed, and security is marked only where it is required.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Sentinel LLM gateway')
    .setDescription(DESCRIPTION)
    .setVersion(packageVersion())
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key',
        description: 'A key from `API_KEYS`.',
      },
      'api_key',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'token',
        description: '`METRICS_TOKEN`, when it is set.',
      },
      'metrics_token',
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'x-admin-key', description: '`ADMIN_API_KEY`.' },
      'admin_key',
    )
    .addTag('chat', 'The native, OpenAI-compatible chat endpoint and model list')
    .addTag(
      OPENAI_V1_TAG,
      "OpenAI's paths under /v1, for tools that only let you change the base URL " +
        '(`baseURL = http://host:port/v1`)',
    )
    .addTag('sessions', "The caller's own conversation bindings")
    .addTag('operations', 'Health, metrics and operator routes')
    .build();
  return documentEnabledRoutes(SwaggerModule.createDocument(app, config), enabledSchemes(app));
}

function sortedKeys<T>(record: Record<string, T> | undefined): Record<string, T> | undefined {
  if (record === undefined) return undefined;
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The document as committed in docs/openapi.json: paths and components sorted by name (so a
 * new route or schema is a local diff), everything inside them in declaration order.
 */
export function canonicalOpenApiJson(document: OpenAPIObject): string {
  const components = document.components ?? {};
  const canonical: OpenAPIObject = {
    ...document,
    paths: sortedKeys(document.paths) ?? {},
    components: {
      ...components,
      schemas: sortedKeys(components.schemas),
      securitySchemes: sortedKeys(components.securitySchemes),
    },
  };
  return `${JSON.stringify(canonical, null, 2)}\n`;
}
