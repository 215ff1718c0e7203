import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const READY_TIMEOUT_MS = 10_000;

/** A bench helper server (mock upstream, bare proxy) in its own process. */
export interface ChildServer {
  readonly origin: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Forks `<script>.js` from this directory and waits for the port it reports over IPC;
 * `execArgv`: Node's flags for the child (default: this process's).
 */
export async function startChildServer(
  script: string,
  args: string[] = [],
  execArgv?: string[],
): Promise<ChildServer> {
  const child: ChildProcess = fork(join(__dirname, `${script}.js`), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(execArgv === undefined ? {} : { execArgv }),
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), READY_TIMEOUT_MS);
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async (): Promise<void> => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
