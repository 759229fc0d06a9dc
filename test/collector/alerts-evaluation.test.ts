import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { AlertEventsResponse, AlertSeriesResponse, AlertsResponse } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text-parser.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { ManualClock } from './manual-clock.js';
import { exportPlans, ExportResultCode, type SpanPlan } from './official-exporter.js';

const T0 = 1_800_000_000_000;
const SECOND = 1_000;

/**
 * One simple task ending every second, sent over OTLP by the official exporter:
 *
 *   end time (s):  0 ─────── 60 ──────── 120 ─────────────── 240
 *   duration:      │  500 ms  │  3 000 ms  │      500 ms        │
 *
 * The rule: P99 of simple tasks above 2 s over 60 s, at least 20 samples, held 30 s. Evaluated
 * every 10 s: at 70 s the window [10 s, 70 s) holds 10 slow tasks → pending; held until 100 s →
 * firing; at 180 s the window [120 s, 180 s) is all fast again → resolved.
 */
function task(endS: number, durationMs: number): SpanPlan {
  const endMs = endS * SECOND;
  return { name: 'invoke_agent answer', startMs: endMs - durationMs, endMs, attributes: { 'gen_ai.operation.name': 'invoke_agent' } };
}
const PLANS: SpanPlan[] = Array.from({ length: 240 }, (_, s) => task(s, s >= 60 && s < 120 ? 3_000 : 500));

const RULE = {
  id: 'simple-p99',
  name: 'Simple tasks: P99 over 2 s',
  target: { kind: 'taskClass', value: 'simple' },
  statistic: 'p99',
  threshold: 2_000,
  windowMs: 60_000,
  minSamples: 20,
  holdMs: 30_000,
};

/** A collector that received the tasks above and evaluated the rule every 10 s from 10 s to 300 s. */
interface Scenario {
  collector: TestCollector;
  receiver: WebhookReceiver;
  dataDir: string;
  rulesPath: string;
  /** Each state change as `<evaluated at>s <from>→<to>`. */
  transitions: string[];
}

async function runScenario(): Promise<Scenario> {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-alerts-'));
  // The firing notification meets two 500s before a 200; the resolved one a 200 at once.
  const receiver = await startWebhookReceiver([{ status: 500 }, { status: 500 }, { status: 200 }]);
  const rulesPath = join(dataDir, 'rules.json');
  writeFileSync(rulesPath, JSON.stringify({ rules: [RULE], webhooks: [{ url: receiver.url, name: 'ops channel' }] }));
  const clock = new ManualClock(T0 + 10 * SECOND);
  const collector = await startTestCollector({
    dataDir,
    clock,
    quietPeriodMs: 100,
    alerts: { rulesPath, evaluationDelayMs: 0, webhookBackoffInitialMs: 10, dashboardUrl: 'https://threshold.example.com' },
  });
  const exported = await exportPlans(new ProtoExporter({ url: `${collector.url}/v1/traces` }), 'support-bot', T0, PLANS);
  expect(exported.result.code).toBe(ExportResultCode.SUCCESS);
  await collector.collector.commitQueue.drain();
  clock.advance(100);
  await collector.collector.analysis.sweep();
  await waitForTraces(collector.url, PLANS.length);
  clock.advance(-100);

  const transitions: string[] = [];
  for (;;) {
    const atS = (clock.nowMs() - T0) / SECOND;
    for (const event of await collector.collector.alerting.evaluator.evaluate())
      transitions.push(`${atS}s ${event.fromState}→${event.toState}`);
    if (atS >= 300) break;
    clock.advance(10 * SECOND);
  }
  await collector.collector.alerting.evaluator.idle();
  return { collector, receiver, dataDir, rulesPath, transitions };
}

async function endScenario(scenario: Scenario | undefined): Promise<void> {
  await scenario?.collector.close();
  await scenario?.receiver.close();
  if (scenario) rmSync(scenario.dataDir, { recursive: true, force: true });
}

describe('alert evaluation in the collector, on an injected clock', () => {
  let scenario: Scenario | undefined;
  let collector: TestCollector;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    scenario = await runScenario();
    ({ collector, receiver } = scenario);
  });
  afterAll(() => endScenario(scenario));

  it('fires once after the hold and resolves once on recovery', () => {
    expect(scenario?.transitions).toEqual(['70s ok→pending', '100s pending→firing', '180s firing→resolved']);
  });

  it('notifies firing and resolved once each, retrying the firing one past two 500s', async () => {
    const bodies = receiver.requests.map(
      (request) => JSON.parse(request.body) as { threshold: { state: string; value: number; examples: Array<{ url: string }> } },
    );
    expect(bodies.map((body) => body.threshold.state)).toEqual(['firing', 'firing', 'firing', 'resolved']);
    expect(bodies[0].threshold.value).toBe(3_000);
    expect(bodies[0].threshold.examples.map((example) => example.url.replace(/[0-9a-f]{32}$/, ':id'))).toEqual([
      'https://threshold.example.com/traces/:id',
      'https://threshold.example.com/traces/:id',
      'https://threshold.example.com/traces/:id',
    ]);
  });

  it('keeps the history with delivery status, newest first', async () => {
    const { events } = (await (await fetch(`${collector.url}/api/alerts/events`)).json()) as AlertEventsResponse;
    expect(events.map((event) => [event.ruleId, event.fromState, event.toState, event.atMs - T0])).toEqual([
      ['simple-p99', 'firing', 'resolved', 180_000],
      ['simple-p99', 'pending', 'firing', 100_000],
      ['simple-p99', 'ok', 'pending', 70_000],
    ]);
    expect(
      events.map((event) =>
        event.deliveries.map(({ status, attempts, responseStatus, destination }) => ({ status, attempts, responseStatus, destination })),
      ),
    ).toEqual([
      [{ status: 'delivered', attempts: 1, responseStatus: 200, destination: 'ops channel' }],
      [{ status: 'delivered', attempts: 3, responseStatus: 200, destination: 'ops channel' }],
      [],
    ]);
    expect(events[1]).toMatchObject({ value: 3_000, threshold: 2_000, windowMs: 60_000, sampleCount: 60 });
  });

  it('shows the current state and the statistic against its threshold with the firing period', async () => {
    const { alerts, webhookCount } = (await (await fetch(`${collector.url}/api/alerts`)).json()) as AlertsResponse;
    expect(webhookCount).toBe(1);
    expect(
      alerts.map(({ rule, state, source }) => ({
        id: rule.id,
        source,
        state: state.state,
        sinceMs: state.sinceMs - T0,
        value: state.value,
      })),
    ).toEqual([
      // The last evaluation (300 s) saw no task in [240 s, 300 s): no value, still resolved.
      { id: 'simple-p99', source: 'file', state: 'resolved', sinceMs: 180_000, value: null },
    ]);
    const series = (await (
      await fetch(`${collector.url}/api/alerts/rules/simple-p99/series?from=${T0}&to=${T0 + 240 * SECOND}&stepMs=60000`)
    ).json()) as AlertSeriesResponse;
    expect(series).toEqual({
      ruleId: 'simple-p99',
      threshold: 2_000,
      stepMs: 60_000,
      points: [
        { t: T0 + 60 * SECOND, value: 500, sampleCount: 60 },
        { t: T0 + 120 * SECOND, value: 3_000, sampleCount: 60 },
        { t: T0 + 180 * SECOND, value: 500, sampleCount: 60 },
        { t: T0 + 240 * SECOND, value: 500, sampleCount: 60 },
      ],
      firingPeriods: [{ startMs: T0 + 100 * SECOND, endMs: T0 + 180 * SECOND }],
    });
    const metrics = parsePrometheusText(await (await fetch(`${collector.url}/metrics`)).text());
    expect(sampleValue(metrics, 'threshold_alert_state', { rule_id: 'simple-p99', severity: 'ticket', state: 'resolved' })).toBe(1);
    expect(sampleValue(metrics, 'threshold_alert_value', { rule_id: 'simple-p99' })).toBeUndefined();
    expect(sampleValue(metrics, 'threshold_alert_threshold', { rule_id: 'simple-p99' })).toBe(2_000);
    expect(sampleValue(metrics, 'threshold_alert_notifications_total', { status: 'delivered' })).toBe(2);
  });

  it('refuses changes to a rule from the rules file', async () => {
    const response = await fetch(`${collector.url}/api/alerts/rules/simple-p99`, { method: 'DELETE' });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: 'rule "simple-p99" comes from the alert rules file and cannot be changed through the API: edit the file and restart',
      fields: {},
    });
  });
});

describe('alert evaluation after a restart', () => {
  // Its own run of the scenario: the restart ends the collector the tests above read.
  let scenario: Scenario | undefined;
  let restarted: TestCollector | undefined;
  beforeAll(async () => {
    scenario = await runScenario();
  });
  afterAll(async () => {
    await restarted?.close();
    await endScenario(scenario);
  });

  it('restores states from the history and does not notify again', async () => {
    const { collector, receiver, dataDir, rulesPath } = scenario!;
    const requestsBefore = receiver.requests.length;
    await collector.close();
    const restartClock = new ManualClock(T0 + 310 * SECOND);
    restarted = await startTestCollector({ dataDir, clock: restartClock, alerts: { rulesPath, evaluationDelayMs: 0 } });
    const { alerts } = (await (await fetch(`${restarted.url}/api/alerts`)).json()) as AlertsResponse;
    expect(alerts[0].state).toMatchObject({ state: 'resolved', sinceMs: T0 + 180_000 });
    expect(await restarted.collector.alerting.evaluator.evaluate()).toEqual([]);
    expect(receiver.requests.length).toBe(requestsBefore);
  });
});
