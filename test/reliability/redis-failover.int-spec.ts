import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis, { Cluster } from 'ioredis';
import { parseHostPorts } from '../../src/config/parse-host-ports';
import { ALICE, BOB } from '../support/create-test-app';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { post } from '../support/http';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import { startRedisCluster } from '../support/redis-cluster';
import { startRedisSentinel } from '../support/redis-sentinel';
import {
  latencyFigures,
  MODEL_A,
  report,
  Sample,
  startChatLoad,
  watchReadiness,
} from './chat-load';

/**
 * A primary dies under load (SIGKILL, by PID) in a real loopback Redis Cluster or Sentinel
 * setup, with the production build as a real process in front of it: every request is
 * answered within 3 s by the store-failure policy (named models served statelessly, model-less
 * follow-ups 503 session_store_unavailable), readiness says 503 while a primary is missing,
 * and once a replica is promoted every conversation is sticky again (the bindings written
 * before the failover were replicated) without a restart.
 */
const ANSWER_BOUND_MS = 3_000;
const PRE_BOUND = 30;

jest.setTimeout(90_000);

let upstream: RecordingUpstream;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  upstream = await startRecordingUpstream();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => upstream.close());

async function gateway(env: Record<string, string>): Promise<GatewayProcess> {
  const gw = await startGatewayProcess({
    CACHE_BACKEND: 'redis',
    REDIS_COMMAND_TIMEOUT_MS: '250',
    SESSION_TTL_SECONDS: '600',
    OPENAI_BASE_URL: upstream.url,
    OPENAI_API_KEY: 'sk-gateway-upstream-key',
    DEFAULT_PROVIDER: 'openai',
    API_KEYS: `alice:${ALICE},bob:${BOB}`,
    ...env,
  });
  cleanups.push(() => gw.kill());
  return gw;
}

const chatUrl = (gw: GatewayProcess): string => `${gw.url}/native/v1/chat/completions`;

interface Probe {
  status: number;
  session: string | null;
  model: string | null;
  code: string | undefined;
  latencyMs: number;
}

/** A model-less follow-up: it can only be served from the conversation's stored binding. */
async function followUp(gw: GatewayProcess, conversation: string): Promise<Probe> {
  const started = performance.now();
  const res = await post<{ error?: { code?: string } }>(chatUrl(gw), {
    conversation_id: conversation,
    messages: [{ role: 'user', content: 'again' }],
  }).catch(() => undefined);
  return {
    status: res?.status ?? 0,
    session: res?.headers.get('x-sentinel-session') ?? null,
    model: res?.headers.get('x-sentinel-model') ?? null,
    code: res?.body.error?.code,
    latencyMs: performance.now() - started,
  };
}

interface FailoverRun {
  gw: GatewayProcess;
  /** SIGKILLs the primary; resolves with the time of the kill. */
  kill(): Promise<number>;
  /** Resolves once the replica is promoted. */
  promoted(): Promise<unknown>;
  /** Makes sure the pre-failover writes reached the replicas. */
  replicated(): Promise<void>;
  stickyWithinMs: number;
}

/** The shared scenario; returns the measured figures. */
async function failover(run: FailoverRun): Promise<Record<string, unknown>> {
  const { gw } = run;
  const prefix = randomUUID();
  const preBound = Array.from({ length: PRE_BOUND }, (_, i) => `${prefix}-pre-${i}`);
  for (const id of preBound) {
    const res = await post(chatUrl(gw), {
      model: `openai/${MODEL_A}`,
      conversation_id: id,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.headers.get('x-sentinel-session')).toBe('created');
  }
  await run.replicated();

  const load = startChatLoad(gw.url, { prefix: `${prefix}-load` });
  const readiness = watchReadiness(gw.url, () => load.phase);
  const stopLoad = async (): Promise<void> => {
    await load.stop();
    await readiness.stop();
  };
  cleanups.push(stopLoad);
  await sleep(800);
  const probes: Probe[] = [];
  load.phase = 'failover';
  const killedAt = await run.kill();
  const promotedAfter = run.promoted().then(() => Date.now() - killedAt);

  // Sticky again: every conversation bound before the kill is served from its binding.
  let stickyAfterMs = Number.NaN;
  const deadline = killedAt + 30_000;
  while (Date.now() < deadline) {
    const round = await Promise.all(preBound.map((id) => followUp(gw, id)));
    probes.push(...round);
    if (round.every((p) => p.status === 200 && p.session === 'reused' && p.model === MODEL_A)) {
      stickyAfterMs = Date.now() - killedAt;
      break;
    }
    await sleep(200);
  }
  const promotedAfterMs = await promotedAfter;
  load.phase = 'recovered';
  const readyAgain = Date.now();
  while (Date.now() - readyAgain < 5_000) {
    if ((await fetch(`${gw.url}/health/ready`)).status === 200) break;
    await sleep(100);
  }
  await sleep(1_000);
  await stopLoad();

  // New conversations bind and stick on every slot again.
  const fresh = Array.from({ length: PRE_BOUND }, (_, i) => `${prefix}-fresh-${i}`);
  for (const id of fresh) {
    const res = await post(chatUrl(gw), {
      model: `openai/${MODEL_A}`,
      conversation_id: id,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.headers.get('x-sentinel-session')).toBe('created');
    const again = await followUp(gw, id);
    expect([again.session, again.model]).toEqual(['reused', MODEL_A]);
  }

  const samples: Array<Sample | Probe> = [...load.samples, ...probes];
  // Every request answered within the bound, no 5xx but the store-failure 503, no lost binding.
  expect(samples.filter((s) => s.latencyMs >= ANSWER_BOUND_MS)).toEqual([]);
  expect(samples.filter((s) => s.status === 0 || (s.status >= 500 && s.status !== 503))).toEqual(
    [],
  );
  for (const s of samples.filter((x) => x.status === 503))
    expect(s.code).toBe('session_store_unavailable');
  expect(probes.filter((p) => p.status === 400 || p.status === 404)).toEqual([]);
  expect(load.samples.filter((s) => s.namedModel !== undefined && s.status !== 200)).toEqual([]);
  expect(Number.isNaN(stickyAfterMs)).toBe(false);
  expect(stickyAfterMs - promotedAfterMs).toBeLessThan(run.stickyWithinMs);

  // Readiness: 503 while a primary was missing, 200 again after the promotion.
  const failoverReadiness = readiness.statuses.filter((r) => r.phase === 'failover');
  expect(failoverReadiness.some((r) => r.status === 503)).toBe(true);
  expect(readiness.statuses.at(-1)?.status).toBe(200);

  // The logs say what happened a few times, not once per failed request.
  const output = gw.output();
  const failureLines = output
    .split('\n')
    .filter((line) => /Redis connection error|Redis command timed out/.test(line));
  expect(failureLines.length).toBeGreaterThan(0);
  expect(failureLines.length).toBeLessThanOrEqual(8);
  expect(output).not.toMatch(/unhandled|uncaught/i);
  expect(gw.child.exitCode).toBeNull();

  const unavailable = samples.filter((s) => s.session === 'unavailable' || s.status === 503);
  return {
    requests: samples.length,
    latency: latencyFigures(load.samples),
    degradedAnswers: unavailable.length,
    promotedAfterMs,
    stickyAfterMs,
    readinessNotReadyMs: failoverReadiness.filter((r) => r.status !== 200).length * 100,
    failureLogLines: failureLines.length,
  };
}

it('Redis Cluster: a master killed under load; answers stay within 3 s and every slot is sticky again soon after the promotion', async () => {
  const cluster = await startRedisCluster();
  cleanups.push(() => cluster.stop());
  const seeds = parseHostPorts(cluster.seeds.join(','));
  const raw = new Cluster(seeds, { lazyConnect: true });
  await raw.connect();
  cleanups.push(() => Promise.resolve(raw.disconnect()));
  const gw = await gateway({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: cluster.seeds.join(',') });
  let victim = 0;
  const figures = await failover({
    gw,
    stickyWithinMs: 10_000,
    replicated: async () => {
      const masters = raw.nodes('master');
      const perMaster = await Promise.all(masters.map((node) => node.dbsize()));
      // The pre-bound conversations cover every master, so every slot range is tested.
      expect(perMaster.every((n) => n > 0)).toBe(true);
      const acks = await Promise.all(masters.map((node) => node.call('WAIT', '1', '2000')));
      expect(acks).toEqual([1, 1, 1]);
    },
    kill: async () => {
      victim = await cluster.masterOf(0);
      return cluster.kill(victim);
    },
    promoted: () => cluster.waitPromoted(victim),
  });
  report('redis cluster failover', figures);
});

it('Redis Sentinel: the primary killed under load; answers stay within 3 s and conversations are sticky again soon after the promotion', async () => {
  const topology = await startRedisSentinel();
  cleanups.push(() => topology.stop());
  const primary = await topology.primaryPort();
  const raw = new Redis({ host: '127.0.0.1', port: primary, lazyConnect: true });
  await raw.connect();
  cleanups.push(() => Promise.resolve(raw.disconnect()));
  const gw = await gateway({
    REDIS_MODE: 'sentinel',
    REDIS_SENTINELS: topology.sentinels.join(','),
    REDIS_SENTINEL_NAME: topology.name,
  });
  const figures = await failover({
    gw,
    stickyWithinMs: 15_000,
    replicated: async () => {
      await expect(raw.call('WAIT', '1', '2000')).resolves.toBe(1);
    },
    kill: async () => {
      raw.disconnect();
      return topology.kill(primary);
    },
    promoted: () => topology.waitPromoted(primary, 20_000),
  });
  report('redis sentinel failover', figures);
});
