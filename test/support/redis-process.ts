import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';

/** One redis-server (data node or sentinel) this process started; signalled by its own PID. */
export interface RedisProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** The last 2 kB it printed, for start-up failures. */
  output(): string;
}

const READY_TIMEOUT_MS = 10_000;

/** Starts `redis-server <args>` in the foreground and waits until it answers PING on `port`. */
export async function spawnRedis(port: number, args: string[]): Promise<RedisProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const handle: RedisProcess = { port, child, output: () => output };
  try {
    await waitFor(`redis-server on ${port} answers PING`, async () => {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
      return (await command(port, ['PING'])) === 'PONG';
    });
    return handle;
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  }
}

/** SIGKILLs the process if it still runs and waits for its exit (a crash, not a shutdown). */
export async function killRedis(
  handle: RedisProcess,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  const { child } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGCONT');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

/** Sends one command on a short-lived connection; rejects when nothing answers within 1 s. */
export async function command(port: number, args: string[]): Promise<unknown> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [name, ...rest] = args;
    return await client.call(name, ...rest);
  } finally {
    client.disconnect();
  }
}

/** Polls `check` every 100 ms until it returns true; throws naming `what` after the timeout. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<number> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return Date.now() - started;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) {
      const reason = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`${what}: not within ${timeoutMs} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The common arguments of a throw-away, non-persistent server on 127.0.0.1. */
export const ephemeralArgs = (port: number, dir: string): string[] => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--daemonize',
  'no',
];
