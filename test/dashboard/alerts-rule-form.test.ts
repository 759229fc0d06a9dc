import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, validateAlertRule } from '@threshold/core';
import { formatAlertValue, formatSpan, formatWindow, statisticLabel, targetLabel } from '../../dashboard/src/views/alerts/alert-labels';
import { emptyRuleForm, formErrorsFromApi, ruleForm, ruleFormErrors, ruleInput } from '../../dashboard/src/views/alerts/rule-form-model';

describe('alert rule form model', () => {
  it('turns every default rule into a form and back into the same rule', () => {
    for (const rule of DEFAULT_ALERT_RULES) expect(validateAlertRule(ruleInput(ruleForm(rule)))).toEqual({ ok: true, rule });
  });

  it('converts minutes, seconds and percent to the API units', () => {
    const form = {
      ...emptyRuleForm(),
      name: 'Burn',
      kind: 'burn-rate' as const,
      targetKind: 'all' as const,
      threshold: '14.4',
      windowMinutes: '60',
      shortWindowMinutes: '5',
      holdSeconds: '0',
      objectivePercent: '99.5',
    };
    expect(ruleInput(form)).toEqual({
      name: 'Burn',
      kind: 'burn-rate',
      target: { kind: 'all' },
      threshold: 14.4,
      windowMs: 3_600_000,
      shortWindowMs: 300_000,
      objective: 0.995,
      holdMs: 0,
      minSamples: 20,
      severity: 'ticket',
      enabled: true,
    });
  });

  it('reports problems against the form fields, in the form units', () => {
    const form = { ...emptyRuleForm(), name: '', targetValue: ' ', threshold: 'abc', windowMinutes: '0' };
    expect(ruleFormErrors(form)).toEqual({
      name: 'name is required (a non-empty string)',
      targetValue: 'target.value is required for a taskClass target (the taskClass to watch)',
      threshold: 'threshold must be a finite number',
      windowMinutes: 'enter a window of at least 1 second (0.0167 min) and at most 90 days',
    });
    expect(formErrorsFromApi({ id: 'already in use: choose another id or name' })).toEqual({
      id: 'already in use: choose another id or name',
    });
  });
});

describe('alert labels', () => {
  const [simple, , fast] = DEFAULT_ALERT_RULES;
  it('reads rules as people say them', () => {
    expect([targetLabel(simple), statisticLabel(simple), formatWindow(simple), formatAlertValue(simple, 2_345.6)]).toEqual([
      'Task class simple',
      'P99',
      '5 min',
      '2.35 s',
    ]);
    expect([targetLabel(fast), statisticLabel(fast), formatWindow(fast), formatAlertValue(fast, 17.456)]).toEqual([
      'All tasks',
      'Burn rate (SLO 99.0%)',
      '1 h & 5 min',
      '17.46×',
    ]);
    expect([formatSpan(90_000), formatSpan(86_400_000), formatAlertValue(simple, null)]).toEqual(['90 s', '1 d', '—']);
  });
});

describe('alert chart axis', () => {
  it('rounds the top of the axis up to 1, 2, 2.5 or 5 × 10ⁿ', async () => {
    const { niceCeiling } = await import('../../dashboard/src/views/alerts/nice-ceiling');
    expect([3_300, 2_000, 2_200, 110, 0.08, 0].map(niceCeiling)).toEqual([5_000, 2_000, 2_500, 200, 0.1, 1]);
  });
});
