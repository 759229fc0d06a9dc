import type { SpanView, TraceSummary } from './api-types.js';
import type { TraceSpan } from './trace-span.js';

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
  /** Repairs made (orphans re-attached, skew clamped, duplicates dropped, no root). */
  warnings: string[];
}
