import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './redis-server';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');
const READY_TIMEOUT_MS = 15_000;

export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (logs, for redaction checks). */
  output(): string;
  /** Sends a signal to this process only. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGKILLs the process if it is still running. */
  kill(): Promise<void>;
}

/**
 * Starts the production build (`dist/main.js`, built by `npm run build`, which `pretest` runs)
 * as a separate process on a free loopback port, with exactly the given environment on top of
 * a minimal one, and waits until /health/live answers.
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  options: { nodeArgs?: string[] } = {},
): Promise<GatewayProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), MAIN], {
    cwd: join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let ready = false;
  while (!ready && Date.now() < deadline && child.exitCode === null) {
    ready = await fetch(`${url}/health/live`)
      .then((r) => r.ok)
      .catch(() => false);
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`gateway did not start:\n${output}`);
  }
  return {
    url,
    pid: child.pid!,
    child,
    output: () => output,
    signal: (signal) => child.kill(signal),
    exited,
    kill: async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface GatewayExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the production build with exactly the given environment (on top of a minimal one) for
 * a process expected to exit by itself (a refused configuration); SIGKILLs it after
 * `timeoutMs` if it does not.
 */
export async function runGatewayUntilExit(
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<GatewayExit> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) =>
    child.once('close', (exitCode) => resolve(exitCode)),
  );
  clearTimeout(timer);
  return { code, stdout, stderr };
}
