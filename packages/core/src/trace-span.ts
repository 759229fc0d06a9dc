import type { SpanCategory } from './category.js';
import type { Attributes, SpanStatus } from './span-record.js';

/**
 * A classified span inside one trace, with times as integer nanosecond offsets from the trace's
 * earliest start. This is what analysis (critical path, breakdown, perceived latency) and what-if
 * projection work on: what-if edits these and runs the same analysis again.
 */
export interface TraceSpan {
  spanId: string;
  /** Parent after repair: absent for the root and for orphans re-attached nowhere. */
  parentSpanId?: string;
  name: string;
  service: string;
  category: SpanCategory;
  /** Which convention classified it (e.g. `genai`, `vercel-ai`, `openinference`, `threshold`). */
  classifier: string;
  /** Start, ns after the trace's earliest start (exact integer). */
  startNs: number;
  /** End, ns after the trace's earliest start (exact integer, >= startNs). */
  endNs: number;
  status: SpanStatus;
  llm?: LlmInfo;
  tool?: ToolInfo;
  state?: StateInfo;
  orchestration?: OrchestrationInfo;
  task?: TaskInfo;
  /** Explicit first-output moment (ns offset) from a `threshold.first_output` event. */
  firstOutputNs?: number;
  attributes: Attributes;
}

export interface LlmInfo {
  model?: string;
  provider?: string;
  /** True when the call streamed; undefined when the span does not say. */
  streaming?: boolean;
  /** Time to first token, ms; undefined when unknown (never guessed as 0). */
  ttftMs?: number;
  /** Time per output token, ms: (duration − TTFT) / (output tokens − 1). */
  tpotMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Why the call was made (`intent`, `classification`, `safety`, `format`, `answer`, …). */
  purpose?: string;
  /** Operation name (`chat`, `text_completion`, `embeddings`, …). */
  operation?: string;
  /** True when this span only wraps other llm spans (its usage repeats theirs; not counted). */
  aggregate?: boolean;
  /**
   * Time the span stayed open while tools it asked for ran (its tool children, or tools held open
   * beside it), ms; left out of TPOT. Undefined when no tool ran inside it.
   */
  heldOpenMs?: number;
  /** Streamed calls: chunks with content the consumer received (`threshold.llm.chunks`); undefined when not recorded. */
  chunks?: number;
  /**
   * Streamed calls: the longest pause between two consecutive content chunks after the first, ms
   * (`threshold.llm.max_chunk_gap_ms`). Undefined when nothing recorded it: never guessed from an
   * average pace.
   */
  maxChunkGapMs?: number;
  /** When the longest pause began, ms after the span's start; undefined when not recorded. */
  maxChunkGapStartMs?: number;
}

export interface ToolInfo {
  name: string;
  callId?: string;
  argsHash?: string;
  cacheHit?: boolean;
  coldStart?: boolean;
}

export type StateOperation = 'load' | 'save' | 'checkpoint' | 'retrieve' | 'query';

export interface StateInfo {
  operation?: StateOperation;
  /** What was loaded or saved (`session`, `memory`, a table, a vector index). */
  target?: string;
}

export type OrchestrationKind = 'route' | 'queue' | 'rate_limit' | 'load_balance' | 'dispatch' | 'step';

export interface OrchestrationInfo {
  kind?: OrchestrationKind;
}

export interface TaskInfo {
  sessionId?: string;
  turn?: number;
  taskClass?: string;
  budgetMs?: number;
}
