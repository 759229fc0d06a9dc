import { validateAlertRule, type AlertRule, type AlertStatistic, type AlertTargetKind } from '@threshold/core';

/**
 * The create/edit form's state and its conversion to the API's rule shape. Windows are entered in
 * minutes and the hold in seconds (how people think of them); the threshold in the rule's own
 * unit. Validation is core's `validateAlertRule`, the same function the collector runs, so the
 * form says exactly what the API would say, field by field, before anything is sent.
 */
export interface RuleFormState {
  id: string;
  name: string;
  kind: 'threshold' | 'burn-rate';
  targetKind: AlertTargetKind;
  targetValue: string;
  statistic: AlertStatistic;
  threshold: string;
  windowMinutes: string;
  shortWindowMinutes: string;
  holdSeconds: string;
  minSamples: string;
  objectivePercent: string;
  severity: 'page' | 'ticket';
  enabled: boolean;
}

export type RuleFormField = keyof RuleFormState;

export function emptyRuleForm(): RuleFormState {
  return {
    id: '',
    name: '',
    kind: 'threshold',
    targetKind: 'taskClass',
    targetValue: 'simple',
    statistic: 'p99',
    threshold: '2000',
    windowMinutes: '5',
    shortWindowMinutes: '',
    holdSeconds: '60',
    minSamples: '20',
    objectivePercent: '99',
    severity: 'ticket',
    enabled: true,
  };
}

export function ruleForm(rule: AlertRule): RuleFormState {
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    targetKind: rule.target.kind,
    targetValue: rule.target.kind === 'all' ? '' : rule.target.value,
    statistic: rule.kind === 'threshold' ? rule.statistic : 'p99',
    threshold: String(rule.threshold),
    windowMinutes: String(rule.windowMs / 60_000),
    shortWindowMinutes: rule.kind === 'burn-rate' ? String(rule.shortWindowMs / 60_000) : '',
    holdSeconds: String(rule.holdMs / 1_000),
    minSamples: String(rule.minSamples),
    objectivePercent: rule.kind === 'burn-rate' ? String(Math.round(rule.objective * 1e6) / 1e4) : '99',
    severity: rule.severity,
    enabled: rule.enabled,
  };
}

/** The JSON body for POST/PUT. Blank optional fields are left out (the collector's defaults apply). */
export function ruleInput(form: RuleFormState): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: form.name,
    kind: form.kind,
    target: form.targetKind === 'all' ? { kind: 'all' } : { kind: form.targetKind, value: form.targetValue },
    threshold: numberOrText(form.threshold),
    windowMs: scaled(form.windowMinutes, 60_000),
    severity: form.severity,
    enabled: form.enabled,
  };
  if (form.id) input.id = form.id;
  if (form.kind === 'threshold') input.statistic = form.statistic;
  else {
    input.objective = scaled(form.objectivePercent, 0.01);
    if (form.shortWindowMinutes.trim()) input.shortWindowMs = scaled(form.shortWindowMinutes, 60_000);
  }
  if (form.holdSeconds.trim()) input.holdMs = scaled(form.holdSeconds, 1_000);
  if (form.minSamples.trim()) input.minSamples = numberOrText(form.minSamples);
  return input;
}

/** Problems per form field, from core's validation of the rule the form describes. */
export function ruleFormErrors(form: RuleFormState): Partial<Record<RuleFormField, string>> {
  const validation = validateAlertRule(ruleInput(form));
  return validation.ok ? {} : formErrorsFromApi(validation.fields);
}

/** Maps the API's field paths (`windowMs`, `target.value`) to the form's fields, in the form's units. */
export function formErrorsFromApi(fields: Record<string, string>): Partial<Record<RuleFormField, string>> {
  const errors: Partial<Record<RuleFormField, string>> = {};
  for (const [path, message] of Object.entries(fields)) {
    const field = FIELD_OF_PATH[path] ?? 'name';
    errors[field] = UNIT_MESSAGES[path]?.(message) ?? message;
  }
  return errors;
}

const FIELD_OF_PATH: Record<string, RuleFormField> = {
  id: 'id',
  name: 'name',
  kind: 'kind',
  target: 'targetKind',
  'target.kind': 'targetKind',
  'target.value': 'targetValue',
  statistic: 'statistic',
  threshold: 'threshold',
  windowMs: 'windowMinutes',
  shortWindowMs: 'shortWindowMinutes',
  holdMs: 'holdSeconds',
  minSamples: 'minSamples',
  objective: 'objectivePercent',
  severity: 'severity',
  enabled: 'enabled',
};

/** Core speaks in ms and fractions; the form in minutes, seconds and percent. */
const UNIT_MESSAGES: Record<string, (message: string) => string> = {
  windowMs: (message) =>
    /whole number/.test(message)
      ? 'the window must be a whole number of seconds'
      : 'enter a window of at least 1 second (0.0167 min) and at most 90 days',
  shortWindowMs: (message) =>
    /shorter/.test(message) ? 'the short window must be shorter than the window' : 'enter a short window of at least 1 second',
  holdMs: () => 'enter a hold of 0 seconds or more (whole milliseconds)',
  objective: () => 'enter an objective between 0 and 100 %, e.g. 99',
};

function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

function scaled(text: string, factor: number): number | string | undefined {
  const value = numberOrText(text);
  if (typeof value !== 'number') return value;
  return Math.round(value * factor * 1e9) / 1e9;
}
