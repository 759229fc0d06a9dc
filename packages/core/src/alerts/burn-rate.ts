import type { AlertObservation, BurnRateAlertRule } from './types.js';
import type { AlertWindowStats } from './window-stats.js';

/**
 * Error-budget burn rate: how many times faster than "exactly on budget" the window spends the
 * SLO's error budget. With objective 0.99 the budget is 1 % of tasks; a window where 14.4 % of
 * tasks are over their latency budget burns at 14.4×, which empties a 30-day budget in ~2 days.
 *
 * @returns null for an empty window (no rate can be known)
 */
export function burnRate(badCount: number, totalCount: number, objective: number): number | null {
  if (totalCount <= 0) return null;
  return badCount / totalCount / errorBudgetFraction(objective);
}

/**
 * The error budget of an objective, 1 − objective, rounded to 12 decimals: 1 − 0.99 is
 * 0.010000000000000009 in binary floating point, which would make an all-bad window burn at
 * 99.99999999999991× instead of 100×.
 */
export function errorBudgetFraction(objective: number): number {
  return Math.round((1 - objective) * 1e12) / 1e12;
}

/** Share of the whole period's error budget a window burning at `rate` spends. */
export function errorBudgetSpent(rate: number, windowMs: number, periodMs: number): number {
  return (rate * windowMs) / periodMs;
}

/**
 * Multi-window burn-rate evaluation (SRE workbook): breaches while both the long and the short
 * window burn faster than the rule's factor. The long window makes the alert significant, the
 * short one makes it reset quickly once the burn stops. The reported value is the smaller of the
 * two rates — the one that decides. No data while the long window has fewer than `minSamples`
 * tasks or the short window none. Examples: the slowest over-budget tasks of the short window.
 */
export function observeBurnRateStats(rule: BurnRateAlertRule, long: AlertWindowStats, short: AlertWindowStats): AlertObservation {
  const longRate = burnRate(long.overBudgetCount, long.count, rule.objective);
  const shortRate = burnRate(short.overBudgetCount, short.count, rule.objective);
  const burnRates = { long: longRate, short: shortRate };
  if (long.count < rule.minSamples || longRate === null || shortRate === null) {
    return { value: null, sampleCount: long.count, breaching: null, examples: [], burnRates };
  }
  const value = Math.min(longRate, shortRate);
  return { value, sampleCount: long.count, breaching: value > rule.threshold, examples: short.examples, burnRates };
}
