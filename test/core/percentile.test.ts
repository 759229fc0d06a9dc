import { percentile, percentileSorted } from '@threshold/core';
import { latencyPercentiles } from '../../packages/core/src/percentile.js';
import { describe, expect, it } from 'vitest';

/**
 * R-7 by hand: h = (n − 1)·q, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * For [100, 200, 400, 800, 1600] (n = 5):
 *   P50: h = 2      → 400
 *   P95: h = 3.8    → 800 + 0.8·800 = 1440
 *   P99: h = 3.96   → 800 + 0.96·800 = 1568
 *   P25: h = 1      → 200
 *   P90: h = 3.6    → 800 + 0.6·800 = 1280
 */
describe('percentiles (R-7, as DuckDB quantile_cont and NumPy)', () => {
  const values = [1600, 100, 800, 200, 400];

  it.each([
    [0.5, 400],
    [0.95, 1440],
    [0.99, 1568],
    [0.25, 200],
    [0.9, 1280],
    [0, 100],
    [1, 1600],
  ])('P%s of the five latencies is %s', (fraction, expected) => {
    expect(percentile(values, fraction)).toBeCloseTo(expected, 9);
  });

  it('gives P50/P95/P99 together', () => {
    const result = latencyPercentiles(values)!;
    expect(result.p50Ms).toBe(400);
    expect(result.p95Ms).toBeCloseTo(1440, 9);
    expect(result.p99Ms).toBeCloseTo(1568, 9);
  });

  it('interpolates between two values and answers one value with itself', () => {
    // n = 2, P99: h = 0.99 → 10 + 0.99·(20 − 10) = 19.9
    expect(percentile([20, 10], 0.99)).toBeCloseTo(19.9, 12);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('has no percentile of nothing', () => {
    expect(percentile([], 0.5)).toBeUndefined();
    expect(latencyPercentiles([])).toBeUndefined();
    expect(percentileSorted(new Float64Array(), 0.99)).toBeUndefined();
  });
});
