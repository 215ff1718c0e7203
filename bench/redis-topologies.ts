import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Redis from 'ioredis';
import { encodeSession } from '../src/session/session-record';
import { startRedisCluster } from '../test/support/redis-cluster';
import { startRedisServer } from '../test/support/redis-server';
import { startChildServer } from './child-server';
import { createConversations } from './conversations';
import { BenchGateway, startBenchGateway } from './gateway';
import { LoadResult, runLoad } from './load';
import { REPO_ROOT, snapshotBuild } from './paths';
import { median } from './stats';
import { gatewayTarget, Target } from './targets';
import { rotatingBodies, stickyIds } from './workload';

/**
 * `npm run bench:redis`: sticky JSON throughput of the gateway on a 3-master Redis Cluster
 * beside standalone Redis (interleaved rounds, medians), and Redis memory per session
 * (`INFO memory` before and after writing N session records). Separate from `npm run bench`
 * because a cluster adds six servers to an already busy 2-core run.
 */
const USAGE = `usage: npm run bench:redis -- [--rounds N] [--seconds S] [--sessions N] [--out FILE]
  --rounds N     interleaved rounds per target (default 5)
  --seconds S    seconds of load per target per round, 50 connections (default 4)
  --sessions N   session records written for the memory figure (default 100000)
  --out FILE     report path (default .bench/REDIS-TOPOLOGIES.md)`;

const log = (line: string): void => void process.stdout.write(`${line}\n`);

function options(argv: string[]): {
  rounds: number;
  seconds: number;
  sessions: number;
  out: string;
} {
  const o = { rounds: 5, seconds: 4, sessions: 100_000, out: '.bench/REDIS-TOPOLOGIES.md' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const n = Number(value);
    if (flag === '--out' && value !== undefined) o.out = value;
    else if (flag === '--rounds' && Number.isInteger(n) && n > 0) o.rounds = n;
    else if (flag === '--seconds' && n > 0) o.seconds = n;
    else if (flag === '--sessions' && Number.isInteger(n) && n > 0) o.sessions = n;
    else throw new Error(USAGE);
    i++;
  }
  return o;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

/** Bytes of Redis memory per session record, as a gateway writes them (SET … EX). */
async function memoryPerSession(count: number): Promise<{ bytes: number; recordBytes: number }> {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  try {
    const before = await usedMemory(redis);
    const now = Math.floor(Date.now() / 1000);
    let recordBytes = 0;
    for (let start = 0; start < count; start += 1_000) {
      const batch = redis.pipeline();
      for (let i = start; i < Math.min(count, start + 1_000); i++) {
        const id = `conv-${i.toString(36).padStart(8, '0')}-${'x'.repeat(24)}`;
        const record = encodeSession({
          id,
          provider: 'openai',
          model: 'gpt-4o-mini',
          external_id: 'tenant-0042',
          created_at: now,
        });
        recordBytes = record.length;
        batch.set(`sentinel:session:${id}`, record, 'EX', 86_400);
      }
      await batch.exec();
    }
    const after = await usedMemory(redis);
    return { bytes: (after - before) / count, recordBytes };
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

interface Row {
  label: string;
  rps: number;
  p99: number;
  cpuMsPerRequest: number;
  failures: number;
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  snapshotBuild();
  const started = Date.now();
  const upstream = await startChildServer('mock-upstream');
  const standalone = await startRedisServer();
  const cluster = await startRedisCluster();
  const gateways: BenchGateway[] = [];
  const rows: Row[] = [];
  try {
    const start = (env: Record<string, string>): Promise<BenchGateway> =>
      startBenchGateway({ cache: 'redis', upstreamOrigin: upstream.origin, env }).then((gw) => {
        gateways.push(gw);
        return gw;
      });
    const targets: Target[] = [
      gatewayTarget('gw-redis', await start({ REDIS_URL: standalone.url })),
      gatewayTarget(
        'gw-cluster',
        await start({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: cluster.seeds.join(',') }),
      ),
    ];
    const ids = stickyIds(1_000);
    for (const t of targets) await createConversations(t, ids);
    log(`warming up; then ${o.rounds} interleaved rounds of ${o.seconds} s, 50 connections`);
    for (const t of targets)
      await runLoad(t, rotatingBodies(ids), { connections: 50, durationSec: 1 });
    const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < o.rounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const result = await runLoad(t, rotatingBodies(ids), {
          connections: 50,
          durationSec: o.seconds,
        });
        runs.get(t.name)!.push(result);
        log(`  round ${round + 1} ${t.label}: ${Math.round(result.rps)} req/s`);
      }
    }
    for (const t of targets) {
      const r = runs.get(t.name)!;
      rows.push({
        label: t.label,
        rps: median(r.map((x) => x.rps)),
        p99: median(r.map((x) => x.p99)),
        cpuMsPerRequest: median(r.map((x) => x.cpuMsPerRequest)),
        failures: r.reduce((n, x) => n + x.failures, 0),
      });
    }
  } finally {
    await Promise.all(gateways.map((gw) => gw.stop()));
    await cluster.stop();
    await standalone.stop();
    await upstream.stop();
  }
  log(`Redis memory with ${o.sessions} sessions`);
  const memory = await memoryPerSession(o.sessions);

  const base = rows[0]?.rps ?? 1;
  const report = [
    '# Sentinel on standalone Redis and on Redis Cluster',
    '',
    `\`npm run bench:redis -- ${process.argv.slice(2).join(' ')}\`; ${new Date().toISOString()}; ` +
      `${o.rounds} interleaved rounds × ${o.seconds} s, sticky JSON, 50 connections, medians.`,
    '',
    '| target | req/s | × standalone | p99 ms | gateway CPU ms/req | failures |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${Math.round(r.rps)} | ${(r.rps / base).toFixed(2)} | ${r.p99.toFixed(1)} | ` +
        `${r.cpuMsPerRequest.toFixed(3)} | ${r.failures} |`,
    ),
    '',
    `Redis memory per session: **${Math.round(memory.bytes)} bytes** (\`INFO memory\` used_memory ` +
      `delta over ${o.sessions} records of ${memory.recordBytes} bytes each, key ` +
      '`sentinel:session:<40-char id>`, with TTL). A replica holds a second copy.',
    '',
  ].join('\n');
  const out = resolve(REPO_ROOT, o.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, report);
  log('');
  log(report);
  log(`report: ${out} (${((Date.now() - started) / 60_000).toFixed(1)} min)`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
