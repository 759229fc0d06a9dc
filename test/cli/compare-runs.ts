/**
 * The runs `threshold compare`'s tests record: 1,000 tasks each, drawn from designed lognormal
 * distributions (test/support/designed-latencies.ts) and recorded by the OpenTelemetry SDK
 * (test/support/record-task-runs.ts):
 *
 *   run        simple (700 tasks)            complex (300 tasks)
 *   baseline   median 800 ms, σ 0.3, seed 1  median 3,000 ms, σ 0.25, seed 2
 *   rerun      the same, seeds 3 and 4: the same build run again
 *   slower     the same ×1.5, seeds 5 and 6: a build 1.5× slower
 *
 * Designed P95s: simple 800·e^(0.3·1.645) = 1,311 ms, complex 3,000·e^(0.25·1.645) = 4,530 ms.
 */
import { percentile } from '@threshold/core';
import { formatWholeMs } from '../../collector/src/commands/terminal-table.js';
import { lognormalDurationsMs } from '../support/designed-latencies.js';
import type { RecordedTask } from '../support/record-task-runs.js';

/** 2025-06-15T15:06:40Z and six hours later: the baseline's and the candidates' runs. */
export const BASELINE_START_MS = 1_750_000_000_000;
export const CANDIDATE_START_MS = BASELINE_START_MS + 6 * 3_600_000;

/** 700 simple and 300 complex tasks, interleaved seven to three. */
function designedRun(seedSimple: number, seedComplex: number, scale = 1): RecordedTask[] {
  const simple = lognormalDurationsMs(700, { medianMs: 800, sigma: 0.3, seed: seedSimple, scale });
  const complex = lognormalDurationsMs(300, { medianMs: 3_000, sigma: 0.25, seed: seedComplex, scale });
  return Array.from({ length: 1_000 }, (_, i) =>
    i % 10 < 7 ? { taskClass: 'simple', durationMs: simple.shift()! } : { taskClass: 'complex', durationMs: complex.shift()! },
  );
}

export const RUNS = {
  baseline: designedRun(1, 2),
  rerun: designedRun(3, 4),
  slower: designedRun(5, 6, 1.5),
};

const p95 = (tasks: readonly RecordedTask[], taskClass: string) =>
  percentile(
    tasks.filter((task) => task.taskClass === taskClass).map((task) => task.durationMs),
    0.95,
  )!;

/** The table's cells a reader can check by hand: each run's P95, and their ratio. */
export function percentileCells(before: readonly RecordedTask[], after: readonly RecordedTask[], taskClass: string): string {
  const [beforeMs, afterMs] = [p95(before, taskClass), p95(after, taskClass)];
  return `${formatWholeMs(beforeMs)}   ${formatWholeMs(afterMs)}  ${(afterMs / beforeMs).toFixed(3)}`;
}

/**
 * How long one `threshold compare` process may take: about 2 s alone, but on a shared two-core
 * machine under a full test run starting Node and reading 2,000 tasks has taken over 25 s.
 */
export const CLI_BOUND = { timeoutMs: 90_000 };
