import type { AlertObservation, ThresholdAlertRule } from './types.js';
import type { AlertWindowStats } from './window-stats.js';

/**
 * A threshold rule's verdict on its window: the statistic (a percentile, or the share of tasks over
 * budget) compared strictly — `value > threshold` breaches. Fewer than `minSamples`: no data.
 */
export function observeThresholdStats(rule: ThresholdAlertRule, stats: AlertWindowStats): AlertObservation {
  if (stats.count < rule.minSamples || stats.count === 0) return { value: null, sampleCount: stats.count, breaching: null, examples: [] };
  const value =
    rule.statistic === 'overBudgetRate' && rule.target.kind !== 'model' ? stats.overBudgetCount / stats.count : stats.percentile;
  if (value === null) return { value: null, sampleCount: stats.count, breaching: null, examples: [] };
  return { value, sampleCount: stats.count, breaching: value > rule.threshold, examples: stats.examples };
}
