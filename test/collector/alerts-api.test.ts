import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ALERT_RULES, type AlertRulesResponse } from '@threshold/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const CHECKOUT_TTFT = {
  name: 'Checkout TTFT',
  target: { kind: 'model', value: 'gpt-4o' },
  statistic: 'p95',
  threshold: 800,
  windowMs: 300_000,
};
const SIMPLE_P99_1500 = {
  name: 'Simple tasks: P99 over 1.5 s',
  target: { kind: 'taskClass', value: 'simple' },
  statistic: 'p99',
  threshold: 1_500,
  windowMs: 300_000,
};

describe('/api/alerts/rules', () => {
  // Each test has a collector of its own, on a data dir of its own, holding the default rules.
  let collector: TestCollector | undefined;
  let dataDir: string;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'threshold-alert-rules-'));
    collector = await startTestCollector({ dataDir });
  });
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const url = (path: string) => `${collector!.url}${path}`;

  it('ships the default rules, editable through the API', async () => {
    const body = (await (await fetch(url('/api/alerts/rules'))).json()) as AlertRulesResponse;
    expect(body.rules).toEqual(DEFAULT_ALERT_RULES.map((rule) => ({ ...rule, source: 'api' })).sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('creates a rule, filling defaults, and refuses the same id twice', async () => {
    const rule = CHECKOUT_TTFT;
    const created = await fetch(url('/api/alerts/rules'), json(rule));
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      ...rule,
      id: 'checkout-ttft',
      kind: 'threshold',
      minSamples: 20,
      holdMs: 60_000,
      severity: 'ticket',
      enabled: true,
    });
    const again = await fetch(url('/api/alerts/rules'), json(rule));
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      error: 'a rule with id "checkout-ttft" already exists',
      fields: { id: 'already in use: choose another id or name' },
    });
  });

  it('answers 400 naming each invalid field', async () => {
    const response = await fetch(url('/api/alerts/rules'), json({ name: 'x', statistic: 'p99', threshold: 'fast', windowMs: 0 }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'the rule is invalid',
      fields: { threshold: 'threshold must be a finite number', windowMs: 'windowMs must be at least 1000' },
    });
  });

  it('answers 400 for a body that is not JSON and 415 for another content type', async () => {
    const broken = await fetch(url('/api/alerts/rules'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'the body is not valid JSON', fields: {} });
    const text = await fetch(url('/api/alerts/rules'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=x' });
    expect(text.status).toBe(415);
  });

  it('replaces a rule with PUT, keeping its id, and refuses an id change', async () => {
    const replaced = await fetch(url('/api/alerts/rules/simple-p99-budget'), {
      ...json(SIMPLE_P99_1500),
      method: 'PUT',
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ id: 'simple-p99-budget', threshold: 1_500 });
    const renamed = await fetch(url('/api/alerts/rules/simple-p99-budget'), {
      ...json({ id: 'other', name: 'n', statistic: 'p99', threshold: 1, windowMs: 60_000 }),
      method: 'PUT',
    });
    expect(renamed.status).toBe(400);
    expect(await renamed.json()).toEqual({
      error: 'the rule is invalid',
      fields: { id: 'id cannot change (this rule is "simple-p99-budget")' },
    });
    const missing = await fetch(url('/api/alerts/rules/nope'), {
      ...json({ name: 'n', statistic: 'p99', threshold: 1, windowMs: 60_000 }),
      method: 'PUT',
    });
    expect(missing.status).toBe(404);
  });

  it('deletes a rule; a deleted default is not seeded again after a restart, and edits persist', async () => {
    expect((await fetch(url('/api/alerts/rules'), json(CHECKOUT_TTFT))).status).toBe(201);
    expect((await fetch(url('/api/alerts/rules/simple-p99-budget'), { ...json(SIMPLE_P99_1500), method: 'PUT' })).status).toBe(200);
    expect((await fetch(url('/api/alerts/rules/complex-p99-budget'), { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(url('/api/alerts/rules/complex-p99-budget'), { method: 'DELETE' })).status).toBe(404);
    await collector!.close();
    collector = await startTestCollector({ dataDir });
    const body = (await (await fetch(url('/api/alerts/rules'))).json()) as AlertRulesResponse;
    expect(body.rules.map((rule) => [rule.id, rule.threshold])).toEqual([
      ['checkout-ttft', 800],
      ['simple-p99-budget', 1_500],
      ['slo-fast-burn', 14.4],
      ['slo-slow-burn', 6],
    ]);
    expect((await fetch(url('/api/alerts/rules/complex-p99-budget/series'))).status).toBe(404);
  });

  it('refuses to start with an invalid rules file, listing every problem', async () => {
    const path = join(dataDir, 'bad-rules.json');
    writeFileSync(
      path,
      JSON.stringify([
        { name: 'a', statistic: 'p99', threshold: 1, windowMs: 60_000 },
        { name: 'b', statistic: 'p100', threshold: -1, windowMs: 60_000 },
        { name: 'a', statistic: 'p50', threshold: 1, windowMs: 60_000 },
      ]),
    );
    await expect(startTestCollector({ dataDir: ':memory:', alerts: { rulesPath: path } })).rejects.toThrow(
      `${path}: invalid alert configuration:\n` +
        '  rules[1] ("b") threshold: threshold must be above 0\n' +
        '  rules[1] ("b") statistic: statistic must be one of p50, p95, p99, perceivedP99, overBudgetRate\n' +
        '  rules[2] ("a"): id "a" is used by an earlier rule',
    );
  });
});
