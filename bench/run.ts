import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AdapterSseResults, runAdapterSseRounds, summarizeAdapterSse } from './adapter-sse';
import { createConversations } from './conversations';
import { jsonRuns, RoundResults, runJsonRounds, warmUp } from './json-rounds';
import type { SessionsMemory } from './memory-sessions';
import { parseOptions } from './options';
import { REPO_ROOT, snapshotBuild } from './paths';
import { profileGateway, ProfileRun } from './profile';
import {
  adapterSseConsole,
  adapterSseMarkdown,
  BenchReport,
  consoleReport,
  Machine,
  markdownReport,
} from './report';
import { checkRoundTrips } from './round-trips';
import { measureSessionsMemory } from './sessions-memory';
import { runSoak, SoakResult } from './soak';
import { runSseRounds } from './sse-rounds';
import { COMPARISONS, summarizeComparisons, summarizeJson, summarizeSse } from './summary';
import { startLab } from './targets';
import { adapterVerdicts, evaluateTargets } from './verdicts';
import { stickyIds } from './workload';

/** Sticky conversations opened per gateway before the run; requests rotate through them. */
const STICKY_CONVERSATIONS = { quick: 1_000, full: 2_000 };

const log = (line: string): void => void process.stdout.write(`${line}\n`);

function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let nproc = cpus().length;
  let redis = 'redis-server';
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
    redis = `redis-server ${/v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? ''}`;
  } catch {
    // keep the fallbacks
  }
  return {
    cpus: nproc,
    cpuModel: model,
    node: process.version,
    date: new Date().toISOString(),
    redis,
  };
}

const totalRequests = (results: RoundResults, target: string): number =>
  [...results.entries()]
    .filter(([key]) => key.endsWith(`:${target}`))
    .reduce((n, [, runs]) => n + runs.reduce((m, r) => m + r.requests, 0), 0);

/** The Redis-backed gateway and the round-trip check need a real redis-server. */
function requireRedisServer(): void {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the bench needs redis-server on the PATH: apt-get install redis-server');
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  requireRedisServer();
  const started = performance.now();
  snapshotBuild();
  const host = machine();
  log(`Sentinel bench: ${options.command}; ${host.cpus} CPUs, Node ${host.node}`);

  const lab = await startLab();
  if (options.adaptersOnly) return adaptersOnly(options, host, lab, started);
  const ids = stickyIds(options.quick ? STICKY_CONVERSATIONS.quick : STICKY_CONVERSATIONS.full);
  let c50: RoundResults;
  let c1: RoundResults;
  let compared: RoundResults;
  let sse: Awaited<ReturnType<typeof runSseRounds>>;
  let adapterSse: AdapterSseResults;
  let roundTrips: Awaited<ReturnType<typeof checkRoundTrips>>;
  let profile: ProfileRun | undefined;
  let soak: SoakResult | undefined;
  const logBytesPerRequest: Record<string, number> = {};
  try {
    log(`opening ${ids.length} conversations on each gateway`);
    await createConversations(lab.target('gw-memory'), ids);
    await createConversations(lab.target('gw-redis'), ids);
    await createConversations(lab.target('gw-routing'), ids);
    const runs = jsonRuns(lab, ids);
    log('warming up');
    await warmUp(runs, options.warmupSeconds);

    const logBytesBefore = new Map(lab.targets.map((t) => [t.name, t.gateway?.logBytes() ?? 0]));
    log('JSON, 50 connections');
    c50 = await runJsonRounds(
      runs,
      { connections: 50, durationSec: options.c50Seconds, rounds: options.rounds },
      log,
    );
    log('JSON, 1 connection');
    c1 = await runJsonRounds(
      runs,
      { connections: 1, durationSec: options.c1Seconds, rounds: options.rounds },
      log,
    );
    // The comparisons' own block: only their rows, in short runs back to back. In the 12-row
    // rounds above a row runs about once a minute, and the reference's own CPU per request
    // swung 5x between those runs; back to back it holds still.
    log('JSON, comparisons back to back, 50 connections');
    const comparisonKeys = [...new Set(COMPARISONS.flatMap((c) => [c.subject, c.reference]))];
    const comparisonRuns = jsonRuns(lab, ids, comparisonKeys);
    // The SSE rows run only in this block: their path is warmed first, as the JSON rows' was.
    await warmUp(
      comparisonRuns.filter((r) => r.key.startsWith('stream:')),
      options.warmupSeconds,
    );
    compared = await runJsonRounds(
      comparisonRuns,
      { connections: 50, durationSec: options.comparisonSeconds, rounds: options.rounds },
      log,
    );
    for (const t of lab.targets) {
      if (t.gateway === undefined) continue;
      const requests =
        totalRequests(c50, t.name) + totalRequests(c1, t.name) + totalRequests(compared, t.name);
      logBytesPerRequest[t.name] = (t.gateway.logBytes() - logBytesBefore.get(t.name)!) / requests;
    }

    log('SSE');
    sse = await runSseRounds(
      lab,
      ids,
      {
        rounds: options.rounds,
        streams: options.streamsPerRound,
        slowStreams: options.slowStreamsPerRound,
      },
      log,
    );

    log('SSE: anthropic adapter vs openai adapter');
    adapterSse = await runAdapterSseRounds(
      lab,
      { rounds: options.rounds, streams: options.streamsPerRound },
      log,
    );

    log('Redis round trips');
    roundTrips = await checkRoundTrips(
      lab.target('gw-redis'),
      lab.redis.url,
      ids,
      options.quick ? 50 : 200,
    );
    for (const r of roundTrips)
      log(`  ${r.scenario}: ${r.commands} commands for ${r.requests} requests`);

    if (options.profileSeconds > 0) {
      log(`CPU profile (${options.profileSeconds} s)`);
      profile = await profileGateway(lab, ids, options.profileSeconds);
      log(`  ${profile.file}`);
    }
    if (options.soakSeconds > 0) {
      log(`soak (${options.soakSeconds} s)`);
      soak = await runSoak(lab, ids, options.soakSeconds, log);
    }
  } catch (error) {
    for (const t of lab.targets)
      if (t.gateway !== undefined) log(`--- ${t.name} output:\n${t.gateway.tail()}`);
    throw error;
  } finally {
    await lab.stop();
  }

  let sessions: SessionsMemory | undefined;
  if (options.sessions > 0) {
    log(`in-memory backend with ${options.sessions} sessions`);
    sessions = await measureSessionsMemory(options.sessions);
  }

  const json = summarizeJson(c50, c1);
  const comparisons = summarizeComparisons(compared, c1);
  const sseRows = summarizeSse(sse);
  const adapterRows = summarizeAdapterSse(adapterSse);
  const report: BenchReport = {
    options,
    machine: host,
    json,
    comparisons,
    sse: sseRows,
    adapterSse: adapterRows,
    verdicts: evaluateTargets(json, sseRows, soak, sessions, adapterRows, comparisons),
    roundTrips,
    soak,
    sessions,
    profile,
    logBytesPerRequest,
    runSeconds: (performance.now() - started) / 1000,
  };
  log('');
  log(consoleReport(report));
  const out = resolve(REPO_ROOT, options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdownReport(report));
  log(`\nreport: ${out} (${(report.runSeconds / 60).toFixed(1)} min)`);
}

/** `--adapters-only`: the anthropic vs openai adapter SSE comparison, and nothing else. */
async function adaptersOnly(
  options: ReturnType<typeof parseOptions>,
  host: Machine,
  lab: Awaited<ReturnType<typeof startLab>>,
  started: number,
): Promise<void> {
  let results: AdapterSseResults;
  try {
    log('SSE: anthropic adapter vs openai adapter');
    results = await runAdapterSseRounds(
      lab,
      { rounds: options.rounds, streams: options.streamsPerRound },
      log,
    );
  } catch (error) {
    const gateway = lab.target('gw-memory').gateway;
    if (gateway !== undefined) log(`--- gw-memory output:\n${gateway.tail()}`);
    throw error;
  } finally {
    await lab.stop();
  }
  const rows = summarizeAdapterSse(results);
  const verdicts = adapterVerdicts(rows);
  log('');
  log(adapterSseConsole(rows));
  for (const v of verdicts) log(`${v.met ? ' OK' : 'MISS'}  ${v.target}: ${v.measured}`);
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  const lines = [
    '# Sentinel benchmarks: anthropic adapter vs openai adapter',
    '',
    `<!-- Generated by \`${options.command}\` (bench/report.ts). -->`,
    '',
    `Generated ${host.date} by \`${options.command}\` in ${minutes} min; ${host.cpus} CPUs ` +
      `(${host.cpuModel}), Node ${host.node}; ${options.rounds} interleaved rounds.`,
    '',
    ...verdicts.map(
      (v) => `- ${v.target}: ${v.measured} (${v.met ? 'met' : '**missed**'}, ${v.margin})`,
    ),
    '',
    ...adapterSseMarkdown(rows, options.streamsPerRound),
  ];
  const out = resolve(REPO_ROOT, options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${lines.join('\n')}\n`);
  log(`\nreport: ${out} (${minutes} min)`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
