import type { AlertRule, AlertStateName } from '@threshold/core';
import { formatDurationMs, formatPercent } from '../../format/format-duration';

/**
 * How rules read in the Alerts view: what they watch, their value in the rule's own unit (ms,
 * share of tasks, or burn-rate factor) and their window. Pure, so tested without a browser.
 */
const STATISTIC_LABELS = {
  p50: 'P50',
  p95: 'P95',
  p99: 'P99',
  perceivedP99: 'Perceived P99',
  overBudgetRate: 'Over-budget share',
} as const;

export function statisticLabel(rule: AlertRule): string {
  if (rule.kind === 'burn-rate') return `Burn rate (SLO ${formatPercent(rule.objective)})`;
  const label = STATISTIC_LABELS[rule.statistic];
  return rule.target.kind === 'model' ? `TTFT ${label}` : label;
}

export function targetLabel(rule: AlertRule): string {
  const target = rule.target;
  switch (target.kind) {
    case 'all':
      return 'All tasks';
    case 'taskClass':
      return `Task class ${target.value}`;
    case 'service':
      return `Service ${target.value}`;
    case 'taskName':
      return `Task ${target.value}`;
    case 'model':
      return `Model ${target.value}`;
  }
}

/** A value in the unit of the rule's threshold. */
export function formatAlertValue(rule: AlertRule, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (rule.kind === 'burn-rate') return `${trimNumber(value)}×`;
  if (rule.statistic === 'overBudgetRate') return formatPercent(value);
  return formatDurationMs(value);
}

export function formatWindow(rule: AlertRule): string {
  return rule.kind === 'burn-rate' ? `${formatSpan(rule.windowMs)} & ${formatSpan(rule.shortWindowMs)}` : formatSpan(rule.windowMs);
}

/** 300000 → "5 min", 3600000 → "1 h", 90000 → "90 s". */
export function formatSpan(ms: number): string {
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${trimNumber(ms / 1_000)} s`;
}

export const STATE_LABELS: Record<AlertStateName, string> = { ok: 'OK', pending: 'Pending', firing: 'Firing', resolved: 'Resolved' };

/** CSS status class of a state badge. */
export function stateTone(state: AlertStateName): 'good' | 'bad' | 'info' | 'pending' {
  if (state === 'firing') return 'bad';
  if (state === 'pending') return 'pending';
  if (state === 'resolved') return 'info';
  return 'good';
}

function trimNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}
