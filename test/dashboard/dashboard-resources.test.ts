import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ThresholdServer } from '../../collector/src/server/server-options.js';
import { startServer } from '../../collector/src/server/start-server.js';
import { VIEWS } from '../../dashboard/src/app/views';
import { waitForTraces } from '../support/collector-harness.js';
import { ensureDashboardBuilt, ROOT } from './support/build-dashboard';
import { launchChromium } from './support/chromium';
import { exportTraces } from './support/export-traces';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');

/**
 * Every page of the built dashboard in Chromium against a collector served as `threshold start`
 * serves it (the gateway, open access on loopback): nothing it loads is
 * missing (no HTTP error, no console error), its icons are served, and the Alerts chart of a rule
 * that has just started firing shows its one point.
 *
 * Five simple tasks of 3 s, all ending 2 s before the test starts, break the simple-task P99
 * budget (2 s). The rule watches a one-minute window and the chart steps a minute at a time
 * (60 points over the last hour), so exactly one point has a value, with gaps on both sides:
 *
 *   points   …  null  null  3.00 s  null …        a line needs two neighbouring values
 */
describe('dashboard resources in a browser', { timeout: 120_000 }, () => {
  let collector: ThresholdServer;
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-dashboard-resources-'));
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let traceId: string;
  const failures: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureDashboardBuilt();
    collector = await startServer({
      options: { port: 0, host: '127.0.0.1', dataDir, quietPeriodMs: 100, alerts: { evaluationDelayMs: 0 } },
    });
    const endMs = Date.now() - 2_000;
    const [first] = await exportTraces(
      collector.url,
      'support-agent',
      Array.from({ length: 5 }, (_, i) => ({
        baseMs: endMs - 3_000,
        root: {
          name: `invoke_agent answer ${i}`,
          startMs: 0,
          endMs: 3_000,
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': 'simple' },
        },
      })),
    );
    traceId = first.traceId;
    await waitForTraces(collector.url, 5);
    const put = await fetch(`${collector.url}/api/alerts/rules/simple-p99-budget`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Simple tasks: P99 over 2 s',
        target: { kind: 'taskClass', value: 'simple' },
        statistic: 'p99',
        threshold: 2_000,
        windowMs: 60_000,
        holdMs: 0,
        minSamples: 5,
      }),
    });
    expect(put.status).toBe(200);
    const { evaluator } = collector.collectors.get('default')!.alerting;
    await evaluator.evaluate();
    await evaluator.idle();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('response', (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') failures.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('no page loads anything missing: no 404, no console error, on every view', async () => {
    const paths = VIEWS.map((view) => view.path.replace(':traceId', traceId).replace(':sessionId', 'none'));
    for (const path of paths.filter((path) => !path.includes('/sessions/'))) {
      await page.goto(`${collector.url}${path}`, { waitUntil: 'networkidle' });
      await page.waitForSelector('main');
    }
    expect(paths).toContain('/alerts');
    expect(failures).toEqual([]);
  });

  test('serves the icons index.html links: the SVG, and an ICO for browsers that ask for /favicon.ico', async () => {
    await page.goto(`${collector.url}/`);
    const links = await page.$$eval('link[rel="icon"]', (elements) => elements.map((element) => element.getAttribute('href')));
    expect(links).toEqual(['/favicon.ico', '/favicon.svg']);
    const svg = await page.request.get(`${collector.url}/favicon.svg`);
    const ico = await page.request.get(`${collector.url}/favicon.ico`);
    expect([svg.status(), svg.headers()['content-type']]).toEqual([200, 'image/svg+xml']);
    expect([ico.status(), ico.headers()['content-type']]).toEqual([200, 'image/vnd.microsoft.icon']);
    // ICONDIR: reserved 0, type 1 (icon), three images.
    expect([...(await ico.body()).subarray(0, 6)]).toEqual([0, 0, 1, 0, 3, 0]);
  });

  test('the chart of a rule that has just started firing shows its one point, above the threshold line', async () => {
    await page.goto(`${collector.url}/alerts?rule=simple-p99-budget`);
    await page.waitForSelector('tr[data-rule="simple-p99-budget"][data-state="firing"]');
    await page.waitForSelector('.alert-chart .series-dot');
    const dots = await page.$$eval('.alert-chart .series-dot', (circles) => circles.map((circle) => Number(circle.getAttribute('cy'))));
    const thresholdY = await page.$eval('.alert-chart .recharts-reference-line line', (line) => Number(line.getAttribute('y1')));
    expect(dots.length).toBe(1);
    expect(dots[0]).toBeLessThan(thresholdY);
    await page.locator('.alert-chart').screenshot({ path: join(ARTIFACTS, 'alert-chart-first-point.png') });
    expect(failures).toEqual([]);
  });
});
