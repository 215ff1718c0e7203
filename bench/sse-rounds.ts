import { StreamTimings, timeStreams } from './sse-timing';
import type { Lab, TargetName } from './targets';
import { chatBody, constantBody, rotatingBodies, SLOW_MODEL } from './workload';

export const SSE_TARGETS: TargetName[] = ['direct', 'bare', 'gw-memory', 'gw-redis'];

export interface SseResults {
  /** Short streams (8 events at once), sticky conversation for the gateways: one per round. */
  short: Map<TargetName, StreamTimings[]>;
  /** Slow streams (an event every 50 ms), stateless: one per round. */
  slow: Map<TargetName, StreamTimings[]>;
}

/** Interleaved like the JSON rounds: every target once per round, order rotated. */
export async function runSseRounds(
  lab: Lab,
  stickyIds: readonly string[],
  options: { rounds: number; streams: number; slowStreams: number },
  log: (line: string) => void,
): Promise<SseResults> {
  const results: SseResults = {
    short: new Map(SSE_TARGETS.map((t) => [t, []])),
    slow: new Map(SSE_TARGETS.map((t) => [t, []])),
  };
  const slowBody = constantBody(chatBody({ model: `openai/${SLOW_MODEL}`, stream: true }));
  for (let round = 0; round < options.rounds; round++) {
    const order = SSE_TARGETS.map((_, i) => SSE_TARGETS[(i + round) % SSE_TARGETS.length]);
    for (const name of order) {
      const target = lab.target(name);
      const short = await timeStreams(target, rotatingBodies(stickyIds, true), options.streams);
      const slow = await timeStreams(target, slowBody, options.slowStreams);
      results.short.get(name)!.push(short);
      results.slow.get(name)!.push(slow);
      const failures = short.failures + slow.failures;
      log(
        `  SSE round ${round + 1}/${options.rounds} ${name.padEnd(10)} ` +
          `TTFB p50 ${short.ttfbP50.toFixed(2)} ms  TTLB p50 ${short.ttlbP50.toFixed(2)} ms  ` +
          `slow TTFB ${slow.ttfbP50.toFixed(1)} ms  slow TTLB ${slow.ttlbP50.toFixed(1)} ms` +
          (failures > 0 ? `  FAILURES ${failures}` : ''),
      );
    }
  }
  return results;
}
