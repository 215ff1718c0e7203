/**
 * At most one report per interval; the reports it held back are counted and named in the next
 * one (` (+3 since last report)`), so an outage is said once, not once per request.
 */
export class Throttle {
  private lastAt = Number.NEGATIVE_INFINITY;
  private held = 0;

  constructor(private readonly intervalMs: number) {}

  /** Calls `report` with the held-back suffix when the interval has passed; counts it otherwise. */
  run(report: (suffix: string) => void, now: number = Date.now()): void {
    if (now - this.lastAt < this.intervalMs) {
      this.held++;
      return;
    }
    report(this.held > 0 ? ` (+${this.held} since last report)` : '');
    this.lastAt = now;
    this.held = 0;
  }
}
