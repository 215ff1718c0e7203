/**
 * Caps the distinct values one label may take. Model names come from callers (any name routes
 * to an OpenAI-compatible upstream), so without a cap a client could create unbounded series.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly overflow = 'other',
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return this.overflow;
    this.seen.add(value);
    return value;
  }
}
