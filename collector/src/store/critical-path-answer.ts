import type { BreakdownCategory, CriticalPathOperation, CriticalPathResponse } from '@threshold/core';
import type { WindowQuery } from './store.js';

/** `GET /api/critical-path`: a window of traces, filtered, and the tail percentile (50–100). */
export interface CriticalPathQuery extends WindowQuery {
  taskClass?: string;
  /** The task's name (its root span's). */
  name?: string;
  tail: number;
}

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

/** Example tail traces listed per operation. */
export const EXAMPLE_TRACES_PER_OPERATION = 3;

/**
 * Both engines' rows as totals: `sums` rows are (category, operation, tail sum, tail traces,
 * typical sum); `examples` rows are (category, operation, trace id), each operation's in order.
 */
export function operationTotals(sums: readonly unknown[][], examples: readonly unknown[][]): CriticalPathTotals['operations'] {
  const key = (category: unknown, operation: unknown) => `${String(category)}\u0000${String(operation)}`;
  const examplesOf = new Map<string, string[]>();
  for (const [category, operation, traceId] of examples) {
    const list = examplesOf.get(key(category, operation));
    if (list) list.push(traceId as string);
    else examplesOf.set(key(category, operation), [traceId as string]);
  }
  return sums.map((row) => ({
    category: row[0] as string,
    name: row[1] as string,
    tailSumMs: row[2] as number,
    tailTraces: row[3] as number,
    typicalSumMs: row[4] as number,
    exampleTraceIds: examplesOf.get(key(row[0], row[1])) ?? [],
  }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
