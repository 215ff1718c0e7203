import { spawnSync } from 'node:child_process';

const HINT = 'integration tests need redis-server: apt-get install redis-server';

const runs = (command: string, args: string[]): boolean =>
  spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/**
 * Jest globalSetup of the integration project: only makes sure `redis-server` is installed
 * (each test file starts its own server on a free port). Installs it when we are root on a
 * Debian-like system; never starts, uses or stops a system Redis (the package may start one).
 */
export default function redisGlobalSetup(): void {
  if (runs('redis-server', ['--version'])) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && runs('apt-get', ['--version'])) {
    const install = spawnSync(
      'sh',
      ['-c', 'apt-get update -qq && apt-get install -y -qq redis-server'],
      { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
    if (install.status === 0 && runs('redis-server', ['--version'])) return;
  }
  throw new Error(HINT);
}
