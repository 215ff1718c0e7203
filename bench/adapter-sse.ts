import { ANTHROPIC_STREAM_END } from './mock-anthropic-upstream';
import { StreamTimings, timeStreams } from './sse-timing';
import { median } from './stats';
import type { Lab } from './targets';
import { chatBody, constantBody } from './workload';

/** The model the mock Messages API is asked for through the gateway. */
const CLAUDE_MODEL = 'anthropic/claude-bench';

/** What is timed: each mock on its own, and the memory gateway through each adapter. */
export type AdapterSseName = 'direct-openai' | 'direct-anthropic' | 'gw-openai' | 'gw-anthropic';

export const ADAPTER_SSE_LABELS: Record<AdapterSseName, string> = {
  'direct-openai': 'direct: OpenAI mock (/v1/chat/completions)',
  'direct-anthropic': 'direct: Anthropic mock (/v1/messages)',
  'gw-openai': 'Sentinel, memory: openai adapter',
  'gw-anthropic': 'Sentinel, memory: anthropic adapter',
};

const NAMES = Object.keys(ADAPTER_SSE_LABELS) as AdapterSseName[];

/** One StreamTimings per round for each name. */
export type AdapterSseResults = Map<AdapterSseName, StreamTimings[]>;

export interface AdapterSseRow {
  name: AdapterSseName;
  ttfbP50: number;
  ttfbP99: number;
  ttlbP50: number;
  ttlbP99: number;
  /**
   * TTFB p50 minus the OpenAI counterpart's in the same round (the anthropic adapter minus the
   * openai adapter; the Anthropic mock minus the OpenAI mock), median over rounds.
   */
  addedTtfbVsOpenAi: number;
  failures: number;
}

/**
 * Short streams through the memory-backed gateway, stateless (no session work), once as
 * `openai/gpt-4o-mini` (the OpenAI mock) and once as `anthropic/claude-bench` (the Anthropic
 * mock, which streams the same four text deltas at the same pace), plus each mock directly.
 * Interleaved like the other rounds: everything once per round, order rotated, after one
 * untimed warm-up pass of each.
 */
export async function runAdapterSseRounds(
  lab: Lab,
  options: { rounds: number; streams: number },
  log: (line: string) => void,
): Promise<AdapterSseResults> {
  const gateway = lab.target('gw-memory');
  const runs: Record<AdapterSseName, () => Promise<StreamTimings>> = {
    'direct-openai': () =>
      timeStreams(
        { origin: lab.upstream.origin, path: '/v1/chat/completions' },
        constantBody(chatBody({ stream: true })),
        options.streams,
      ),
    'direct-anthropic': () =>
      timeStreams(
        { origin: lab.anthropicUpstream.origin, path: '/v1/messages' },
        constantBody(chatBody({ model: 'claude-bench', stream: true })),
        options.streams,
        ANTHROPIC_STREAM_END,
      ),
    'gw-openai': () =>
      timeStreams(gateway, constantBody(chatBody({ stream: true })), options.streams),
    'gw-anthropic': () =>
      timeStreams(
        gateway,
        constantBody(chatBody({ model: CLAUDE_MODEL, stream: true })),
        options.streams,
      ),
  };
  // The JSON rounds warmed the openai path only: both adapters get the same untimed streams
  // first, so neither is timed while it is still being compiled.
  for (const name of NAMES) await runs[name]();
  const results: AdapterSseResults = new Map(NAMES.map((name) => [name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const order = NAMES.map((_, i) => NAMES[(i + round) % NAMES.length]);
    for (const name of order) {
      const timings = await runs[name]();
      results.get(name)!.push(timings);
      log(
        `  adapter SSE round ${round + 1}/${options.rounds} ${name.padEnd(16)} ` +
          `TTFB p50 ${timings.ttfbP50.toFixed(2)} ms  TTLB p50 ${timings.ttlbP50.toFixed(2)} ms` +
          (timings.failures > 0 ? `  FAILURES ${timings.failures}` : ''),
      );
    }
  }
  return results;
}

const COUNTERPART: Record<AdapterSseName, AdapterSseName> = {
  'direct-openai': 'direct-openai',
  'direct-anthropic': 'direct-openai',
  'gw-openai': 'gw-openai',
  'gw-anthropic': 'gw-openai',
};

export function summarizeAdapterSse(results: AdapterSseResults): AdapterSseRow[] {
  return NAMES.map((name) => {
    const rounds = results.get(name) ?? [];
    const reference = results.get(COUNTERPART[name]) ?? [];
    return {
      name,
      ttfbP50: median(rounds.map((s) => s.ttfbP50)),
      ttfbP99: median(rounds.map((s) => s.ttfbP99)),
      ttlbP50: median(rounds.map((s) => s.ttlbP50)),
      ttlbP99: median(rounds.map((s) => s.ttlbP99)),
      addedTtfbVsOpenAi: median(
        rounds.map((s, i) =>
          reference[i] === undefined ? Number.NaN : s.ttfbP50 - reference[i].ttfbP50,
        ),
      ),
      failures: rounds.reduce((n, s) => n + s.failures, 0),
    };
  });
}
