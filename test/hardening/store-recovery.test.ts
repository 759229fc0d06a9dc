import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { HealthResponse, TraceList } from '@threshold/core';
import { DuckDbStore, decodeStoredRequest } from '@threshold/collector';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { ensureDashboardBuilt } from '../dashboard/support/build-dashboard.js';
import { launchChromium } from '../dashboard/support/chromium.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text-parser.js';
import { ManualClock } from '../collector/manual-clock.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf } from '../collector/otlp-json-body.js';

const QUIET_MS = 100;
/** Screenshots a person can open after the run (test-artifacts/ is ignored by git). */
const artifactPath = (name: string) => {
  const dir = join(process.cwd(), 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
};
const baseMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;

/** A two-span agent trace: the task 1,000 ms, a tool call of 300 ms in it. */
const traceSpans = (traceId: string) => [
  { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 1000, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
  {
    traceId,
    spanId: spanIdOf(2),
    parentSpanId: spanIdOf(1),
    name: 'lookup',
    startMs: 100,
    endMs: 400,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' },
  },
];

const metricValue = async (url: string, name: string, labels: Record<string, string> = {}) =>
  sampleValue(parsePrometheusText(await (await fetch(`${url}/metrics`)).text()), name, labels);

describe('a collector whose store DuckDB invalidates', () => {
  let collector: TestCollector | undefined;
  let release = () => undefined as void;
  afterEach(async () => {
    release();
    await collector?.close();
    collector = undefined;
  });

  beforeAll(async () => {
    await ensureDashboardBuilt();
  }, 180_000);

  test('refuses with 503 + Retry-After and says why in /api/health and /metrics, then reopens the store by itself and serves every acknowledged trace', async () => {
    const clock = new ManualClock();
    const held = new Promise<void>((resolve) => (release = resolve));
    let store!: DuckDbStore;
    collector = await startTestCollector({
      quietPeriodMs: QUIET_MS,
      clock,
      openStore: async (options) =>
        (store = await DuckDbStore.open(options.dataDir, {
          taskClasses: options.taskClasses,
          decodeRequest: decodeStoredRequest,
          beforeReopen: () => held,
        })),
    });
    const { url } = collector;
    const before = traceIdOf(0xa1);
    const after = traceIdOf(0xa2);
    expect((await postJson(url, otlpJsonBody('recovery', baseMs, traceSpans(before)))).status).toBe(200);

    await store.invalidateForTest();
    // Held before its reopen: every request meets the fault.
    const refused = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: otlpJsonBody('recovery', baseMs, traceSpans(after)),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { code: number }).code).toBe(14);
    const read = await fetch(`${url}/api/traces`);
    expect([read.status, read.headers.get('retry-after')]).toEqual([503, '5']);
    const degraded = await fetch(`${url}/api/health`);
    expect(degraded.status).toBe(503);
    const health = (await degraded.json()) as HealthResponse;
    expect(health.status).toBe('degraded');
    expect(health.reasons).toHaveLength(1);
    expect(health.reasons[0]).toMatch(
      /^the store hit a fatal error and is being reopened since \d{4}-\d\d-\d\dT.*: FATAL Error: Failed to create checkpoint/,
    );
    expect(await metricValue(url, 'threshold_store_fault', { kind: 'invalidated' })).toBe(1);
    expect(await metricValue(url, 'threshold_ingest_refusals_total', { reason: 'store-unavailable' })).toBe(1);

    // The dashboard says so on every page.
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${url}/`);
      const banner = page.locator('[data-health="degraded"]');
      await banner.waitFor();
      expect(await banner.locator('strong').textContent()).toBe('The collector is degraded: what you see may be incomplete or late');
      expect(await banner.locator('li').allTextContents()).toEqual(health.reasons);
      await page.screenshot({ path: artifactPath('store-recovery-banner.png') });

      release();
      await store.settled();
      await page.reload();
      await page.locator('.topbar').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('[data-health="degraded"]').count()).toBe(0);
    } finally {
      await browser.close();
    }

    await store.settled();
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect((await postJson(url, otlpJsonBody('recovery', baseMs, traceSpans(after)))).status).toBe(200);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();
    await collector.collector.analysis.sweep();
    const list = (await (await fetch(`${url}/api/traces?limit=10`)).json()) as TraceList;
    expect(list.traces.map((trace) => [trace.traceId, trace.durationMs, trace.breakdown.tool]).sort()).toEqual([
      [before, 1000, 300],
      [after, 1000, 300],
    ]);
    expect(await metricValue(url, 'threshold_store_recoveries_total')).toBe(1);
    expect(await metricValue(url, 'threshold_store_fault', { kind: 'invalidated' })).toBe(0);
    expect(await metricValue(url, 'threshold_store_faults_total', { kind: 'invalidated' })).toBe(1);
  });
});
