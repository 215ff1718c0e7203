import { serverTiming } from './server-timing';

describe('serverTiming', () => {
  it("reports the gateway's own time apart from the upstream's", () => {
    const facts = { startedAt: 100, upstreamStartedAt: 101.5, upstreamRespondedAt: 141.5 };
    expect(serverTiming(facts, 142.25)).toBe(
      'gateway;dur=2.25;desc="Sentinel", upstream;dur=40.00',
    );
  });

  it('reports only the gateway when no provider was called', () => {
    expect(serverTiming({ startedAt: 10 }, 10.5)).toBe('gateway;dur=0.50;desc="Sentinel"');
  });
});
