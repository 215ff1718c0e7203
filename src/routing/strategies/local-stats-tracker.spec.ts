import { LocalStatsTracker } from './local-stats-tracker';

describe('LocalStatsTracker', () => {
  it('counts requests in flight per deployment and never below zero', () => {
    const stats = new LocalStatsTracker();
    stats.start('a');
    stats.start('a');
    stats.start('b');
    expect([stats.inFlight('a'), stats.inFlight('b'), stats.inFlight('c')]).toEqual([2, 1, 0]);
    stats.end('a');
    stats.end('b');
    stats.end('b');
    expect([stats.inFlight('a'), stats.inFlight('b')]).toEqual([1, 0]);
  });

  it('knows no latency until one is measured, then smooths with α = 0.3', () => {
    const stats = new LocalStatsTracker();
    stats.start('a');
    stats.end('a');
    expect(stats.latencyMs('a')).toBeUndefined();
    stats.start('a');
    stats.end('a', 100);
    expect(stats.latencyMs('a')).toBe(100);
    stats.start('a');
    stats.end('a', 200);
    expect(stats.latencyMs('a')).toBeCloseTo(130, 10);
    stats.start('a');
    stats.end('a', 130);
    expect(stats.latencyMs('a')).toBeCloseTo(130, 10);
  });

  it('ignores latencies that are not finite non-negative numbers', () => {
    const stats = new LocalStatsTracker();
    stats.end('a', 50);
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) stats.end('a', bad);
    expect(stats.latencyMs('a')).toBe(50);
  });

  it('retain forgets deployments that are no longer configured', () => {
    const stats = new LocalStatsTracker();
    stats.end('gone', 10);
    stats.end('kept', 20);
    stats.retain(new Set(['kept']));
    expect([stats.latencyMs('gone'), stats.latencyMs('kept')]).toEqual([undefined, 20]);
  });

  it('refuses an α outside (0, 1]', () => {
    expect(() => new LocalStatsTracker(0)).toThrow(RangeError);
    expect(() => new LocalStatsTracker(1.5)).toThrow(RangeError);
  });
});
