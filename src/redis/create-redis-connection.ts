import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisConnectionConfig } from './redis-connection.config';

/** A connection to the configured Redis deployment: one client, or a cluster client. */
export type RedisConnection = Redis | Cluster;

/** Reconnect backoff: 100 ms, 200 ms, 400 ms, 800 ms, then every second. */
export const retryDelayMs = (attempt: number): number => Math.min(50 * 2 ** attempt, 1000);

/**
 * Cluster redirection retries: 24 × 200 ms = 4.8 s, longer than a replica promotion (a
 * `cluster-node-timeout` of 1.5–2 s flags a master FAIL at ~2 s and promotes at ~3–3.5 s).
 * ioredis's 16 × 100 ms gave up first and failed a master kill with "Too many Cluster
 * redirections". Callers still see an answer within the command timeout either way.
 */
export const CLUSTER_RETRY_DELAY_MS = 200;
export const CLUSTER_MAX_REDIRECTIONS = 24;

/**
 * The one place that opens Redis connections, for every store (session cache today, routing
 * health next): `REDIS_MODE=standalone` gives a `Redis` on REDIS_URL, `sentinel` a `Redis`
 * that asks the sentinels for the current primary (and follows a failover), `cluster` a
 * `Cluster` over the seed nodes. The result does not connect until `connect()` is called;
 * once started it reconnects in the background.
 *
 * Fail-fast settings in every mode (ioredis defaults held commands for 5–74 s in an outage):
 * no offline queue, one retry per request, bounded connect time, reconnect backoff capped at
 * 1 s, no replay of commands cut off by a disconnect (their caller was already told they
 * failed). There is deliberately no ioredis `commandTimeout`: its timer can fire while the
 * reply already waits in the socket; bound each command with `withinCommandTimeout()`.
 *
 * To build another store on the same deployment: inject `redisConnectionConfig.KEY`, call
 * `createRedisConnection(config, 'sentinel-health')`, `connect()` it (bounded, e.g. with
 * fulfilsWithin), wrap each command in `withinCommandTimeout(…, config.commandTimeoutMs)`,
 * use `pingEveryPrimary()` for readiness, and keep every command (and every Lua script) to a
 * single key so it works under Cluster. `keyPrefix` is applied by ioredis in every mode.
 */
export function createRedisConnection(
  config: RedisConnectionConfig,
  connectionName = 'sentinel',
): RedisConnection {
  const common: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: config.connectTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: retryDelayMs,
    autoResendUnfulfilledCommands: false,
    // A hung server never answers our FIN: don't hold shutdown for ioredis's 2 s default.
    disconnectTimeout: 500,
    keyPrefix: config.keyPrefix,
    connectionName,
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
    ...(config.tls ? { tls: {} } : {}),
  };
  switch (config.mode) {
    case 'standalone': {
      const client = new Redis(config.url, common);
      // ioredis lets a password in the URL win over the option; REDIS_PASSWORD overrides it.
      if (config.password !== undefined) client.options.password = config.password;
      if (config.username !== undefined) client.options.username = config.username;
      return client;
    }
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: config.sentinels,
        name: config.name,
        role: 'master',
        ...(config.sentinelPassword === undefined
          ? {}
          : { sentinelPassword: config.sentinelPassword }),
        sentinelRetryStrategy: retryDelayMs,
        sentinelCommandTimeout: config.connectTimeoutMs,
        // Subscribes to +switch-master: reconnects to the promoted replica at once.
        failoverDetector: true,
        ...(config.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        // A former primary that came back as a replica answers writes with READONLY:
        // reconnect, which asks the sentinels for the current primary.
        reconnectOnError: (error) => error.message.startsWith('READONLY'),
      });
    case 'cluster': {
      // Per-node connections keep ioredis's cluster defaults for the offline queue and
      // reconnects: a node connection queues only until it is up (bounded by our command
      // timeout), and a dead node is dropped and re-learnt from the slot map, not redialled.
      const nodeOptions: RedisOptions = { ...common };
      for (const own of [
        'lazyConnect',
        'keyPrefix',
        'enableOfflineQueue',
        'retryStrategy',
      ] as const)
        delete nodeOptions[own];
      const options: ClusterOptions = {
        lazyConnect: true,
        keyPrefix: config.keyPrefix,
        enableOfflineQueue: false,
        enableReadyCheck: true,
        // Reads go to masters: a replica may lag behind a just-written binding.
        scaleReads: 'master',
        maxRedirections: CLUSTER_MAX_REDIRECTIONS,
        retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
        retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
        retryDelayOnTryAgain: CLUSTER_RETRY_DELAY_MS,
        slotsRefreshTimeout: config.connectTimeoutMs,
        // Notice a promotion even when no command hits the moved slots.
        slotsRefreshInterval: 2_000,
        clusterRetryStrategy: retryDelayMs,
        redisOptions: nodeOptions,
        // TLS certificates name hosts: keep the seed's host name instead of its address.
        ...(config.tls ? { dnsLookup: (address, done) => done(null, address) } : {}),
      };
      return new Cluster(config.nodes, options);
    }
    default: {
      const _never: never = config;
      throw new Error(`Unknown REDIS_MODE: ${String((_never as { mode: unknown }).mode)}`);
    }
  }
}

/** Redis Cluster's slot count: readiness needs a master for each. */
const CLUSTER_SLOTS = 16_384;

/**
 * Resolves when every primary answers PING: the one client's server, or, for a cluster, the
 * master of every slot (as the client's slot map says). A master that died is dropped from
 * the client's pool before the cluster flags it: its slots then have no reachable master, so
 * the store is not ready (writes to a third of the sessions would fail) until a replica is
 * promoted and the slot map refreshed.
 */
export async function pingEveryPrimary(connection: RedisConnection): Promise<void> {
  if (!(connection instanceof Cluster)) {
    await connection.ping();
    return;
  }
  const byKey = new Map(
    connection.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]),
  );
  const masters = new Set<Redis>();
  for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
    const master = byKey.get(connection.slots[slot]?.[0] ?? '');
    if (master === undefined) throw new Error('a cluster slot has no reachable master');
    masters.add(master);
  }
  await Promise.all([...masters].map((node) => node.ping()));
}
