import type { OpenAPIObject } from '@nestjs/swagger';
import { canonicalOpenApiJson } from './openapi-document';

describe('canonicalOpenApiJson', () => {
  it('sorts paths and schemas by name and keeps everything inside them in order', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: { '/b': {}, '/a': {} },
      components: {
        schemas: { Zed: { type: 'object', properties: { z: {}, a: {} } }, Alpha: {} },
      },
    } as unknown as OpenAPIObject;
    const json = canonicalOpenApiJson(document);
    const parsed = JSON.parse(json) as OpenAPIObject;
    expect(Object.keys(parsed.paths)).toEqual(['/a', '/b']);
    expect(Object.keys(parsed.components?.schemas ?? {})).toEqual(['Alpha', 'Zed']);
    expect(json.indexOf('"z"')).toBeLessThan(json.indexOf('"a": {}'));
    expect(json.endsWith('}\n')).toBe(true);
  });
});
