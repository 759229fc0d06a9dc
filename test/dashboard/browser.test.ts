import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  percentile,
  UX_BAND_NAMES,
  type CriticalPathResponse,
  type StatsResponse,
  type TraceDetail,
  type TraceList,
  type WhatIfTraceResponse,
} from '@threshold/core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { sumBands, sumPerceivedBands } from '../../dashboard/src/views/overview/overview-data';
import { ensureDashboardBuilt, ROOT } from './support/build-dashboard';
import { launchChromium } from './support/chromium';
import { exportTraces } from './support/export-traces';
import { ANSWER_TICKET, ANSWER_TICKET_CRITICAL, BAND_TASKS, HOSTILE_VALUE, SESSION_TURNS } from './support/seed-traces';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";

/** Fails with a message naming the step when `promise` does not settle in time. */
async function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The built dashboard in Debian's Chromium against a real collector, seeded over OTLP by the
 * official protobuf exporter with timing the fixtures draw. Screenshots of each view go to
 * test-artifacts/dashboard/.
 */
describe('dashboard in a browser', { timeout: 60_000 }, () => {
  let collector: TestCollector;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  let answerTicket: { traceId: string; spanIds: Record<string, string> };
  const seeded = 1 + BAND_TASKS.length + SESSION_TURNS.length;
  /** Collectors of single tests whose data must not meet the shared seed (tests run in any order). */
  const owned: TestCollector[] = [];
  const ownCollector = async (overrides: Parameters<typeof startTestCollector>[0] = {}): Promise<TestCollector> => {
    const own = await startTestCollector(overrides);
    owned.push(own);
    return own;
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureDashboardBuilt();
    collector = await startTestCollector();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Serve every page under a strict Content-Security-Policy (no inline script or style) and record violations.
    await page.route(
      (url) => !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/assets/'),
      async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': STRICT_CSP } });
      },
    );
    await page.exposeFunction('__reportCspViolation', (directive: string) => cspViolations.push(directive));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as { __reportCspViolation: (d: string) => void }).__reportCspViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        ),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await withinMs(collector?.close() ?? Promise.resolve(), 20_000, 'collector.close()');
    for (const own of owned) await withinMs(own.close(), 20_000, 'own collector close()');
    // Whatever ran, in whatever order: no page raised an uncaught error or broke the strict Content-Security-Policy.
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  test('before any data arrives, the overview tells exactly how to send it', async () => {
    const empty = await ownCollector();
    await page.goto(`${empty.url}/`);
    await page.waitForSelector('[data-empty-state="onboarding"]');
    const text = (await page.textContent('[data-empty-state="onboarding"]'))!;
    expect(text).toContain(`${empty.url}/v1/traces`);
    expect(text).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=${empty.url}`);
    expect(text).toContain("from '@threshold/sdk'");
    expect(text).toContain(`endpoint: '${empty.url}'`);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-empty.png'), fullPage: true });

    // The policy is in force: an inline script is refused and reported (the check below relies on it).
    await page.evaluate(() =>
      document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.__inlineRan = 1' })),
    );
    await expect.poll(() => cspViolations.length).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: number }).__inlineRan)).toBeUndefined();
    cspViolations.length = 0;
  });

  describe('with traces sent over OTLP', () => {
    beforeAll(async () => {
      const nowMs = Date.now();
      const ids = await exportTraces(collector.url, 'support-agent', [
        { baseMs: nowMs - 120_000, root: ANSWER_TICKET },
        ...BAND_TASKS.map((root, i) => ({ baseMs: nowMs - 600_000 + i * 30_000, root })),
        ...SESSION_TURNS.map((root, i) => ({ baseMs: nowMs - 300_000 + i * 20_000, root })),
      ]);
      answerTicket = ids[0];
      await waitForTraces(collector.url, seeded);
    }, 60_000);

    test('the overview shows the same task count per UX band as /api/stats', async () => {
      const statsRequests: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/stats') statsRequests.push(request.url());
      });
      await page.goto(`${collector.url}/`);
      await page.waitForSelector('[data-distribution="actual"] [data-band-count]');
      const shown: Record<string, number> = {};
      for (const band of UX_BAND_NAMES) {
        shown[band] = Number((await page.textContent(`[data-distribution="actual"] [data-band-count="${band}"]`))!.replace(/,/g, ''));
      }
      // The same query the page made, answered again: the counts shown are the API's.
      const stats = (await (await fetch(statsRequests[statsRequests.length - 1])).json()) as StatsResponse;
      expect(shown).toEqual(sumBands(stats.groups));
      // The seeded durations: 3000 | 60 300 1200 2500 6000 12000 4000 | 800 1200 1600 ms.
      expect(shown).toEqual({ instant: 1, responsive: 1, noticeable: 4, frustrating: 3, uncomfortable: 1, broken: 1 });
      const shownPerceived: Record<string, number> = {};
      for (const band of UX_BAND_NAMES) {
        shownPerceived[band] = Number(
          (await page.textContent(`[data-distribution="perceived"] [data-band-count="${band}"]`))!.replace(/,/g, ''),
        );
      }
      expect(shownPerceived).toEqual(sumPerceivedBands(stats.groups));
      // Perceived: the three chat turns stream (first token at 20 + 200 × turn ms: 220, 420, 620);
      // answer-ticket's last critical llm call does not stream, so it is felt at its 3000 ms.
      expect(shownPerceived).toEqual({ instant: 1, responsive: 3, noticeable: 2, frustrating: 3, uncomfortable: 1, broken: 1 });
      await page.waitForSelector('.chart-card svg');
      await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });

      // The time range and filters live in the URL, so a reload keeps them.
      await page.click('.segmented button:has-text("24 h")');
      await page.selectOption('select:near(:text("Task class"))', 'complex');
      expect(new URL(page.url()).search).toBe('?range=24h&taskClass=complex');
      await page.reload();
      await page.waitForSelector('[data-task-class="complex"]');
      expect(await page.$$eval('[data-task-class]', (cards) => cards.map((c) => c.getAttribute('data-task-class')))).toEqual(['complex']);
    });

    test('a trace page shows one row per span, the critical path marked, and a hostile attribute as text', async () => {
      const detail = (await (await fetch(`${collector.url}/api/traces/${answerTicket.traceId}`)).json()) as TraceDetail;
      await page.goto(`${collector.url}/traces/${answerTicket.traceId}`);
      await page.waitForSelector('.wf-row');
      const rows = await page.$$eval('.wf-row', (elements) =>
        elements.map((e) => ({ id: e.getAttribute('data-span-id'), critical: e.getAttribute('data-critical') === 'true' })),
      );
      expect(rows.map((r) => r.id).sort()).toEqual(detail.spans.map((s) => s.spanId).sort());
      const criticalIds = rows
        .filter((r) => r.critical)
        .map((r) => r.id)
        .sort();
      expect(criticalIds).toEqual(
        detail.spans
          .filter((s) => s.critical)
          .map((s) => s.spanId)
          .sort(),
      );
      expect(criticalIds).toEqual(ANSWER_TICKET_CRITICAL.map((name) => answerTicket.spanIds[name]).sort());
      await page.screenshot({ path: join(ARTIFACTS, 'trace.png'), fullPage: true });

      // Dragging across the time axis zooms to that range: 3 s trace, 10 %–45 % of it is 300–1350 ms.
      const axis = (await page.$('.wf-axis'))!.boundingBox();
      const box = (await axis)!;
      await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      const labels = await page.$$eval('.wf-tick-label', (ticks) => ticks.map((t) => t.textContent));
      expect(labels).toEqual(['400 ms', '600 ms', '800 ms', '1.0 s', '1.2 s']);
      await page.screenshot({ path: join(ARTIFACTS, 'trace-zoomed.png'), fullPage: true });
      await page.click('button:has-text("Reset zoom")');
      expect(await page.$$eval('.wf-tick-label', (ticks) => ticks.map((t) => t.textContent))).toEqual([
        '0',
        '500 ms',
        '1.0 s',
        '1.5 s',
        '2.0 s',
        '2.5 s',
        '3.0 s',
      ]);

      await page.click(`.wf-row[data-span-id="${answerTicket.spanIds['execute_tool search_kb']}"]`);
      await page.waitForSelector('[data-span-details]');
      expect(await page.textContent('[data-span-details]')).toContain(HOSTILE_VALUE);
      expect(await page.$$('img[src="x"]')).toHaveLength(0);
      expect(await page.evaluate(() => (window as unknown as { __thresholdXss?: number }).__thresholdXss)).toBeUndefined();
      await page.screenshot({ path: join(ARTIFACTS, 'trace-span-details.png'), fullPage: true });
    });

    test('selecting a finding highlights its evidence spans; the projection shows the what-if waterfall', async () => {
      const detail = (await (await fetch(`${collector.url}/api/traces/${answerTicket.traceId}`)).json()) as TraceDetail;
      const byName = (name: string) => answerTicket.spanIds[name];
      expect(detail.findings.map((f) => [f.ruleId, [...f.evidenceSpanIds].sort()]).sort()).toEqual([
        ['parallelize-tools', [byName('execute_tool lookup_order'), byName('execute_tool search_kb')].sort()],
        ['stream-answer', [byName('chat answer')]],
      ]);
      const parallelize = detail.findings.find((f) => f.ruleId === 'parallelize-tools')!;
      await page.goto(`${collector.url}/traces/${answerTicket.traceId}`);
      await page.click('button.finding[data-rule-id="parallelize-tools"]');
      await page.waitForSelector('.wf-row.evidence');
      expect((await page.$$eval('.wf-row.evidence', (rows) => rows.map((r) => r.getAttribute('data-span-id')))).sort()).toEqual(
        [...parallelize.evidenceSpanIds].sort(),
      );
      await page.screenshot({ path: join(ARTIFACTS, 'trace-finding.png'), fullPage: true });

      const whatIf = page.waitForResponse((response) => response.url().endsWith('/api/whatif'));
      await page.click('[data-toggle="projected"]');
      const projection = (await (await whatIf).json()) as WhatIfTraceResponse;
      await page.waitForSelector('[data-waterfall="projected"] .wf-row');
      expect(await page.getAttribute('[data-projected-duration]', 'data-projected-duration')).toBe(
        String(projection.after.summary.durationMs),
      );
      expect(projection.after.summary.durationMs).toBeLessThan(detail.summary.durationMs);
      expect(await page.$$('[data-waterfall="projected"] .wf-row')).toHaveLength(projection.after.spans.length);
      await page.screenshot({ path: join(ARTIFACTS, 'trace-projected.png'), fullPage: true });
    });

    test('a live trace appears in the traces table without a reload', async () => {
      // A collector of its own: the trace it adds must not change what the other tests count.
      const own = await ownCollector();
      const nowMs = Date.now();
      await exportTraces(
        own.url,
        'support-agent',
        BAND_TASKS.slice(0, 2).map((root, i) => ({ baseMs: nowMs - 120_000 + i * 30_000, root })),
      );
      await waitForTraces(own.url, 2);
      await page.goto(`${own.url}/traces`);
      await page.waitForSelector('tr[data-trace-id]');
      expect(await page.$$('tr[data-trace-id]')).toHaveLength(2);
      await page.waitForSelector('[data-live-status="open"]');
      await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
      const [live] = await exportTraces(own.url, 'support-agent', [
        {
          baseMs: Date.now() - 1_000,
          root: { name: 'invoke_agent live-arrival', startMs: 0, endMs: 450, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
        },
      ]);
      await page.waitForSelector(`tr[data-trace-id="${live.traceId}"]`, { timeout: 15_000 });
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'traces.png'), fullPage: true });

      // Keyboard: focus the first row, move down one, open it.
      const secondId = await page.getAttribute('tr[data-trace-id]:nth-child(2)', 'data-trace-id');
      await page.focus('tr[data-trace-id]:first-child');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/traces/${secondId}`);
      await page.waitForSelector('.wf-row');
    });

    test('an unknown trace id shows "not found"', async () => {
      await page.goto(`${collector.url}/traces/${'0'.repeat(32)}`);
      await page.waitForSelector('[data-not-found="trace"]');
      expect(await page.textContent('[data-not-found="trace"] h1')).toBe('Trace not found');
    });

    test("an API error is shown with the collector's message", async () => {
      await page.goto(`${collector.url}/traces?minDurationMs=-5`);
      await page.waitForSelector('[data-error-status="400"]');
      expect(await page.textContent('[data-error-status="400"]')).toContain('minDurationMs must be at least 0');
    });

    test('the models, tools, sessions and recommendations views render their data, reached through the navigation', async () => {
      await page.goto(`${collector.url}/`);
      await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

      await page.click('nav a:has-text("Models")');
      await page.waitForSelector('[data-table="models"] tbody tr');
      expect(await page.$$eval('[data-table="models"] tbody tr strong', (cells) => cells.map((c) => c.textContent).sort())).toEqual([
        'gpt-4o',
        'gpt-4o-mini',
      ]);
      await page.screenshot({ path: join(ARTIFACTS, 'models.png'), fullPage: true });

      await page.click('nav a:has-text("Tools")');
      await page.waitForSelector('[data-table="operations"] tbody tr');
      expect(await page.$$eval('[data-table="operations"] tbody tr strong', (cells) => cells.map((c) => c.textContent).sort())).toEqual([
        'fetch_profile',
        'lookup_order',
        'search_kb',
      ]);
      await page.screenshot({ path: join(ARTIFACTS, 'tools.png'), fullPage: true });

      await page.click('nav a:has-text("Sessions")');
      await page.waitForSelector('[data-table="sessions"] tbody tr');
      await page.screenshot({ path: join(ARTIFACTS, 'sessions.png'), fullPage: true });
      await page.click('[data-table="sessions"] a:has-text("session-demo")');
      await page.waitForSelector('[data-table="turns"] tbody tr');
      expect(await page.$$eval('[data-table="turns"] tbody tr td:nth-child(5)', (cells) => cells.map((c) => c.textContent))).toEqual([
        '1.00k',
        '4.00k',
        '9.00k',
      ]);
      await page.screenshot({ path: join(ARTIFACTS, 'session.png'), fullPage: true });

      await page.click('nav a:has-text("Recommendations")');
      await page.waitForSelector('.rec-card');
      expect((await page.$$eval('.rec-card', (cards) => cards.map((c) => c.getAttribute('data-rule-id')))).sort()).toEqual([
        'parallelize-tools',
        'stream-answer',
      ]);
      await page.waitForSelector('[data-table="projection"] tbody tr');
      await page.screenshot({ path: join(ARTIFACTS, 'recommendations.png'), fullPage: true });
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    });

    test('the slow-tail view, linked from the overview, ranks what holds the tail as the API does and links its example tasks', async () => {
      const tailRequests: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/critical-path') tailRequests.push(request.url());
      });
      await page.goto(`${collector.url}/?range=24h`);
      await page.click('[data-link="tail"]');
      await page.waitForURL(`**/tail?range=24h`);
      await page.waitForSelector('[data-table="tail"] tbody tr');
      await page.waitForSelector('[data-view="tail"] .recharts-bar-rectangle');
      const answer = (await (await fetch(tailRequests[tailRequests.length - 1])).json()) as CriticalPathResponse;
      // Seeded durations 60 … 12000 ms (and the live tasks of the tests before): P95 lies between 6000 and 12000 ms, leaving deep-research alone in the tail.
      const durations = ((await (await fetch(`${collector.url}/api/traces?limit=1000`)).json()) as TraceList).traces.map(
        (summary) => summary.durationMs,
      );
      expect(answer.tail).toEqual({ percentile: 95, thresholdMs: percentile(durations, 0.95), traces: 1 });
      const shown = await page.$$eval('[data-table="tail"] tbody tr', (rows) => rows.map((row) => row.getAttribute('data-operation')));
      // The table lists what tail tasks waited on, in the API's order.
      expect(shown).toEqual(
        answer.operations
          .filter((operation) => operation.tailCriticalRate > 0)
          .map((operation) => `${operation.category}/${operation.name}`),
      );
      expect(shown[0]).toBe('other/invoke_agent deep-research');
      await page.screenshot({ path: join(ARTIFACTS, 'tail.png'), fullPage: true });

      await page.click('.segmented button:has-text("P90")');
      await page.waitForURL(`**/tail?range=24h&tail=90`);
      await expect.poll(() => tailRequests.some((url) => new URL(url).searchParams.get('tail') === '90')).toBe(true);

      const example = answer.operations[0].exampleTraceIds[0];
      await page.click(`[data-table="tail"] a[title="${example}"]`);
      await page.waitForURL(`**/traces/${example}`);
      await page.waitForSelector('.wf-row');
    });

    test('a stream’s longest pause is marked on its bar in the waterfall', async () => {
      await page.goto(`${collector.url}/traces/${answerTicket.traceId}`);
      const chatIntent = answerTicket.spanIds['chat intent'];
      await page.waitForSelector(`.wf-row[data-span-id="${chatIntent}"] .wf-pause`);
      const mark = await page.$eval(`.wf-row[data-span-id="${chatIntent}"] .wf-pause`, (element) => ({
        pauseMs: element.getAttribute('data-pause-ms'),
        left: (element as HTMLElement).style.left,
        width: (element as HTMLElement).style.width,
      }));
      // The chat runs 300 ms; its pause of 120 ms begins 150 ms in.
      expect(mark).toEqual({ pauseMs: '120', left: '50%', width: '40%' });
      expect(await page.$$('.wf-pause')).toHaveLength(1);
      await page.screenshot({ path: join(ARTIFACTS, 'trace-stream-pause.png'), fullPage: true });
    });

    test('the live stream reconnects by itself after the collector restarts', { timeout: 120_000 }, async () => {
      // A collector of its own, restarted on its port and data dir; the shared one serves the other tests throughout.
      const own = await ownCollector();
      await page.goto(`${own.url}/traces`);
      await page.waitForSelector('[data-live-status="open"]');
      const { dataDir } = own;
      const port = Number(new URL(own.url).port);
      await withinMs(own.server.close(), 20_000, 'server.close()');
      await page.waitForSelector('[data-live-status="reconnecting"]');
      const restarted = await startTestCollector({ dataDir, port });
      owned[owned.indexOf(own)] = {
        ...restarted,
        close: async () => (await restarted.close(), rmSync(dataDir, { recursive: true, force: true })),
      };
      await page.waitForSelector('[data-live-status="open"]', { timeout: 60_000 });
      const [live] = await exportTraces(restarted.url, 'support-agent', [
        {
          baseMs: Date.now() - 1_000,
          root: { name: 'invoke_agent after-restart', startMs: 0, endMs: 120, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
        },
      ]);
      await page.waitForSelector(`tr[data-trace-id="${live.traceId}"]`, { timeout: 15_000 });
    });
  });
});
