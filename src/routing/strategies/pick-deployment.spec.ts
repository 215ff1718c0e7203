import { StrategyName } from '../config/routing-config';
import { Candidate, LocalStats } from './candidate';
import { LATENCY_EXPLORATION, pickDeployment } from './pick-deployment';
import { seededRandom } from './seeded-random';

const c = (id: string, extra: Partial<Candidate> = {}): Candidate => ({
  id,
  weight: 1,
  priority: 0,
  ...extra,
});

function statsOf(
  latency: Record<string, number> = {},
  inFlight: Record<string, number> = {},
): LocalStats {
  return { latencyMs: (id) => latency[id], inFlight: (id) => inFlight[id] ?? 0 };
}

function counts(
  strategy: StrategyName,
  candidates: Candidate[],
  picks: number,
  stats: LocalStats = statsOf(),
  seed = 42,
): Record<string, number> {
  const random = seededRandom(seed);
  const tally: Record<string, number> = Object.fromEntries(candidates.map((x) => [x.id, 0]));
  for (let i = 0; i < picks; i++) {
    const picked = pickDeployment(strategy, candidates, stats, random);
    if (picked === undefined) throw new Error('nothing picked');
    tally[picked.id]++;
  }
  return tally;
}

/** Pearson's χ² of observed counts against expected shares. */
function chiSquare(observed: number[], shares: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0);
  const sum = shares.reduce((a, b) => a + b, 0);
  return observed.reduce((acc, o, i) => {
    const expected = (total * shares[i]) / sum;
    return acc + (o - expected) ** 2 / expected;
  }, 0);
}
/** χ² critical values at p = 0.001 for 1 and 2 degrees of freedom. */
const CHI2_1DOF = 10.83;
const CHI2_2DOF = 13.82;

const ALL: StrategyName[] = ['weighted', 'priority', 'cost', 'latency', 'least_busy'];

describe('pickDeployment', () => {
  it.each(ALL)('%s: no candidate → undefined, one candidate → that one', (strategy) => {
    const random = seededRandom(1);
    expect(pickDeployment(strategy, [], statsOf(), random)).toBeUndefined();
    const only = c('only', { weight: 0 });
    expect(pickDeployment(strategy, [only], statsOf(), random)).toBe(only);
  });

  it.each(ALL)(
    '%s: a weight-0 candidate is never picked while a positive-weight one exists',
    (strategy) => {
      const candidates = [
        c('backup', { weight: 0, priority: 0, relativeCost: 0.1 }),
        c('main', { weight: 1, priority: 5, relativeCost: 9 }),
      ];
      const stats = statsOf({ backup: 1, main: 500 }, { main: 10 });
      expect(counts(strategy, candidates, 5_000, stats)).toEqual({ backup: 0, main: 5_000 });
    },
  );

  it.each(ALL)('%s: when only weight-0 candidates remain, they are used, evenly', (strategy) => {
    const tally = counts(strategy, [c('x', { weight: 0 }), c('y', { weight: 0 })], 10_000);
    expect(chiSquare([tally.x, tally.y], [1, 1])).toBeLessThan(CHI2_1DOF);
  });

  describe('weighted', () => {
    it('gives a 0.005 weight about 0.5 % of 20k picks against weight 1 (χ²)', () => {
      const tally = counts('weighted', [c('tiny', { weight: 0.005 }), c('big')], 20_000);
      expect(tally.tiny).toBeGreaterThan(50);
      expect(tally.tiny).toBeLessThan(150);
      expect(chiSquare([tally.tiny, tally.big], [0.005, 1])).toBeLessThan(CHI2_1DOF);
    });

    it('spreads 3 : 1 : 0.5 in proportion (χ²)', () => {
      const tally = counts(
        'weighted',
        [c('a', { weight: 3 }), c('b', { weight: 1 }), c('h', { weight: 0.5 })],
        20_000,
      );
      expect(chiSquare([tally.a, tally.b, tally.h], [3, 1, 0.5])).toBeLessThan(CHI2_2DOF);
    });

    it('maps the ends of the random range onto the first and last candidate', () => {
      const candidates = [c('a'), c('b', { weight: 0 }), c('z')];
      expect(pickDeployment('weighted', candidates, statsOf(), () => 0)?.id).toBe('a');
      expect(pickDeployment('weighted', candidates, statsOf(), () => 0.999_999_999)?.id).toBe('z');
    });
  });

  describe('priority', () => {
    it('uses only the lowest level present, weighted inside it', () => {
      const tally = counts(
        'priority',
        [
          c('p1-a', { priority: 1, weight: 3 }),
          c('p1-b', { priority: 1, weight: 1 }),
          c('p2', { priority: 2, weight: 100 }),
        ],
        10_000,
      );
      expect(tally.p2).toBe(0);
      expect(chiSquare([tally['p1-a'], tally['p1-b']], [3, 1])).toBeLessThan(CHI2_1DOF);
    });

    it('moves to the next level once the lower one is filtered out (cooling or tried)', () => {
      const tally = counts('priority', [c('p2', { priority: 2 }), c('p3', { priority: 3 })], 100);
      expect(tally).toEqual({ p2: 100, p3: 0 });
    });
  });

  describe('cost', () => {
    it('picks the lowest relative cost, a missing cost counting as 1, ties weighted', () => {
      const tally = counts(
        'cost',
        [
          c('cheap-a', { relativeCost: 0.5, weight: 1 }),
          c('cheap-b', { relativeCost: 0.5, weight: 2 }),
          c('unpriced'),
          c('dear', { relativeCost: 4 }),
        ],
        9_000,
      );
      expect(tally.unpriced + tally.dear).toBe(0);
      expect(chiSquare([tally['cheap-a'], tally['cheap-b']], [1, 2])).toBeLessThan(CHI2_1DOF);
      expect(counts('cost', [c('unpriced'), c('dear', { relativeCost: 4 })], 100)).toEqual({
        unpriced: 100,
        dear: 0,
      });
    });
  });

  describe('latency', () => {
    it('sends nearly all picks to the lowest latency, a few elsewhere to keep measuring', () => {
      const tally = counts(
        'latency',
        [c('fast'), c('slow')],
        20_000,
        statsOf({ fast: 80, slow: 900 }),
      );
      const explored = 20_000 * LATENCY_EXPLORATION * 0.5;
      expect(chiSquare([tally.fast, tally.slow], [20_000 - explored, explored])).toBeLessThan(
        CHI2_1DOF,
      );
    });

    it('cold start: nothing measured spreads by weight, no deployment starves', () => {
      const candidates = [c('a', { weight: 2 }), c('b'), c('c')];
      const tally = counts('latency', candidates, 20_000);
      expect(chiSquare([tally.a, tally.b, tally.c], [2, 1, 1])).toBeLessThan(CHI2_2DOF);
    });

    it('all latencies measured as 0 spread by weight instead of always picking one', () => {
      const tally = counts('latency', [c('a'), c('b')], 10_000, statsOf({ a: 0, b: 0 }));
      expect(chiSquare([tally.a, tally.b], [1, 1])).toBeLessThan(CHI2_1DOF);
    });

    it('a newcomer counts as the median of the measured ones, so it gets tried at once', () => {
      const tally = counts('latency', [c('known'), c('newcomer')], 10_000, statsOf({ known: 250 }));
      expect(chiSquare([tally.known, tally.newcomer], [1, 1])).toBeLessThan(CHI2_1DOF);
      const three = counts(
        'latency',
        [c('fast'), c('slow'), c('newcomer')],
        10_000,
        statsOf({ fast: 100, slow: 300 }),
      );
      expect(three.newcomer).toBeGreaterThan(three.slow);
      expect(three.slow).toBeGreaterThan(0);
    });
  });

  describe('least_busy', () => {
    it('picks the fewest local in-flight requests, ties weighted', () => {
      const stats = statsOf({}, { busy: 4, idle1: 1, idle2: 1 });
      const tally = counts(
        'least_busy',
        [c('busy'), c('idle1', { weight: 1 }), c('idle2', { weight: 3 })],
        8_000,
        stats,
      );
      expect(tally.busy).toBe(0);
      expect(chiSquare([tally.idle1, tally.idle2], [1, 3])).toBeLessThan(CHI2_1DOF);
    });
  });
});
