import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file runs from `.bench/bench/`). */
export const REPO_ROOT = resolve(__dirname, '..', '..');
/** Where the bench is compiled to, gitignored. */
export const BENCH_OUT = join(REPO_ROOT, '.bench');
/**
 * A private copy of the production build. test/support/gateway-process.ts, compiled to
 * `.bench/test/support/`, starts `<its dir>/../../dist/main.js`, i.e. this copy; a colleague's
 * `npm run build` (which empties dist/ first) can then not pull the build from under a run.
 */
export const GATEWAY_DIST = join(BENCH_OUT, 'dist');

/** Copies dist/ (built by `npm run build` just before) to GATEWAY_DIST. */
export function snapshotBuild(): void {
  const dist = join(REPO_ROOT, 'dist');
  if (!existsSync(join(dist, 'main.js'))) {
    throw new Error('dist/main.js is missing: `npm run bench` builds it first');
  }
  rmSync(GATEWAY_DIST, { recursive: true, force: true });
  cpSync(dist, GATEWAY_DIST, { recursive: true });
}
