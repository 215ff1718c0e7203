/** One scrape of GET /metrics: sample name with labels (as printed) → value. */
export type Samples = Map<string, number>;

/** Parses the Prometheus text format (comment lines skipped). */
export function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** `name{a="x",b="y"}` in prom-client's label order, as printed in the exposition. */
export const sample = (name: string, labels: Record<string, string> = {}): string => {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? name : `${name}{${pairs.join(',')}}`;
};

/** Families (from `# TYPE` lines) present in an exposition. */
export function families(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line.startsWith('# TYPE '))
      .map((line) => line.split(' ')[2]),
  );
}
