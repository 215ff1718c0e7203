/** Small statistics over plain number arrays; the bench never needs more. */

/** Sorted copy, ascending. */
const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** Nearest-rank percentile (p in 0..100); NaN for an empty input. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

/** Median; the mean of the two middle values for an even count. NaN for an empty input. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return Number.NaN;
  const s = sorted(finite);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function min(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length === 0 ? Number.NaN : Math.min(...finite);
}

export function max(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length === 0 ? Number.NaN : Math.max(...finite);
}

/** A growable list of latencies in milliseconds, cheap to append to at tens of thousands/s. */
export class Samples {
  private data = new Float64Array(4096);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  get count(): number {
    return this.length;
  }

  /** Percentiles (p in 0..100) of everything pushed so far. */
  percentiles(...ps: number[]): number[] {
    if (this.length === 0) return ps.map(() => Number.NaN);
    const s = this.data.slice(0, this.length).sort();
    return ps.map((p) => {
      const rank = Math.ceil((p / 100) * s.length);
      return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
    });
  }
}
