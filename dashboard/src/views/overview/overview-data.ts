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

/** Perceived band counts summed over the groups. */
export function sumPerceivedBands(groups: readonly StatsGroup[]): BandCounts {
  const total = emptyBandCounts();
  for (const group of groups) for (const band of UX_BAND_NAMES) total[band] += group.perceivedBands[band];
  return total;
}

/** Rows for the stacked breakdown chart: one per class, mean ms per category. */
export function breakdownRows(groups: readonly StatsGroup[]): Array<{ key: string } & ReturnType<typeof emptyBreakdown>> {
  return groups.map((group) => ({ key: group.key, ...emptyBreakdown(), ...group.breakdownMeanMs }));
}

/**
 * The duration from which the slowest tasks are fetched, so that one page of `limit` candidates
 * holds them: everything when the window has at most `limit` tasks (exact), else the lowest P50,
 * P95 or P99 among the classes, whichever leaves about `limit` tasks above it.
 */
export function slowTaskThresholdMs(groups: readonly StatsGroup[], limit: number): number {
  const count = groups.reduce((sum, g) => sum + g.count, 0);
  if (count <= limit) return 0;
  const percentile = count * 0.5 <= limit ? 'p50Ms' : count * 0.05 <= limit ? 'p95Ms' : 'p99Ms';
  return Math.floor(Math.min(...groups.map((g) => g[percentile])));
}

export function slowest(traces: readonly TraceSummary[], count: number): TraceSummary[] {
  return [...traces].sort((a, b) => b.durationMs - a.durationMs).slice(0, count);
}
