import { observeBurnRateStats } from './burn-rate.js';
import { observeAlertRule, type AlertSamples } from './observe-rule.js';
import type { AlertEvent, AlertRule, AlertSeriesResponse, BurnRateAlertRule } from './types.js';

/** Most points a series may have: each is one evaluation, so a long range with a tiny step cannot run away. */
export const MAX_ALERT_SERIES_POINTS = 120;

/**
 * The watched statistic over time, as the rule would have seen it: one evaluation per step, each
 * over the window ending at the point's time `t` (t = from + step, from + 2·step, …, ≤ to).
 * `samples` must cover [from − rule.windowMs, to).
 */
export function alertStatisticSeries(
  rule: AlertRule,
  samples: AlertSamples,
  fromMs: number,
  toMs: number,
  stepMs: number,
): AlertSeriesResponse['points'] {
  return alertSeriesTimes(fromMs, toMs, stepMs).map((t) => {
    const observation = observeAlertRule(rule, samples, t);
    return { t, value: observation.value, sampleCount: observation.sampleCount };
  });
}

/** The times a series evaluates at: from + step, from + 2·step, …, ≤ to. */
export function alertSeriesTimes(fromMs: number, toMs: number, stepMs: number): number[] {
  const step = alertSeriesStepMs(fromMs, toMs, stepMs);
  const times: number[] = [];
  for (let t = fromMs + step; t <= toMs; t += step) times.push(t);
  return times;
}

/** The step a series uses for a range and requested step (what alertStatisticSeries applies). */
export function alertSeriesStepMs(fromMs: number, toMs: number, stepMs: number): number {
  return Math.max(stepMs, Math.ceil((toMs - fromMs) / MAX_ALERT_SERIES_POINTS), 1);
}

/**
 * Periods a rule was firing, clipped to [fromMs, toMs], from its state-change events (any order,
 * including events before `fromMs`, which tell whether it was already firing then).
 */
export function firingPeriods(
  events: ReadonlyArray<Pick<AlertEvent, 'fromState' | 'toState' | 'atMs'>>,
  fromMs: number,
  toMs: number,
): AlertSeriesResponse['firingPeriods'] {
  const ordered = [...events].sort((a, b) => a.atMs - b.atMs);
  const periods: AlertSeriesResponse['firingPeriods'] = [];
  let startedMs: number | null = null;
  for (const event of ordered) {
    if (event.atMs > toMs) break;
    if (event.toState === 'firing' && startedMs === null) startedMs = event.atMs;
    else if (event.fromState === 'firing' && event.toState !== 'firing' && startedMs !== null) {
      if (event.atMs >= fromMs) periods.push({ startMs: Math.max(startedMs, fromMs), endMs: event.atMs });
      startedMs = null;
    }
  }
  if (startedMs !== null) periods.push({ startMs: Math.max(startedMs, fromMs), endMs: null });
  return periods;
}

/** Tasks and over-budget tasks that ended in [startMs, startMs + bucket). */
export interface AlertCountBucket {
  startMs: number;
  count: number;
  overBudgetCount: number;
}

/** Most buckets a burn-rate series may read; past it, evaluate point by point instead. */
export const MAX_ALERT_COUNT_BUCKETS = 20_000;

/**
 * The bucket size that makes a burn-rate series exact from bucketed counts: it divides the step
 * and both windows, so every window of every point is a whole run of buckets (buckets start at
 * `from − windowMs`). Null when that would take more than MAX_ALERT_COUNT_BUCKETS buckets.
 */
export function burnRateBucketMs(rule: BurnRateAlertRule, fromMs: number, toMs: number, stepMs: number): number | null {
  const bucketMs = gcd(gcd(stepMs, rule.windowMs), rule.shortWindowMs);
  return (toMs - fromMs + rule.windowMs) / bucketMs > MAX_ALERT_COUNT_BUCKETS ? null : bucketMs;
}

/**
 * A burn-rate rule's value at each time from counts per bucket (see burnRateBucketMs): the same
 * verdicts a point-by-point evaluation gives, from one grouped count instead of two per point.
 */
export function burnRateSeriesFromBuckets(
  rule: BurnRateAlertRule,
  buckets: readonly AlertCountBucket[],
  originMs: number,
  bucketMs: number,
  times: readonly number[],
): AlertSeriesResponse['points'] {
  const last = Math.max(0, ...times.map((t) => Math.ceil((t - originMs) / bucketMs)));
  const countPrefix = new Float64Array(last + 1);
  const overPrefix = new Float64Array(last + 1);
  const counts = new Float64Array(last);
  const over = new Float64Array(last);
  for (const bucket of buckets) {
    const index = Math.round((bucket.startMs - originMs) / bucketMs);
    if (index < 0 || index >= last) continue;
    counts[index] += bucket.count;
    over[index] += bucket.overBudgetCount;
  }
  for (let i = 0; i < last; i++) {
    countPrefix[i + 1] = countPrefix[i] + counts[i];
    overPrefix[i + 1] = overPrefix[i] + over[i];
  }
  const sum = (fromMs: number, toMs: number) => {
    const a = Math.max(0, Math.round((fromMs - originMs) / bucketMs));
    const b = Math.round((toMs - originMs) / bucketMs);
    return { count: countPrefix[b] - countPrefix[a], overBudgetCount: overPrefix[b] - overPrefix[a], percentile: null, examples: [] };
  };
  return times.map((t) => {
    const observation = observeBurnRateStats(rule, sum(t - rule.windowMs, t), sum(t - rule.shortWindowMs, t));
    return { t, value: observation.value, sampleCount: observation.sampleCount };
  });
}

function gcd(a: number, b: number): number {
  let x = Math.abs(Math.round(a));
  let y = Math.abs(Math.round(b));
  while (y) [x, y] = [y, x % y];
  return x || 1;
}
