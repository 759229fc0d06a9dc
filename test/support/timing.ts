import { expect } from 'vitest';

/**
 * Real timers fire late, never early (beyond a ms of rounding). On an idle machine they are a
 * few ms late; on a shared 2-core machine running other suites, tens of ms. A measured duration is
 * checked against the designed one with a one-sided allowance per timer involved; exact relations
 * between spans (a bucket equal to a span's duration) are asserted exactly elsewhere.
 */
export const TIMER_SLACK_MS = 60;

export function expectAbout(actualMs: number | undefined, designedMs: number, slackMs = TIMER_SLACK_MS): void {
  expect(actualMs).toBeDefined();
  expect(actualMs!).toBeGreaterThanOrEqual(designedMs - 1);
  expect(actualMs!).toBeLessThanOrEqual(designedMs + slackMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
