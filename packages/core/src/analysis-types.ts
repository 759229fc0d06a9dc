import type { SpanView, TraceSummary } from './api-types.js';
import type { TraceSpan } from './trace-span.js';

/** How the llm bucket of the breakdown splits; the three sum to `summary.breakdown.llm`. */
export interface LlmTimeSplit {
  /** Critical llm time before the call's first token arrived. */
  waitingForFirstTokenMs: number;
  /** Critical llm time after the first token (the model generating). */
  generatingMs: number;
  /** Critical llm time of calls whose TTFT is unknown (non-streamed calls, wrappers' own time). */
  unsplitMs: number;
}

/**
 * Everything analysis knows about one trace. `summary` and `spans` are what the API shows;
 * `traceSpans` and `criticalPath` are what recommendation rules and what-if projection read.
 */
export interface TraceAnalysis {
  traceId: string;
  /** Epoch ns of the trace's earliest start: TraceSpan offsets are relative to it. */
  traceStartUnixNano: bigint;
  summary: TraceSummary;
  /** One per span, parents before children (depth-first, siblings by start). */
  spans: SpanView[];
  traceSpans: TraceSpan[];
  /** Span ids on the critical path, root first, in time order. */
  criticalPath: string[];
  /** The span the task was analysed from (the root, or the earliest span when none arrived). */
  rootSpanId?: string;
  /** The breakdown's llm bucket split at each call's first token (always set by analyseTrace). */
  llmTime?: LlmTimeSplit;
  /** Critical stretches in time order, ns offsets: which span the user waited on when. */
  criticalSegments?: Array<{ spanId: string; startNs: number; endNs: number }>;
  /** Tokens over the trace's llm calls, wrappers that repeat their calls' usage not counted again. */
  tokens?: { inputTokens: number; outputTokens: number };
  /** `threshold.turn` of the task (its place in a session), when stated. */
  turn?: number;
  /** Repairs made (orphans re-attached, skew clamped, duplicates dropped, no root). */
  warnings: string[];
}
