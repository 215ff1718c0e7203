import type { AdapterSseRow } from './adapter-sse';
import type { SessionsMemory } from './memory-sessions';
import type { SoakResult } from './soak';
import type { Comparison, JsonRow, SseRow } from './summary';
import { SLOW_STREAM_MS } from './workload';

/** One target of the issue, as measured in this run. */
export interface Verdict {
  target: string;
  measured: string;
  /** null: not measured in this run. */
  met: boolean | null;
  /** By how much it is met or missed, in the target's own unit. */
  margin: string;
}

const f = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const signed = (n: number, digits = 2): string => (n >= 0 ? `+${f(n, digits)}` : f(n, digits));

export function evaluateTargets(
  json: JsonRow[],
  sse: SseRow[],
  soak: SoakResult | undefined,
  sessions: SessionsMemory | undefined,
  adapterSse: AdapterSseRow[] = [],
  comparisons: Comparison[] = [],
): Verdict[] {
  const verdicts: Verdict[] = [];
  const routing = comparisons.find((c) => c.subject === 'sticky:gw-routing');
  if (routing !== undefined) {
    const worst = Math.max(1 - routing.rpsRatio, routing.cpuRatio - 1);
    verdicts.push({
      target: 'Routing file of 3 deployments within 5 % of none (req/s and CPU ms/req, c=50)',
      measured: `req/s ×${f(routing.rpsRatio, 3)}, CPU/req ×${f(routing.cpuRatio, 3)}`,
      met: worst <= 0.05,
      margin: `${signed((0.05 - worst) * 100, 1)} % headroom`,
    });
  }
  const cpuAgainstReference = (subject: string, limit: number, what: string): void => {
    const c = comparisons.find((x) => x.subject === subject);
    if (c === undefined) return;
    verdicts.push({
      target: `CPU per request ≤ ${limit} × the minimal Nest + Express proxy's — ${what}`,
      measured: `×${f(c.cpuRatio, 3)} (req/s ×${f(c.rpsRatio, 3)})`,
      met: c.cpuRatio <= limit,
      margin: `${signed(limit - c.cpuRatio, 3)} ×`,
    });
  };
  cpuAgainstReference('sticky:gw-redis', 1.15, 'sticky JSON, Redis, c=50');
  cpuAgainstReference('sticky:gw-memory', 1.15, 'sticky JSON, memory, c=50');
  cpuAgainstReference('stream:gw-redis', 1.3, 'sticky SSE, Redis, c=50');
  cpuAgainstReference('stream:gw-memory', 1.3, 'sticky SSE, memory, c=50');
  const row = (key: string): JsonRow | undefined => json.find((r) => r.key === key);

  const sticky = row('sticky:gw-redis');
  if (sticky !== undefined) {
    verdicts.push({
      target: 'Sticky JSON, Redis, c=50: throughput ≥ 0.70 × bare proxy',
      measured: `${f(sticky.rpsVsBare)} × (${f(sticky.rps, 0)} req/s)`,
      met: sticky.rpsVsBare >= 0.7,
      margin: `${signed(sticky.rpsVsBare - 0.7)} ×`,
    });
  }
  for (const r of json.filter((x) => x.target.startsWith('gw-'))) {
    verdicts.push({
      target: `c=1 p50 added over bare ≤ 1 ms — ${r.scenario}, ${r.target}`,
      measured: `${signed(r.addedP50VsBare)} ms (p50 ${f(r.p50c1)} ms)`,
      met: r.addedP50VsBare <= 1,
      margin: `${signed(1 - r.addedP50VsBare)} ms headroom`,
    });
  }
  const bare = sse.find((s) => s.target === 'bare');
  for (const s of sse.filter((x) => x.target.startsWith('gw-'))) {
    verdicts.push({
      target: `SSE time to first byte ≤ bare + 1 ms — ${s.target}`,
      measured: `${signed(s.addedTtfbVsBare)} ms (p50 ${f(s.ttfbP50)} ms)`,
      met: s.addedTtfbVsBare <= 1,
      margin: `${signed(1 - s.addedTtfbVsBare)} ms headroom`,
    });
    const buffered = s.slowTtfbP50 >= SLOW_STREAM_MS / 2;
    verdicts.push({
      target: `SSE not buffered: first byte of a ${SLOW_STREAM_MS} ms stream long before its end — ${s.target}`,
      measured:
        `first byte ${f(s.slowTtfbP50, 1)} ms, last ${f(s.slowTtlbP50, 1)} ms` +
        (bare === undefined
          ? ''
          : ` (bare: ${f(bare.slowTtfbP50, 1)} / ${f(bare.slowTtlbP50, 1)} ms)`),
      met: !buffered,
      margin: `${f(s.slowTtlbP50 - s.slowTtfbP50, 1)} ms between first and last byte`,
    });
  }
  verdicts.push(...adapterVerdicts(adapterSse));
  verdicts.push(
    soak === undefined
      ? {
          target: 'RSS growth < 10 % over the soak after warm-up',
          measured: 'not run (--soak 60)',
          met: null,
          margin: '',
        }
      : {
          target: `RSS growth < 10 % over a ${soak.seconds} s soak after warm-up`,
          measured: `${signed(soak.growthPercent, 1)} % (${f(soak.warmRssMb, 1)} → ${f(soak.finalRssMb, 1)} MB)`,
          met: soak.growthPercent < 10,
          margin: `${signed(10 - soak.growthPercent, 1)} points headroom`,
        },
  );
  verdicts.push(
    sessions === undefined
      ? {
          target: '1,000,000 in-memory sessions < 400 MB',
          measured: 'not run',
          met: null,
          margin: '',
        }
      : {
          target: `${sessions.sessions.toLocaleString('en-US')} in-memory sessions < 400 MB RSS`,
          measured:
            `${f(sessions.rssAfterGcMb, 0)} MB after GC (${f(sessions.rssAfterFillMb, 0)} MB right ` +
            `after filling, peak ${f(sessions.peakRssMb, 0)} MB while filling)`,
          met: sessions.rssAfterGcMb < 400 && sessions.rssAfterFillMb < 400,
          margin: `${signed(400 - Math.max(sessions.rssAfterGcMb, sessions.rssAfterFillMb), 0)} MB headroom`,
        },
  );
  return verdicts;
}

/** The anthropic adapter's stream must cost no more than the openai adapter's, within 1 ms. */
export function adapterVerdicts(rows: AdapterSseRow[]): Verdict[] {
  const claude = rows.find((r) => r.name === 'gw-anthropic');
  const openai = rows.find((r) => r.name === 'gw-openai');
  if (claude === undefined || openai === undefined) return [];
  const added = claude.addedTtfbVsOpenAi;
  return [
    {
      target: 'SSE time to first byte, anthropic adapter ≤ openai adapter + 1 ms — gw-memory',
      measured: `${signed(added)} ms (p50 ${f(claude.ttfbP50)} ms vs ${f(openai.ttfbP50)} ms)`,
      met: added <= 1,
      margin: `${signed(1 - added)} ms headroom`,
    },
  ];
}
