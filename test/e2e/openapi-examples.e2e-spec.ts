import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../support/create-test-app';
import { get } from '../support/http';

/** The committed `.env` (the quick start), as `KEY=value` lines. */
function quickStartEnv(): Record<string, string> {
  const text = readFileSync(join(__dirname, '..', '..', '.env'), 'utf8');
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

interface Operation {
  tags?: string[];
  operationId?: string;
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  parameters?: { name: string; in: string; example?: string; schema?: { example?: string } }[];
  requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
}
type Paths = Record<string, Record<string, Operation>>;

/**
 * What Swagger UI's "Try it out" sends, taken from the served document: every request example
 * of every operation, with its header examples, answered by the quick-start configuration.
 */
describe('the OpenAPI examples against the quick-start configuration (.env)', () => {
  const env = quickStartEnv();
  const key = env.API_KEYS.split(',')[0].split(':')[1];
  let app: TestApp;
  let paths: Paths;

  beforeAll(async () => {
    app = await createTestApp({
      env: {
        API_KEYS: env.API_KEYS,
        ECHO_PROVIDER: env.ECHO_PROVIDER,
        DEFAULT_PROVIDER: env.DEFAULT_PROVIDER,
        CACHE_BACKEND: env.CACHE_BACKEND,
        DOCS_API_KEY: undefined,
      },
    });
    paths = (await get<{ paths: Paths }>(`${app.url}/native/docs/openapi.json`, {})).body.paths;
  });
  afterAll(() => app.close());

  it('documents both surfaces under their own tags, the header only on /v1', () => {
    const native = paths['/native/v1/chat/completions'].post;
    const v1 = paths['/v1/chat/completions'].post;
    expect([native.tags, v1.tags]).toEqual([['chat'], ['openai-compatible']]);
    expect(new Set([native.operationId, v1.operationId]).size).toBe(2);
    expect((native.parameters ?? []).map((p) => p.name)).not.toContain(
      'x-sentinel-conversation-id',
    );
    expect(v1.parameters?.map((p) => [p.name, p.in])).toEqual([
      ['x-sentinel-conversation-id', 'header'],
    ]);
    for (const path of ['/native/v1/models', '/v1/models']) {
      const ok = paths[path].get.responses?.['200'].content?.['application/json'].schema;
      expect([path, ok?.$ref]).toEqual([path, '#/components/schemas/ModelList']);
    }
  });

  it('uses the committed quick-start key and the echo provider', () => {
    expect(key).toBe('sk-local-dev-key');
    expect(env.DEFAULT_PROVIDER).toBe('echo');
  });

  it.each(['/native/v1/chat/completions', '/v1/chat/completions'])(
    'answers every request example of POST %s with 200',
    async (path) => {
      const operation = paths[path].post;
      const headers: Record<string, string> = {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
      };
      for (const parameter of operation.parameters ?? []) {
        const example = parameter.example ?? parameter.schema?.example;
        if (parameter.in === 'header' && example !== undefined) headers[parameter.name] = example;
      }
      const examples = operation.requestBody?.content['application/json'].examples ?? {};
      expect(Object.keys(examples).length).toBeGreaterThan(3);
      for (const [name, { value }] of Object.entries(examples)) {
        const res = await fetch(`${app.url}${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(value),
        });
        const body = await res.text();
        expect([name, res.status]).toEqual([name, 200]);
        expect(body).toContain('chat.completion');
      }
    },
  );

  it.each(['/native/v1/models', '/v1/models'])(
    'answers GET %s with the echo provider',
    async (path) => {
      expect(paths[path].get).toBeDefined();
      const res = await get<{ data: { id: string }[] }>(`${app.url}${path}`, {
        authorization: `Bearer ${key}`,
      });
      expect(res.status).toBe(200);
      expect(res.body.data.map((m) => m.id)).toEqual(['echo']);
    },
  );
});
