import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SessionsMemory } from './memory-sessions';
import { GATEWAY_DIST } from './paths';

/** Runs memory-sessions.js in a fresh Node process (nothing else on its heap). */
export async function measureSessionsMemory(count: number): Promise<SessionsMemory> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', join(__dirname, 'memory-sessions.js'), GATEWAY_DIST, String(count)],
    { maxBuffer: 1024 * 1024, timeout: 180_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as SessionsMemory;
}
