/**
 * A small in-process registry of counters and gauges, keyed Prometheus-style
 * (`name{label="value"}`), which the admin API exposes later. No histograms: rates and sums are
 * enough for the queue views, and the bench measures latency itself.
 */
export type Labels = Readonly<Record<string, string>>;

export type Metrics = {
  inc(name: string, labels?: Labels, by?: number): void;
  set(name: string, value: number, labels?: Labels): void;
  get(name: string, labels?: Labels): number;
  snapshot(): Record<string, number>;
};

// On every transition and batch: one string built in place, no intermediate arrays; labels are
// walked with for-in (no key list) and only several of them are sorted.
function key(name: string, labels?: Labels): string {
  if (!labels) return name;
  let only: string | undefined;
  let count = 0;
  for (const k in labels) {
    if (count === 0) only = k;
    count += 1;
  }
  if (count === 0) return name;
  if (count === 1) return `${name}{${only}="${labels[only as string]}"}`;
  const names = Object.keys(labels).sort();
  let out = `${name}{`;
  for (let i = 0; i < names.length; i += 1) {
    const k = names[i] as string;
    out += `${i === 0 ? '' : ','}${k}="${labels[k]}"`;
  }
  return `${out}}`;
}

export function createMetrics(): Metrics {
  const values = new Map<string, number>();
  return {
    inc(name, labels, by = 1) {
      const k = key(name, labels);
      values.set(k, (values.get(k) ?? 0) + by);
    },
    set(name, value, labels) {
      values.set(key(name, labels), value);
    },
    get(name, labels) {
      return values.get(key(name, labels)) ?? 0;
    },
    snapshot() {
      return Object.fromEntries([...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  };
}
