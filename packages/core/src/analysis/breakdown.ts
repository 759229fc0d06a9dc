import { BREAKDOWN_CATEGORIES, breakdownCategoryOf, type Breakdown, type BreakdownCategory } from '../category.js';
import type { LlmTimeSplit } from '../analysis-types.js';
import type { TraceSpan } from '../trace-span.js';
import type { CriticalSegment } from './critical-path.js';
import { splitMilliseconds, splitMillisecondsTo } from './split-milliseconds.js';

export interface BreakdownResult {
  breakdown: Breakdown;
  llmTime: LlmTimeSplit;
}

/**
 * Each stretch of the critical path goes to its span's bucket (task time counts as `other`), so
 * every ns of the task window lands in exactly one bucket. Summed in integer ns, converted to ms
 * once, with the ms buckets summing exactly to the window's duration.
 *
 * Llm stretches split at the call's first token: before it the user waited for the model to
 * start, after it the model was generating.
 */
export function computeBreakdown(
  segments: readonly CriticalSegment[],
  byId: ReadonlyMap<string, TraceSpan>,
  durationNs: number,
): BreakdownResult {
  const bucketsNs: Record<BreakdownCategory, number> = { llm: 0, tool: 0, state: 0, orchestration: 0, other: 0 };
  let waitingNs = 0;
  let generatingNs = 0;
  let unsplitNs = 0;
  for (const segment of segments) {
    const span = byId.get(segment.spanId);
    const lengthNs = segment.endNs - segment.startNs;
    const bucket = span ? breakdownCategoryOf(span.category) : 'other';
    bucketsNs[bucket] += lengthNs;
    if (bucket !== 'llm' || !span) continue;
    const ttftMs = span.llm?.aggregate ? undefined : span.llm?.ttftMs;
    if (ttftMs === undefined) {
      unsplitNs += lengthNs;
      continue;
    }
    const firstTokenNs = span.startNs + Math.round(ttftMs * 1e6);
    const beforeNs = Math.max(0, Math.min(segment.endNs, firstTokenNs) - segment.startNs);
    waitingNs += beforeNs;
    generatingNs += lengthNs - beforeNs;
  }
  const ms = splitMilliseconds(
    BREAKDOWN_CATEGORIES.map((category) => bucketsNs[category]),
    durationNs,
  );
  const breakdown = Object.fromEntries(BREAKDOWN_CATEGORIES.map((category, i) => [category, ms[i]])) as Breakdown;
  const [waitingForFirstTokenMs, generatingMs, unsplitMs] = splitMillisecondsTo([waitingNs, generatingNs, unsplitNs], breakdown.llm);
  return { breakdown, llmTime: { waitingForFirstTokenMs, generatingMs, unsplitMs } };
}
