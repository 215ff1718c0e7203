import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { peakRssBytes } from './proc-stats';

/**
 * Child process (run with --expose-gc): fills the production build's InMemoryCacheBackend with
 * `count` sessions through the real SessionService (same key, same JSON record, same
 * set-if-absent path as a request opening a conversation), then reports memory before and
 * after a forced GC on stdout as one JSON line. argv: <dist dir> <count>.
 */
interface CacheLike {
  readonly size: number;
  shutdown(): Promise<void>;
}
interface SessionsLike {
  create(
    id: string,
    externalId: string,
    binding: { provider: string; model: string },
  ): Promise<{ kind: string }>;
}
type BackendModule = { InMemoryCacheBackend: new (options: { maxEntries: number }) => CacheLike };
type ServiceModule = {
  SessionService: new (
    cache: CacheLike,
    config: { ttlSeconds: number; failureMode: string; retryAfterSeconds: number },
  ) => SessionsLike;
};

export interface SessionsMemory {
  sessions: number;
  fillSeconds: number;
  /** Sample record as stored, to show its size. */
  sampleKey: string;
  sampleValueBytes: number;
  baselineRssMb: number;
  rssAfterFillMb: number;
  rssAfterGcMb: number;
  /** Highest RSS of the process (VmHWM), e.g. while the Map rehashed during the fill. */
  peakRssMb: number;
  heapUsedAfterGcMb: number;
  /** (RSS after GC - baseline RSS) / sessions. */
  bytesPerSession: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const MB = 1024 * 1024;

async function main(): Promise<void> {
  const [dist, countArg] = process.argv.slice(2);
  const count = Number(countArg);
  if (gc === undefined) throw new Error('run with --expose-gc');
  const { InMemoryCacheBackend } = (await import(
    join(dist, 'cache', 'in-memory-cache.backend.js')
  )) as BackendModule;
  const { SessionService } = (await import(
    join(dist, 'session', 'session.service.js')
  )) as ServiceModule;
  const { sessionKey } = (await import(join(dist, 'session', 'session-key.js'))) as {
    sessionKey: (id: string) => string;
  };
  const { encodeSession } = (await import(join(dist, 'session', 'session-record.js'))) as {
    encodeSession: (record: object) => string;
  };

  gc();
  const baselineRss = process.memoryUsage().rss;
  const cache = new InMemoryCacheBackend({ maxEntries: count });
  const sessions = new SessionService(cache, {
    ttlSeconds: 86_400,
    failureMode: 'open',
    retryAfterSeconds: 1,
  });
  const started = performance.now();
  let sampleKey = '';
  let sampleValueBytes = 0;
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const externalId = `tenant-${(i % 1000).toString().padStart(4, '0')}`;
    const binding = { provider: 'openai', model: 'gpt-4o-mini' };
    const result = await sessions.create(id, externalId, binding);
    if (result.kind !== 'created') throw new Error(`session ${i} was ${result.kind}`);
    if (i === 0) {
      sampleKey = sessionKey(id);
      const record = {
        id,
        ...binding,
        external_id: externalId,
        created_at: Math.floor(Date.now() / 1000),
      };
      sampleValueBytes = Buffer.byteLength(encodeSession(record));
    }
  }
  const fillSeconds = (performance.now() - started) / 1000;
  if (cache.size !== count) throw new Error(`the cache holds ${cache.size} of ${count} sessions`);
  const rssAfterFill = process.memoryUsage().rss;
  gc();
  gc();
  const after = process.memoryUsage();
  const report: SessionsMemory = {
    sessions: count,
    fillSeconds,
    sampleKey,
    sampleValueBytes,
    baselineRssMb: baselineRss / MB,
    rssAfterFillMb: rssAfterFill / MB,
    rssAfterGcMb: after.rss / MB,
    peakRssMb: peakRssBytes(process.pid) / MB,
    heapUsedAfterGcMb: after.heapUsed / MB,
    bytesPerSession: (after.rss - baselineRss) / count,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await cache.shutdown();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
