import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OpenAPI } from 'openapi-types';
import { canonicalOpenApiJson } from '../../src/docs/openapi-document';
import { OPTIONAL_PARAMS } from '../../src/providers/llm-types';
import { createTestApp, TestApp } from '../support/create-test-app';
import { expectEnvelope, get } from '../support/http';

const DOCS_KEY = 'docs-key-for-tests-0123456789';
const CHAT = '/native/v1/chat/completions';

/** Everything the docs UI loads: the page, its assets, the init script that embeds the spec. */
const DOCS_URLS = [
  '/native/docs',
  '/native/docs/',
  '/native/docs/docs/swagger-ui-bundle.js',
  '/native/docs/docs/swagger-ui.css',
  '/native/docs/docs/swagger-ui-init.js',
  '/native/docs/openapi.json',
];

type Operation = {
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<
    string,
    {
      headers?: Record<string, unknown>;
      content?: Record<string, { schema?: Record<string, unknown>; examples?: object }>;
    }
  >;
};

describe('OpenAPI document and Swagger UI (open)', () => {
  let app: TestApp;
  let spec: OpenAPIObject;

  beforeAll(async () => {
    app = await createTestApp({ env: { DOCS_API_KEY: undefined } });
    const res = await get<OpenAPIObject>(`${app.url}/native/docs/openapi.json`, {});
    expect(res.status).toBe(200);
    spec = res.body;
  });
  afterAll(() => app.close());

  it('is a valid OpenAPI document', async () => {
    // A copy: the validator dereferences in place.
    const copy = structuredClone(spec) as unknown as OpenAPI.Document;
    await expect(SwaggerParser.validate(copy)).resolves.toBeDefined();
    expect(spec.openapi).toMatch(/^3\./);
  });

  it('documents the chat operation: request, JSON and SSE answers, headers, every error', () => {
    const chat = spec.paths[CHAT]?.post as unknown as Operation;
    expect(chat.security).toEqual([{ api_key: [] }]);
    expect(chat.requestBody?.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ChatCompletionRequest',
    );
    const ok = chat.responses['200'];
    expect(ok.content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ChatCompletion',
    });
    expect(ok.content?.['text/event-stream']).toBeDefined();
    expect(Object.keys(ok.headers ?? {}).sort()).toEqual(
      [
        'Server-Timing',
        'x-request-id',
        'x-sentinel-model',
        'x-sentinel-provider',
        'x-sentinel-session',
      ].sort(),
    );
    for (const status of ['400', '401', '403', '413', '415', '429', '500', '502', '503', '504']) {
      const error = chat.responses[status]?.content?.['application/json'];
      expect([status, error?.schema]).toEqual([
        status,
        { $ref: '#/components/schemas/ErrorEnvelope' },
      ]);
      expect(Object.keys(error?.examples ?? {}).length).toBeGreaterThan(0);
    }
    expect(chat.responses['403'].content?.['application/json'].examples).toHaveProperty(
      'conversation_forbidden',
    );
  });

  it('documents conversation_id semantics, the chunk and error schemas, and bearer auth', () => {
    const schemas = spec.components?.schemas as Record<string, Record<string, unknown>>;
    const request = schemas.ChatCompletionRequest as {
      properties: Record<string, { description?: string }>;
    };
    expect(request.properties.conversation_id.description).toMatch(/same provider and model/);
    expect(request.properties.conversation_id.description).toMatch(/conversation_forbidden/);
    for (const name of ['ChatCompletionChunk', 'ChatCompletion', 'ErrorEnvelope', 'Session']) {
      expect(schemas[name]).toBeDefined();
    }
    expect(spec.components?.securitySchemes?.api_key).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('lists only enabled routes and marks security only where it is required', () => {
    // DEBUG_ENDPOINTS is off and METRICS_TOKEN unset in this app.
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/debug'))).toEqual([]);
    expect(spec.components?.schemas).not.toHaveProperty('DebugSession');
    const metrics = spec.paths['/metrics']?.get as unknown as Operation;
    expect(metrics.security).toBeUndefined();
    expect(metrics.responses).not.toHaveProperty('401');
    expect(Object.keys(spec.components?.securitySchemes ?? {})).toEqual(['api_key']);
  });

  it('documents every OpenAI optional field, the developer and function roles, and tier', () => {
    const schemas = spec.components?.schemas as Record<
      string,
      { properties: Record<string, { enum?: string[] }> }
    >;
    const request = schemas.ChatCompletionRequest.properties;
    for (const field of [...OPTIONAL_PARAMS, 'tier', 'conversation_id', 'stream_options']) {
      expect([field, request[field]]).toEqual([field, expect.any(Object)]);
    }
    expect(schemas.ChatMessage.properties.role.enum).toEqual(
      expect.arrayContaining(['developer', 'function']),
    );
    for (const field of ['refusal', 'audio', 'function_call']) {
      expect(schemas.ChatMessage.properties).toHaveProperty(field);
    }
  });

  it('serves Swagger UI with its assets from the gateway itself (no CDN)', async () => {
    const page = await fetch(`${app.url}/native/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const references = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).toMatch(/^\.\//);
    for (const path of DOCS_URLS) {
      const res = await fetch(`${app.url}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      await res.arrayBuffer();
    }
  });

  it('matches the committed docs/openapi.json (run `npm run openapi` after API changes)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8');
    expect(committed).toBe(canonicalOpenApiJson(spec));
  });
});

describe('OpenAPI document with debug routes and a metrics token configured', () => {
  let app: TestApp;
  let spec: OpenAPIObject;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        DOCS_API_KEY: undefined,
        DEBUG_ENDPOINTS: 'true',
        ADMIN_API_KEY: 'admin-key-for-tests-0123456789',
        METRICS_TOKEN: 'metrics-token-for-tests-0123',
      },
    });
    spec = (await get<OpenAPIObject>(`${app.url}/native/docs/openapi.json`, {})).body;
  });
  afterAll(() => app.close());

  it('lists /debug/session with the admin key and /metrics with the required token', async () => {
    const debug = spec.paths['/debug/session/{conversation_id}']?.get as unknown as Operation;
    expect(debug.security).toEqual([{ admin_key: [] }]);
    const metrics = spec.paths['/metrics']?.get as unknown as Operation;
    expect(metrics.security).toEqual([{ metrics_token: [] }]);
    expect(metrics.responses).toHaveProperty('401');
    expect(spec.components?.schemas).toHaveProperty('DebugSession');
    expect(Object.keys(spec.components?.securitySchemes ?? {}).sort()).toEqual([
      'admin_key',
      'api_key',
      'metrics_token',
    ]);
    const copy = structuredClone(spec) as unknown as OpenAPI.Document;
    await expect(SwaggerParser.validate(copy)).resolves.toBeDefined();
  });
});

describe('OpenAPI document and Swagger UI behind DOCS_API_KEY', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { DOCS_API_KEY: DOCS_KEY } });
  });
  afterAll(() => app.close());

  it('answers 401 in the error envelope without x-docs-key, for the UI, its assets and the spec', async () => {
    for (const path of DOCS_URLS) {
      const res = await get(`${app.url}${path}`, {});
      expect([path, res.status]).toEqual([path, 401]);
      expectEnvelope(res.body, 'missing_api_key', 'authentication_error');
    }
  });

  it('answers 401 to a wrong key', async () => {
    const res = await get(`${app.url}/native/docs/openapi.json`, { 'x-docs-key': 'wrong-key' });
    expect(res.status).toBe(401);
    expectEnvelope(res.body, 'invalid_api_key', 'authentication_error');
  });

  it('serves everything with the key', async () => {
    for (const path of DOCS_URLS) {
      const res = await fetch(`${app.url}${path}`, { headers: { 'x-docs-key': DOCS_KEY } });
      expect([path, res.status]).toEqual([path, 200]);
      await res.arrayBuffer();
    }
  });

  it('leaves the API itself alone', async () => {
    const res = await get(`${app.url}/health/live`, {});
    expect(res.status).toBe(200);
  });
});
