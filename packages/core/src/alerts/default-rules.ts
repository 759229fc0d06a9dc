import { DEFAULT_TASK_CLASS_CONFIG } from '../task-class.js';
import type { AlertRule } from './types.js';

/**
 * The rules Threshold ships with.
 *
 * Budgets: interactive agents target P99 < 2 s for simple tasks and < 5 s for complex ones, over a
 * 5-minute window, with at least 20 samples (a P99 of fewer is the maximum of a handful) held for
 * one minute (one slow burst does not page anyone).
 *
 * SLO: 99 % of tasks within their class budget over 30 days, alerted on multi-window burn rates as
 * in the Google SRE workbook (ch. 5, "Multiwindow, Multi-Burn-Rate Alerts"):
 * - fast: 14.4× over 1 h and 5 min — 2 % of the 30-day error budget gone in one hour (page);
 * - slow: 6× over 6 h and 30 min — 5 % of the budget gone in six hours (page in the workbook; here
 *   a ticket, as latency budgets rarely need a night-time wake-up at that rate).
 */
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const SLO_FAST_BURN_RATE = 14.4;
export const SLO_SLOW_BURN_RATE = 6;

export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  {
    id: 'simple-p99-budget',
    name: 'Simple tasks: P99 over 2 s',
    kind: 'threshold',
    target: { kind: 'taskClass', value: 'simple' },
    statistic: 'p99',
    threshold: DEFAULT_TASK_CLASS_CONFIG.budgetsMs.simple,
    windowMs: 5 * MINUTE_MS,
    minSamples: 20,
    holdMs: MINUTE_MS,
    severity: 'ticket',
    enabled: true,
  },
  {
    id: 'complex-p99-budget',
    name: 'Complex tasks: P99 over 5 s',
    kind: 'threshold',
    target: { kind: 'taskClass', value: 'complex' },
    statistic: 'p99',
    threshold: DEFAULT_TASK_CLASS_CONFIG.budgetsMs.complex,
    windowMs: 5 * MINUTE_MS,
    minSamples: 20,
    holdMs: MINUTE_MS,
    severity: 'ticket',
    enabled: true,
  },
  {
    id: 'slo-fast-burn',
    name: 'Latency SLO (99 % within budget, 30 d): fast burn',
    kind: 'burn-rate',
    target: { kind: 'all' },
    objective: 0.99,
    periodMs: 30 * DAY_MS,
    threshold: SLO_FAST_BURN_RATE,
    windowMs: HOUR_MS,
    shortWindowMs: 5 * MINUTE_MS,
    minSamples: 20,
    holdMs: 0,
    severity: 'page',
    enabled: true,
  },
  {
    id: 'slo-slow-burn',
    name: 'Latency SLO (99 % within budget, 30 d): slow burn',
    kind: 'burn-rate',
    target: { kind: 'all' },
    objective: 0.99,
    periodMs: 30 * DAY_MS,
    threshold: SLO_SLOW_BURN_RATE,
    windowMs: 6 * HOUR_MS,
    shortWindowMs: 30 * MINUTE_MS,
    minSamples: 20,
    holdMs: 0,
    severity: 'ticket',
    enabled: true,
  },
];
