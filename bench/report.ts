import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADAPTER_SSE_LABELS, AdapterSseRow } from './adapter-sse';
import type { ProfileSummary } from './cpuprofile-summary';
import { SCENARIO_LABELS } from './json-rounds';
import type { SessionsMemory } from './memory-sessions';
import type { BenchOptions } from './options';
import { REPO_ROOT } from './paths';
import type { RoundTripCheck } from './round-trips';
import type { SoakResult } from './soak';
import type { Comparison, JsonRow, SseRow } from './summary';
import { LABELS } from './targets';
import type { Verdict } from './verdicts';
import { SLOW_GAP_MS, SLOW_STREAM_MS } from './workload';

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  date: string;
  redis: string;
}

export interface BenchReport {
  options: BenchOptions;
  machine: Machine;
  json: JsonRow[];
  /** Gateway rows as ratios to reference rows of the same rounds. */
  comparisons: Comparison[];
  sse: SseRow[];
  /** SSE through the anthropic adapter vs the openai adapter (same gateway, same pace). */
  adapterSse: AdapterSseRow[];
  verdicts: Verdict[];
  roundTrips: RoundTripCheck[];
  soak?: SoakResult;
  sessions?: SessionsMemory;
  profile?: { seconds: number; rps: number; bootMs: number; summary: ProfileSummary };
  /** Gateway log bytes per request during the JSON rounds. */
  logBytesPerRequest: Record<string, number>;
  runSeconds: number;
}

const f = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const signed = (n: number, digits = 2): string =>
  Number.isFinite(n) ? (n >= 0 ? `+${n.toFixed(digits)}` : n.toFixed(digits)) : '–';

function jsonCells(r: JsonRow): string[] {
  return [
    r.scenario === 'proxy'
      ? 'JSON'
      : SCENARIO_LABELS[r.scenario].replace(' (existing conversation)', ''),
    LABELS[r.target],
    f(r.rps, 0),
    r.target === 'bare' ? '1' : f(r.rpsVsBare),
    r.target === 'direct' ? '1' : f(r.rpsVsDirect),
    f(r.p99c50),
    f(r.p50c1),
    r.target === 'bare' ? '0' : signed(r.addedP50VsBare),
    f(r.p99c1),
    f(r.cpuMsPerRequest, 3),
    f(r.rssMb, 0),
    f(r.driverCpuMsPerRequest, 3),
  ];
}
const JSON_HEADER = [
  'Scenario',
  'Target',
  'req/s c=50',
  '× bare',
  '× direct',
  'p99 c=50 ms',
  'p50 c=1 ms',
  'p50 added vs bare',
  'p99 c=1 ms',
  'CPU ms/req',
  'RSS MB',
  'load gen CPU ms/req',
];

function comparisonCells(c: Comparison): string[] {
  return [c.label, f(c.rpsRatio, 3), f(c.cpuRatio, 3), signed(c.addedP50c1), String(c.rounds)];
}
const COMPARISON_HEADER = [
  'Comparison (same rounds)',
  'req/s ratio c=50',
  'CPU ms/req ratio c=50',
  'p50 added c=1 ms',
  'rounds',
];

function sseCells(s: SseRow): string[] {
  return [
    LABELS[s.target],
    f(s.ttfbP50),
    s.target === 'bare' ? '0' : signed(s.addedTtfbVsBare),
    f(s.ttfbP99),
    f(s.ttlbP50),
    f(s.ttlbP99),
    f(s.slowTtfbP50, 1),
    f(s.slowTtlbP50, 1),
  ];
}
const SSE_HEADER = [
  'SSE target',
  'TTFB p50 ms',
  'TTFB added vs bare',
  'TTFB p99 ms',
  'TTLB p50 ms',
  'TTLB p99 ms',
  `slow TTFB ms`,
  `slow TTLB ms`,
];

function adapterSseCells(r: AdapterSseRow): string[] {
  return [
    ADAPTER_SSE_LABELS[r.name],
    f(r.ttfbP50),
    r.name.endsWith('openai') ? '0' : signed(r.addedTtfbVsOpenAi),
    f(r.ttfbP99),
    f(r.ttlbP50),
    f(r.ttlbP99),
    String(r.failures),
  ];
}
const ADAPTER_SSE_HEADER = [
  'Stream',
  'TTFB p50 ms',
  'TTFB added vs OpenAI counterpart',
  'TTFB p99 ms',
  'TTLB p50 ms',
  'TTLB p99 ms',
  'failures',
];

/** The adapter comparison section of the Markdown report. */
export function adapterSseMarkdown(rows: AdapterSseRow[], streamsPerRound: number): string[] {
  return [
    '## Streaming: anthropic adapter vs openai adapter',
    '',
    `The memory-backed gateway, stateless requests, ${streamsPerRound} short streams per row and ` +
      'round: `openai/gpt-4o-mini` (the OpenAI mock) and `anthropic/claude-bench` (a mock Messages ' +
      'API, `bench/mock-anthropic-upstream.ts`, streaming the real event sequence: `message_start`, ' +
      '`content_block_start`, `ping`, the same four text deltas, `content_block_stop`, ' +
      '`message_delta`, `message_stop`, all written at once as the OpenAI mock writes its chunks), ' +
      'and each mock directly, after one untimed warm-up pass of each. The added TTFB is taken within each round against the OpenAI ' +
      'counterpart (adapter against adapter, mock against mock), median over rounds.',
    '',
    rows.length === 0 ? 'Not run.' : markdownTable(ADAPTER_SSE_HEADER, rows.map(adapterSseCells)),
    '',
  ];
}

/** The adapter comparison as printed at the end of a run. */
export function adapterSseConsole(rows: AdapterSseRow[]): string {
  return textTable(ADAPTER_SSE_HEADER, rows.map(adapterSseCells));
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][]): string {
  const align = header.map((_, i) => (i < 2 ? '---' : '--:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** The table printed at the end of a run. */
export function consoleReport(report: BenchReport): string {
  const verdicts = report.verdicts
    .map((v) => `${v.met === null ? '  ·' : v.met ? ' OK' : 'MISS'}  ${v.target}: ${v.measured}`)
    .join('\n');
  return [
    textTable(JSON_HEADER, report.json.map(jsonCells)),
    '',
    textTable(COMPARISON_HEADER, report.comparisons.map(comparisonCells)),
    '',
    textTable(SSE_HEADER, report.sse.map(sseCells)),
    '',
    adapterSseConsole(report.adapterSse),
    '',
    verdicts,
  ].join('\n');
}

export function markdownReport(report: BenchReport): string {
  const { options, machine } = report;
  const out: string[] = [];
  const push = (...lines: string[]): void => void out.push(...lines);
  push(
    '# Sentinel benchmarks',
    '',
    `<!-- Generated by \`${options.command}\` (bench/report.ts): edit the generator, not this file. -->`,
    '',
    `Generated ${machine.date} by \`${options.command}\` in ${f(report.runSeconds / 60, 1)} min.`,
    '',
    `- Machine: ${machine.cpus} CPUs (\`nproc\`), ${machine.cpuModel}; shared and noisy`,
    `- Node ${machine.node}, ${machine.redis}; everything on loopback (127.0.0.1)`,
    `- ${options.rounds} interleaved rounds; per target and round: ${options.c50Seconds} s at 50 connections, ` +
      `${options.c1Seconds} s at 1 connection (autocannon 8), ${options.streamsPerRound} short and ` +
      `${options.slowStreamsPerRound} slow SSE streams`,
    '- Gateway: the production build (`dist/main.js`, `NODE_ENV=production`) with `LOG_LEVEL=info` ' +
      '(the production default, so per-request logging is paid for), one API key, ' +
      '`CACHE_BACKEND=memory` or `redis` (a real `redis-server`), defaults for everything else ' +
      `(\`UPSTREAM_MAX_CONNECTIONS\` 256). Gateway log output during the JSON rounds: ` +
      Object.entries(report.logBytesPerRequest)
        .map(([t, b]) => `${LABELS[t as keyof typeof LABELS]} ${f(b, 1)} bytes/request`)
        .join(', ') +
      '.',
    '',
    '## How to read this',
    '',
    '- **direct** is the mock upstream itself (a fixed `chat.completion`, or SSE); **bare proxy** is a ' +
      'Node pass-through proxy on the same HTTP client as the gateway (undici `Pool`, keep-alive) — what ' +
      'one Node hop costs, the floor for any Node gateway. Both get exactly the bytes the gateway gets.',
    '- The **reference** rows are not proxies: the smallest Express 5 app and the smallest NestJS 11 ' +
      'app (Express adapter, default JSON body parser, nothing else) answering a fixed ' +
      '`chat.completion` without calling anything. They show what the framework Sentinel is built on ' +
      'costs before any gateway work; Sentinel cannot be cheaper than the Nest row plus one upstream call. ' +
      'The **Nest + Express proxy** row is that sum: the same Nest app forwarding the body over one ' +
      'undici `Pool` (the gateway’s pool settings) and answering the upstream’s JSON, no product feature.',
    '- **Sentinel, Redis, routing file** is the Redis-backed gateway with a routing file of three ' +
      'deployments of the upstream’s model behind one group (health sync at its default period); ' +
      'its requests name the group.',
    '- Each process is its own: load generator, upstream, bare proxy, both gateways, redis-server, all ' +
      'sharing the same cores. Throughput at 50 connections is therefore bounded by the whole machine, ' +
      'not by the target alone; read **CPU ms/req** (the target process only, from `/proc/<pid>/stat`) ' +
      'beside req/s.',
    '- Run-to-run noise on this machine is ±15–30 % per round. Every row runs once per round, back to ' +
      'back with the others and in rotated order; ratios (× bare, × direct) and differences (added p50, ' +
      'added TTFB) are computed **within each round** and the table shows their **median over rounds**, ' +
      'so drift of the machine cancels out. Absolute figures are medians too.',
    '- **load gen CPU ms/req** is what autocannon itself spent per request: it runs on the same ' +
      'cores, so a cheaper target leaves it more room (the ceiling of every throughput figure).',
    '- Latencies are exact per-response times (not autocannon’s 1 ms buckets). TTFB/TTLB: time from ' +
      'sending the request to the first / last body byte, one stream at a time on a keep-alive ' +
      `connection. The slow stream sends an event every ${SLOW_GAP_MS} ms (${SLOW_STREAM_MS} ms in all): ` +
      'a buffering target would show a first byte near the last.',
    '- **sticky** requests name an existing conversation (opened before the run), rotating through ' +
      'many; **new-conversation** requests each name a conversation never seen; **stateless** ones name ' +
      'none. The SSE rows use sticky conversations for the gateway, the slow stream stateless requests.',
    '',
    '## Targets',
    '',
    markdownTable(
      ['Target', 'Measured', 'Met', 'Margin'],
      report.verdicts.map((v) => [
        v.target,
        v.measured,
        v.met === null ? 'not run' : v.met ? 'yes' : '**no**',
        v.margin,
      ]),
    ),
    '',
    'Where a target is missed, the margin says by how much; why is in "What dominates" at the end ' +
      '(with the CPU profile and the reference rows).',
    '',
    '## JSON',
    '',
    markdownTable(JSON_HEADER, report.json.map(jsonCells)),
    '',
    '### Against the references',
    '',
    'The req/s and CPU ratios come from a block of their own, run after the JSON rounds above: ' +
      `only these rows, ${options.comparisonSeconds} s each at 50 connections, back to back in ` +
      'rotated order, one round per round above; each ratio is taken within a round, then ' +
      'median’d (the added p50 at c=1 comes from the c=1 rounds). In the 12-row rounds a row ' +
      'runs once a minute or so, and there the reference’s own CPU per request swung 5× between ' +
      'runs (0.22–1.18 ms), enough to read the gateway as cheaper than a strict subset of ' +
      'itself; back to back it agrees with `ab.js --ref`. The **minimal Nest + Express proxy** ' +
      '(`bench/reference-proxy.ts`) is the floor of a ' +
      'proxy on this stack: Nest routing, Express’s JSON body parser, one undici hop with the ' +
      'gateway’s pool settings to the same upstream, no product feature. The **routing file** ' +
      'gateway serves a group of three deployments of the upstream’s model (health sync on, ' +
      'default period) beside the gateway without a routing file. The **SSE** rows stream ' +
      'sticky conversations at 50 connections (CPU per stream); the reference passes the ' +
      'upstream’s SSE body through as Nest documents streaming (a `StreamableFile`).',
    '',
    markdownTable(COMPARISON_HEADER, report.comparisons.map(comparisonCells)),
    '',
    '## Streaming (SSE)',
    '',
    markdownTable(SSE_HEADER, report.sse.map(sseCells)),
    '',
    ...adapterSseMarkdown(report.adapterSse, options.streamsPerRound),
    '## Session store round trips',
    '',
    'Commands the Redis-backed gateway sent to Redis (counted with `MONITOR`; commands that Lua scripts ' +
      'run inside Redis are not round trips), for sequential requests after warm-up. The same property ' +
      'is asserted by `test/integration/redis-round-trips.int-spec.ts`.',
    '',
    markdownTable(
      ['Request', 'Requests', 'Commands', 'Per request', 'Commands seen', 'Expected', 'OK'],
      report.roundTrips.map((r) => [
        r.scenario,
        String(r.requests),
        String(r.commands),
        f(r.commands / r.requests),
        Object.entries(r.byName)
          .map(([name, n]) => `${name} ×${n}`)
          .join(', ') || '–',
        r.expected,
        r.ok ? 'yes' : '**no**',
      ]),
    ),
    '',
  );
  push('## Soak', '');
  if (report.soak === undefined) {
    push('Not run: `npm run bench -- --soak 60`.', '');
  } else {
    const s = report.soak;
    push(
      `Sticky JSON at 50 connections for ${s.seconds} s on a freshly started Redis-backed gateway ` +
        `(${f(s.rps, 0)} req/s, ${s.failures} failures). RSS sampled every second; warm-up is the first ` +
        `${s.warmupSeconds} s. Growth: **${signed(s.growthPercent, 1)} %** from ${f(s.warmRssMb, 1)} MB ` +
        `(median of five samples around the end of warm-up) to ${f(s.finalRssMb, 1)} MB (median of the ` +
        `last five); peak ${f(s.maxRssMb, 1)} MB.`,
      '',
      'RSS (MB) every 5 s: ' +
        s.rssMb
          .filter((_, i) => i % 5 === 4)
          .map((v) => f(v, 0))
          .join(', '),
      '',
    );
  }
  push('## In-memory backend holding 1,000,000 sessions', '');
  if (report.sessions === undefined) {
    push('Not run.', '');
  } else {
    const m = report.sessions;
    push(
      `A fresh Node process (\`bench/memory-sessions.ts\`) fills the production build's ` +
        `\`InMemoryCacheBackend\` with ${m.sessions.toLocaleString('en-US')} sessions through the real ` +
        `\`SessionService.create\` (keys like \`${m.sampleKey}\`, ${m.sampleValueBytes}-byte JSON records, ` +
        `random UUID conversation ids) in ${f(m.fillSeconds, 1)} s.`,
      '',
      markdownTable(
        [
          'Baseline RSS',
          'RSS after filling',
          'RSS after forced GC',
          'Peak RSS',
          'Heap used after GC',
          'Bytes per session (RSS)',
        ],
        [
          [
            `${f(m.baselineRssMb, 0)} MB`,
            `${f(m.rssAfterFillMb, 0)} MB`,
            `${f(m.rssAfterGcMb, 0)} MB`,
            `${f(m.peakRssMb, 0)} MB`,
            `${f(m.heapUsedAfterGcMb, 0)} MB`,
            f(m.bytesPerSession, 0),
          ],
        ],
      ),
      '',
    );
  }
  push('## CPU profile under load', '');
  if (report.profile === undefined) {
    push('Not run (`--profile 10`; the quick run skips it).', '');
  } else {
    const p = report.profile;
    const rows = (entries: ProfileSummary['byGroup']): string[][] =>
      entries.map((e) => [`\`${e.name}\``, f(e.selfMs, 0), f(e.percent, 1)]);
    push(
      `A separate Redis-backed gateway run with \`node --cpu-prof\`, sticky JSON at 50 connections for ` +
        `${p.seconds} s (${f(p.rps, 0)} req/s under the profiler), stopped with SIGTERM. ` +
        `${f(p.summary.totalMs, 0)} ms sampled after boot (the first ${f(p.bootMs, 0)} ms left out), ` +
        `${f(p.summary.idlePercent, 1)} % idle. ` +
        'Summarised by `bench/cpuprofile-summary.ts` (self time).',
      '',
      '### Cost centres',
      '',
      'Self time charged to the nearest package or Sentinel file on the stack, so that time in Node ' +
        'core and V8 (socket writes, streams, JSON, promises) counts for whoever asked for it.',
      '',
      markdownTable(['Package / file', 'Self ms', '%'], rows(p.summary.byCaller)),
      '',
      '### By package / file (own code only)',
      '',
      markdownTable(['Package / file', 'Self ms', '%'], rows(p.summary.byGroup)),
      '',
      '### By function',
      '',
      markdownTable(['Function', 'Self ms', '%'], rows(p.summary.byFunction)),
      '',
    );
  }
  const notes = join(REPO_ROOT, 'bench', 'hot-path-changes.md');
  if (existsSync(notes)) push(readFileSync(notes, 'utf8').trim(), '');
  return `${out.join('\n')}\n`;
}
