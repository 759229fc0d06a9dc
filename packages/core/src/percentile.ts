/**
 * Exact percentiles by linear interpolation between closest ranks (R-7: DuckDB `quantile_cont`,
 * NumPy's default). One definition for every in-memory percentile Threshold shows.
 *
 * @param sortedAscending values sorted ascending (not checked)
 * @param fraction 0..1 (0.99 for P99)
 * @returns the percentile, or undefined for no values
 */
export function percentileSorted(sortedAscending: ArrayLike<number>, fraction: number): number | undefined {
  const n = sortedAscending.length;
  if (n === 0) return undefined;
  const q = Math.min(1, Math.max(0, fraction));
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const loValue = sortedAscending[lo];
  return loValue + (h - lo) * (sortedAscending[hi] - loValue);
}

/** Percentile of unsorted values (copies and sorts). */
export function percentile(values: readonly number[], fraction: number): number | undefined {
  const sorted = Float64Array.from(values).sort();
  return percentileSorted(sorted, fraction);
}

export interface LatencyPercentiles {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** P50/P95/P99 of unsorted values; undefined when empty. */
export function latencyPercentiles(values: readonly number[]): LatencyPercentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  return {
    p50Ms: percentileSorted(sorted, 0.5)!,
    p95Ms: percentileSorted(sorted, 0.95)!,
    p99Ms: percentileSorted(sorted, 0.99)!,
  };
}
