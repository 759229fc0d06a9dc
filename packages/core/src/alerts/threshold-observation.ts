import { percentile } from '../percentile.js';
import { slowestExamples, tasksInWindow, ttftsInWindow } from './alert-window.js';
import type { AlertObservation, AlertStatistic, AlertTaskSample, AlertTtftSample, ThresholdAlertRule } from './types.js';

const PERCENTILE_FRACTION: Record<'p50' | 'p95' | 'p99' | 'perceivedP99', number> = {
  p50: 0.5,
  p95: 0.95,
  p99: 0.99,
  perceivedP99: 0.99,
};

/**
 * Evaluates a threshold rule at `nowMs`: the statistic over the window's samples, compared
 * strictly (`value > threshold` breaches). Fewer than `minSamples` samples: no data.
 */
export function observeThresholdRule(
  rule: ThresholdAlertRule,
  tasks: readonly AlertTaskSample[],
  ttfts: readonly AlertTtftSample[],
  nowMs: number,
): AlertObservation {
  const measured =
    rule.target.kind === 'model'
      ? ttftsInWindow(ttfts, rule.target.value, nowMs, rule.windowMs).map((call) => ({ traceId: call.traceId, valueMs: call.ttftMs, overBudget: false }))
      : measureTasks(rule.statistic, tasksInWindow(tasks, rule.target, nowMs, rule.windowMs));
  const sampleCount = measured.length;
  if (sampleCount < rule.minSamples) return { value: null, sampleCount, breaching: null, examples: [] };

  let value: number;
  let examples = slowestExamples(measured);
  if (rule.statistic === 'overBudgetRate') {
    const over = measured.filter((item) => item.overBudget);
    value = over.length / sampleCount;
    examples = slowestExamples(over);
  } else {
    value = percentile(
      measured.map((item) => item.valueMs),
      PERCENTILE_FRACTION[rule.statistic],
    )!;
  }
  return { value, sampleCount, breaching: value > rule.threshold, examples };
}

function measureTasks(statistic: AlertStatistic, tasks: AlertTaskSample[]) {
  return tasks.map((task) => ({
    traceId: task.traceId,
    valueMs: statistic === 'perceivedP99' ? task.perceivedMs : task.durationMs,
    overBudget: task.overBudget,
  }));
}
