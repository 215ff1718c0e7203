import type { OpenAPIObject } from '@nestjs/swagger';
import { documentEnabledRoutes } from './document-enabled-routes';

const ref = (name: string): object => ({ $ref: `#/components/schemas/${name}` });
const document = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/chat': { post: { security: [{ api_key: [] }], responses: { '200': ref('Answer') } } },
    '/debug/x': { get: { security: [{ admin_key: [] }], responses: { '200': ref('Debug') } } },
    '/metrics': {
      get: { security: [{ metrics_token: [] }, {}], responses: { '200': {}, '401': {} } },
    },
    '/health': { get: { responses: { '200': {} } } },
  },
  components: {
    schemas: {
      Answer: { properties: { u: ref('Shared') } },
      Debug: { properties: { u: ref('Shared'), o: ref('DebugOnly') } },
      Shared: {},
      DebugOnly: {},
      Extra: {},
    },
    securitySchemes: { api_key: {}, admin_key: {}, metrics_token: {} },
  },
} as unknown as OpenAPIObject;

describe('documentEnabledRoutes', () => {
  it('drops routes of disabled schemes, their own schemas, and opens "needed when configured" ones', () => {
    const out = documentEnabledRoutes(structuredClone(document), new Set(['api_key']));
    expect(Object.keys(out.paths)).toEqual(['/chat', '/metrics', '/health']);
    expect(out.paths['/metrics'].get).toEqual({ responses: { '200': {} } });
    expect(Object.keys(out.components?.schemas ?? {})).toEqual(['Answer', 'Shared', 'Extra']);
    expect(Object.keys(out.components?.securitySchemes ?? {})).toEqual(['api_key']);
  });

  it('keeps everything enabled, with an optional requirement made required', () => {
    const out = documentEnabledRoutes(
      structuredClone(document),
      new Set(['api_key', 'admin_key', 'metrics_token']),
    );
    expect(Object.keys(out.paths)).toHaveLength(4);
    expect(out.paths['/metrics'].get?.security).toEqual([{ metrics_token: [] }]);
    expect(Object.keys(out.components?.schemas ?? {})).toHaveLength(5);
  });
});
