import { percentile } from '../percentile.js';
import { slowestExamples, tasksInWindow, ttftsInWindow } from './alert-window.js';
import type { AlertExampleTrace, AlertRule, AlertTarget, AlertTaskSample, AlertTtftSample } from './types.js';

/**
 * What a rule needs to know about one window, asked as a query so a store can answer it where the
 * data lives (DuckDB's `quantile_cont` is the same R-7 percentile as core's), instead of shipping
 * every sample of a 6-hour window to the evaluator. `windowStatsFromSamples` is the reference
 * answer, computed in memory.
 */
export interface AlertStatsQuery {
  /** Epoch ms, inclusive: samples whose task ended at or after it. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  target: AlertTarget;
  /** What is measured: task duration, perceived latency, or (model targets) TTFT. */
  measure: 'duration' | 'perceived' | 'ttft';
  /** Percentile to compute (0.99 for P99), or null when only counts are needed. */
  fraction: number | null;
  /** Which slowest traces to return: any, only over-budget ones, or none. */
  examples: 'slowest' | 'slowest-over-budget' | 'none';
}

export interface AlertWindowStats {
  count: number;
  /** Tasks over their own budget (0 for TTFT). */
  overBudgetCount: number;
  /** The percentile asked for; null when not asked or the window is empty. */
  percentile: number | null;
  /** At most ALERT_EXAMPLE_COUNT, slowest first (ties by trace id). */
  examples: AlertExampleTrace[];
}

const FRACTIONS = { p50: 0.5, p95: 0.95, p99: 0.99, perceivedP99: 0.99 } as const;

/** The window queries one evaluation of `rule` at `nowMs` needs (a burn-rate rule: long, then short). */
export function alertStatsQueries(rule: AlertRule, nowMs: number): AlertStatsQuery[] {
  const window = (windowMs: number) => ({ from: nowMs - windowMs, to: nowMs, target: rule.target });
  if (rule.kind === 'burn-rate') {
    return [
      { ...window(rule.windowMs), measure: 'duration', fraction: null, examples: 'none' },
      { ...window(rule.shortWindowMs), measure: 'duration', fraction: null, examples: 'slowest-over-budget' },
    ];
  }
  if (rule.target.kind === 'model') {
    return [
      {
        ...window(rule.windowMs),
        measure: 'ttft',
        fraction: rule.statistic === 'overBudgetRate' ? null : FRACTIONS[rule.statistic],
        examples: 'slowest',
      },
    ];
  }
  if (rule.statistic === 'overBudgetRate') {
    return [{ ...window(rule.windowMs), measure: 'duration', fraction: null, examples: 'slowest-over-budget' }];
  }
  return [
    {
      ...window(rule.windowMs),
      measure: rule.statistic === 'perceivedP99' ? 'perceived' : 'duration',
      fraction: FRACTIONS[rule.statistic],
      examples: 'slowest',
    },
  ];
}

/** Answers a query from samples in memory: the definition every store must match. */
export function windowStatsFromSamples(
  query: AlertStatsQuery,
  tasks: readonly AlertTaskSample[],
  ttfts: readonly AlertTtftSample[],
): AlertWindowStats {
  const windowMs = query.to - query.from;
  const measured =
    query.measure === 'ttft'
      ? query.target.kind === 'model'
        ? ttftsInWindow(ttfts, query.target.value, query.to, windowMs).map((call) => ({
            traceId: call.traceId,
            valueMs: call.ttftMs,
            overBudget: false,
          }))
        : []
      : tasksInWindow(tasks, query.target, query.to, windowMs).map((task) => ({
          traceId: task.traceId,
          valueMs: query.measure === 'perceived' ? task.perceivedMs : task.durationMs,
          overBudget: task.overBudget,
        }));
  const over = measured.filter((item) => item.overBudget);
  return {
    count: measured.length,
    overBudgetCount: over.length,
    percentile:
      query.fraction === null
        ? null
        : (percentile(
            measured.map((item) => item.valueMs),
            query.fraction,
          ) ?? null),
    examples: query.examples === 'none' ? [] : slowestExamples(query.examples === 'slowest' ? measured : over),
  };
}
