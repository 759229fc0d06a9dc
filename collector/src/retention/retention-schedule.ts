import type { TraceRetention } from '../store/trace-retention.js';

export interface RetentionOptions {
  /** Traces that started longer ago than this are removed. */
  maxAgeMs: number;
  /** How often to look for them. */
  intervalMs: number;
}

/** Traces removed per transaction: short transactions, so ingest commits interleave with retention. */
const TRACES_PER_STEP = 2_000;

export interface RetentionSchedule {
  /** Runs one pass now (also what the timer runs); resolves with the traces removed. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * Removes expired traces on a schedule, in steps of a few thousand traces with a turn of the
 * event loop between them, so ingest and queries are never held up by a long delete.
 */
export function startRetention(store: TraceRetention, options: RetentionOptions, nowMs: () => number = Date.now): RetentionSchedule {
  let running: Promise<number> | undefined;
  let stopped = false;
  const pass = async () => {
    if (!store.deleteTracesBefore) return 0;
    let total = 0;
    for (;;) {
      if (stopped) return total;
      const removed = await store.deleteTracesBefore(nowMs() - options.maxAgeMs, TRACES_PER_STEP);
      total += removed;
      if (removed < TRACES_PER_STEP) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const runOnce = () =>
    (running ??= pass()
      .catch((error: unknown) => {
        console.error('threshold: retention pass failed:', error);
        return 0;
      })
      .finally(() => {
        running = undefined;
      }));
  const timer = setInterval(() => void runOnce(), options.intervalMs);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Parses `90s`, `30m`, `12h`, `7d` into milliseconds; undefined for anything else. */
export function parseRetention(text: string): number | undefined {
  const match = /^(\d{1,6})(s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const value = Number(match[1]) * unitMs;
  return value > 0 ? value : undefined;
}

/** Looks every tenth of the age, between once a second and once an hour. */
export function retentionIntervalMs(maxAgeMs: number): number {
  return Math.min(3_600_000, Math.max(1_000, Math.floor(maxAgeMs / 10)));
}
