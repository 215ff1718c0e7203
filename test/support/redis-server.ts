import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server this process started on a loopback port; it only ever signals its own PID. */
export interface RedisServerHandle {
  readonly port: number;
  readonly url: string;
  /** PID of the current process (it changes after restart()). */
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s) and removes its directory. */
  stop(): Promise<void>;
  /** Stops it and starts a fresh, empty one on the same port. */
  restart(): Promise<void>;
  /** SIGSTOP: the socket stays open but nothing answers (a hung Redis). */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
}

const READY_TIMEOUT_MS = 5_000;

/**
 * Starts an empty, non-persistent redis-server on 127.0.0.1 and waits until it answers PING:
 * on a free port, or on `options.port` (e.g. one a client was told to use before Redis is up).
 */
export async function startRedisServer(
  options: { port?: number } = {},
): Promise<RedisServerHandle> {
  if (options.port !== undefined) return RedisServer.start(options.port);
  let lastError: unknown;
  // The free port may be taken between our probe and redis binding it: try a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await RedisServer.start(await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

class RedisServer implements RedisServerHandle {
  readonly url: string;
  private readonly cleanupOnExit = (): void => {
    this.child?.kill('SIGKILL');
  };

  private constructor(
    readonly port: number,
    private child: ChildProcess | undefined,
    private dir: string,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
    process.on('exit', this.cleanupOnExit);
  }

  static async start(port: number): Promise<RedisServer> {
    const { child, dir } = await launch(port);
    return new RedisServer(port, child, dir);
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  async stop(): Promise<void> {
    await this.halt();
    process.off('exit', this.cleanupOnExit);
  }

  async restart(): Promise<void> {
    await this.halt();
    const { child, dir } = await launch(this.port);
    this.child = child;
    this.dir = dir;
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  private async halt(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGCONT'); // a paused server cannot act on SIGTERM
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function launch(port: number): Promise<{ child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--daemonize', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  try {
    await Promise.race([waitForPong(port, child), spawnError]);
    return { child, dir };
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`redis-server on port ${port} did not start: ${reason}\n${output}`);
  }
}

async function waitForPong(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no PONG within ${READY_TIMEOUT_MS} ms`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** A loopback TCP port nothing listens on (at the moment of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
