/**
 * A change to one trace's timing that a recommendation proposes and what-if applies. Edits are
 * plain data (they travel on `Finding.edits` through the API) and say *what* changes; the
 * time-shifting that follows from them (later siblings and ancestors moving earlier) is worked
 * out by `applyEdits`, so every rule shares one model of cause and effect.
 */
export type TraceEdit = StartWithEdit | ShortenEdit | StreamEdit;

/**
 * Start each of `spanIds` when `anchorSpanId` starts (all siblings of the anchor, starting after
 * it). Parallelizing tools anchors the run on its first tool; speculating anchors the predictable
 * tool on the llm call it used to wait for.
 */
export interface StartWithEdit {
  kind: 'start-with';
  anchorSpanId: string;
  spanIds: string[];
}

/**
 * Make a span take `durationMs` (never longer than it took). Its own descendants are squeezed
 * into the new interval proportionally. Caching sets 0, pre-warming sets the warm duration,
 * routing and context compression set the projected model latency.
 */
export interface ShortenEdit {
  kind: 'shorten';
  spanId: string;
  durationMs: number;
  /** Llm spans: the projected TTFT (clamped to the new duration). */
  ttftMs?: number;
  /** Llm spans: the model the call would use. */
  model?: string;
  /** Llm spans: the projected input tokens. */
  inputTokens?: number;
  /** Streamed llm spans: the projected longest pause between chunks (a stall taken out). */
  maxChunkGapMs?: number;
}

/** Stream an llm call: it keeps its duration, and its first token arrives after `ttftMs`. */
export interface StreamEdit {
  kind: 'stream';
  spanId: string;
  ttftMs: number;
}
