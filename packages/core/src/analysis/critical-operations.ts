import type { TraceAnalysis } from '../analysis-types.js';
import { breakdownCategoryOf, type BreakdownCategory } from '../category.js';
import type { TraceSpan } from '../trace-span.js';
import { splitMilliseconds } from './split-milliseconds.js';

/** One operation's share of one task's critical path. */
export interface CriticalOperation {
  category: BreakdownCategory;
  /** The model of an llm call (its span name when unknown), the tool's name, else the span name. */
  name: string;
  /** Critical-path time of every span of this operation in the task, ms. */
  criticalMs: number;
}

/**
 * The task's critical path grouped by operation: the facts stored per trace so that the slow
 * tail can be attributed across many traces without re-reading any of them.
 *
 *   task     |--|                              |-|     other "answer-ticket" (its own code)
 *   llm         |=gpt-4o=|          |=gpt-4o=|         llm "gpt-4o" (both calls, summed)
 *   tool                 |=search=|                    tool "search"
 *
 * Each critical stretch goes to the operation of the span the user waited on then (the same
 * stretches the breakdown buckets), so a task's operations sum exactly to its duration, and their
 * categories to its breakdown. Two spans of one operation in a task add up: the question is how
 * long the task waited on the model, not on each call. Largest first; none for an empty task.
 */
export function criticalOperations(analysis: TraceAnalysis): CriticalOperation[] {
  const segments = analysis.criticalSegments ?? [];
  if (segments.length === 0) return [];
  const byId = new Map(analysis.traceSpans.map((span) => [span.spanId, span]));
  const operations: Array<{ category: BreakdownCategory; name: string; ns: number }> = [];
  const indexOf = new Map<string, number>();
  /** The operation of each span met, by span id (a span has several stretches on the path). */
  const indexOfSpan = new Map<string, number>();
  let totalNs = 0;
  for (const segment of segments) {
    const lengthNs = segment.endNs - segment.startNs;
    if (!(lengthNs > 0)) continue;
    totalNs += lengthNs;
    let index = indexOfSpan.get(segment.spanId);
    if (index === undefined) {
      const { category, name } = operationOf(byId.get(segment.spanId));
      const key = `${category}\u0000${name}`;
      index = indexOf.get(key);
      if (index === undefined) {
        index = operations.length;
        indexOf.set(key, index);
        operations.push({ category, name, ns: 0 });
      }
      indexOfSpan.set(segment.spanId, index);
    }
    operations[index].ns += lengthNs;
  }
  const ms = splitMilliseconds(
    operations.map((operation) => operation.ns),
    totalNs,
  );
  return operations
    .map((operation, i) => ({ category: operation.category, name: operation.name, criticalMs: ms[i] }))
    .sort((a, b) => b.criticalMs - a.criticalMs || compareText(a.category, b.category) || compareText(a.name, b.name));
}

/** The operation a span's time is counted under. */
export function operationOf(span: TraceSpan | undefined): { category: BreakdownCategory; name: string } {
  if (!span) return { category: 'other', name: 'unknown' };
  const category = breakdownCategoryOf(span.category);
  if (category === 'llm') return { category, name: span.llm?.model ?? span.name };
  if (category === 'tool') return { category, name: span.tool?.name || span.name };
  return { category, name: span.name };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
