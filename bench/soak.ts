import { startBenchGateway } from './gateway';
import { runLoad } from './load';
import { MB, rssBytes } from './proc-stats';
import { median } from './stats';
import { Lab, LABELS, Target } from './targets';
import { rotatingBodies } from './workload';

export interface SoakResult {
  seconds: number;
  warmupSeconds: number;
  rps: number;
  failures: number;
  /** RSS in MB, one sample per second from the start of the load. */
  rssMb: number[];
  /** Medians of five samples around the end of warm-up and of the last five samples. */
  warmRssMb: number;
  finalRssMb: number;
  maxRssMb: number;
  growthPercent: number;
}

/**
 * Sustained sticky JSON load (concurrency 50) on a freshly started Redis-backed gateway,
 * sampling its RSS every second. Growth is measured from the end of warm-up (the first quarter,
 * at least 10 s) to the end, on medians of five samples so one GC sawtooth does not decide it.
 */
export async function runSoak(
  lab: Lab,
  stickyIds: readonly string[],
  seconds: number,
  log: (line: string) => void,
): Promise<SoakResult> {
  const gateway = await startBenchGateway({
    cache: 'redis',
    upstreamOrigin: lab.upstream.origin,
    redisUrl: lab.redis.url,
  });
  const target: Target = {
    name: 'gw-redis',
    label: LABELS['gw-redis'],
    origin: gateway.process.url,
    path: '/native/v1/chat/completions',
    pid: gateway.process.pid,
    gateway,
  };
  const samples: number[] = [];
  const sampler = setInterval(() => {
    samples.push(rssBytes(target.pid) / MB);
    if (samples.length % 10 === 0)
      log(`  soak ${samples.length}s RSS ${samples.at(-1)!.toFixed(1)} MB`);
  }, 1000);
  try {
    const load = await runLoad(target, rotatingBodies(stickyIds), {
      connections: 50,
      durationSec: seconds,
    });
    clearInterval(sampler);
    const warmupSeconds = Math.max(10, Math.round(seconds / 4));
    const around = (i: number): number => median(samples.slice(Math.max(0, i - 2), i + 3));
    const warmRssMb = around(warmupSeconds - 1);
    const finalRssMb = median(samples.slice(-5));
    return {
      seconds,
      warmupSeconds,
      rps: load.rps,
      failures: load.failures,
      rssMb: samples,
      warmRssMb,
      finalRssMb,
      maxRssMb: Math.max(...samples),
      growthPercent: ((finalRssMb - warmRssMb) / warmRssMb) * 100,
    };
  } finally {
    clearInterval(sampler);
    await gateway.stop();
  }
}
