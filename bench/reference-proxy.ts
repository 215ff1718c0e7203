import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Module, Post, StreamableFile } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'undici';
import { reportListening } from './child-entry';
import { UPSTREAM_KEY } from './workload';

/**
 * The framework floor of a proxy, the reference Sentinel's CPU per request is read against:
 * the smallest NestJS 11 app on Express (its default JSON body parser, no pipes, guards,
 * middleware, logging or metrics) that forwards the parsed body to the same upstream over one
 * undici Pool with the gateway's default settings (256 connections, 5 s connect, 120 s headers,
 * 60 s idle) and answers the upstream's JSON: one parse and one serialization per direction, as
 * the gateway does. A body with `"stream": true` gets the upstream's SSE body passed through as
 * Nest documents streaming (a `StreamableFile`), chunk by chunk. Child entry; argv[2] is the
 * upstream origin.
 */
const upstream = process.argv[2];
const pool = new Pool(upstream, {
  connections: 256,
  connect: { timeout: 5_000 },
  headersTimeout: 120_000,
  bodyTimeout: 60_000,
});
const UPSTREAM_HEADERS = {
  'content-type': 'application/json',
  authorization: `Bearer ${UPSTREAM_KEY}`,
};

@Controller('v1')
class ReferenceProxyController {
  @Post('chat/completions')
  async create(@Body() body: { stream?: unknown }): Promise<unknown> {
    const answer = await pool.request({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: UPSTREAM_HEADERS,
      body: JSON.stringify(body),
    });
    if (body.stream === true) {
      return new StreamableFile(answer.body, { type: 'text/event-stream; charset=utf-8' });
    }
    return answer.body.json();
  }
}

@Module({ controllers: [ReferenceProxyController] })
class ReferenceProxyModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(ReferenceProxyModule, {
    logger: false,
  });
  app.set('etag', false);
  await app.listen(0, '127.0.0.1');
  reportListening((app.getHttpServer().address() as AddressInfo).port);
}

void main();
