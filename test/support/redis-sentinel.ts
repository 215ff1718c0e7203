import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** A primary, a replica and three sentinels on loopback that this process started. */
export interface RedisSentinelHandle {
  readonly name: string;
  /** `host:port` of the three sentinels, as REDIS_SENTINELS takes them. */
  readonly sentinels: string[];
  /** The data node the sentinels name as primary now. */
  primaryPort(): Promise<number>;
  /** SIGKILLs the data node on `port`; returns the time it was killed. */
  kill(port: number): Promise<number>;
  /** Waits until the sentinels name a primary other than `port` that answers as master. */
  waitPromoted(formerPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export const SENTINEL_DOWN_AFTER_MS = 1_000;
const MASTER_NAME = 'sentinel-test';

/**
 * Starts a primary, one replica of it and three `redis-server --sentinel` (quorum 2,
 * `down-after-milliseconds 1000`) on free loopback ports in a temp dir, and waits until the
 * replica is in sync and every sentinel knows the replica and the two other sentinels.
 */
export async function startRedisSentinel(): Promise<RedisSentinelHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sentinels-'));
  const processes = new Map<number, RedisProcess>();
  const killAll = (): void => [...processes.values()].forEach((p) => p.child.kill('SIGKILL'));
  process.on('exit', killAll);
  const stop = async (): Promise<void> => {
    await Promise.all([...processes.values()].map((p) => killRedis(p, 'SIGTERM')));
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    while (ports.length < 5) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    const [primary, replica, ...sentinelPorts] = ports;
    const dataDir = (port: number): string => {
      const d = join(dir, String(port));
      mkdirSync(d);
      return d;
    };
    processes.set(primary, await spawnRedis(primary, ephemeralArgs(primary, dataDir(primary))));
    processes.set(
      replica,
      await spawnRedis(replica, [
        ...ephemeralArgs(replica, dataDir(replica)),
        '--replicaof',
        '127.0.0.1',
        String(primary),
      ]),
    );
    await waitFor('the replica is in sync', async () =>
      String(await command(replica, ['INFO', 'replication'])).includes('master_link_status:up'),
    );
    await Promise.all(
      sentinelPorts.map(async (port) => {
        const d = dataDir(port);
        const conf = join(d, 'sentinel.conf');
        writeFileSync(
          conf,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${d}`,
            `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primary} 2`,
            `sentinel down-after-milliseconds ${MASTER_NAME} ${SENTINEL_DOWN_AFTER_MS}`,
            `sentinel failover-timeout ${MASTER_NAME} 10000`,
            `sentinel parallel-syncs ${MASTER_NAME} 1`,
            '',
          ].join('\n'),
        );
        processes.set(port, await spawnRedis(port, [conf, '--sentinel', '--daemonize', 'no']));
      }),
    );
    await waitFor(
      'every sentinel knows the replica and the other sentinels',
      async () => {
        const views = await Promise.all(
          sentinelPorts.map((p) => command(p, ['SENTINEL', 'MASTER', MASTER_NAME])),
        );
        return views.every((view) => {
          const fields = toRecord(view as string[]);
          return fields['num-slaves'] === '1' && fields['num-other-sentinels'] === '2';
        });
      },
      15_000,
    );
    const primaryPort = async (): Promise<number> => {
      for (const port of sentinelPorts) {
        const answer = (await command(port, [
          'SENTINEL',
          'GET-MASTER-ADDR-BY-NAME',
          MASTER_NAME,
        ]).catch(() => null)) as [string, string] | null;
        if (answer !== null) return Number(answer[1]);
      }
      throw new Error('no sentinel answers');
    };
    return {
      name: MASTER_NAME,
      sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`),
      primaryPort,
      kill: async (port) => {
        const node = processes.get(port);
        if (node === undefined) throw new Error(`no data node of this setup on ${port}`);
        await killRedis(node);
        return Date.now();
      },
      waitPromoted: (formerPort, timeoutMs = 15_000) =>
        waitFor(
          'the sentinels promote a new primary',
          async () => {
            const port = await primaryPort();
            if (port === formerPort) return false;
            return String(await command(port, ['INFO', 'replication'])).includes('role:master');
          },
          timeoutMs,
        ),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function toRecord(flat: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]] = flat[i + 1];
  return record;
}
