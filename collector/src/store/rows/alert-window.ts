import type { AlertCountBucket, AlertWindowStats } from '@threshold/core';

/**
 * Tasks longer than this are left out of alert windows, in both engines: it bounds `start_ms`
 * from below, so a window query reads the rows of the last day, not the whole table.
 */
export const ALERT_MAX_TASK_MS = 86_400_000;

/** A window without samples: what a measure reads on a target it does not apply to (TTFT of a task class, a task's duration of a model). */
export function emptyAlertWindow(): AlertWindowStats {
  return { count: 0, overBudgetCount: 0, percentile: null, examples: [] };
}

/** One of a window's slowest traces, from a row of trace id and value. */
export function alertExampleFromRow(row: readonly unknown[]): AlertWindowStats['examples'][number] {
  return { traceId: row[0] as string, valueMs: row[1] as number };
}

/** A burn-rate bucket from a row of bucket index, tasks and over-budget tasks; bucket 0 starts at `fromMs`. */
export function alertCountBucketFromRow(row: readonly unknown[], fromMs: number, bucketMs: number): AlertCountBucket {
  return { startMs: fromMs + (row[0] as number) * bucketMs, count: row[1] as number, overBudgetCount: row[2] as number };
}
