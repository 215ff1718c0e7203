import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { InMemoryCacheBackend } from '../cache/in-memory-cache.backend';
import type { GatewayError } from '../common/errors/gateway-error';
import type { ProvidersConfig } from '../config/providers.config';
import { MetricsService } from '../metrics/metrics.service';
import { AdapterRegistry } from '../providers/adapter.registry';
import { EchoAdapter } from '../providers/echo/echo.adapter';
import { OpenAiAdapter } from '../providers/openai/openai.adapter';
import type { PlannedAttempt } from '../routing/attempts/attempt-planner';
import { DeploymentTable } from '../routing/deployments/deployment-table';
import { HealthView } from '../routing/health/health-view';
import { InMemoryHealthStore } from '../routing/health/in-memory-health.store';
import { decodeSession, type SessionRecord } from '../session/session-record';
import { SessionService } from '../session/session.service';
import type { ChatCommand } from './chat-command';
import type { ConversationRoute } from './conversation-route';
import { ConversationRoutingService } from './conversation-routing.service';

const ALICE: Caller = { externalId: 'alice', strategy: 'api_key' };
const BOB: Caller = { externalId: 'bob', strategy: 'api_key' };
const FILE = `
version: 1
defaults:
  health: { consecutive_failures: 1, cooldown_initial_s: 30 }
  stickiness: { max_wait_ms: 1500 }
deployments:
  - { id: a, provider: echo, model: m1 }
  - { id: b, provider: echo, model: m1 }
  - { id: e, provider: echo, model: m2, weight: 100 }
  - { id: s, provider: echo, model: m3 }
  - { id: t, provider: echo, model: m3 }
groups:
  fast: { deployments: [a, b, e] }
  smart: { deployments: [s, t], stickiness: { on_unhealthy: strict } }
tiers: { simple: fast, complex: smart }
`;

const command = (extra: Partial<ChatCommand> = {}): ChatCommand => ({
  stream: false,
  includeUsage: false,
  params: { messages: [{ role: 'user', content: 'hi' }] },
  ...extra,
});

describe('ConversationRoutingService (the stickiness decision)', () => {
  let dir: string;
  let table: DeploymentTable;
  let cache: InMemoryCacheBackend;
  let health: HealthView;
  let routing: ConversationRoutingService;
  const signal = new AbortController().signal;
  const sessionConfig = { ttlSeconds: 600, failureMode: 'open' as const, retryAfterSeconds: 1 };

  beforeAll(() => {
    Logger.overrideLogger(false);
    dir = mkdtempSync(join(tmpdir(), 'sentinel-stickiness-'));
    writeFileSync(join(dir, 'routing.yaml'), FILE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    const config = {
      defaultProvider: 'echo',
      openai: { baseUrl: 'https://api.openai.com/v1', apiKey: undefined },
      anthropic: { baseUrl: 'https://api.anthropic.com', apiKey: undefined },
      echo: { enabled: true },
      routing: { configFile: join(dir, 'routing.yaml'), healthSyncMs: 1000, environment: {} },
      upstream: { connectTimeoutMs: 100, timeoutMs: 100, idleTimeoutMs: 100, maxConnections: 1 },
      sseKeepAliveMs: 15_000,
    } as ProvidersConfig;
    table = new DeploymentTable(
      new AdapterRegistry([new OpenAiAdapter(), new EchoAdapter()]),
      config,
    );
    cache = new InMemoryCacheBackend({ maxEntries: 100 });
    health = new HealthView(new InMemoryHealthStore(), { syncMs: 1000 });
    routing = new ConversationRoutingService(
      table,
      new SessionService(cache, sessionConfig),
      health,
      sessionConfig,
      new MetricsService(),
    );
  });

  const attempt = (id: string, route: ConversationRoute): PlannedAttempt => ({
    deployment: table.deployment(id)!,
    group: route.group.name,
    strategy: route.group.strategy,
  });
  const stored = async (id: string): Promise<SessionRecord | null> => {
    const entry = await cache.get(`sentinel:session:${id}`);
    return entry === null ? null : decodeSession(entry.value, id);
  };
  const bindTo = async (id: string, deployment: string): Promise<void> => {
    const route = await routing.open(command({ model: 'fast', conversationId: id }), ALICE, signal);
    await routing.claim(route, attempt(deployment, route), ALICE);
  };
  const cool = (id: string, cls: 'server' | 'rate_limit', retryAfterMs?: number): void =>
    void health.noteFailure(id, { cls, retryAfterMs }, table.group('fast')!.health);

  it('routes a request without conversation_id statelessly, touching no store', async () => {
    const route = await routing.open(command({ model: 'fast' }), ALICE, signal);
    expect(route.decision.session).toBe('none');
    expect(route.pools[0].members.map((d) => d.id)).toEqual(['a', 'b', 'e']);
    expect(route.conversationId).toBeUndefined();
  });

  it('binds a new conversation with the first attempt’s deployment, then reuses it', async () => {
    const route = await routing.open(
      command({ model: 'fast', conversationId: 'c1' }),
      ALICE,
      signal,
    );
    expect(route.decision.session).toBe('created');
    expect(await stored('c1')).toBeNull(); // nothing written before an attempt is chosen
    await routing.claim(route, attempt('b', route), ALICE);
    expect(await stored('c1')).toMatchObject({ deployment: 'b', group: 'fast', model: 'm1' });

    const next = await routing.open(
      command({ model: 'smart', conversationId: 'c1' }),
      ALICE,
      signal,
    );
    expect(next.decision.session).toBe('reused');
    expect(next.bound?.id).toBe('b');
    // Same model elsewhere (a) before the group's strategy (e has the big weight).
    expect(next.pools[0].members.map((d) => d.id)).toEqual(['a']);
  });

  it('adopts the binding of a concurrent creator that won the race', async () => {
    const mine = await routing.open(
      command({ model: 'fast', conversationId: 'c2' }),
      ALICE,
      signal,
    );
    await bindTo('c2', 'a');
    const planned = await routing.claim(mine, attempt('b', mine), ALICE);
    expect(planned.deployment.id).toBe('a');
    expect(mine.decision.session).toBe('reused');
    expect((await stored('c2'))?.deployment).toBe('a');
  });

  it('migrates a conversation whose deployment is cooling, and records the migration', async () => {
    await bindTo('c3', 'a');
    cool('a', 'server');
    const route = await routing.open(command({ conversationId: 'c3' }), ALICE, signal);
    expect(route.bound).toBeUndefined();
    expect(route.pendingReason).toBe('cooldown');
    await routing.claim(route, attempt('b', route), ALICE);
    expect(route.decision).toMatchObject({
      session: 'migrated',
      migratedFrom: 'a',
      reason: 'cooldown',
    });
    expect(await stored('c3')).toMatchObject({
      deployment: 'b',
      home_deployment: 'a',
      migration_count: 1,
      migrations: [{ from: 'a', to: 'b', reason: 'cooldown' }],
    });
  });

  it('waits out a rate-limit cooldown that ends within max_wait_ms, then keeps the deployment', async () => {
    await bindTo('c4', 'a');
    cool('a', 'rate_limit', 1_000); // Retry-After is honoured from 1 s up
    const started = Date.now();
    const route = await routing.open(command({ conversationId: 'c4' }), ALICE, signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(route.bound?.id).toBe('a');
    expect(route.decision.waitedMs).toBeGreaterThan(0);
  });

  it('answers 503 with Retry-After in a strict group and leaves the binding alone', async () => {
    const route = await routing.open(
      command({ model: 'smart', conversationId: 'c5' }),
      ALICE,
      signal,
    );
    await routing.claim(route, attempt('s', route), ALICE);
    void health.noteFailure('s', { cls: 'server' }, table.group('smart')!.health);
    const refused = await routing
      .open(command({ conversationId: 'c5' }), ALICE, signal)
      .catch((e: GatewayError) => e);
    expect(refused).toMatchObject({ code: 'conversation_deployment_unavailable' });
    expect((refused as GatewayError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((refused as GatewayError).headers?.['x-sentinel-decision']).toContain('reason=cooldown');
    expect((await stored('c5'))?.deployment).toBe('s');
  });

  it('refuses another caller’s conversation without touching it', async () => {
    await bindTo('c6', 'a');
    await expect(
      routing.open(command({ conversationId: 'c6' }), BOB, signal),
    ).rejects.toMatchObject({
      code: 'conversation_forbidden',
    });
  });

  it('moves a conversation up a tier but never down', async () => {
    const route = await routing.open(
      command({ tier: 'simple', conversationId: 'c7' }),
      ALICE,
      signal,
    );
    await routing.claim(route, attempt('a', route), ALICE);
    const up = await routing.open(
      command({ tier: 'complex', conversationId: 'c7' }),
      ALICE,
      signal,
    );
    expect(up.pendingReason).toBe('tier_upgrade');
    expect(up.group.name).toBe('smart');
    await routing.claim(up, attempt('t', up), ALICE);
    const down = await routing.open(
      command({ tier: 'simple', conversationId: 'c7' }),
      ALICE,
      signal,
    );
    expect(down.pendingReason).toBeUndefined();
    expect(down.bound?.id).toBe('t');
  });

  it('releases a binding its failed first request created, but not one that changed since', async () => {
    const first = await routing.open(
      command({ model: 'fast', conversationId: 'c8' }),
      ALICE,
      signal,
    );
    await routing.claim(first, attempt('a', first), ALICE);
    await routing.release(first);
    expect(await stored('c8')).toBeNull();

    const again = await routing.open(
      command({ model: 'fast', conversationId: 'c9' }),
      ALICE,
      signal,
    );
    await routing.claim(again, attempt('a', again), ALICE);
    await cache.set(
      'sentinel:session:c9',
      JSON.stringify({ ...(await stored('c9')), deployment: 'b' }),
      600,
    );
    await routing.release(again);
    expect((await stored('c9'))?.deployment).toBe('b');
  });
});
