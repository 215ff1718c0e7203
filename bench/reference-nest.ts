import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { reportListening } from './child-entry';
import { REFERENCE_ANSWER } from './reference-answer';

/**
 * A reference point, not a proxy: the smallest NestJS 11 app (Express adapter, its default
 * JSON body parser, no pipes, guards or middleware) that answers a fixed JSON, calling nothing.
 * Child entry.
 */
@Controller('v1')
class ReferenceController {
  @Post('chat/completions')
  create(@Body() _body: unknown): typeof REFERENCE_ANSWER {
    return REFERENCE_ANSWER;
  }
}

@Module({ controllers: [ReferenceController] })
class ReferenceModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(ReferenceModule, { logger: false });
  app.set('etag', false);
  await app.listen(0, '127.0.0.1');
  reportListening((app.getHttpServer().address() as AddressInfo).port);
}

void main();
