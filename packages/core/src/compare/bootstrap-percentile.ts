import { percentileSorted } from '../percentile.js';
import type { UniformRandom } from './seeded-random.js';

/**
 * The percentile (R-7, as everywhere in Threshold) of one bootstrap resample: `n` values drawn
 * with replacement from `sortedAscending`, without building or sorting the resample. Drawing an
 * index counts it; walking the counts in order then reaches the resample's order statistics
 * directly, since the originals are sorted:
 *
 *     sorted    100  200  400  800  1600        resample {200, 200, 800, 1600, 100}
 *     counts      1    2    0    1     1        ranks 0 1 2 3 4 → 100 200 200 800 1600
 *
 * O(n) per resample instead of O(n log n), and the same number a sort would give.
 *
 * @param counts scratch space of at least `n` entries, overwritten (reused across resamples)
 */
export function resampledPercentileSorted(
  sortedAscending: Float64Array,
  fraction: number,
  random: UniformRandom,
  counts: Uint32Array,
): number {
  const n = sortedAscending.length;
  counts.fill(0, 0, n);
  for (let draw = 0; draw < n; draw++) counts[Math.floor(random() * n)]++;
  const rank = (n - 1) * Math.min(1, Math.max(0, fraction));
  const lowRank = Math.floor(rank);
  let index = 0;
  let below = counts[0]; // resample values at original indices ≤ index
  while (below <= lowRank) below += counts[++index];
  const lowValue = sortedAscending[index];
  if (rank === lowRank) return lowValue;
  let highIndex = index;
  while (below <= lowRank + 1) below += counts[++highIndex];
  return lowValue + (rank - lowRank) * (sortedAscending[highIndex] - lowValue);
}

export interface RatioInterval {
  /** The candidate's percentile over the baseline's, from every value (not resampled). */
  ratio: number;
  /** Ends of the central `confidence` share of the resampled ratios (R-7 of their distribution). */
  lower: number;
  upper: number;
}

export interface RatioBootstrapOptions {
  /** Percentile as a fraction (0.95 for P95). */
  fraction: number;
  /** Share of the resampled ratios the interval holds (0.95). */
  confidence: number;
  /** Resamples of each run (2,000 gives interval ends stable to a fraction of a percent). */
  resamples: number;
  random: UniformRandom;
}

/**
 * A percentile bootstrap confidence interval of P(candidate) / P(baseline): each resample draws
 * both runs anew, with replacement, at their own sizes, and takes the ratio of their percentiles.
 * The two runs are independent samples, so they are resampled independently.
 *
 * A baseline percentile of 0 gives a ratio of 1 when the candidate's is 0 too, Infinity otherwise.
 *
 * @param baselineSorted durations ascending, not empty
 * @param candidateSorted durations ascending, not empty
 */
export function bootstrapPercentileRatio(
  baselineSorted: Float64Array,
  candidateSorted: Float64Array,
  options: RatioBootstrapOptions,
): RatioInterval {
  const { fraction, confidence, resamples, random } = options;
  const counts = new Uint32Array(Math.max(baselineSorted.length, candidateSorted.length));
  const ratios = new Float64Array(resamples);
  for (let resample = 0; resample < resamples; resample++) {
    const baseline = resampledPercentileSorted(baselineSorted, fraction, random, counts);
    const candidate = resampledPercentileSorted(candidateSorted, fraction, random, counts);
    ratios[resample] = ratioOf(candidate, baseline);
  }
  ratios.sort();
  const tail = (1 - confidence) / 2;
  return {
    ratio: ratioOf(percentileSorted(candidateSorted, fraction)!, percentileSorted(baselineSorted, fraction)!),
    lower: ratioQuantile(ratios, tail),
    upper: ratioQuantile(ratios, 1 - tail),
  };
}

/** R-7 of sorted ratios that may hold Infinity (interpolating between two infinities is NaN). */
function ratioQuantile(sortedRatios: Float64Array, fraction: number): number {
  const rank = (sortedRatios.length - 1) * fraction;
  const low = sortedRatios[Math.floor(rank)];
  return low === Infinity ? Infinity : percentileSorted(sortedRatios, fraction)!;
}

function ratioOf(candidate: number, baseline: number): number {
  if (baseline > 0) return candidate / baseline;
  return candidate > 0 ? Infinity : 1;
}
