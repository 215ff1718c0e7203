import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarizeProfile, ProfileSummary } from './cpuprofile-summary';
import { startBenchGateway } from './gateway';
import { runLoad } from './load';
import { BENCH_OUT } from './paths';
import { Lab, LABELS, Target } from './targets';
import { rotatingBodies } from './workload';

export interface ProfileRun {
  seconds: number;
  rps: number;
  file: string;
  /** Left out of the summary: from spawn until the gateway answered its health check. */
  bootMs: number;
  summary: ProfileSummary;
}

/**
 * A Redis-backed gateway started with `--cpu-prof`, under sticky JSON load at concurrency 50;
 * SIGTERM makes it shut down gracefully (exit 0), which is when V8 writes the profile.
 */
export async function profileGateway(
  lab: Lab,
  stickyIds: readonly string[],
  seconds: number,
): Promise<ProfileRun> {
  const dir = join(BENCH_OUT, 'profiles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spawnedAt = performance.now();
  const gateway = await startBenchGateway({
    cache: 'redis',
    upstreamOrigin: lab.upstream.origin,
    redisUrl: lab.redis.url,
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  // The profile starts with the process: its boot is left out of the summary.
  const bootMs = performance.now() - spawnedAt;
  const target: Target = {
    name: 'gw-redis',
    label: LABELS['gw-redis'],
    origin: gateway.process.url,
    path: '/native/v1/chat/completions',
    pid: gateway.process.pid,
    gateway,
  };
  const load = await runLoad(target, rotatingBodies(stickyIds), {
    connections: 50,
    durationSec: seconds,
  });
  const code = await gateway.stop(15_000);
  if (code !== 0) throw new Error(`profiled gateway exited with ${code}:\n${gateway.tail()}`);
  const name = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (name === undefined) throw new Error('no .cpuprofile written');
  const file = join(dir, name);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof summarizeProfile>[0];
  return { seconds, rps: load.rps, file, bootMs, summary: summarizeProfile(profile, 25, bootMs) };
}
