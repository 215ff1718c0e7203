import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { cpuMs, rssBytes } from './proc-stats';
import { Samples } from './stats';
import type { Target } from './targets';
import { BodySource, HEADERS } from './workload';

export interface LoadOptions {
  connections: number;
  durationSec: number;
}

/**
 * One autocannon run against one target. Latencies are exact (float ms), not autocannon's
 * 1-ms histogram buckets.
 */
export interface LoadResult {
  requests: number;
  /** Responses that were not 2xx, plus connection errors and timeouts. */
  failures: number;
  rps: number;
  p50: number;
  p99: number;
  /** CPU time of the target's process per completed request. */
  cpuMsPerRequest: number;
  /** The target process's RSS at the end of the run. */
  rssBytes: number;
  /** CPU time of the load generator (this process) per completed request. */
  driverCpuMsPerRequest: number;
}

/**
 * Drives `target` with autocannon for a fixed duration, every request's body taken from
 * `bodies` (so targets in one scenario receive identical bytes and the load generator does the
 * same work for each). CPU time is read from /proc before and after.
 */
export async function runLoad(
  target: Target,
  bodies: BodySource,
  options: LoadOptions,
): Promise<LoadResult> {
  const latencies = new Samples();
  let failures = 0;
  let lastResponseAt = 0;
  const cpuBefore = cpuMs(target.pid);
  const driverBefore = process.cpuUsage();
  const startedAt = performance.now();
  const instance = autocannon({
    url: target.origin,
    connections: options.connections,
    duration: options.durationSec,
    // autocannon stops on its sampling tick (default every second): 100 ms keeps runs short.
    sampleInt: 100,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: HEADERS,
        setupRequest: (request) => ({ ...request, body: bodies() }),
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    lastResponseAt = performance.now();
    if (status >= 200 && status < 300) latencies.push(ms);
    else failures++;
  });
  const result = await instance;
  const cpuAfter = cpuMs(target.pid);
  const driver = process.cpuUsage(driverBefore);
  const requests = latencies.count;
  const [p50, p99] = latencies.percentiles(50, 99);
  return {
    requests,
    failures: failures + result.errors + result.timeouts,
    rps: requests === 0 ? 0 : requests / ((lastResponseAt - startedAt) / 1000),
    p50,
    p99,
    cpuMsPerRequest: requests === 0 ? Number.NaN : (cpuAfter - cpuBefore) / requests,
    rssBytes: rssBytes(target.pid),
    driverCpuMsPerRequest: (driver.user + driver.system) / 1000 / requests,
  };
}
