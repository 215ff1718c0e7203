import { Throttle } from './logging-throttle';

describe('Throttle', () => {
  it('reports once per interval and names how many reports it held back', () => {
    const lines: string[] = [];
    const throttle = new Throttle(5_000);
    const report = (suffix: string): void => void lines.push(`down${suffix}`);
    throttle.run(report, 0);
    throttle.run(report, 1_000);
    throttle.run(report, 4_999);
    throttle.run(report, 5_000);
    throttle.run(report, 20_000);
    expect(lines).toEqual(['down', 'down (+2 since last report)', 'down']);
  });
});
