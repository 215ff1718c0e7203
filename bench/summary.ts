import type { JsonScenario, RoundResults, RowKey } from './json-rounds';
import type { LoadResult } from './load';
import { MB } from './proc-stats';
import type { SseResults } from './sse-rounds';
import type { StreamTimings } from './sse-timing';
import { median } from './stats';
import type { TargetName } from './targets';

/** Medians over rounds; ratios and differences are taken within each round, then median'd. */

export interface JsonRow {
  key: RowKey;
  scenario: JsonScenario;
  target: TargetName;
  rps: number;
  rpsVsBare: number;
  rpsVsDirect: number;
  p99c50: number;
  cpuMsPerRequest: number;
  /** The load generator's own CPU per request at c=50 (it shares the machine). */
  driverCpuMsPerRequest: number;
  rssMb: number;
  p50c1: number;
  p99c1: number;
  /** p50 at concurrency 1 minus the bare proxy's (and direct's) in the same round. */
  addedP50VsBare: number;
  addedP50VsDirect: number;
  failures: number;
  rounds: number;
}

export interface SseRow {
  target: TargetName;
  ttfbP50: number;
  ttfbP99: number;
  ttlbP50: number;
  ttlbP99: number;
  addedTtfbVsBare: number;
  addedTtfbVsDirect: number;
  slowTtfbP50: number;
  slowTtlbP50: number;
  failures: number;
}

const perRound = (
  rows: LoadResult[],
  reference: LoadResult[],
  f: (row: LoadResult, ref: LoadResult) => number,
): number =>
  median(rows.map((row, i) => (reference[i] === undefined ? Number.NaN : f(row, reference[i]))));

export function summarizeJson(c50: RoundResults, c1: RoundResults): JsonRow[] {
  const bare50 = c50.get('proxy:bare') ?? [];
  const direct50 = c50.get('proxy:direct') ?? [];
  const bare1 = c1.get('proxy:bare') ?? [];
  const direct1 = c1.get('proxy:direct') ?? [];
  return [...c50.keys()].map((key) => {
    const [scenario, target] = key.split(':') as [JsonScenario, TargetName];
    const at50 = c50.get(key) ?? [];
    const at1 = c1.get(key) ?? [];
    return {
      key,
      scenario,
      target,
      rps: median(at50.map((r) => r.rps)),
      rpsVsBare: perRound(at50, bare50, (r, b) => r.rps / b.rps),
      rpsVsDirect: perRound(at50, direct50, (r, d) => r.rps / d.rps),
      p99c50: median(at50.map((r) => r.p99)),
      cpuMsPerRequest: median(at50.map((r) => r.cpuMsPerRequest)),
      driverCpuMsPerRequest: median(at50.map((r) => r.driverCpuMsPerRequest)),
      rssMb: median(at50.map((r) => r.rssBytes / MB)),
      p50c1: median(at1.map((r) => r.p50)),
      p99c1: median(at1.map((r) => r.p99)),
      addedP50VsBare: perRound(at1, bare1, (r, b) => r.p50 - b.p50),
      addedP50VsDirect: perRound(at1, direct1, (r, d) => r.p50 - d.p50),
      failures: [...at50, ...at1].reduce((n, r) => n + r.failures, 0),
      rounds: at50.length,
    };
  });
}

const perRoundSse = (
  rows: StreamTimings[],
  reference: StreamTimings[],
  f: (row: StreamTimings, ref: StreamTimings) => number,
): number =>
  median(rows.map((row, i) => (reference[i] === undefined ? Number.NaN : f(row, reference[i]))));

export function summarizeSse(sse: SseResults): SseRow[] {
  const bare = sse.short.get('bare') ?? [];
  const direct = sse.short.get('direct') ?? [];
  return [...sse.short.keys()].map((target) => {
    const short = sse.short.get(target) ?? [];
    const slow = sse.slow.get(target) ?? [];
    return {
      target,
      ttfbP50: median(short.map((s) => s.ttfbP50)),
      ttfbP99: median(short.map((s) => s.ttfbP99)),
      ttlbP50: median(short.map((s) => s.ttlbP50)),
      ttlbP99: median(short.map((s) => s.ttlbP99)),
      addedTtfbVsBare: perRoundSse(short, bare, (s, b) => s.ttfbP50 - b.ttfbP50),
      addedTtfbVsDirect: perRoundSse(short, direct, (s, d) => s.ttfbP50 - d.ttfbP50),
      slowTtfbP50: median(slow.map((s) => s.ttfbP50)),
      slowTtlbP50: median(slow.map((s) => s.ttlbP50)),
      failures: [...short, ...slow].reduce((n, s) => n + s.failures, 0),
    };
  });
}

/** A gateway row read against a reference row of the same run, ratio per round, median'd. */
export interface Comparison {
  label: string;
  subject: RowKey;
  reference: RowKey;
  /** subject ÷ reference. */
  rpsRatio: number;
  cpuRatio: number;
  /** subject − reference, p50 at c=1, ms. */
  addedP50c1: number;
  rounds: number;
}

export const COMPARISONS: Array<Pick<Comparison, 'label' | 'subject' | 'reference'>> = [
  {
    label: 'Sentinel (Redis, sticky) ÷ minimal Nest + Express proxy',
    subject: 'sticky:gw-redis',
    reference: 'proxy:ref-proxy',
  },
  {
    label: 'Sentinel (memory, sticky) ÷ minimal Nest + Express proxy',
    subject: 'sticky:gw-memory',
    reference: 'proxy:ref-proxy',
  },
  {
    label: 'Sentinel SSE (Redis, sticky) ÷ minimal Nest + Express proxy SSE',
    subject: 'stream:gw-redis',
    reference: 'stream:ref-proxy',
  },
  {
    label: 'Sentinel SSE (memory, sticky) ÷ minimal Nest + Express proxy SSE',
    subject: 'stream:gw-memory',
    reference: 'stream:ref-proxy',
  },
  {
    label: 'Routing file of 3 deployments ÷ no routing file (Redis, sticky)',
    subject: 'sticky:gw-routing',
    reference: 'sticky:gw-redis',
  },
  {
    label: 'Minimal Nest + Express proxy ÷ bare proxy',
    subject: 'proxy:ref-proxy',
    reference: 'proxy:bare',
  },
];

export function summarizeComparisons(c50: RoundResults, c1: RoundResults): Comparison[] {
  return COMPARISONS.filter((c) => c50.has(c.subject) && c50.has(c.reference)).map((c) => {
    const s50 = c50.get(c.subject)!;
    const r50 = c50.get(c.reference)!;
    return {
      ...c,
      rpsRatio: perRound(s50, r50, (s, r) => s.rps / r.rps),
      cpuRatio: perRound(s50, r50, (s, r) => s.cpuMsPerRequest / r.cpuMsPerRequest),
      addedP50c1: perRound(
        c1.get(c.subject) ?? [],
        c1.get(c.reference) ?? [],
        (s, r) => s.p50 - r.p50,
      ),
      rounds: s50.length,
    };
  });
}
