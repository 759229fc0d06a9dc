import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../dashboard/support/build-dashboard';
import { launchChromium } from '../dashboard/support/chromium';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';

const READ_KEY = 'dash-read-0123456789abcdef';
const INGEST_KEY = 'dash-ingest-0123456789abcd';

describe('dashboard sign-in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'threshold-sign-in-'));
  let collector: CollectorProcess;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ projects: { web: { ingestKeys: [INGEST_KEY], readKeys: [READ_KEY] } } }));
    collector = await startCollectorProcess({ dataDir: join(dir, 'data'), args: ['--keys', join(dir, 'keys.json')] });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for a read key, refuses an ingest key, keeps the read key for the session, and breaks no CSP rule', async () => {
    const page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(error.message));

    await page.goto(`${collector.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Threshold' }).waitFor({ timeout: 15_000 });

    await page.getByLabel('Read key').fill(INGEST_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').textContent()).toBe('that is not a read key of any project');

    await page.getByLabel('Read key').fill(READ_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor({ timeout: 15_000 });

    // The key lives in an HttpOnly cookie: scripts cannot read it, a reload stays signed in.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.reload();
    await page.getByRole('navigation', { name: 'Views' }).waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    await page.close();
  }, 90_000);
});
