import { Pool } from 'undici';
import { RedisCommandCounter } from '../test/support/redis-command-counter';
import type { Target } from './targets';
import { chatBody, freshId, HEADERS } from './workload';

export interface RoundTripCheck {
  scenario: string;
  requests: number;
  commands: number;
  /** Command name → count, e.g. `evalsha ×200`. */
  byName: Record<string, number>;
  /** What the issue requires per request. */
  expected: string;
  ok: boolean;
}

/**
 * Counts, with Redis MONITOR, the commands the Redis-backed gateway sends for `requests`
 * sequential requests of each kind: stateless (0 expected), an existing conversation (exactly
 * 1), a new conversation (at most 2), and a streamed existing conversation (exactly 1).
 */
export async function checkRoundTrips(
  target: Target,
  redisUrl: string,
  stickyIds: readonly string[],
  requests: number,
): Promise<RoundTripCheck[]> {
  const counter = await RedisCommandCounter.start(redisUrl);
  const pool = new Pool(target.origin, { connections: 1 });
  const send = async (body: () => string): Promise<void> => {
    for (let i = 0; i < requests; i++) {
      const response = await pool.request({
        method: 'POST',
        path: target.path,
        headers: HEADERS,
        body: body(),
      });
      await response.body.dump({ limit: Number.MAX_SAFE_INTEGER });
      if (response.statusCode !== 200) throw new Error(`round-trip check: ${response.statusCode}`);
    }
  };
  const cases: Array<{
    scenario: string;
    body: () => string;
    expected: string;
    ok: (n: number) => boolean;
  }> = [
    { scenario: 'stateless JSON', body: () => chatBody(), expected: '0', ok: (n) => n === 0 },
    {
      scenario: 'sticky JSON',
      body: ((): (() => string) => {
        let i = 0;
        return () => chatBody({ conversationId: stickyIds[i++ % stickyIds.length] });
      })(),
      expected: 'exactly 1',
      ok: (n) => n === requests,
    },
    {
      scenario: 'new-conversation JSON',
      body: () => chatBody({ conversationId: freshId() }),
      expected: 'at most 2',
      ok: (n) => n <= 2 * requests,
    },
    {
      scenario: 'sticky SSE',
      body: ((): (() => string) => {
        let i = 0;
        return () => chatBody({ conversationId: stickyIds[i++ % stickyIds.length], stream: true });
      })(),
      expected: 'exactly 1',
      ok: (n) => n === requests,
    },
  ];
  try {
    const results: RoundTripCheck[] = [];
    for (const c of cases) {
      const commands = await counter.count(() => send(c.body));
      const byName: Record<string, number> = {};
      for (const [name] of commands) byName[name] = (byName[name] ?? 0) + 1;
      results.push({
        scenario: c.scenario,
        requests,
        commands: commands.length,
        byName,
        expected: c.expected,
        ok: c.ok(commands.length),
      });
    }
    return results;
  } finally {
    await pool.close();
    await counter.stop();
  }
}
