import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { ensureDashboardBuilt, ROOT } from './support/build-dashboard';
import { launchChromium } from './support/chromium';
import { exportTraces } from './support/export-traces';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');
const HOSTILE_NAME = '<img src=x onerror="window.__hacked=1"> P95 watch';

/**
 * The Alerts view in Chromium against a real collector: 40 simple tasks of 3 s in the last four
 * minutes break the simple-task P99 budget (2 s); the rule fires at the first evaluation (its hold
 * set to 0 through the API), and so do both SLO burn-rate rules (every task is over budget: a
 * 100× burn in every window). Notifications fail against a receiver that answers 500.
 */
describe('alerts in the dashboard', { timeout: 60_000 }, () => {
  let collector: TestCollector;
  let receiver: WebhookReceiver;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureDashboardBuilt();
    receiver = await startWebhookReceiver([{ status: 500 }]);
    collector = await startTestCollector({
      alerts: {
        evaluationDelayMs: 0,
        webhooks: [{ url: receiver.url, name: 'ops webhook' }],
        webhookMaxAttempts: 2,
        webhookBackoffInitialMs: 10,
      },
    });
    const nowMs = Date.now();
    await exportTraces(
      collector.url,
      'support-agent',
      Array.from({ length: 40 }, (_, i) => ({
        baseMs: nowMs - 240_000 + i * 5_000,
        root: { name: 'invoke_agent answer', startMs: 0, endMs: 3_000, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
      })),
    );
    await waitForTraces(collector.url, 40);
    const put = await fetch(`${collector.url}/api/alerts/rules/simple-p99-budget`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Simple tasks: P99 over 2 s',
        target: { kind: 'taskClass', value: 'simple' },
        statistic: 'p99',
        threshold: 2_000,
        windowMs: 300_000,
        holdMs: 0,
      }),
    });
    expect(put.status).toBe(200);
    await collector.collector.alerting.evaluator.evaluate();
    await collector.collector.alerting.evaluator.idle();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    await receiver?.close();
  });

  test('the overview shows the firing alert, linking to it', async () => {
    await page.goto(`${collector.url}/`);
    await page.waitForSelector('.alert-banner');
    expect(await page.getAttribute('.alert-banner', 'data-firing-count')).toBe('3');
    expect(await page.$$eval('.alert-banner a', (links) => links.map((link) => link.getAttribute('href')))).toEqual([
      '/alerts?rule=simple-p99-budget',
      '/alerts?rule=slo-fast-burn',
      '/alerts?rule=slo-slow-burn',
    ]);
  });

  test('the Alerts view shows the state, the value against the threshold, the shaded firing period and the failed delivery', async () => {
    await page.goto(`${collector.url}/alerts?rule=simple-p99-budget`);
    await page.waitForSelector('tr[data-rule="simple-p99-budget"][data-state="firing"]');
    const row = (await page.textContent('tr[data-rule="simple-p99-budget"]'))!;
    expect(row).toContain('Firing');
    expect(row).toContain('3.00 s (40)');
    expect(row).toContain('2.00 s');
    await page.waitForSelector('.alert-chart .firing-period');
    await page.waitForSelector('[data-delivery-status="failed"]');
    expect(await page.textContent('[data-delivery-status="failed"]')).toContain('HTTP 500 Internal Server Error');
    // Three firing notifications, each tried twice.
    expect(receiver.requests.length).toBe(6);
    await page.screenshot({ path: join(ARTIFACTS, 'alerts.png'), fullPage: true });
  });

  test('the form shows what is wrong before sending, then creates the rule; its name stays text', async () => {
    await page.goto(`${collector.url}/alerts`);
    await page.click('text=New rule');
    await page.fill('.alert-rule-form input[type="text"] >> nth=0', '');
    await page.click('text=Create rule');
    expect(await page.textContent('.alert-rule-form .field-error')).toBe('name is required (a non-empty string)');
    await page.fill('.alert-rule-form input[type="text"] >> nth=0', HOSTILE_NAME);
    await page.selectOption('.alert-rule-form select >> nth=2', 'p95');
    await page.click('text=Create rule');
    await page.waitForSelector('tr[data-rule="img-src-x-onerror-window-hacked-1-p95-watch"]');
    expect(await page.textContent('tr[data-rule="img-src-x-onerror-window-hacked-1-p95-watch"] td.strong')).toBe(HOSTILE_NAME);
    expect(await page.$$('tr[data-rule] img')).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __hacked?: number }).__hacked)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
});
