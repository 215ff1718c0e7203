import type { Deployment, RouteGroup } from '../deployments/deployment';
import type { StrategyName } from '../config/routing-config';
import type { HealthLookup } from './health-lookup';

/** One ordered source of candidates: a set of deployments and how to choose among them. */
export interface CandidatePool {
  members: readonly Deployment[];
  strategy: StrategyName;
  /** The group it came from (for the decision header). */
  group: string | undefined;
}

/** Chooses among healthy candidates (see `src/routing/strategies`). */
export type Picker = (
  strategy: StrategyName,
  candidates: readonly Deployment[],
) => Deployment | undefined;

export interface PlannedAttempt {
  deployment: Deployment;
  group: string | undefined;
  strategy: StrategyName;
}

/** Why nothing is left to try, for the 503 and its Retry-After. */
export interface Exhausted {
  /** The soonest end of a cooldown among the candidates skipped, in ms; undefined if none. */
  soonestMs: number | undefined;
  /** Whether that soonest cooldown is a rate limit (which may be waited out). */
  soonestIsRateLimit: boolean;
  /** Its deployment. */
  soonestId: string | undefined;
}

/**
 * The candidates of one client request, in order: each pool's healthy members not yet tried,
 * chosen by the pool's strategy; a half-open deployment only when this request wins its probe;
 * then the next pool. Reads health from the local view only (no store round trip) except for
 * a probe, which is rare.
 */
export class AttemptPlanner {
  readonly tried = new Set<string>();

  constructor(
    private readonly pools: readonly CandidatePool[],
    private readonly health: HealthLookup,
    private readonly pick: Picker,
  ) {}

  async next(): Promise<PlannedAttempt | Exhausted> {
    let soonestMs: number | undefined;
    let soonestIsRateLimit = false;
    let soonestId: string | undefined;
    for (const pool of this.pools) {
      const closed: Deployment[] = [];
      const halfOpen: Deployment[] = [];
      for (const deployment of pool.members) {
        if (this.tried.has(deployment.id)) continue;
        const availability = this.health.availability(deployment.id);
        if (availability.state === 'closed') closed.push(deployment);
        else if (availability.state === 'half_open') halfOpen.push(deployment);
        else if (soonestMs === undefined || availability.remainingMs < soonestMs) {
          soonestMs = availability.remainingMs;
          soonestIsRateLimit = availability.reason === 'rate_limit';
          soonestId = deployment.id;
        }
      }
      for (const deployment of halfOpen) {
        if (await this.health.tryProbe(deployment.id)) return this.take(deployment, pool);
      }
      const chosen = this.pick(pool.strategy, closed);
      if (chosen !== undefined) return this.take(chosen, pool);
    }
    return { soonestMs, soonestIsRateLimit, soonestId };
  }

  /** Marks a deployment as used by this request (e.g. the bound one, tried first). */
  take(deployment: Deployment, pool: Pick<CandidatePool, 'group' | 'strategy'>): PlannedAttempt {
    this.tried.add(deployment.id);
    return { deployment, group: pool.group, strategy: pool.strategy };
  }
}

/**
 * A group's own members, then its own fallback groups' in order. Fallbacks of fallbacks are not
 * followed: what a group may reach is what its entry lists.
 */
export function poolsOf(
  group: RouteGroup,
  groups: ReadonlyMap<string, RouteGroup>,
  skip: (group: RouteGroup) => boolean = () => false,
): CandidatePool[] {
  const pools: CandidatePool[] = [
    { members: group.members, strategy: group.strategy, group: group.name },
  ];
  for (const name of group.fallbacks) {
    const fallback = groups.get(name);
    if (fallback === undefined || fallback === group || skip(fallback)) continue;
    pools.push({ members: fallback.members, strategy: fallback.strategy, group: name });
  }
  return pools;
}

export const isExhausted = (value: PlannedAttempt | Exhausted): value is Exhausted =>
  !('deployment' in value);

/** Token of the Picker the attempt loop uses. */
export const PICKER = Symbol('PICKER');
