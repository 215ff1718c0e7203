import { registerAs } from '@nestjs/config';
import { loadEnv } from './validate-env';

export const docsConfig = registerAs('docs', () => {
  const env = loadEnv();
  return {
    /** When set, /native/docs and its spec need `x-docs-key: <apiKey>`. */
    apiKey: env.DOCS_API_KEY,
  };
});
export type DocsConfig = ReturnType<typeof docsConfig>;
