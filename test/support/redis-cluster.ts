import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  command,
  ephemeralArgs,
  killRedis,
  RedisProcess,
  spawnRedis,
  waitFor,
} from './redis-process';
import { freePort } from './redis-server';

/** A 3-master + 3-replica Redis Cluster on loopback that this process started. */
export interface RedisClusterHandle {
  /** `host:port` of every node, as REDIS_CLUSTER_NODES takes them. */
  readonly seeds: string[];
  readonly ports: number[];
  /** The port of the master serving `slot` now (as the cluster itself says). */
  masterOf(slot: number): Promise<number>;
  /** SIGKILLs the node on `port` (a crashed master); returns the time it was killed. */
  kill(port: number): Promise<number>;
  /** Waits until every slot is served again (cluster_state:ok seen from every live node). */
  waitHealthy(timeoutMs?: number): Promise<number>;
  /** Waits until a replica took over from the master on `formerPort` and the cluster is ok. */
  waitPromoted(formerPort: number, timeoutMs?: number): Promise<number>;
  /** Stops every node it started and removes their directories. */
  stop(): Promise<void>;
}

export const CLUSTER_NODE_TIMEOUT_MS = 1_500;

/**
 * Starts six `redis-server --cluster-enabled yes` on free loopback ports (bus ports chosen
 * explicitly, so `port + 10000` need not be free) in a temp dir, joins them with
 * `redis-cli --cluster create --cluster-replicas 1`, and waits until the cluster is ok.
 */
export async function startRedisCluster(): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-cluster-'));
  const nodes = new Map<number, RedisProcess>();
  const stop = async (): Promise<void> => {
    await Promise.all([...nodes.values()].map((node) => killRedis(node, 'SIGTERM')));
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  const killAll = (): void => [...nodes.values()].forEach((n) => n.child.kill('SIGKILL'));
  process.on('exit', killAll);
  try {
    const ports: number[] = [];
    while (ports.length < 12) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    const dataPorts = ports.slice(0, 6);
    await Promise.all(
      dataPorts.map(async (port, i) => {
        const nodeDir = join(dir, String(port));
        mkdirSync(nodeDir);
        const args = [
          ...ephemeralArgs(port, nodeDir),
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(ports[6 + i]),
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          String(CLUSTER_NODE_TIMEOUT_MS),
        ];
        nodes.set(port, await spawnRedis(port, args));
      }),
    );
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...dataPorts.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    const handle: RedisClusterHandle = {
      seeds: dataPorts.map((p) => `127.0.0.1:${p}`),
      ports: dataPorts,
      masterOf: async (slot) => {
        for (const port of dataPorts) {
          if (!isRunning(nodes.get(port))) continue;
          const slots = (await command(port, ['CLUSTER', 'SLOTS']).catch(() => [])) as SlotRange[];
          const range = slots.find(([from, to]) => from <= slot && slot <= to);
          if (range !== undefined) return Number(range[2][1]);
        }
        throw new Error(`no live node knows the master of slot ${slot}`);
      },
      kill: async (port) => {
        const node = nodes.get(port);
        if (node === undefined) throw new Error(`no node of this cluster on ${port}`);
        await killRedis(node);
        return Date.now();
      },
      waitHealthy: (timeoutMs = 15_000) =>
        waitFor(
          'cluster state ok on every live node',
          async () => {
            const live = dataPorts.filter((p) => isRunning(nodes.get(p)));
            const infos = await Promise.all(live.map((p) => command(p, ['CLUSTER', 'INFO'])));
            return infos.every((info) => String(info).includes('cluster_state:ok'));
          },
          timeoutMs,
        ),
      waitPromoted: async (formerPort, timeoutMs = 20_000) => {
        const started = Date.now();
        await waitFor(
          `a replica replaces the master on ${formerPort}`,
          async () => {
            const live = dataPorts.filter((p) => isRunning(nodes.get(p)));
            const views = await Promise.all(
              live.map((p) => command(p, ['CLUSTER', 'SLOTS']) as Promise<SlotRange[]>),
            );
            return views.every((ranges) =>
              ranges.every((range) => Number(range[2][1]) !== formerPort),
            );
          },
          timeoutMs,
        );
        await handle.waitHealthy(timeoutMs);
        return Date.now() - started;
      },
      stop,
    };
    await handle.waitHealthy();
    // Every node must know the five others before a failover can be agreed on.
    await waitFor('every node knows 6 nodes', async () => {
      const infos = await Promise.all(dataPorts.map((p) => command(p, ['CLUSTER', 'INFO'])));
      return infos.every((info) => String(info).includes('cluster_known_nodes:6'));
    });
    // A replica that never finished its first sync cannot take over: wait for every link.
    await waitFor('every replica is in sync with its master', async () => {
      const infos = await Promise.all(dataPorts.map((p) => command(p, ['INFO', 'replication'])));
      const replicas = infos.map(String).filter((info) => info.includes('role:slave'));
      return (
        replicas.length === 3 && replicas.every((info) => info.includes('master_link_status:up'))
      );
    });
    return handle;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One entry of CLUSTER SLOTS: first slot, last slot, [host, port, id] of the master, … */
type SlotRange = [number, number, [string, number, string]];

const isRunning = (node: RedisProcess | undefined): boolean =>
  node !== undefined && node.child.exitCode === null && node.child.signalCode === null;
