import { spawnSync } from 'node:child_process';

const runs = (command: string, args: string[]): boolean =>
  spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/**
 * Makes sure `command` runs (`command --version` succeeds). When it does not and we are root on
 * a Debian-like system, installs `debianPackage` with apt-get; otherwise, or when that fails,
 * throws a one-line message saying how to install it. The tests never use a service the package
 * may start: each starts its own process on a free port.
 */
export function ensureDebianCommand(command: string, debianPackage: string, usedBy: string): void {
  if (runs(command, ['--version'])) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && runs('apt-get', ['--version'])) {
    process.stderr.write(`${usedBy} need ${command}: installing Debian package ${debianPackage}\n`);
    const install = spawnSync(
      'sh',
      [
        '-c',
        `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${debianPackage}`,
      ],
      { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
    if (install.status === 0 && runs(command, ['--version'])) return;
  }
  throw new Error(`${usedBy} need ${command}: apt-get install ${debianPackage}`);
}
