import { percentileSorted } from '../percentile.js';
import { bootstrapPercentileRatio } from './bootstrap-percentile.js';
import { seededRandom, seedFor } from './seeded-random.js';

/**
 * The judgement behind `threshold compare`: per task class, did the candidate run get slower than
 * the baseline at a percentile by more than allowed, beyond what chance explains? Two runs of the
 * same build differ at P95 by several percent from sampling alone; a bootstrap interval of the
 * ratio of their percentiles says how much of a difference the data can vouch for.
 */

export interface CompareOptions {
  /** Percentile compared, as a fraction strictly between 0 and 1 (0.95 for P95). */
  fraction: number;
  /** Largest slowdown allowed, as a fraction (0.1: the candidate may be up to 10 % slower). */
  maxRegression: number;
  /** Confidence of the interval, strictly between 0 and 1 (0.95). */
  confidence: number;
  /** Bootstrap resamples per class. */
  resamples: number;
  /** Seed of every draw: the same inputs and seed give the same intervals. */
  seed: number;
}

/**
 * - `regressed`: the interval lies wholly above 1 + maxRegression (slower than allowed, with the
 *   stated confidence); the only status that fails the gate.
 * - `uncertain`: the interval reaches past the allowed slowdown but does not lie wholly beyond it.
 * - `within`: the interval ends at or below 1 + maxRegression and does not lie wholly below 1.
 * - `faster`: the interval lies wholly below 1.
 * - `too-few-tasks`: a run has fewer than `minTasksFor(fraction)` tasks of the class.
 * - `baseline-only`, `candidate-only`: the class appears in one run.
 */
export type ComparisonStatus = 'regressed' | 'uncertain' | 'within' | 'faster' | 'too-few-tasks' | 'baseline-only' | 'candidate-only';

export interface ClassComparison {
  taskClass: string;
  baselineCount: number;
  candidateCount: number;
  /** The baseline's percentile, ms (absent without baseline tasks). */
  baselineMs?: number;
  candidateMs?: number;
  /** candidateMs / baselineMs, and its bootstrap interval (only when both runs have enough tasks). */
  ratio?: number;
  lower?: number;
  upper?: number;
  status: ComparisonStatus;
}

/**
 * Fewest tasks a run needs for the percentile's interval to be trusted: 20, and at least 5 tasks
 * beyond the percentile (100 for P95, 500 for P99). A bootstrap of a high percentile resamples the
 * few tasks above it; with fewer than five of them every resample repeats the same handful of
 * values and the interval comes out far narrower than the real uncertainty.
 */
export function minTasksFor(fraction: number): number {
  return Math.max(20, Math.ceil(5 / (1 - fraction) - 1e-9));
}

/** One comparison per task class of either run, in class-name order. */
export function compareTaskClasses(
  baseline: ReadonlyMap<string, readonly number[]>,
  candidate: ReadonlyMap<string, readonly number[]>,
  options: CompareOptions,
): ClassComparison[] {
  const classes = [...new Set([...baseline.keys(), ...candidate.keys()])].sort();
  const minTasks = minTasksFor(options.fraction);
  return classes.map((taskClass) => {
    const before = Float64Array.from(baseline.get(taskClass) ?? []).sort();
    const after = Float64Array.from(candidate.get(taskClass) ?? []).sort();
    const comparison: ClassComparison = { taskClass, baselineCount: before.length, candidateCount: after.length, status: 'too-few-tasks' };
    if (before.length > 0) comparison.baselineMs = percentileSorted(before, options.fraction);
    if (after.length > 0) comparison.candidateMs = percentileSorted(after, options.fraction);
    if (after.length === 0) return { ...comparison, status: 'baseline-only' };
    if (before.length === 0) return { ...comparison, status: 'candidate-only' };
    if (before.length < minTasks || after.length < minTasks) return comparison;
    const interval = bootstrapPercentileRatio(before, after, {
      fraction: options.fraction,
      confidence: options.confidence,
      resamples: options.resamples,
      random: seededRandom(seedFor(options.seed, taskClass)),
    });
    return { ...comparison, ...interval, status: statusOf(interval.lower, interval.upper, options.maxRegression) };
  });
}

function statusOf(lower: number, upper: number, maxRegression: number): ComparisonStatus {
  const limit = 1 + maxRegression;
  if (lower > limit) return 'regressed';
  if (upper > limit) return 'uncertain';
  return upper < 1 ? 'faster' : 'within';
}
