import { observeBurnRateStats } from './burn-rate.js';
import { observeThresholdStats } from './threshold-observation.js';
import type { AlertObservation, AlertRule, AlertTaskSample, AlertTtftSample } from './types.js';
import { alertStatsQueries, windowStatsFromSamples, type AlertWindowStats } from './window-stats.js';

/** The samples an in-memory evaluation reads: finished tasks and llm calls with a known TTFT. */
export interface AlertSamples {
  tasks: readonly AlertTaskSample[];
  ttfts: readonly AlertTtftSample[];
}

/**
 * A rule's verdict from the answers to its `alertStatsQueries`, in the same order. Pure: the
 * same answers give the same observation, wherever they were computed.
 */
export function observeAlertStats(rule: AlertRule, stats: readonly AlertWindowStats[]): AlertObservation {
  return rule.kind === 'burn-rate' ? observeBurnRateStats(rule, stats[0], stats[1]) : observeThresholdStats(rule, stats[0]);
}

/** Evaluates a rule at `nowMs` over samples in memory. */
export function observeAlertRule(rule: AlertRule, samples: AlertSamples, nowMs: number): AlertObservation {
  return observeAlertStats(
    rule,
    alertStatsQueries(rule, nowMs).map((query) => windowStatsFromSamples(query, samples.tasks, samples.ttfts)),
  );
}
