import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { startGatewayProcess } from '../test/support/gateway-process';
import { startRedisServer } from '../test/support/redis-server';
import { startChildServer } from './child-server';
import { createConversations } from './conversations';
import { summarizeProfile } from './cpuprofile-summary';
import { LoadResult, runLoad } from './load';
import { StreamTimings, timeStreams } from './sse-timing';
import { median } from './stats';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { areaOfPayer, PERF_NODE_ARGS, perfAvailable, perfPayers, recordPerf } from './perf-payers';
import { LABELS, Target, writeRoutingFile } from './targets';
import {
  BENCH_API_KEY,
  BENCH_CALLER,
  ROUTED_GROUP,
  rotatingBodies,
  stickyIds,
  UPSTREAM_KEY,
} from './workload';

/**
 * Before/after comparison of builds of the gateway, for hot-path work on a noisy machine:
 * `node .bench/bench/ab.js base=<dist dir> other=<dist dir> … [--rounds 6] [--seconds 3]
 * [--cache redis|memory] [--connections 50,1] [--sse <streams per round>] [--ref]
 * [--profile-dir DIR]`; `name=<dist>+KEY=VALUE` sets a variable for that build only (an
 * ablation: `quiet=<dist>+LOG_LEVEL=warn`); `name=<dist>:routing`
 * runs that build with a routing file of three deployments (bench/targets.ts, its own Redis
 * database) and sends it the group's name as `model`. All builds run at once against the same upstream
 * and Redis, beside the bare proxy; each round runs every target back to back (rotated), and
 * ratios to the first build are taken within rounds, then median'd. `--ref` adds the minimal
 * Nest + Express proxy (bench/reference-proxy.ts) as a target; `--profile-dir` starts every build
 * with `--cpu-prof` into `DIR/<name>` (written when the build is stopped at the end);
 * `--perf DIR` adds one run per target under Linux `perf` and prints true CPU per request by
 * area of the payer (bench/perf-payers.ts).
 */
interface AbOptions {
  /** `env`: variables set for that build only (ablations: `quiet=<dist>+LOG_LEVEL=warn`). */
  builds: Array<{ name: string; dist: string; routing: boolean; env: Record<string, string> }>;
  rounds: number;
  seconds: number;
  cache: 'redis' | 'memory';
  connections: number[];
  /** Streams per target and round for an SSE time-to-first-byte comparison (0: none). */
  sse: number;
  /** Also run the minimal Nest + Express proxy. */
  ref: boolean;
  /** Where each build writes its `--cpu-prof` profile (undefined: no profile). */
  profileDir: string | undefined;
  /** Where `perf record` data goes for the true-CPU table (undefined: none). */
  perfDir: string | undefined;
}

function parse(argv: string[]): AbOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const builds = argv
    .filter((arg) => /^[\w-]+=/.test(arg))
    .map((arg) => {
      const [spec, ...overrides] = arg.slice(arg.indexOf('=') + 1).split('+');
      const routing = spec.endsWith(':routing');
      return {
        name: arg.slice(0, arg.indexOf('=')),
        dist: resolve(routing ? spec.slice(0, -':routing'.length) : spec),
        routing,
        env: Object.fromEntries(
          overrides.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]),
        ),
      };
    });
  if (builds.length < 2) {
    throw new Error(
      'usage: node .bench/bench/ab.js base=<dist> other=<dist> … [--rounds N] [--seconds S]',
    );
  }
  return {
    builds,
    rounds: Number(value('--rounds') ?? 6),
    seconds: Number(value('--seconds') ?? 3),
    cache: value('--cache') === 'memory' ? 'memory' : 'redis',
    connections: (value('--connections') ?? '50,1')
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
    sse: Number(value('--sse') ?? 0),
    ref: argv.includes('--ref'),
    profileDir: value('--profile-dir'),
    perfDir: value('--perf'),
  };
}
/**
 * `<dist>/main.js` as its own process (test/support's startGatewayProcess, the same as the full
 * harness runs), its output discarded rather than kept.
 */
async function startBuild(
  dist: string,
  env: Record<string, string>,
  profileDir: string | undefined,
  perf: boolean,
): Promise<{ origin: string; child: ChildProcess }> {
  const nodeArgs = [
    ...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]),
    ...(perf ? PERF_NODE_ARGS : []),
  ];
  const gateway = await startGatewayProcess(env, { dist, nodeArgs });
  const { child } = gateway;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.removeAllListeners('data');
    stream?.resume();
  }
  process.on('exit', () => child.kill('SIGKILL'));
  return { origin: gateway.url, child };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  if (options.perfDir !== undefined && !perfAvailable()) {
    throw new Error('--perf needs Linux perf on PATH (Debian: apt-get install linux-perf)');
  }
  const redis = await startRedisServer();
  const upstream = await startChildServer('mock-upstream');
  const bare = await startChildServer('bare-proxy', [upstream.origin]);
  const env = {
    LOG_LEVEL: 'info',
    API_KEYS: `${BENCH_CALLER}:${BENCH_API_KEY}`,
    OPENAI_BASE_URL: `${upstream.origin}/v1`,
    OPENAI_API_KEY: UPSTREAM_KEY,
    DEFAULT_PROVIDER: 'openai',
    CACHE_BACKEND: options.cache,
    REDIS_URL: redis.url,
  };
  const routingDir = mkdtempSync(join(tmpdir(), 'sentinel-ab-routing-'));
  const routingEnv = {
    ROUTING_CONFIG_FILE: writeRoutingFile(routingDir, upstream.origin),
    REDIS_URL: `${redis.url}/1`,
  };
  const started = [];
  for (const build of options.builds)
    started.push({
      ...build,
      ...(await startBuild(
        build.dist,
        { ...env, ...(build.routing ? routingEnv : {}), ...build.env },
        options.profileDir === undefined ? undefined : resolve(options.profileDir, build.name),
        options.perfDir !== undefined,
      )),
    });
  const targets = new Map<string, Target>([
    [
      'bare',
      {
        name: 'bare',
        label: LABELS.bare,
        origin: bare.origin,
        path: '/v1/chat/completions',
        pid: bare.pid,
      },
    ],
  ]);
  for (const s of started) {
    targets.set(s.name, {
      name: 'gw-redis',
      label: s.name,
      origin: s.origin,
      path: '/native/v1/chat/completions',
      pid: s.child.pid!,
      model: s.routing ? ROUTED_GROUP : undefined,
    });
  }
  const ref = options.ref
    ? await startChildServer(
        'reference-proxy',
        [upstream.origin],
        options.perfDir === undefined ? undefined : PERF_NODE_ARGS,
      )
    : undefined;
  if (ref !== undefined)
    targets.set('ref-proxy', {
      name: 'ref-proxy',
      label: LABELS['ref-proxy'],
      origin: ref.origin,
      path: '/v1/chat/completions',
      pid: ref.pid,
    });
  const names = [...targets.keys()];
  const base = options.builds[0].name;
  const ids = stickyIds(2_000);
  const firstPlain = started.find((s) => !s.routing);
  const firstRouted = started.find((s) => s.routing);
  for (const s of started) {
    if (
      s === firstPlain ||
      s === firstRouted ||
      (s.env.CACHE_BACKEND ?? options.cache) === 'memory'
    )
      await createConversations(targets.get(s.name)!, ids);
  }
  try {
    if (options.sse > 0)
      await compareStreams(
        targets,
        names.filter((n) => n !== 'ref-proxy'),
        base,
        ids,
        options,
      );
    for (const connections of options.connections) {
      const results = new Map<string, LoadResult[]>(names.map((n) => [n, []]));
      for (const name of names)
        await runLoad(targets.get(name)!, bodiesOf(targets.get(name)!, ids), {
          connections,
          durationSec: 1,
        });
      for (let round = 0; round < options.rounds; round++) {
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + round) % names.length];
          const result = await runLoad(targets.get(name)!, bodiesOf(targets.get(name)!, ids), {
            connections,
            durationSec: options.seconds,
          });
          results.get(name)!.push(result);
        }
      }
      const med = (name: string, f: (r: LoadResult, i: number) => number): number =>
        median(results.get(name)!.map(f));
      const ref = (name: string, i: number): LoadResult => results.get(name)![i];
      process.stdout.write(
        `sticky JSON, ${options.cache}, c=${connections}, ${options.rounds} rounds × ${options.seconds} s\n`,
      );
      for (const name of names) {
        process.stdout.write(
          `  ${name.padEnd(12)} ${med(name, (r) => r.rps)
            .toFixed(0)
            .padStart(6)} req/s ` +
            `(×bare ${med(name, (r, i) => r.rps / ref('bare', i).rps).toFixed(2)}, ×${base} ${med(name, (r, i) => r.rps / ref(base, i).rps).toFixed(3)})  ` +
            `CPU ${med(name, (r) => r.cpuMsPerRequest).toFixed(3)} ms/req ` +
            `(×bare ${med(name, (r, i) => r.cpuMsPerRequest / ref('bare', i).cpuMsPerRequest).toFixed(2)}, ` +
            `×${base} ${med(name, (r, i) => r.cpuMsPerRequest / ref(base, i).cpuMsPerRequest).toFixed(3)})  ` +
            `p50 ${med(name, (r) => r.p50).toFixed(2)} ms (${med(name, (r, i) => r.p50 - ref(base, i).p50).toFixed(3)} vs ${base})  ` +
            `p99 ${med(name, (r) => r.p99).toFixed(2)} ms` +
            (results.has('ref-proxy')
              ? `  CPU ×ref-proxy ${med(name, (r, i) => r.cpuMsPerRequest / ref('ref-proxy', i).cpuMsPerRequest).toFixed(2)}`
              : '') +
            (results.get(name)!.some((r) => r.failures > 0) ? '  FAILURES' : '') +
            '\n',
        );
      }
    }
    if (options.perfDir !== undefined)
      await perfTable(targets, names, ids, options.perfDir, options);
  } finally {
    const served = new Map<string, number>();
    for (const s of started) served.set(s.name, await requestsServed(s.origin));
    for (const s of started) {
      const exited = once(s.child, 'exit');
      s.child.kill('SIGTERM');
      await exited;
    }
    if (options.profileDir !== undefined) reportProfiles(options.profileDir, served);
    rmSync(routingDir, { recursive: true, force: true });
    await ref?.stop();
    await bare.stop();
    await upstream.stop();
    await redis.stop();
  }
}

/** Sticky SSE, one stream at a time: time to first byte per target, interleaved rounds. */
async function compareStreams(
  targets: Map<string, Target>,
  names: string[],
  base: string,
  ids: readonly string[],
  options: AbOptions,
): Promise<void> {
  const results = new Map<string, StreamTimings[]>(names.map((n) => [n, []]));
  const streamBodies = (t: Target): ReturnType<typeof rotatingBodies> =>
    rotatingBodies(ids, true, t.model);
  for (const name of names)
    await timeStreams(targets.get(name)!, streamBodies(targets.get(name)!), 20);
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      const timings = await timeStreams(
        targets.get(name)!,
        streamBodies(targets.get(name)!),
        options.sse,
      );
      results.get(name)!.push(timings);
    }
  }
  process.stdout.write(
    `sticky SSE, ${options.cache}, ${options.rounds} rounds × ${options.sse} streams\n`,
  );
  for (const name of names) {
    const runs = results.get(name)!;
    const vs = (other: string): number =>
      median(runs.map((r, i) => r.ttfbP50 - results.get(other)![i].ttfbP50));
    process.stdout.write(
      `  ${name.padEnd(12)} TTFB p50 ${median(runs.map((r) => r.ttfbP50)).toFixed(2)} ms ` +
        `(${vs('bare').toFixed(2)} vs bare, ${vs(base).toFixed(3)} vs ${base})  ` +
        `TTLB p50 ${median(runs.map((r) => r.ttlbP50)).toFixed(2)} ms\n`,
    );
  }
}

/**
 * One more run per target (bare proxy aside) at the first concurrency, under `perf record`:
 * its CPU per request split by area of the payer (bench/perf-payers.ts), in µs per request.
 */
async function perfTable(
  targets: Map<string, Target>,
  names: string[],
  ids: readonly string[],
  dir: string,
  options: AbOptions,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const connections = options.connections[0] ?? 50;
  const rows = new Map<string, Map<string, number>>();
  const measured = names.filter((n) => n !== 'bare');
  for (const name of measured) {
    const target = targets.get(name)!;
    const file = join(dir, `${name}.perf.data`);
    const recording = recordPerf(target.pid, file);
    await new Promise((r) => setTimeout(r, 300));
    const result = await runLoad(target, bodiesOf(target, ids), {
      connections,
      durationSec: options.seconds,
    });
    await recording.stop();
    const shares = perfPayers(file);
    const usPerRequest = result.cpuMsPerRequest * 1000;
    const row = new Map<string, number>();
    for (const [payer, share] of shares) {
      const area = areaOfPayer(payer);
      row.set(area, (row.get(area) ?? 0) + share * usPerRequest);
    }
    row.set('total (CPU ms/req from /proc)', usPerRequest);
    rows.set(name, row);
    // V8's symbol map for perf, in the system's temporary directory (perf looks there).
    rmSync(join(tmpdir(), `perf-${target.pid}.map`), { force: true });
  }
  const areas = [...new Set([...rows.values()].flatMap((m) => [...m.keys()]))].sort(
    (a, b) => (rows.get(measured[0])?.get(b) ?? 0) - (rows.get(measured[0])?.get(a) ?? 0),
  );
  process.stdout.write(
    `true CPU by area of the payer (perf, cpu-clock), µs per request, c=${connections}, one run of ${options.seconds} s each\n`,
  );
  process.stdout.write(`  ${''.padEnd(48)}${measured.map((n) => n.padStart(11)).join('')}\n`);
  for (const area of areas)
    process.stdout.write(
      `  ${area.slice(0, 46).padEnd(48)}${measured.map((n) => (rows.get(n)!.get(area) ?? 0).toFixed(1).padStart(11)).join('')}\n`,
    );
}

/** The build's own count of the requests it answered (its `sentinel_http_requests_total`). */
async function requestsServed(origin: string): Promise<number> {
  const text = await fetch(`${origin}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('sentinel_http_requests_total{')) total += Number(line.split(' ').pop());
  return total;
}

/** Each build's profile by area of a request, in µs of CPU per request it answered. */
function reportProfiles(dir: string, served: Map<string, number>): void {
  process.stdout.write(
    `CPU by area, µs per request answered (profiled, so inflated; ${[...served].map(([n, r]) => `${n} ${r}`).join(', ')} requests)\n`,
  );
  const rows = new Map<string, Map<string, number>>();
  for (const [name, requests] of served) {
    const sub = resolve(dir, name);
    const file = readdirSync(sub).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined || requests === 0) continue;
    const profile = JSON.parse(readFileSync(join(sub, file), 'utf8')) as Parameters<
      typeof summarizeProfile
    >[0];
    const summary = summarizeProfile(profile, 0, 3_000);
    const areas = new Map(summary.byArea.map((a) => [a.name, (a.selfMs * 1000) / requests]));
    areas.set(
      'total',
      [...areas.values()].reduce((a, b) => a + b, 0),
    );
    rows.set(name, areas);
  }
  const names = [...rows.keys()];
  const areas = [...new Set([...rows.values()].flatMap((m) => [...m.keys()]))];
  process.stdout.write(`  ${''.padEnd(60)}${names.map((n) => n.padStart(10)).join('')}\n`);
  for (const area of areas)
    process.stdout.write(
      `  ${area.slice(0, 58).padEnd(60)}${names.map((n) => (rows.get(n)!.get(area) ?? 0).toFixed(1).padStart(10)).join('')}\n`,
    );
}

const bodiesOf = (target: Target, ids: readonly string[]): ReturnType<typeof rotatingBodies> =>
  rotatingBodies(ids, false, target.model);

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
