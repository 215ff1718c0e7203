import type { EnvironmentVariables } from './env.schema';
import { parseHostPorts } from './parse-host-ports';

/** What each REDIS_MODE needs, and the variables that belong to another mode. */
const OWN: Record<EnvironmentVariables['REDIS_MODE'], string[]> = {
  standalone: [],
  cluster: ['REDIS_CLUSTER_NODES'],
  sentinel: ['REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'],
};
const REQUIRED: Record<EnvironmentVariables['REDIS_MODE'], string[]> = {
  standalone: [],
  cluster: ['REDIS_CLUSTER_NODES'],
  sentinel: ['REDIS_SENTINELS', 'REDIS_SENTINEL_NAME'],
};

/**
 * Cross-variable checks of the Redis topology: the variables a mode needs are set and
 * well-formed, none of another mode's is set (a forgotten REDIS_MODE would otherwise talk to
 * the default standalone URL), and a cluster key prefix has no hash tag (`{`), which would put
 * every key in one slot. Messages name variables, never values.
 */
export function redisTopologyProblems(env: EnvironmentVariables): string[] {
  const mode = env.REDIS_MODE;
  if (!(mode in OWN)) return []; // REDIS_MODE itself is reported by the schema
  const problems: string[] = [];
  const value = (name: string): string | undefined =>
    (env as unknown as Record<string, string | undefined>)[name];
  for (const name of REQUIRED[mode]) {
    if (value(name) === undefined) problems.push(`${name}: required when REDIS_MODE=${mode}`);
  }
  for (const [other, names] of Object.entries(OWN)) {
    if (other === mode) continue;
    for (const name of names) {
      if (value(name) !== undefined)
        problems.push(`${name}: only used when REDIS_MODE=${other} (REDIS_MODE=${mode})`);
    }
  }
  for (const name of ['REDIS_CLUSTER_NODES', 'REDIS_SENTINELS']) {
    const list = value(name);
    if (list === undefined || !OWN[mode].includes(name)) continue;
    try {
      parseHostPorts(list);
    } catch (error) {
      problems.push(`${name}: comma-separated host:port list (${(error as Error).message})`);
    }
  }
  if (mode === 'cluster' && env.REDIS_KEY_PREFIX?.includes('{')) {
    problems.push('REDIS_KEY_PREFIX: must not contain "{" in cluster mode (a hash tag)');
  }
  return problems;
}
