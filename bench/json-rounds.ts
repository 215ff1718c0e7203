import { LoadResult, runLoad } from './load';
import type { Lab, Target, TargetName } from './targets';
import { BodySource, chatBody, constantBody, freshBodies, rotatingBodies } from './workload';

/**
 * `proxy` rows are direct and bare (they know nothing of sessions: one row each); `reference`
 * rows are the framework-only apps, which answer without calling the upstream; `stream` rows
 * are sticky SSE under load (the comparisons' block only, not the JSON rounds).
 */
export type JsonScenario = 'proxy' | 'reference' | 'stateless' | 'sticky' | 'new' | 'stream';
export type RowKey = `${JsonScenario}:${TargetName}`;

export const JSON_ROWS: RowKey[] = [
  'proxy:direct',
  'proxy:bare',
  'proxy:ref-proxy',
  'reference:ref-express',
  'reference:ref-nest',
  'stateless:gw-memory',
  'stateless:gw-redis',
  'sticky:gw-memory',
  'sticky:gw-redis',
  'sticky:gw-routing',
  'new:gw-memory',
  'new:gw-redis',
];

export const SCENARIO_LABELS: Record<JsonScenario, string> = {
  proxy: 'JSON pass-through',
  reference: 'framework floor (no upstream)',
  stateless: 'stateless JSON',
  sticky: 'sticky JSON (existing conversation)',
  new: 'new-conversation JSON',
  stream: 'sticky SSE under load',
};

interface RunSpec {
  key: RowKey;
  target: Target;
  bodies: BodySource;
}

/** For each row, one result per round. */
export type RoundResults = Map<RowKey, LoadResult[]>;

/**
 * The runs of one round. Direct and the bare proxy get the sticky bodies (a conversation_id
 * they pass through untouched), so every row sends bodies of the same size.
 */
export function jsonRuns(
  lab: Lab,
  stickyIds: readonly string[],
  keys: readonly RowKey[] = JSON_ROWS,
): RunSpec[] {
  return keys.map((key) => {
    const scenario = key.split(':')[0] as JsonScenario;
    const target = lab.target(key.split(':')[1] as TargetName);
    const spec = (bodies: BodySource): RunSpec => ({ key, target, bodies });
    switch (scenario) {
      case 'proxy':
      case 'reference':
      case 'sticky':
        return spec(rotatingBodies(stickyIds, false, target.model));
      case 'stateless':
        return spec(constantBody(chatBody()));
      case 'new':
        return spec(freshBodies());
      case 'stream':
        return spec(rotatingBodies(stickyIds, true, target.model));
    }
  });
}

/**
 * `rounds` interleaved rounds at one concurrency: every row runs once per round, back to back,
 * the order rotated each round, so machine drift lands on every row alike.
 */
export async function runJsonRounds(
  runs: RunSpec[],
  options: { connections: number; durationSec: number; rounds: number },
  log: (line: string) => void,
): Promise<RoundResults> {
  const results: RoundResults = new Map(runs.map((r) => [r.key, []]));
  for (let round = 0; round < options.rounds; round++) {
    const order = runs.map((_, i) => runs[(i + round * 3) % runs.length]);
    for (const run of order) {
      const result = await runLoad(run.target, run.bodies, options);
      results.get(run.key)!.push(result);
      log(
        `  c=${options.connections} round ${round + 1}/${options.rounds} ${run.key.padEnd(20)} ` +
          `${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  ` +
          `p99 ${result.p99.toFixed(2)} ms${result.failures > 0 ? `  FAILURES ${result.failures}` : ''}`,
      );
    }
  }
  return results;
}

/** Brief load on every row's target before measuring: JIT, connection pools, Redis scripts. */
export async function warmUp(runs: RunSpec[], seconds: number): Promise<void> {
  for (const run of runs) {
    await runLoad(run.target, run.bodies, { connections: 50, durationSec: seconds });
  }
}
