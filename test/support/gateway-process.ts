import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './redis-server';

const DIST = join(__dirname, '..', '..', 'dist');
const READY_TIMEOUT_MS = 15_000;

/**
 * `<dist>/main.js` as its own process on `port` (loopback), with exactly `env` on top of a
 * minimal environment; its working directory is the build's checkout, as for `npm start`.
 */
function spawnBuild(
  dist: string,
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): ChildProcess {
  const main = join(dist, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  return spawn(process.execPath, [...nodeArgs, main], {
    cwd: join(dist, '..'),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

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
 * Starts the production build (`dist/main.js`, built by `npm run build`, which `pretest` runs;
 * or another build's `dist`) as a separate process on a free loopback port, with exactly the
 * given environment on top of a minimal one, and waits until /health/live answers.
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; dist?: string } = {},
): Promise<GatewayProcess> {
  const port = await freePort();
  let output = '';
  const child = spawnBuild(
    options.dist ?? DIST,
    port,
    { LOG_LEVEL: 'info', ...env },
    options.nodeArgs,
  );
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
  const child = spawnBuild(DIST, await freePort(), env);
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
