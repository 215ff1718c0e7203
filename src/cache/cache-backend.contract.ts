import { CacheBackend } from './cache-backend.interface';

/** What a backend under test provides to the shared contract suite. */
export interface CacheBackendFixture {
  backend: CacheBackend;
  /** Moves the store's clock forward; without it the suite waits in real time. */
  advanceTime?: (ms: number) => Promise<void>;
  /** Releases the backend and anything the fixture opened. */
  cleanup: () => Promise<void>;
}

const TOLERANCE_MS = 500;
const session = (owner: string): string =>
  JSON.stringify({ id: 's-1', provider: 'openai', model: 'gpt-4o-mini', external_id: owner });
const owner = (externalId: string): { field: string; equals: string } => ({
  field: 'external_id',
  equals: externalId,
});
const realWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every CacheBackend must show. Runs against the in-memory backend (unit) and a
 * real redis-server (integration): if the two ever disagree, one of these fails.
 */
export function describeCacheBackendContract(
  name: string,
  setup: () => Promise<CacheBackendFixture>,
): void {
  describe(`${name} (CacheBackend contract)`, () => {
    let backend: CacheBackend;
    let advance: (ms: number) => Promise<void>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      const fixture = await setup();
      backend = fixture.backend;
      advance = fixture.advanceTime ?? realWait;
      cleanup = fixture.cleanup;
    });
    afterEach(() => cleanup());

    async function expectTtlNear(key: string, expectedMs: number): Promise<void> {
      const entry = await backend.get(key);
      expect(entry).not.toBeNull();
      const ttlMs = entry?.ttlMs ?? Number.NaN;
      expect(ttlMs).toBeLessThanOrEqual(expectedMs);
      expect(ttlMs).toBeGreaterThan(expectedMs - TOLERANCE_MS);
    }

    it('get of a key that was never set resolves null', async () => {
      await expect(backend.get('absent')).resolves.toBeNull();
    });

    it('set then get returns the value and about ttlSeconds * 1000 ms of lifetime', async () => {
      await backend.set('k', 'v', 60);
      await expect(backend.get('k')).resolves.toMatchObject({ value: 'v' });
      await expectTtlNear('k', 60_000);
    });

    it('set replaces both the value and the lifetime of an existing key', async () => {
      await backend.set('k', 'old', 60);
      await backend.set('k', 'new', 31_536_000);
      await expect(backend.get('k')).resolves.toMatchObject({ value: 'new' });
      await expectTtlNear('k', 31_536_000_000);
    });

    it('get does not extend the lifetime', async () => {
      await backend.set('k', 'v', 10);
      await advance(4_000);
      await backend.get('k');
      await expectTtlNear('k', 6_000);
    });

    it('setIfAbsent stores the value when the key is absent', async () => {
      await expect(backend.setIfAbsent('k', 'first', 60)).resolves.toEqual({
        stored: true,
        value: 'first',
      });
      await expectTtlNear('k', 60_000);
    });

    it('a second setIfAbsent reports the first value with stored:false and leaves it alone', async () => {
      await backend.setIfAbsent('k', 'first', 10);
      await advance(4_000);
      await expect(backend.setIfAbsent('k', 'second', 60)).resolves.toEqual({
        stored: false,
        value: 'first',
      });
      await expect(backend.get('k')).resolves.toMatchObject({ value: 'first' });
      await expectTtlNear('k', 6_000);
    });

    it('50 concurrent setIfAbsent calls elect exactly one winner that every caller sees', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => backend.setIfAbsent('race', `candidate-${i}`, 60)),
      );
      const winners = results.filter((r) => r.stored);
      expect(winners).toHaveLength(1);
      expect(new Set(results.map((r) => r.value))).toEqual(new Set([winners[0].value]));
      await expect(backend.get('race')).resolves.toMatchObject({ value: winners[0].value });
    });

    it('setIfAbsent stores again once the previous value has expired', async () => {
      await backend.setIfAbsent('k', 'first', 1);
      await advance(1_100);
      await expect(backend.setIfAbsent('k', 'second', 60)).resolves.toEqual({
        stored: true,
        value: 'second',
      });
    });

    it('getAndRefresh of an absent key resolves null and creates nothing', async () => {
      await expect(backend.getAndRefresh('absent', 60)).resolves.toBeNull();
      await expect(backend.getAndRefresh('absent', 60, owner('alice'))).resolves.toBeNull();
      await expect(backend.get('absent')).resolves.toBeNull();
    });

    it('getAndRefresh returns the value and resets its lifetime to ttlSeconds', async () => {
      await backend.set('k', 'v', 10);
      await advance(4_000);
      await expect(backend.getAndRefresh('k', 10)).resolves.toBe('v');
      await expectTtlNear('k', 10_000);
    });

    it('getAndRefresh with a matching condition resets the lifetime', async () => {
      await backend.set('k', session('alice'), 10);
      await advance(4_000);
      await expect(backend.getAndRefresh('k', 20, owner('alice'))).resolves.toBe(session('alice'));
      await expectTtlNear('k', 20_000);
    });

    it('getAndRefresh with a failing condition returns the value but does not refresh', async () => {
      await backend.set('k', session('alice'), 10);
      await advance(4_000);
      await expect(backend.getAndRefresh('k', 20, owner('mallory'))).resolves.toBe(
        session('alice'),
      );
      await expectTtlNear('k', 6_000);
    });

    it.each([
      ['plain text', 'alice'],
      ['a JSON array', '["alice"]'],
      ['a JSON string', '"alice"'],
      ['JSON null', 'null'],
      ['a number in the field', '{"external_id":5}'],
      ['the field nested deeper', '{"session":{"external_id":"alice"}}'],
      ['truncated JSON', '{"external_id":"alice"'],
    ])('getAndRefresh with a condition never refreshes %s', async (_, value) => {
      const expected = value === '{"external_id":5}' ? '5' : 'alice';
      await backend.set('k', value, 10);
      await advance(4_000);
      await expect(backend.getAndRefresh('k', 20, owner(expected))).resolves.toBe(value);
      await expectTtlNear('k', 6_000);
    });

    it('a key is absent once its TTL has elapsed, for every operation', async () => {
      await backend.set('k', session('alice'), 2);
      await advance(1_000);
      await expect(backend.get('k')).resolves.not.toBeNull();
      await advance(1_100);
      await expect(backend.get('k')).resolves.toBeNull();
      await expect(backend.getAndRefresh('k', 60)).resolves.toBeNull();
      await expect(backend.getAndRefresh('k', 60, owner('alice'))).resolves.toBeNull();
      await expect(backend.delete('k')).resolves.toBe(false);
      await expect(backend.get('k')).resolves.toBeNull();
    });

    it('delete removes a key and resolves true, then false when nothing is left', async () => {
      await backend.set('k', 'v', 60);
      await expect(backend.delete('k')).resolves.toBe(true);
      await expect(backend.get('k')).resolves.toBeNull();
      await expect(backend.delete('k')).resolves.toBe(false);
    });

    it('delete with a matching condition removes the key', async () => {
      await backend.set('k', session('alice'), 60);
      await expect(backend.delete('k', owner('alice'))).resolves.toBe(true);
      await expect(backend.get('k')).resolves.toBeNull();
    });

    it('delete with a failing condition or a non-JSON value keeps the key', async () => {
      await backend.set('json', session('alice'), 60);
      await backend.set('text', 'alice', 60);
      await expect(backend.delete('json', owner('mallory'))).resolves.toBe(false);
      await expect(backend.delete('text', owner('alice'))).resolves.toBe(false);
      await expect(backend.delete('absent', owner('alice'))).resolves.toBe(false);
      await expect(backend.get('json')).resolves.toMatchObject({ value: session('alice') });
      await expect(backend.get('text')).resolves.toMatchObject({ value: 'alice' });
    });

    it('compareAndSwap replaces an exactly matching value and resets its lifetime', async () => {
      await backend.set('k', 'old', 5);
      await expect(backend.compareAndSwap('k', 'old', 'new', 60)).resolves.toEqual({
        swapped: true,
        value: 'new',
      });
      await expect(backend.get('k')).resolves.toMatchObject({ value: 'new' });
      await expectTtlNear('k', 60_000);
    });

    it('compareAndSwap leaves a different or absent value alone and reports what is stored', async () => {
      await backend.set('k', 'theirs', 60);
      await expect(backend.compareAndSwap('k', 'mine', 'next', 60)).resolves.toEqual({
        swapped: false,
        value: 'theirs',
      });
      await expect(backend.compareAndSwap('absent', 'mine', 'next', 60)).resolves.toEqual({
        swapped: false,
        value: null,
      });
      await expect(backend.get('absent')).resolves.toBeNull();
      await expect(backend.get('k')).resolves.toMatchObject({ value: 'theirs' });
    });

    it('compareAndSwap with next null deletes only the expected value', async () => {
      await backend.set('k', 'mine', 60);
      await expect(backend.compareAndSwap('k', 'other', null, 60)).resolves.toMatchObject({
        swapped: false,
      });
      await expect(backend.compareAndSwap('k', 'mine', null, 60)).resolves.toEqual({
        swapped: true,
        value: null,
      });
      await expect(backend.get('k')).resolves.toBeNull();
    });

    it('20 concurrent compareAndSwap calls from one expected value elect exactly one winner', async () => {
      await backend.set('k', 'v0', 60);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => backend.compareAndSwap('k', 'v0', `v${i + 1}`, 60)),
      );
      const winners = results.filter((r) => r.swapped);
      expect(winners).toHaveLength(1);
      for (const r of results) expect(r.value).toBe(winners[0].value);
    });

    it('odd keys and values round-trip, and conditions compare unicode (raw or escaped) exactly', async () => {
      const odd = ['a:b:c', 'with space', '{tag}', 'quote"s\n', 'ключ', '🦄 unicorn', '%s $1 \\'];
      for (const [i, key] of odd.entries())
        await backend.set(key, `${odd[odd.length - 1 - i]}`, 60);
      for (const [i, key] of odd.entries()) {
        await expect(backend.get(key)).resolves.toMatchObject({ value: odd[odd.length - 1 - i] });
      }
      const raw = JSON.stringify({ external_id: 'zoë 🦄', note: '{} "q"' });
      const escaped = '{"external_id":"zo\\u00eb \\ud83e\\udd84"}';
      await backend.set('raw', raw, 10);
      await backend.set('escaped', escaped, 10);
      await advance(4_000);
      await expect(backend.getAndRefresh('raw', 20, owner('zoë 🦄'))).resolves.toBe(raw);
      await expect(backend.getAndRefresh('escaped', 20, owner('zoë 🦄'))).resolves.toBe(escaped);
      await expectTtlNear('raw', 20_000);
      await expectTtlNear('escaped', 20_000);
    });

    it('an empty-string value is stored and read back as "" rather than absent', async () => {
      await backend.set('empty', '', 60);
      await expect(backend.get('empty')).resolves.toMatchObject({ value: '' });
      await expect(backend.getAndRefresh('empty', 60)).resolves.toBe('');
      await expect(backend.setIfAbsent('empty', 'other', 60)).resolves.toEqual({
        stored: false,
        value: '',
      });
    });

    it.each([0, -1, 1.5, Number.NaN])(
      'a TTL of %p seconds is rejected with RangeError and nothing is written',
      async (ttl) => {
        await expect(backend.set('k', 'v', ttl)).rejects.toBeInstanceOf(RangeError);
        await expect(backend.setIfAbsent('k', 'v', ttl)).rejects.toBeInstanceOf(RangeError);
        await expect(backend.get('k')).resolves.toBeNull();
        await backend.set('k', 'v', 60);
        await expect(backend.getAndRefresh('k', ttl)).rejects.toBeInstanceOf(RangeError);
        await expectTtlNear('k', 60_000);
      },
    );

    it('ping resolves and shutdown may be called twice', async () => {
      await expect(backend.ping()).resolves.toBeUndefined();
      await backend.shutdown();
      await expect(backend.shutdown()).resolves.toBeUndefined();
    });
  });
}
