import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { docsConfig, DocsConfig } from '../config/docs.config';
import { docsKeyMiddleware } from './docs-key.middleware';
import { createOpenApiDocument } from './openapi-document';

export const DOCS_PATH = '/native/docs';

/**
 * Swagger UI at /native/docs and the spec at /native/docs/openapi.json, with the UI's assets
 * served from the swagger-ui-dist package (no CDN). The document is built on first request,
 * so booting (and every test app) does not pay for the scan.
 */
export function setupDocs(app: NestExpressApplication): void {
  const config = app.get<DocsConfig>(docsConfig.KEY);
  if (config.apiKey !== undefined) app.use(DOCS_PATH, docsKeyMiddleware(config.apiKey));
  SwaggerModule.setup(DOCS_PATH, app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}/openapi.json`,
    raw: ['json'],
    customSiteTitle: 'Sentinel API',
    swaggerOptions: {
      // Swagger UI would otherwise fetch a validity badge from validator.swagger.io.
      validatorUrl: null,
      persistAuthorization: true,
      displayRequestDuration: true,
    },
  });
}
