import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { canonicalOpenApiJson, createOpenApiDocument } from './openapi-document';

/** `npm run openapi`: writes docs/openapi.json from the real AppModule, without listening. */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  try {
    const target = join(__dirname, '..', '..', 'docs', 'openapi.json');
    writeFileSync(target, canonicalOpenApiJson(createOpenApiDocument(app)));
    process.stdout.write(`wrote ${target}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
