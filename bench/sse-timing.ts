import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import { Samples } from './stats';
import type { Target } from './targets';
import { BodySource, HEADERS } from './workload';

export interface StreamTimings {
  streams: number;
  failures: number;
  /** Time to first body byte (the first SSE event), p50 and p99, ms. */
  ttfbP50: number;
  ttfbP99: number;
  /** Time to the last byte (`data: [DONE]`), p50 and p99, ms. */
  ttlbP50: number;
  ttlbP99: number;
}

const DONE = 'data: [DONE]\n\n';

/**
 * `count` streams one after another (one keep-alive connection, concurrency 1), timing the
 * first and the last body byte of each from just before the request is sent. A stream that
 * is not a 200 ending in `done` (`data: [DONE]`; an Anthropic upstream ends otherwise)
 * counts as a failure and is not timed.
 */
export async function timeStreams(
  target: Pick<Target, 'origin' | 'path'>,
  bodies: BodySource,
  count: number,
  done: string = DONE,
): Promise<StreamTimings> {
  const client = new Client(target.origin, { pipelining: 1 });
  const ttfb = new Samples();
  const ttlb = new Samples();
  let failures = 0;
  try {
    for (let i = 0; i < count; i++) {
      const body = bodies();
      const start = performance.now();
      const response = await client.request({
        method: 'POST',
        path: target.path,
        headers: HEADERS,
        body,
      });
      let first = Number.NaN;
      let tail = '';
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (Number.isNaN(first)) first = performance.now();
        tail = (tail + chunk.toString('latin1')).slice(-done.length);
      }
      const last = performance.now();
      if (response.statusCode !== 200 || tail !== done) {
        failures++;
        continue;
      }
      ttfb.push(first - start);
      ttlb.push(last - start);
    }
  } finally {
    await client.close();
  }
  const [ttfbP50, ttfbP99] = ttfb.percentiles(50, 99);
  const [ttlbP50, ttlbP99] = ttlb.percentiles(50, 99);
  return { streams: ttfb.count, failures, ttfbP50, ttfbP99, ttlbP50, ttlbP99 };
}
