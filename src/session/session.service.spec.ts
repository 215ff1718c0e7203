import { InMemoryCacheBackend } from '../cache/in-memory-cache.backend';
import { CacheUnavailableError } from '../cache/cache-unavailable.error';
import type { CacheBackend } from '../cache/cache-backend.interface';
import { GatewayError } from '../common/errors/gateway-error';
import { SessionService } from './session.service';
import { sessionKey } from './session-key';

const TTL = 60;
const config = { ttlSeconds: TTL, failureMode: 'open' as const, retryAfterSeconds: 2 };
const binding = { provider: 'openai', model: 'gpt-4o-mini' };

describe('SessionService on the in-memory backend with a fake clock', () => {
  let clock: number;
  let cache: InMemoryCacheBackend;
  let sessions: SessionService;
  const advance = (seconds: number): void => {
    clock += seconds * 1000;
  };

  beforeEach(() => {
    clock = 1_000_000;
    cache = new InMemoryCacheBackend({ maxEntries: 100, now: () => clock, sweepIntervalMs: 0 });
    sessions = new SessionService(cache, config);
  });
  afterEach(() => cache.shutdown());

  it('creates a session that the owner then finds', async () => {
    const created = await sessions.create('c1', 'alice', binding);
    expect(created).toMatchObject({
      kind: 'created',
      session: { ...binding, external_id: 'alice' },
    });
    const found = await sessions.touch('c1', 'alice');
    expect(found).toMatchObject({ kind: 'found', session: { model: 'gpt-4o-mini', id: 'c1' } });
  });

  it('expires a session after SESSION_TTL_SECONDS of inactivity', async () => {
    await sessions.create('c1', 'alice', binding);
    advance(TTL + 1);
    expect(await sessions.touch('c1', 'alice')).toEqual({ kind: 'absent' });
  });

  it('slides the lifetime on every request of the conversation', async () => {
    await sessions.create('c1', 'alice', binding);
    for (let i = 0; i < 5; i++) {
      advance(TTL - 10);
      expect((await sessions.touch('c1', 'alice')).kind).toBe('found');
    }
    expect((await sessions.findOwn('c1', 'alice'))?.expires_in).toBe(TTL);
    advance(TTL + 1);
    expect((await sessions.touch('c1', 'alice')).kind).toBe('absent');
  });

  it("neither reads back nor refreshes another caller's session", async () => {
    await sessions.create('c1', 'alice', binding);
    advance(TTL - 10);
    expect(await sessions.touch('c1', 'bob')).toEqual({ kind: 'forbidden' });
    advance(11);
    expect((await sessions.touch('c1', 'alice')).kind).toBe('absent');
  });

  it('lets the loser of a creation race adopt the winner’s binding', async () => {
    await sessions.create('c1', 'alice', binding);
    const second = await sessions.create('c1', 'alice', { provider: 'openai', model: 'other' });
    expect(second).toMatchObject({ kind: 'adopted', session: { model: 'gpt-4o-mini' } });
  });

  it('refuses to let another caller adopt a binding', async () => {
    await sessions.create('c1', 'alice', binding);
    expect(await sessions.create('c1', 'bob', binding)).toEqual({ kind: 'forbidden' });
  });

  it('replaces a corrupt record instead of failing forever', async () => {
    await cache.set(sessionKey('c1'), 'not json at all', TTL);
    expect(await sessions.touch('c1', 'alice')).toEqual({ kind: 'absent' });
    expect((await sessions.create('c1', 'alice', binding)).kind).toBe('created');
  });

  it('ends only the owner’s session', async () => {
    await sessions.create('c1', 'alice', binding);
    expect(await sessions.end('c1', 'bob')).toBe(false);
    expect(await sessions.end('c1', 'alice')).toBe(true);
    expect(await sessions.touch('c1', 'alice')).toEqual({ kind: 'absent' });
  });

  it('reports an unreachable store as session_store_unavailable with Retry-After', async () => {
    const down = new Proxy(cache, {
      get: (target, prop: keyof CacheBackend) =>
        typeof target[prop] === 'function'
          ? () => Promise.reject(new CacheUnavailableError('down'))
          : target[prop],
    });
    const failing = new SessionService(down, config);
    const error = await failing.touch('c1', 'alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'session_store_unavailable', retryAfterSeconds: 2 });
  });
});
