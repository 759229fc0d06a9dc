import { expect } from 'vitest';

/**
 * Real timers fire late, never early (beyond a ms of rounding). On an idle machine they are a
 * few ms late; on this shared 2-core machine with other suites running (load 10+) a 60 ms sleep
 * was seen to take 250 ms. So a duration is checked against its design with a strict lower bound
 * and an upper bound that only catches gross errors (wrong units, wrong span); the precise checks
 * are against what the code measured itself ({@link measured}) and exact relations between spans.
 */
export const TIMER_SLACK_MS = 1_500;

/**
 * The allowance grows with the design: at load 16 a 300 ms sleep was seen to take 959 ms and a
 * 240 ms streamed call 1,390 ms. It only catches gross errors (a wrong span, wrong units).
 */
export function allowanceMs(designedMs: number): number {
  return TIMER_SLACK_MS + 3 * designedMs;
}

/**
 * How much longer a span may be than the work it wraps, measured inside it: span start and end
 * run in promise continuations, which are a fraction of a ms on an idle machine and waited up to
 * ~60 ms at load 16 on this shared one (allowance with headroom).
 */
export const SPAN_OVERHEAD_MS = 400;

/** Durations the test's own code measured around its work, by name (performance.now()). */
export const measured = new Map<string, number>();

/** Runs `work`, recording how long it really took under `name`. */
export async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const startMs = performance.now();
  try {
    return await work();
  } finally {
    measured.set(name, performance.now() - startMs);
  }
}

/** A span wrapping work measured as `name` lasts at least as long, and not much longer. */
export function expectEncloses(spanDurationMs: number, name: string): void {
  const innerMs = measured.get(name);
  expect(innerMs, `measured ${name}`).toBeDefined();
  expect(spanDurationMs).toBeGreaterThanOrEqual(innerMs! - 0.01);
  expect(spanDurationMs).toBeLessThanOrEqual(innerMs! + SPAN_OVERHEAD_MS);
}

export function expectAbout(actualMs: number | undefined, designedMs: number, slackMs = allowanceMs(designedMs)): void {
  expect(actualMs).toBeDefined();
  expect(actualMs!).toBeGreaterThanOrEqual(designedMs - 1);
  expect(actualMs!).toBeLessThanOrEqual(designedMs + slackMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
