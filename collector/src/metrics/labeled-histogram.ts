import type { MetricFamily, MetricSample } from './prometheus-text.js';

/**
 * A Prometheus histogram with labels: per label set, cumulative bucket counts (`le` inclusive,
 * as Prometheus defines it), a sum and a count. Values are in the unit of the metric's name
 * (seconds), converted by the caller.
 */
export class LabeledHistogram {
  private readonly series = new Map<string, { labels: Record<string, string>; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds, ascending; +Inf is implied. */
    readonly bounds: readonly number[],
  ) {}

  observe(labels: Record<string, string>, value: number): void {
    const key = JSON.stringify(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counts: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]) entry.counts[i]++;
    entry.sum += value;
    entry.count++;
  }

  family(): MetricFamily {
    const samples: MetricSample[] = [];
    const ordered = [...this.series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, entry] of ordered) {
      this.bounds.forEach((bound, i) => samples.push({ name: `${this.name}_bucket`, labels: { ...entry.labels, le: String(bound) }, value: entry.counts[i] }));
      samples.push({ name: `${this.name}_bucket`, labels: { ...entry.labels, le: '+Inf' }, value: entry.count });
      samples.push({ name: `${this.name}_sum`, labels: entry.labels, value: entry.sum });
      samples.push({ name: `${this.name}_count`, labels: entry.labels, value: entry.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}
