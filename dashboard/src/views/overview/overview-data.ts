import { emptyBandCounts, emptyBreakdown, UX_BAND_NAMES, type BandCounts, type StatsGroup, type TraceSummary } from '@threshold/core';

/**
 * Pure aggregations the overview makes from the API's per-class groups. Counts are summed exactly;
 * nothing is re-derived that the collector already computed (percentiles come from the API).
 */
export function sumBands(groups: readonly StatsGroup[]): BandCounts {
  const total = emptyBandCounts();
  for (const group of groups) for (const band of UX_BAND_NAMES) total[band] += group.bands[band] ?? 0;
  return total;
}

/** Perceived band counts when the API provides them for every group, else null. */
export function sumPerceivedBands(groups: readonly StatsGroup[]): BandCounts | null {
  if (groups.length === 0 || groups.some((g) => !g.perceivedBands)) return null;
  const total = emptyBandCounts();
  for (const group of groups) for (const band of UX_BAND_NAMES) total[band] += group.perceivedBands![band] ?? 0;
  return total;
}

/** Perceived band counts from a complete list of summaries (used when the API gives none). */
export function countPerceivedBands(traces: readonly TraceSummary[]): BandCounts {
  const counts = emptyBandCounts();
  for (const trace of traces) counts[trace.perceivedBand] += 1;
  return counts;
}

/** Rows for the stacked breakdown chart: one per class, mean ms per category. */
export function breakdownRows(groups: readonly StatsGroup[]): Array<{ key: string } & ReturnType<typeof emptyBreakdown>> {
  return groups.map((group) => ({ key: group.key, ...emptyBreakdown(), ...group.breakdownMeanMs }));
}

/**
 * The duration above which the slowest tasks are looked for: the lowest P95 among the shown
 * classes (P99 when even 5 % of tasks would be more than `limit`), so one page of candidates holds
 * them all.
 */
export function slowTaskThresholdMs(groups: readonly StatsGroup[], limit: number): number {
  if (groups.length === 0) return 0;
  const count = groups.reduce((sum, g) => sum + g.count, 0);
  const usePercentile = count * 0.05 > limit ? 'p99Ms' : 'p95Ms';
  return Math.floor(Math.min(...groups.map((g) => g[usePercentile])));
}

export function slowest(traces: readonly TraceSummary[], count: number): TraceSummary[] {
  return [...traces].sort((a, b) => b.durationMs - a.durationMs).slice(0, count);
}
