import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, validateAlertRule } from '@threshold/core';
import { alertRuleIdFromName } from '../../packages/core/src/alerts/index.js';

describe('validateAlertRule', () => {
  it('fills the defaults of a minimal threshold rule and derives its id from the name', () => {
    expect(
      validateAlertRule({
        name: 'Checkout P95 over 800 ms',
        target: { kind: 'service', value: 'checkout' },
        statistic: 'p95',
        threshold: 800,
        windowMs: 300_000,
      }),
    ).toEqual({
      ok: true,
      rule: {
        id: 'checkout-p95-over-800-ms',
        name: 'Checkout P95 over 800 ms',
        kind: 'threshold',
        target: { kind: 'service', value: 'checkout' },
        statistic: 'p95',
        threshold: 800,
        windowMs: 300_000,
        minSamples: 20,
        holdMs: 60_000,
        severity: 'ticket',
        enabled: true,
      },
    });
  });

  it('gives a burn-rate rule a short window of 1/12 of the long one and a 99 % / 30 d SLO', () => {
    const result = validateAlertRule({ id: 'burn', name: 'Burn', kind: 'burn-rate', threshold: 14.4, windowMs: 3_600_000 });
    expect(result).toEqual({
      ok: true,
      rule: {
        id: 'burn',
        name: 'Burn',
        kind: 'burn-rate',
        target: { kind: 'all' },
        threshold: 14.4,
        windowMs: 3_600_000,
        shortWindowMs: 300_000,
        objective: 0.99,
        periodMs: 2_592_000_000,
        minSamples: 20,
        holdMs: 0,
        severity: 'page',
        enabled: true,
      },
    });
  });

  it('names every invalid field with the reason', () => {
    expect(
      validateAlertRule({
        id: 'Bad Id',
        name: '',
        target: { kind: 'taskClass' },
        statistic: 'p42',
        threshold: -1,
        windowMs: 10.5,
        minSamples: 0,
      }),
    ).toEqual({
      ok: false,
      fields: {
        name: 'name is required (a non-empty string)',
        id: 'id must be 1–64 lower-case letters, digits or dashes, starting with a letter or digit',
        'target.value': 'target.value is required for a taskClass target (the taskClass to watch)',
        threshold: 'threshold must be above 0',
        windowMs: 'windowMs must be a whole number',
        minSamples: 'minSamples must be at least 1',
        statistic: 'statistic must be one of p50, p95, p99, perceivedP99, overBudgetRate',
      },
    });
  });

  it('refuses task-only statistics on a model target, and rates of 1 or more', () => {
    const base = { name: 'x', threshold: 300, windowMs: 60_000 };
    expect(validateAlertRule({ ...base, target: { kind: 'model', value: 'gpt-4o' }, statistic: 'perceivedP99' })).toEqual({
      ok: false,
      fields: { statistic: 'a model target watches TTFT: statistic must be p50, p95 or p99' },
    });
    expect(validateAlertRule({ ...base, statistic: 'overBudgetRate', threshold: 5 })).toEqual({
      ok: false,
      fields: { threshold: 'overBudgetRate is a fraction: threshold must be below 1 (0.05 for 5 %)' },
    });
  });

  it('refuses a burn-rate rule whose short window is not shorter, or whose objective is not a fraction', () => {
    expect(
      validateAlertRule({ name: 'b', kind: 'burn-rate', threshold: 6, windowMs: 60_000, shortWindowMs: 60_000, objective: 99 }),
    ).toEqual({
      ok: false,
      fields: {
        objective: 'objective must be a fraction below 1 (0.99 for 99 %)',
        shortWindowMs: 'shortWindowMs must be shorter than windowMs',
      },
    });
  });

  it('refuses what is not an object', () => {
    expect(validateAlertRule([1])).toEqual({ ok: false, fields: { '': 'a rule must be a JSON object' } });
  });

  it('accepts every shipped default rule unchanged', () => {
    for (const rule of DEFAULT_ALERT_RULES) expect(validateAlertRule(rule)).toEqual({ ok: true, rule });
  });

  it('makes ids from names without leading, trailing or repeated dashes', () => {
    expect(alertRuleIdFromName('  Simple P99 > 2 s!  ')).toBe('simple-p99-2-s');
    expect(alertRuleIdFromName('***')).toBe('rule');
  });
});
