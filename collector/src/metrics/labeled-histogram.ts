import type { MetricFamily, MetricSample } from './prometheus-text.js';

interface Series {
  labels: Record<string, string>;
  /** Observations at or under each bound (cumulative). */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram with labels: per label set, cumulative bucket counts (`le` inclusive,
 * as Prometheus defines it), a sum and a count. Values are in the unit of the metric's name
 * (seconds), converted by the caller.
 */
export class LabeledHistogram {
  private readonly series = new Map<string, Series>();

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

  /**
   * The family as Prometheus reads it. `relabel` maps each series' labels to those it is shown
   * under; series mapped to the same labels are summed (how values outside a bounded label's top
   * fold into `other`).
   */
  family(relabel: (labels: Record<string, string>) => Record<string, string> = (labels) => labels): MetricFamily {
    const shown = new Map<string, Series>();
    for (const entry of this.series.values()) {
      const labels = relabel(entry.labels);
      const key = JSON.stringify(labels);
      const into = shown.get(key);
      if (!into) {
        shown.set(key, { labels, counts: [...entry.counts], sum: entry.sum, count: entry.count });
        continue;
      }
      entry.counts.forEach((count, i) => (into.counts[i] += count));
      into.sum += entry.sum;
      into.count += entry.count;
    }
    const samples: MetricSample[] = [];
    const ordered = [...shown.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, entry] of ordered) {
      this.bounds.forEach((bound, i) =>
        samples.push({ name: `${this.name}_bucket`, labels: { ...entry.labels, le: String(bound) }, value: entry.counts[i] }),
      );
      samples.push({ name: `${this.name}_bucket`, labels: { ...entry.labels, le: '+Inf' }, value: entry.count });
      samples.push({ name: `${this.name}_sum`, labels: entry.labels, value: entry.sum });
      samples.push({ name: `${this.name}_count`, labels: entry.labels, value: entry.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}
