import { GatewayProcess, startGatewayProcess } from '../test/support/gateway-process';
import { BENCH_API_KEY, BENCH_CALLER, UPSTREAM_KEY } from './workload';

export type CacheKind = 'memory' | 'redis';

export interface BenchGateway {
  readonly process: GatewayProcess;
  /** Bytes the gateway wrote to stdout/stderr since start (its logs). */
  logBytes(): number;
  /** The last few KB of its output, for a failure message. */
  tail(): string;
  /** SIGTERM (graceful shutdown, exit 0), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts the production build as a separate process (test/support's startGatewayProcess) with
 * the production default LOG_LEVEL=info, so whatever the gateway logs per request is paid for.
 * Its output is read and dropped (a full pipe would block the gateway), keeping only a tail.
 */
export async function startBenchGateway(options: {
  cache: CacheKind;
  upstreamOrigin: string;
  /** The mock Messages API: enables the implicit `anthropic` deployment. */
  anthropicOrigin?: string;
  redisUrl?: string;
  nodeArgs?: string[];
  env?: Record<string, string>;
}): Promise<BenchGateway> {
  const gateway = await startGatewayProcess(
    {
      LOG_LEVEL: 'info',
      API_KEYS: `${BENCH_CALLER}:${BENCH_API_KEY}`,
      OPENAI_BASE_URL: `${options.upstreamOrigin}/v1`,
      OPENAI_API_KEY: UPSTREAM_KEY,
      DEFAULT_PROVIDER: 'openai',
      CACHE_BACKEND: options.cache,
      ...(options.anthropicOrigin === undefined
        ? {}
        : { ANTHROPIC_BASE_URL: options.anthropicOrigin, ANTHROPIC_API_KEY: UPSTREAM_KEY }),
      ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }),
      ...options.env,
    },
    { nodeArgs: options.nodeArgs },
  );
  const killOnExit = (): void => void gateway.child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let bytes = gateway.output().length;
  let tail = gateway.output().slice(-4096);
  for (const stream of [gateway.child.stdout, gateway.child.stderr]) {
    stream?.removeAllListeners('data');
    stream?.on('data', (data: Buffer) => {
      bytes += data.length;
      tail = (tail + data.toString()).slice(-4096);
    });
  }
  return {
    process: gateway,
    logBytes: () => bytes,
    tail: () => tail,
    stop: async (graceMs = 10_000): Promise<number | null> => {
      gateway.signal('SIGTERM');
      const timer = setTimeout(() => void gateway.kill(), graceMs);
      const code = await gateway.exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
      return code;
    },
  };
}
