import type { BreakdownCategory, CriticalPathOperation, CriticalPathResponse } from '@threshold/core';
import type { CriticalPathQuery } from '../trace-queries.js';

/** What both engines read: the two thresholds, the group sizes, and per operation its sums. */
export interface CriticalPathTotals {
  tailThresholdMs: number | null;
  tailTraces: number;
  typicalTraces: number;
  operations: Array<{
    category: string;
    name: string;
    tailSumMs: number;
    /** Tail traces in which the operation is on the critical path. */
    tailTraces: number;
    typicalSumMs: number;
    exampleTraceIds: string[];
  }>;
}

/**
 * The answer from the engines' sums: means over each group's traces (an operation a trace never
 * waited on counts as 0 there), the excess of tail over typical, and the share of tail traces in
 * which the operation is on the critical path. Computed here once, so both engines divide alike.
 */
export function criticalPathAnswer(query: CriticalPathQuery, totals: CriticalPathTotals): CriticalPathResponse {
  const mean = (sumMs: number, traces: number) => (traces === 0 ? 0 : sumMs / traces);
  const operations: CriticalPathOperation[] = totals.operations.map((row) => {
    const tailMeanCriticalMs = mean(row.tailSumMs, totals.tailTraces);
    const typicalMeanCriticalMs = mean(row.typicalSumMs, totals.typicalTraces);
    return {
      category: row.category as BreakdownCategory,
      name: row.name,
      tailMeanCriticalMs,
      typicalMeanCriticalMs,
      excessMs: tailMeanCriticalMs - typicalMeanCriticalMs,
      tailCriticalRate: totals.tailTraces === 0 ? 0 : row.tailTraces / totals.tailTraces,
      exampleTraceIds: row.exampleTraceIds,
    };
  });
  operations.sort((a, b) => b.excessMs - a.excessMs || compareText(a.category, b.category) || compareText(a.name, b.name));
  return {
    tail: { percentile: query.tail, thresholdMs: totals.tailThresholdMs, traces: totals.tailTraces },
    typical: { traces: totals.typicalTraces },
    operations,
  };
}

/**
 * Example tail traces listed per operation: those where it held the critical path longest, ties
 * going to the larger trace id (the order both engines can pick in one aggregate).
 */
export const EXAMPLE_TRACES_PER_OPERATION = 3;

/**
 * Both engines' rows as totals: `tail` rows are (category, operation, sum, traces, example trace
 * ids), `typical` rows (category, operation, sum); an operation missing from one group has 0 there.
 */
export function operationTotals(tail: readonly unknown[][], typical: readonly unknown[][]): CriticalPathTotals['operations'] {
  const byKey = new Map<string, CriticalPathTotals['operations'][number]>();
  const entry = (category: unknown, operation: unknown) => {
    const key = `${String(category)}\u0000${String(operation)}`;
    let found = byKey.get(key);
    if (!found)
      byKey.set(
        key,
        (found = {
          category: String(category),
          name: String(operation),
          tailSumMs: 0,
          tailTraces: 0,
          typicalSumMs: 0,
          exampleTraceIds: [],
        }),
      );
    return found;
  };
  for (const [category, operation, sumMs, traces, examples] of tail) {
    const found = entry(category, operation);
    found.tailSumMs = Number(sumMs);
    found.tailTraces = Number(traces);
    found.exampleTraceIds = examples as string[];
  }
  for (const [category, operation, sumMs] of typical) entry(category, operation).typicalSumMs = Number(sumMs);
  return [...byKey.values()];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
