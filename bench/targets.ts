import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServerHandle, startRedisServer } from '../test/support/redis-server';
import { ChildServer, startChildServer } from './child-server';
import { BenchGateway, CacheKind, startBenchGateway } from './gateway';
import { ROUTED_GROUP } from './workload';

export type TargetName =
  | 'direct'
  | 'bare'
  | 'ref-express'
  | 'ref-nest'
  | 'ref-proxy'
  | 'gw-memory'
  | 'gw-redis'
  | 'gw-routing'
  | 'gw-cluster';

/** Something the load generator can hit: its origin, chat path, and the process to watch. */
export interface Target {
  readonly name: TargetName;
  readonly label: string;
  readonly origin: string;
  readonly path: string;
  /** The process whose CPU time and RSS are reported for this target. */
  readonly pid: number;
  readonly gateway?: BenchGateway;
  /** The `model` its request bodies name (default `openai/gpt-4o-mini`). */
  readonly model?: string;
}

export interface Lab {
  readonly upstream: ChildServer;
  /** The mock Anthropic Messages API (bench/mock-anthropic-upstream.ts). */
  readonly anthropicUpstream: ChildServer;
  readonly bare: ChildServer;
  readonly references: ChildServer[];
  readonly redis: RedisServerHandle;
  readonly targets: Target[];
  target(name: TargetName): Target;
  stop(): Promise<void>;
}

export const LABELS: Record<TargetName, string> = {
  direct: 'direct (upstream)',
  bare: 'bare proxy',
  'ref-express': 'reference: Express route',
  'ref-nest': 'reference: Nest route',
  'ref-proxy': 'reference: Nest + Express proxy',
  'gw-memory': 'Sentinel, memory',
  'gw-redis': 'Sentinel, Redis',
  'gw-routing': 'Sentinel, Redis, routing file',
  'gw-cluster': 'Sentinel, Redis Cluster (3 masters)',
};

export const gatewayTarget = (name: TargetName, gateway: BenchGateway, model?: string): Target => ({
  name,
  label: LABELS[name],
  origin: gateway.process.url,
  path: '/native/v1/chat/completions',
  pid: gateway.process.pid,
  gateway,
  model,
});

/**
 * Three deployments of the mock upstream's model behind one group (weighted, the default
 * strategy), the key from the environment; health sync stays at its default period.
 */
export function writeRoutingFile(dir: string, upstreamOrigin: string): string {
  const deployment = (id: string): object => ({
    id,
    provider: 'openai',
    model: 'gpt-4o-mini',
    base_url: `${upstreamOrigin}/v1`,
    api_key_env: 'OPENAI_API_KEY',
  });
  const file = join(dir, 'routing.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      deployments: [deployment('mini-a'), deployment('mini-b'), deployment('mini-c')],
      groups: { [ROUTED_GROUP]: { deployments: ['mini-a', 'mini-b', 'mini-c'] } },
    }),
  );
  return file;
}

/**
 * Everything on loopback: a real redis-server, the mock upstream (and a mock Anthropic
 * Messages API, which both gateways also serve as `anthropic/<model>`), the bare proxy in front of
 * it, two reference apps (an Express and a Nest route answering alone: the frameworks' own
 * floor), a minimal Nest + Express proxy (the floor of a proxy on this stack), and the
 * production gateway three times (CACHE_BACKEND=memory, =redis, and =redis with a routing file
 * of three deployments), each its own process.
 */
export async function startLab(): Promise<Lab> {
  const redis = await startRedisServer();
  const upstream = await startChildServer('mock-upstream');
  const anthropicUpstream = await startChildServer('mock-anthropic-upstream');
  const bare = await startChildServer('bare-proxy', [upstream.origin]);
  const refExpress = await startChildServer('reference-express');
  const refNest = await startChildServer('reference-nest');
  const start = (cache: CacheKind): Promise<BenchGateway> =>
    startBenchGateway({
      cache,
      upstreamOrigin: upstream.origin,
      anthropicOrigin: anthropicUpstream.origin,
      redisUrl: redis.url,
    });
  const memory = await start('memory');
  const redisGateway = await start('redis');
  const routingDir = mkdtempSync(join(tmpdir(), 'sentinel-bench-routing-'));
  const refProxy = await startChildServer('reference-proxy', [upstream.origin]);
  const routed = await startBenchGateway({
    cache: 'redis',
    upstreamOrigin: upstream.origin,
    // Its own database: the same conversation ids are opened there on its deployments.
    redisUrl: `${redis.url}/1`,
    env: { ROUTING_CONFIG_FILE: writeRoutingFile(routingDir, upstream.origin) },
  });
  const targets: Target[] = [
    {
      name: 'direct',
      label: LABELS.direct,
      origin: upstream.origin,
      path: '/v1/chat/completions',
      pid: upstream.pid,
    },
    {
      name: 'bare',
      label: LABELS.bare,
      origin: bare.origin,
      path: '/v1/chat/completions',
      pid: bare.pid,
    },
    {
      name: 'ref-express',
      label: LABELS['ref-express'],
      origin: refExpress.origin,
      path: '/v1/chat/completions',
      pid: refExpress.pid,
    },
    {
      name: 'ref-nest',
      label: LABELS['ref-nest'],
      origin: refNest.origin,
      path: '/v1/chat/completions',
      pid: refNest.pid,
    },
    {
      name: 'ref-proxy',
      label: LABELS['ref-proxy'],
      origin: refProxy.origin,
      path: '/v1/chat/completions',
      pid: refProxy.pid,
    },
    gatewayTarget('gw-memory', memory),
    gatewayTarget('gw-redis', redisGateway),
    gatewayTarget('gw-routing', routed, ROUTED_GROUP),
  ];
  return {
    upstream,
    anthropicUpstream,
    bare,
    references: [refExpress, refNest, refProxy],
    redis,
    targets,
    target: (name) => targets.find((t) => t.name === name)!,
    stop: async (): Promise<void> => {
      await Promise.all([memory.stop(), redisGateway.stop(), routed.stop()]);
      rmSync(routingDir, { recursive: true, force: true });
      await Promise.all([bare.stop(), refExpress.stop(), refNest.stop(), refProxy.stop()]);
      await Promise.all([upstream.stop(), anthropicUpstream.stop()]);
      await redis.stop();
    },
  };
}
