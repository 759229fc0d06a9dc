import { useState, type FormEvent, type ReactNode } from 'react';
import type { AlertRule, AlertStatistic, AlertTargetKind } from '@threshold/core';
import { createRule, replaceRule } from './alert-rules-client';
import {
  emptyRuleForm,
  formErrorsFromApi,
  ruleForm,
  ruleFormErrors,
  ruleInput,
  type RuleFormField,
  type RuleFormState,
} from './rule-form-model';

const TARGETS: Array<{ kind: AlertTargetKind; label: string }> = [
  { kind: 'taskClass', label: 'Task class' },
  { kind: 'service', label: 'Service' },
  { kind: 'taskName', label: 'Task name' },
  { kind: 'model', label: 'Model (TTFT)' },
  { kind: 'all', label: 'All tasks' },
];
const STATISTICS: Array<{ value: AlertStatistic; label: string }> = [
  { value: 'p99', label: 'P99' },
  { value: 'p95', label: 'P95' },
  { value: 'p50', label: 'P50' },
  { value: 'perceivedP99', label: 'Perceived P99' },
  { value: 'overBudgetRate', label: 'Share over budget (0–1)' },
];

/**
 * Creates a rule, or edits one (`rule` given). Problems show next to their field as soon as the
 * form has been submitted once, checked by the same validation the collector runs; what the
 * collector still refuses (an id in use) comes back the same way.
 */
export function AlertRuleForm({
  rule,
  onSaved,
  onCancel,
}: {
  rule?: AlertRule;
  onSaved: (rule: AlertRule | null) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<RuleFormState>(() => (rule ? ruleForm(rule) : emptyRuleForm()));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<RuleFormField, string>>>({});
  const [serverMessage, setServerMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const localErrors = submitted ? ruleFormErrors(form) : {};
  const errors = { ...serverErrors, ...localErrors };

  const set = <K extends RuleFormField>(field: K, value: RuleFormState[K]) => {
    setForm((previous) => ({ ...previous, [field]: value }));
    setServerErrors((previous) => ({ ...previous, [field]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(ruleFormErrors(form)).length > 0) return;
    setSaving(true);
    const result = rule ? await replaceRule(rule.id, ruleInput(form)) : await createRule(ruleInput(form));
    setSaving(false);
    if (result.ok) return onSaved(result.rule);
    setServerErrors(formErrorsFromApi(result.fields));
    setServerMessage(result.error);
  };

  const thresholdUnit = form.kind === 'burn-rate' ? '× budget burn' : form.statistic === 'overBudgetRate' ? 'fraction, 0.05 = 5 %' : 'ms';

  return (
    <form className="panel alert-rule-form" onSubmit={submit} noValidate aria-label={rule ? `Edit rule ${rule.name}` : 'New alert rule'}>
      <div className="panel-head">
        <h2>{rule ? `Edit “${rule.name}”` : 'New alert rule'}</h2>
      </div>
      {serverMessage ? (
        <div className="error-box" role="alert">
          <strong>Not saved.</strong> <span>{serverMessage}</span>
        </div>
      ) : null}
      <div className="form-grid">
        <Field label="Name" error={errors.name} wide>
          <input type="text" value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="Simple tasks: P99 over 2 s" />
        </Field>
        {!rule ? (
          <Field label="Id (optional, from the name)" error={errors.id}>
            <input type="text" value={form.id} onChange={(e) => set('id', e.target.value)} placeholder="simple-p99" />
          </Field>
        ) : null}
        <Field label="Kind" error={errors.kind}>
          <select value={form.kind} onChange={(e) => set('kind', e.target.value as RuleFormState['kind'])}>
            <option value="threshold">Statistic above a threshold</option>
            <option value="burn-rate">SLO burn rate (multi-window)</option>
          </select>
        </Field>
        <Field label="Watch" error={errors.targetKind}>
          <select value={form.targetKind} onChange={(e) => set('targetKind', e.target.value as AlertTargetKind)}>
            {TARGETS.map((target) => (
              <option key={target.kind} value={target.kind}>
                {target.label}
              </option>
            ))}
          </select>
        </Field>
        {form.targetKind !== 'all' ? (
          <Field label={TARGETS.find((target) => target.kind === form.targetKind)?.label ?? 'Value'} error={errors.targetValue}>
            <input type="text" value={form.targetValue} onChange={(e) => set('targetValue', e.target.value)} />
          </Field>
        ) : null}
        {form.kind === 'threshold' ? (
          <Field label="Statistic" error={errors.statistic}>
            <select value={form.statistic} onChange={(e) => set('statistic', e.target.value as AlertStatistic)}>
              {STATISTICS.map((statistic) => (
                <option key={statistic.value} value={statistic.value}>
                  {statistic.label}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <Field label="Objective (% within budget)" error={errors.objectivePercent}>
            <input type="number" step="any" value={form.objectivePercent} onChange={(e) => set('objectivePercent', e.target.value)} />
          </Field>
        )}
        <Field label={`Threshold (${thresholdUnit})`} error={errors.threshold}>
          <input type="number" step="any" value={form.threshold} onChange={(e) => set('threshold', e.target.value)} />
        </Field>
        <Field label={form.kind === 'burn-rate' ? 'Long window (min)' : 'Window (min)'} error={errors.windowMinutes}>
          <input type="number" step="any" value={form.windowMinutes} onChange={(e) => set('windowMinutes', e.target.value)} />
        </Field>
        {form.kind === 'burn-rate' ? (
          <Field label="Short window (min, default 1/12)" error={errors.shortWindowMinutes}>
            <input type="number" step="any" value={form.shortWindowMinutes} onChange={(e) => set('shortWindowMinutes', e.target.value)} />
          </Field>
        ) : null}
        <Field label="Hold before firing (s)" error={errors.holdSeconds}>
          <input type="number" step="any" value={form.holdSeconds} onChange={(e) => set('holdSeconds', e.target.value)} />
        </Field>
        <Field label="Minimum samples" error={errors.minSamples}>
          <input type="number" step="1" value={form.minSamples} onChange={(e) => set('minSamples', e.target.value)} />
        </Field>
        <Field label="Severity" error={errors.severity}>
          <select value={form.severity} onChange={(e) => set('severity', e.target.value as RuleFormState['severity'])}>
            <option value="ticket">Ticket</option>
            <option value="page">Page</option>
          </select>
        </Field>
        <label className="check form-check">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Saving…' : rule ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Field({ label, error, wide, children }: { label: string; error?: string; wide?: boolean; children: ReactNode }) {
  return (
    <label className={`form-field${wide ? ' wide' : ''}${error ? ' invalid' : ''}`}>
      <span className="form-label">{label}</span>
      {children}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}
