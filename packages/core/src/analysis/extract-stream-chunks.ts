import type { SpanRecord } from '../span-record.js';
import type { LlmInfo } from '../trace-span.js';
import { readNumber } from './read-attribute.js';

/** Content chunks the consumer received (the SDK's stream wrappers). */
export const LLM_CHUNKS_KEY = 'threshold.llm.chunks';
/** Longest pause between two consecutive content chunks after the first, ms. */
export const LLM_MAX_CHUNK_GAP_KEY = 'threshold.llm.max_chunk_gap_ms';
/** When that pause began, ms after the span's start. */
export const LLM_MAX_CHUNK_GAP_START_KEY = 'threshold.llm.max_chunk_gap_start_ms';

/**
 * What a streamed call's span says about the rhythm of its chunks: how many arrived, and the
 * longest pause between two of them after the first. Only a recorder that saw every chunk can
 * say that; no convention but the SDK's `threshold.llm.*` attributes does.
 *
 * Others send averages, which cannot show a pause, so they are not read here. The Vercel AI SDK
 * sets `ai.response.msToFinish` (request to the finish chunk) and
 * `ai.response.avgOutputTokensPerSecond` (output tokens ÷ msToFinish) on doStream spans: a stream
 * that froze for two seconds and one that ran evenly, at the same total, read the same. Both also
 * include the time of tools the step waited for (the finish chunk is held back until their results
 * are in), so they are not even a generation pace; TTFT and TPOT come from the first chunk and the
 * span's own times instead (see extract-ttft.ts and correct-held-open-llm-spans.ts).
 *
 * Readings that cannot be true are dropped or clamped as TTFT's are: a negative or fractional count
 * is dropped, a pause longer than the span is clamped to it, and a pause's start is kept only with
 * the pause and within the span.
 */
export function extractStreamChunks(record: SpanRecord): Pick<LlmInfo, 'chunks' | 'maxChunkGapMs' | 'maxChunkGapStartMs'> {
  const durationMs = Math.max(0, Number(record.endTimeUnixNano - record.startTimeUnixNano) / 1e6);
  const result: Pick<LlmInfo, 'chunks' | 'maxChunkGapMs' | 'maxChunkGapStartMs'> = {};
  const chunks = readNumber(record.attributes, LLM_CHUNKS_KEY);
  if (chunks !== undefined && chunks >= 0 && Number.isInteger(chunks)) result.chunks = chunks;
  const gapMs = readNumber(record.attributes, LLM_MAX_CHUNK_GAP_KEY);
  if (gapMs === undefined || gapMs < 0 || (result.chunks !== undefined && result.chunks < 2)) return result;
  result.maxChunkGapMs = Math.min(gapMs, durationMs);
  const startMs = readNumber(record.attributes, LLM_MAX_CHUNK_GAP_START_KEY);
  if (startMs !== undefined && startMs >= 0) result.maxChunkGapStartMs = Math.min(startMs, durationMs - result.maxChunkGapMs);
  return result;
}
