import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../dashboard/support/build-dashboard';
import { launchChromium } from '../dashboard/support/chromium';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';

const READ_KEY = 'dash-read-0123456789abcdef';
const ADMIN_KEY = 'dash-admin-0123456789abcde';
const INGEST_KEY = 'dash-ingest-0123456789abcd';

describe('dashboard sign-in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'threshold-sign-in-'));
  let collector: CollectorProcess;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    writeFileSync(
      join(dir, 'keys.json'),
      JSON.stringify({ projects: { web: { ingestKeys: [INGEST_KEY], readKeys: [READ_KEY], adminKeys: [ADMIN_KEY] } } }),
    );
    collector = await startCollectorProcess({ dataDir: join(dir, 'data'), args: ['--keys', join(dir, 'keys.json')] });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh page with no session: cookies cleared, CSP violations and page errors collected. */
  async function signedOutPage(): Promise<{ page: Page; violations: string[] }> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(error.message));
    await page.goto(`${collector.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Threshold' }).waitFor({ timeout: 15_000 });
    return { page, violations };
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.getByLabel('Read or admin key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor({ timeout: 15_000 });
  }

  /** Deletes the first rule from the Alerts view; the rule's id and the error shown, if any. */
  async function deleteFirstRule(page: Page): Promise<{ ruleId: string; error: string | null }> {
    await page.goto(`${collector.url}/alerts`);
    const row = page.locator('tr[data-rule]').first();
    await row.waitFor({ timeout: 15_000 });
    const ruleId = (await row.getAttribute('data-rule'))!;
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    const outcome = await Promise.race([
      page
        .locator('.error-box[role="alert"]')
        .waitFor({ timeout: 10_000 })
        .then(() => 'error' as const),
      page
        .locator(`tr[data-rule="${ruleId}"]`)
        .waitFor({ state: 'detached', timeout: 10_000 })
        .then(() => 'deleted' as const),
    ]);
    return { ruleId, error: outcome === 'error' ? await page.locator('.error-box[role="alert"]').textContent() : null };
  }

  it('asks for a key, refuses an ingest key, keeps only an opaque token for the session, and breaks no CSP rule', async () => {
    const { page, violations } = await signedOutPage();
    await page.getByLabel('Read or admin key').fill(INGEST_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').textContent()).toBe('that is not a read or admin key of any project');

    await signIn(page, READ_KEY);
    // The cookie is HttpOnly (scripts cannot read it) and holds a token, not the key; a reload stays signed in.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await browser.context.cookies(collector.url);
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([['threshold_session', true, 'Strict']]);
    expect(cookies[0].value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookies[0].value).not.toContain(READ_KEY);
    await page.reload();
    await page.getByRole('navigation', { name: 'Views' }).waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    await page.close();
  }, 90_000);

  it('shows a read key the rules but refuses its changes with a message naming the admin key', async () => {
    const { page, violations } = await signedOutPage();
    await signIn(page, READ_KEY);
    const attempt = await deleteFirstRule(page);
    expect(attempt.error).toBe('Could not change the rule. a read key cannot change alert rules: use an admin key');
    await page.reload();
    await page.locator(`tr[data-rule="${attempt.ruleId}"]`).waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    await page.close();
  }, 90_000);

  it('lets an admin key sign in and change rules', async () => {
    const { page, violations } = await signedOutPage();
    await signIn(page, ADMIN_KEY);
    const attempt = await deleteFirstRule(page);
    expect(attempt.error).toBe(null);
    const rules = await page.evaluate(async () =>
      ((await (await fetch('/api/alerts/rules')).json()) as { rules: Array<{ id: string }> }).rules.map((rule) => rule.id),
    );
    expect(rules).not.toContain(attempt.ruleId);
    expect(violations).toEqual([]);
    await page.close();
  }, 90_000);
});
