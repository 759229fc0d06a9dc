/**
 * What an llm span learns from its stream, written once when the stream ends: TTFT (at the first
 * chunk with content), usage, response model/id, finish reasons, TPOT, the number of content
 * chunks and the longest pause between two of them after the first (when it began, too), and —
 * with content capture on — the streamed text. `finish` ends the span exactly once, whichever way
 * the stream ends.
 *
 * Per chunk this costs one clock read and a few comparisons (bench/sdk.mjs: the whole wrapper
 * stays under 200 ns a chunk). Chunks count once however many choices carry content; chunks that
 * carry none (pings, usage, bookkeeping events) neither count nor end a pause, since the reader
 * sees nothing new then either. Times are when the consumer received each chunk: a stall in the
 * consumer's own loop is a stall the user sees.
 */
import { performance } from 'node:perf_hooks';
import { recordOutputText } from './content-capture.js';
import { guard } from './guard.js';
import type { ChunkSink } from './stream-chunk.js';
import { readChunk } from './stream-chunk.js';
import {
  GEN_AI_RESPONSE_FINISH_REASONS,
  GEN_AI_RESPONSE_ID,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
  THRESHOLD_LLM_CHUNKS,
  THRESHOLD_LLM_MAX_CHUNK_GAP_MS,
  THRESHOLD_LLM_MAX_CHUNK_GAP_START_MS,
  THRESHOLD_LLM_TIME_PER_OUTPUT_TOKEN,
} from './semantic-attributes.js';
import { contentCapture } from './sdk-config.js';
import type { SpanHandle } from './span-handle.js';

/** How a stream ended. */
export type StreamOutcome = { kind: 'complete' } | { kind: 'cancel' } | { kind: 'error'; error: unknown };

export class StreamRecording implements ChunkSink {
  readonly handle: SpanHandle;
  private firstContentAtMs: number | undefined;
  private lastContentAtMs = 0;
  private contentChunks = 0;
  private maxGapMs = 0;
  private maxGapStartMs = 0;
  /** Set by `content` while the current chunk is read. */
  private chunkHasContent = false;
  private inputTokens: number | undefined;
  private outputTokens: number | undefined;
  private responseModel: unknown;
  private responseId: unknown;
  private finishReasons: string[] | undefined;
  private text: string | undefined;
  /** Set once the stream has been handed to a consumer (iterated, read, teed). */
  consumed = false;

  constructor(handle: SpanHandle) {
    this.handle = handle;
    handle.trackUntilEnd();
    if (contentCapture().enabled) this.text = '';
  }

  /** Reads one chunk; never throws. */
  observe(chunk: unknown): void {
    try {
      readChunk(chunk, this);
    } catch {
      // An unreadable chunk is simply not described.
    }
    if (!this.chunkHasContent) return;
    this.chunkHasContent = false;
    const nowMs = performance.now();
    if (this.contentChunks++ === 0) {
      this.firstContentAtMs = nowMs;
    } else if (nowMs - this.lastContentAtMs > this.maxGapMs) {
      this.maxGapMs = nowMs - this.lastContentAtMs;
      this.maxGapStartMs = this.lastContentAtMs;
    }
    this.lastContentAtMs = nowMs;
  }

  content(text: string | undefined): void {
    this.chunkHasContent = true;
    if (this.text !== undefined && text !== undefined) this.text += text;
  }

  usage(inputTokens: number | undefined, outputTokens: number | undefined): void {
    if (inputTokens !== undefined) this.inputTokens = inputTokens;
    if (outputTokens !== undefined) this.outputTokens = outputTokens;
  }

  response(model: unknown, id: unknown): void {
    if (typeof model === 'string') this.responseModel = model;
    if (typeof id === 'string') this.responseId = id;
  }

  finishReason(reason: unknown): void {
    if (typeof reason === 'string') (this.finishReasons ??= []).push(reason);
  }

  /** Writes what was learned and ends the span (once). */
  finish(outcome: StreamOutcome): void {
    if (this.handle.ended) return;
    const endedAtMs = performance.now();
    guard('recording a stream', () => {
      const span = this.handle.span;
      if (this.firstContentAtMs !== undefined) {
        span.setAttribute(GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, (this.firstContentAtMs - this.handle.startedAtMs) / 1000);
        const tokens = this.outputTokens ?? this.contentChunks;
        if (tokens > 1) span.setAttribute(THRESHOLD_LLM_TIME_PER_OUTPUT_TOKEN, (endedAtMs - this.firstContentAtMs) / 1000 / (tokens - 1));
      }
      if (this.consumed) span.setAttribute(THRESHOLD_LLM_CHUNKS, this.contentChunks);
      if (this.contentChunks > 1) {
        span.setAttribute(THRESHOLD_LLM_MAX_CHUNK_GAP_MS, this.maxGapMs);
        span.setAttribute(THRESHOLD_LLM_MAX_CHUNK_GAP_START_MS, this.maxGapStartMs - this.handle.startedAtMs);
      }
      if (this.inputTokens !== undefined) span.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, this.inputTokens);
      if (this.outputTokens !== undefined) span.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, this.outputTokens);
      if (typeof this.responseModel === 'string') span.setAttribute(GEN_AI_RESPONSE_MODEL, this.responseModel);
      if (typeof this.responseId === 'string') span.setAttribute(GEN_AI_RESPONSE_ID, this.responseId);
      if (this.finishReasons !== undefined) span.setAttribute(GEN_AI_RESPONSE_FINISH_REASONS, this.finishReasons);
      if (this.text !== undefined && this.text.length > 0) recordOutputText(this.handle, this.text);
    });
    if (outcome.kind === 'error') this.handle.fail(outcome.error);
    this.handle.end();
  }
}
