import { observeBurnRateRule } from './burn-rate.js';
import { observeThresholdRule } from './threshold-observation.js';
import type { AlertObservation, AlertRule, AlertTaskSample, AlertTtftSample } from './types.js';

/** The samples an evaluation reads: finished tasks and llm calls with a known TTFT. */
export interface AlertSamples {
  tasks: readonly AlertTaskSample[];
  ttfts: readonly AlertTtftSample[];
}

/** Evaluates any rule at `nowMs`. Pure: the same samples and time give the same observation. */
export function observeAlertRule(rule: AlertRule, samples: AlertSamples, nowMs: number): AlertObservation {
  return rule.kind === 'burn-rate'
    ? observeBurnRateRule(rule, samples.tasks, nowMs)
    : observeThresholdRule(rule, samples.tasks, samples.ttfts, nowMs);
}

/** How far back an evaluation at any time needs samples for this rule. */
export function alertLookbackMs(rule: AlertRule): number {
  return rule.windowMs;
}
