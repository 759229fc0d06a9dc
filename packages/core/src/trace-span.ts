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
  /**
   * True for a span Threshold derived from what others recorded rather than one that arrived (a
   * human-approval wait between `gen_ai.tool.call.decision` events); not counted in `spanCount`.
   */
  derived?: boolean;
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
  /** Input tokens served from the provider's prompt cache (`gen_ai.usage.cache_read.input_tokens`, Langfuse `input_cached_tokens`); part of inputTokens. */
  cacheReadInputTokens?: number;
  /** Input tokens written to the provider's prompt cache (`gen_ai.usage.cache_creation.input_tokens` / `cache_write`); part of inputTokens. */
  cacheWriteInputTokens?: number;
  /** Total cost of the call as the instrumentation states it (Langfuse `cost_details.total`, USD); undefined when not stated. */
  cost?: number;
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

/** Every state operation, for checking what a span or a mapping rule says. */
export const STATE_OPERATIONS = ['load', 'save', 'checkpoint', 'retrieve', 'query'] as const;

export type StateOperation = (typeof STATE_OPERATIONS)[number];

export interface StateInfo {
  operation?: StateOperation;
  /** What was loaded or saved (`session`, `memory`, a table, a vector index). */
  target?: string;
}

/**
 * `step`: one turn of an agent loop or a non-root wrapper; `plan`: an agent planning its work
 * (GenAI `plan`); `approval`: waiting for a human to approve a tool call (never tool time).
 */
export const ORCHESTRATION_KINDS = ['route', 'queue', 'rate_limit', 'load_balance', 'dispatch', 'step', 'plan', 'approval'] as const;

export type OrchestrationKind = (typeof ORCHESTRATION_KINDS)[number];

export interface OrchestrationInfo {
  kind?: OrchestrationKind;
}

export interface TaskInfo {
  sessionId?: string;
  /** The end user the task served (`user.id`, `langfuse.user.id`, Mastra `resourceId`), when stated. */
  userId?: string;
  turn?: number;
  taskClass?: string;
  budgetMs?: number;
}
