import { RedisServerHandle, startRedisServer } from '../test/support/redis-server';
import { ChildServer, startChildServer } from './child-server';
import { BenchGateway, CacheKind, startBenchGateway } from './gateway';

export type TargetName =
  'direct' | 'bare' | 'ref-express' | 'ref-nest' | 'gw-memory' | 'gw-redis' | 'gw-cluster';

/** Something the load generator can hit: its origin, chat path, and the process to watch. */
export interface Target {
  readonly name: TargetName;
  readonly label: string;
  readonly origin: string;
  readonly path: string;
  /** The process whose CPU time and RSS are reported for this target. */
  readonly pid: number;
  readonly gateway?: BenchGateway;
}

export interface Lab {
  readonly upstream: ChildServer;
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
  'gw-memory': 'Sentinel, memory',
  'gw-redis': 'Sentinel, Redis',
  'gw-cluster': 'Sentinel, Redis Cluster (3 masters)',
};

export const gatewayTarget = (name: TargetName, gateway: BenchGateway): Target => ({
  name,
  label: LABELS[name],
  origin: gateway.process.url,
  path: '/native/v1/chat/completions',
  pid: gateway.process.pid,
  gateway,
});

/**
 * Everything on loopback: a real redis-server, the mock upstream, the bare proxy in front of
 * it, two reference apps (an Express and a Nest route answering alone: the frameworks' own
 * floor) and the production gateway twice (CACHE_BACKEND=memory and =redis), each its own
 * process.
 */
export async function startLab(): Promise<Lab> {
  const redis = await startRedisServer();
  const upstream = await startChildServer('mock-upstream');
  const bare = await startChildServer('bare-proxy', [upstream.origin]);
  const refExpress = await startChildServer('reference-express');
  const refNest = await startChildServer('reference-nest');
  const start = (cache: CacheKind): Promise<BenchGateway> =>
    startBenchGateway({ cache, upstreamOrigin: upstream.origin, redisUrl: redis.url });
  const memory = await start('memory');
  const redisGateway = await start('redis');
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
    gatewayTarget('gw-memory', memory),
    gatewayTarget('gw-redis', redisGateway),
  ];
  return {
    upstream,
    bare,
    references: [refExpress, refNest],
    redis,
    targets,
    target: (name) => targets.find((t) => t.name === name)!,
    stop: async (): Promise<void> => {
      await Promise.all([memory.stop(), redisGateway.stop()]);
      await Promise.all([bare.stop(), refExpress.stop(), refNest.stop()]);
      await upstream.stop();
      await redis.stop();
    },
  };
}
