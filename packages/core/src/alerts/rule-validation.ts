import type { AlertRule, AlertSeverity, AlertStatistic, AlertTarget, AlertTargetKind } from './types.js';

/**
 * Turns untrusted input (a config file, a request body) into an AlertRule, or says exactly which
 * fields are wrong and why. Optional fields get the defaults below; nothing else is guessed.
 */
export type AlertRuleValidation = { ok: true; rule: AlertRule } | { ok: false; fields: Record<string, string> };

const STATISTICS: readonly AlertStatistic[] = ['p50', 'p95', 'p99', 'perceivedP99', 'overBudgetRate'];
const TARGET_KINDS: readonly AlertTargetKind[] = ['all', 'taskClass', 'service', 'taskName', 'model'];
const SEVERITIES: readonly AlertSeverity[] = ['page', 'ticket'];
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const DAY_MS = 86_400_000;
/** Longest window a rule may look at: the longest SLO period anyone asks for. */
export const MAX_ALERT_WINDOW_MS = 90 * DAY_MS;
export const DEFAULT_MIN_SAMPLES = 20;
export const DEFAULT_HOLD_MS = 60_000;
export const DEFAULT_SLO_PERIOD_MS = 30 * DAY_MS;

/** A rule id made from its name: "Simple P99 > 2 s" → "simple-p99-2-s". */
export function alertRuleIdFromName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'rule';
}

export function validateAlertRule(input: unknown): AlertRuleValidation {
  const fields: Record<string, string> = {};
  if (!isRecord(input)) return { ok: false, fields: { '': 'a rule must be a JSON object' } };

  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name) fields.name = 'name is required (a non-empty string)';
  else if (name.length > 200) fields.name = 'name must be at most 200 characters';

  let id = name ? alertRuleIdFromName(name) : '';
  if (input.id !== undefined) {
    if (typeof input.id !== 'string' || !ID_PATTERN.test(input.id)) {
      fields.id = 'id must be 1–64 lower-case letters, digits or dashes, starting with a letter or digit';
    } else id = input.id;
  }

  const kind = input.kind ?? 'threshold';
  if (kind !== 'threshold' && kind !== 'burn-rate') fields.kind = 'kind must be "threshold" or "burn-rate"';

  const target = readTarget(input.target, fields);
  const threshold = readNumber(input, 'threshold', fields, { required: true, min: 0, exclusiveMin: true });
  const windowMs = readNumber(input, 'windowMs', fields, { required: true, min: 1_000, max: MAX_ALERT_WINDOW_MS, integer: true });
  const minSamples = readNumber(input, 'minSamples', fields, { fallback: DEFAULT_MIN_SAMPLES, min: 1, integer: true });
  const holdMs = readNumber(input, 'holdMs', fields, {
    fallback: kind === 'burn-rate' ? 0 : DEFAULT_HOLD_MS,
    min: 0,
    max: MAX_ALERT_WINDOW_MS,
    integer: true,
  });
  const severity = input.severity ?? (kind === 'burn-rate' ? 'page' : 'ticket');
  if (!SEVERITIES.includes(severity as AlertSeverity)) fields.severity = 'severity must be "page" or "ticket"';
  const enabled = input.enabled ?? true;
  if (typeof enabled !== 'boolean') fields.enabled = 'enabled must be true or false';

  const base = {
    id,
    name,
    target: target!,
    threshold: threshold!,
    windowMs: windowMs!,
    minSamples: minSamples!,
    holdMs: holdMs!,
    severity: severity as AlertSeverity,
    enabled: enabled as boolean,
  };

  if (kind === 'threshold') {
    const statistic = input.statistic as AlertStatistic;
    if (!STATISTICS.includes(statistic)) fields.statistic = `statistic must be one of ${STATISTICS.join(', ')}`;
    else if (target?.kind === 'model' && (statistic === 'perceivedP99' || statistic === 'overBudgetRate')) {
      fields.statistic = 'a model target watches TTFT: statistic must be p50, p95 or p99';
    } else if (statistic === 'overBudgetRate' && threshold !== undefined && threshold >= 1) {
      fields.threshold = 'overBudgetRate is a fraction: threshold must be below 1 (0.05 for 5 %)';
    }
    if (Object.keys(fields).length > 0) return { ok: false, fields };
    return { ok: true, rule: { ...base, kind: 'threshold', statistic } };
  }

  if (target?.kind === 'model') fields['target.kind'] = 'a burn-rate rule watches tasks against their budget, not a model';
  const objective = readNumber(input, 'objective', fields, { fallback: 0.99, min: 0, exclusiveMin: true });
  if (objective !== undefined && objective >= 1) fields.objective = 'objective must be a fraction below 1 (0.99 for 99 %)';
  const periodMs = readNumber(input, 'periodMs', fields, {
    fallback: DEFAULT_SLO_PERIOD_MS,
    min: 60_000,
    max: MAX_ALERT_WINDOW_MS,
    integer: true,
  });
  const shortWindowMs = readNumber(input, 'shortWindowMs', fields, {
    // The SRE workbook's short window is 1/12 of the long one (1 h → 5 min, 6 h → 30 min).
    fallback: windowMs !== undefined ? Math.round(windowMs / 12) : undefined,
    min: 1_000,
    integer: true,
  });
  if (shortWindowMs !== undefined && windowMs !== undefined && shortWindowMs >= windowMs) {
    fields.shortWindowMs = 'shortWindowMs must be shorter than windowMs';
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return { ok: true, rule: { ...base, kind: 'burn-rate', objective: objective!, periodMs: periodMs!, shortWindowMs: shortWindowMs! } };
}

function readTarget(value: unknown, fields: Record<string, string>): AlertTarget | undefined {
  if (value === undefined) return { kind: 'all' };
  if (!isRecord(value)) {
    fields.target = 'target must be an object like {"kind": "taskClass", "value": "simple"}';
    return undefined;
  }
  const kind = value.kind as AlertTargetKind;
  if (!TARGET_KINDS.includes(kind)) {
    fields['target.kind'] = `target.kind must be one of ${TARGET_KINDS.join(', ')}`;
    return undefined;
  }
  if (kind === 'all') return { kind };
  if (typeof value.value !== 'string' || value.value.trim() === '') {
    fields['target.value'] = `target.value is required for a ${kind} target (the ${kind} to watch)`;
    return undefined;
  }
  return { kind, value: value.value.trim() };
}

interface NumberSpec {
  required?: boolean;
  fallback?: number;
  min?: number;
  exclusiveMin?: boolean;
  max?: number;
  integer?: boolean;
}

function readNumber(input: Record<string, unknown>, key: string, fields: Record<string, string>, spec: NumberSpec): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    if (spec.required) fields[key] = `${key} is required (a number)`;
    return spec.fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fields[key] = `${key} must be a finite number`;
    return undefined;
  }
  if (spec.integer && !Number.isInteger(value)) fields[key] = `${key} must be a whole number`;
  else if (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min)) {
    fields[key] = `${key} must be ${spec.exclusiveMin ? 'above' : 'at least'} ${spec.min}`;
  } else if (spec.max !== undefined && value > spec.max) fields[key] = `${key} must be at most ${spec.max}`;
  else return value;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
