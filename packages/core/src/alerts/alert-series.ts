import { observeAlertRule, type AlertSamples } from './observe-rule.js';
import type { AlertEvent, AlertRule, AlertSeriesResponse } from './types.js';

/** Most points a series may have, so a long range with a tiny step cannot run away. */
export const MAX_ALERT_SERIES_POINTS = 500;

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
  const step = alertSeriesStepMs(fromMs, toMs, stepMs);
  const points: AlertSeriesResponse['points'] = [];
  for (let t = fromMs + step; t <= toMs; t += step) {
    const observation = observeAlertRule(rule, samples, t);
    points.push({ t, value: observation.value, sampleCount: observation.sampleCount });
  }
  return points;
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
