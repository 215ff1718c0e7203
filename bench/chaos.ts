import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayProcess, startGatewayProcess } from '../test/support/gateway-process';
import { replies, startRecordingUpstream } from '../test/support/recording-upstream';
import { startRedisServer } from '../test/support/redis-server';
import { snapshotBuild } from './paths';

/**
 * The chaos run (`npm run bench:chaos`): two gateway processes on one redis-server, a routing
 * file with two deployments of one model behind `fast`, 50 conversations each sending turns in
 * a loop. Mid-run one deployment dies (every connection reset) for DEAD_SECONDS, then comes
 * back. Reports what clients got, how many calls the dead deployment still received and until
 * when, and how many conversations migrated. Loopback only; bounded by RUN_SECONDS.
 */

const CONVERSATIONS = 50;
const RUN_SECONDS = Number(process.env.CHAOS_RUN_SECONDS ?? 30);
const KILL_AT_SECONDS = Number(process.env.CHAOS_KILL_AT_SECONDS ?? 8);
const DEAD_SECONDS = Number(process.env.CHAOS_DEAD_SECONDS ?? 10);
const API_KEY = 'sk-chaos-bench-key';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

interface Tally {
  answered: number;
  failed: Map<string, number>;
  migrated: number;
  byDeployment: Map<string, number>;
}

async function main(): Promise<void> {
  snapshotBuild();
  const redis = await startRedisServer();
  const a = await startRecordingUpstream();
  const b = await startRecordingUpstream();
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-chaos-'));
  const file = join(dir, 'routing.yaml');
  writeFileSync(
    file,
    [
      'version: 1',
      'deployments:',
      `  - { id: a, provider: openai, model: m1, base_url: "${a.url}", api_key_env: KEY_A }`,
      `  - { id: b, provider: openai, model: m1, base_url: "${b.url}", api_key_env: KEY_B }`,
      'groups:',
      '  fast: { deployments: [a, b] }',
      '',
    ].join('\n'),
  );
  const env = {
    LOG_LEVEL: 'warn',
    API_KEYS: `chaos:${API_KEY}`,
    CACHE_BACKEND: 'redis',
    REDIS_URL: redis.url,
    ROUTING_CONFIG_FILE: file,
    ROUTING_HEALTH_SYNC_MS: '1000',
    KEY_A: 'sk-a',
    KEY_B: 'sk-b',
  };
  const gateways: GatewayProcess[] = [];
  try {
    for (let i = 0; i < 2; i++) gateways.push(await startGatewayProcess(env));
    const tally: Tally = { answered: 0, failed: new Map(), migrated: 0, byDeployment: new Map() };
    const started = performance.now();
    const elapsed = (): number => (performance.now() - started) / 1000;
    let deadFrom = Number.POSITIVE_INFINITY;
    let deadUntil = Number.POSITIVE_INFINITY;
    /** Times (s since start) a received a request while it was dead. */
    const callsWhileDead: number[] = [];
    a.respondWith((exchange) => {
      const t = elapsed();
      if (t >= deadFrom && t < deadUntil) {
        callsWhileDead.push(t);
        return replies.destroy()(exchange);
      }
      return replies.default()(exchange);
    });

    const conversation = async (n: number): Promise<void> => {
      const id = `chaos-${n}-${randomUUID()}`;
      const gateway = gateways[n % 2];
      while (elapsed() < RUN_SECONDS) {
        const res = await fetch(`${gateway.url}/native/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'fast',
            conversation_id: id,
            messages: [{ role: 'user', content: `turn of ${n}` }],
          }),
        }).catch(() => undefined);
        if (res === undefined) {
          tally.failed.set('network', (tally.failed.get('network') ?? 0) + 1);
          continue;
        }
        await res.arrayBuffer();
        if (res.status !== 200) {
          tally.failed.set(String(res.status), (tally.failed.get(String(res.status)) ?? 0) + 1);
          continue;
        }
        tally.answered++;
        if (res.headers.get('x-sentinel-session') === 'migrated') tally.migrated++;
        const served = res.headers.get('x-sentinel-deployment') ?? '?';
        tally.byDeployment.set(served, (tally.byDeployment.get(served) ?? 0) + 1);
        await sleep(20);
      }
    };

    const killer = (async (): Promise<void> => {
      await sleep(KILL_AT_SECONDS * 1000);
      deadFrom = elapsed();
      deadUntil = deadFrom + DEAD_SECONDS;
      log(
        `t=${deadFrom.toFixed(1)} s: deployment a dies (connections reset) for ${DEAD_SECONDS} s`,
      );
    })();
    await Promise.all([
      killer,
      ...Array.from({ length: CONVERSATIONS }, (_, n) => conversation(n)),
    ]);

    const failed = [...tally.failed.values()].reduce((x, y) => x + y, 0);
    const lastDeadCall = callsWhileDead.at(-1);
    log('');
    log('| figure | value |');
    log('| --- | --- |');
    log(`| requests answered 200 | ${tally.answered} |`);
    log(
      `| requests failed (client saw an error) | ${failed} ${failed > 0 ? JSON.stringify(Object.fromEntries(tally.failed)) : ''} |`,
    );
    log(
      `| served by a / b | ${tally.byDeployment.get('a') ?? 0} / ${tally.byDeployment.get('b') ?? 0} |`,
    );
    log(`| turns answered \`migrated\` | ${tally.migrated} (of ${CONVERSATIONS} conversations) |`);
    log(
      `| upstream calls a received while dead (failed attempts, each retried on b) | ${callsWhileDead.length} |`,
    );
    log(
      `| fleet stopped calling a after | ${lastDeadCall === undefined ? 'n/a' : `${((lastDeadCall - deadFrom) * 1000).toFixed(0)} ms`} (probes after its cooldown excepted: ${callsWhileDead.filter((t) => t - deadFrom > 2).length} calls > 2 s in) |`,
    );
  } finally {
    for (const gateway of gateways) await gateway.kill();
    await a.close();
    await b.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
