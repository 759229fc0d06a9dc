import type { TraceSpan } from '../trace-span.js';

export interface CallCounts {
  /** Llm calls, wrappers (aggregates) and stream chunks not counted. */
  llmCalls: number;
  /** Tool calls, a tool span inside another tool span (a wrapper's inner span) not counted again. */
  toolCalls: number;
  /** TTFT of the earliest-starting llm call that has one. */
  firstTtftMs?: number;
  /** Input tokens over the counted calls (wrappers that repeat their calls' usage left out). */
  inputTokens: number;
  /** Output tokens over the counted calls. */
  outputTokens: number;
}

/** @param spans depth-first order (parents before children) */
export function countCalls(spans: readonly TraceSpan[]): CallCounts {
  const inTool = new Set<string>();
  let llmCalls = 0;
  let toolCalls = 0;
  let first: TraceSpan | undefined;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const span of spans) {
    if (isLlmCall(span)) {
      llmCalls++;
      inputTokens += span.llm!.inputTokens ?? 0;
      outputTokens += span.llm!.outputTokens ?? 0;
      if (span.llm!.ttftMs !== undefined && (first === undefined || span.startNs < first.startNs)) first = span;
    }
    const parentInTool = span.parentSpanId !== undefined && inTool.has(span.parentSpanId);
    if (span.category === 'tool' && !parentInTool) toolCalls++;
    if (span.category === 'tool' || parentInTool) inTool.add(span.spanId);
  }
  const unreported = aggregateTokensNotReportedByCalls(spans);
  inputTokens += unreported.inputTokens;
  outputTokens += unreported.outputTokens;
  const counts: CallCounts = { llmCalls, toolCalls, inputTokens, outputTokens };
  if (first) counts.firstTtftMs = first.llm!.ttftMs;
  return counts;
}

/** A real model call: an llm span that is not a wrapper of other calls nor a stream chunk. */
export function isLlmCall(span: TraceSpan): boolean {
  return span.category === 'llm' && span.llm !== undefined && !span.llm.aggregate && span.llm.operation !== 'chunk';
}

/**
 * Tokens a wrapper reports that none of its calls do. A wrapper's usage repeats its calls'
 * (Vercel's `ai.streamText`), so it is left out, unless no call inside it reported any: Mastra's
 * `chat <model>` generation carries the usage of the whole loop and its `step: N` calls none.
 * The innermost wrappers that report tokens count (their parts sum to an outer wrapper's total).
 * @param spans depth-first order (parents before children)
 */
function aggregateTokensNotReportedByCalls(spans: readonly TraceSpan[]): { inputTokens: number; outputTokens: number } {
  const present = new Set(spans.map((span) => span.spanId));
  const reportsTokens = new Set<string>();
  for (let i = spans.length - 1; i >= 0; i--) {
    const span = spans[i];
    const own = isLlmCall(span) && (span.llm!.inputTokens !== undefined || span.llm!.outputTokens !== undefined);
    const wrapperCounted = span.llm?.aggregate === true && (span.llm.inputTokens !== undefined || span.llm.outputTokens !== undefined);
    if ((own || reportsTokens.has(span.spanId) || wrapperCounted) && span.parentSpanId !== undefined && present.has(span.parentSpanId)) {
      reportsTokens.add(span.parentSpanId);
    }
  }
  let inputTokens = 0;
  let outputTokens = 0;
  for (const span of spans) {
    if (span.llm?.aggregate !== true || reportsTokens.has(span.spanId)) continue;
    if (span.llm.inputTokens === undefined && span.llm.outputTokens === undefined) continue;
    inputTokens += span.llm.inputTokens ?? 0;
    outputTokens += span.llm.outputTokens ?? 0;
  }
  return { inputTokens, outputTokens };
}
