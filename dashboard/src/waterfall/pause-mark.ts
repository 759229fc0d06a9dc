import type { SpanView } from '@threshold/core';
import type { ViewBounds } from './view-bounds';

/** Where the longest pause between a stream's chunks sits on its bar: 0–1 shares of the visible bar. */
export interface PauseMark {
  /** Start of the pause within the visible bar. */
  left: number;
  /** Its length, as a share of the visible bar (may be tiny: CSS gives the mark a minimum width). */
  width: number;
}

/**
 * The mark a streamed call's bar carries over its longest pause between chunks, as
 * `barGeometry`'s waiting share is placed: in shares of the part of the bar that is in view.
 *
 *   chat   |ttft|-.-.-.-.-.[ longest pause ]-.-.-.-|
 *   mark                   ^left           ^left + width
 *
 * Null when the span does not say where its longest pause was, or the pause is out of view.
 */
export function pauseMark(view: ViewBounds, span: Pick<SpanView, 'startOffsetMs' | 'durationMs' | 'llm'>): PauseMark | null {
  const gapMs = span.llm?.maxChunkGapMs;
  const gapStartMs = span.llm?.maxChunkGapStartMs;
  if (gapMs === undefined || gapStartMs === undefined || !(gapMs > 0) || !(span.durationMs > 0)) return null;
  const barStartMs = span.startOffsetMs;
  const barEndMs = span.startOffsetMs + span.durationMs;
  const visibleStart = Math.max(barStartMs, view.startMs);
  const visibleEnd = Math.min(barEndMs, view.endMs);
  if (!(visibleEnd > visibleStart)) return null;
  const pauseStart = Math.max(barStartMs + Math.min(gapStartMs, span.durationMs), visibleStart);
  const pauseEnd = Math.min(barStartMs + Math.min(gapStartMs + gapMs, span.durationMs), visibleEnd);
  if (!(pauseEnd > pauseStart)) return null;
  const visible = visibleEnd - visibleStart;
  return { left: (pauseStart - visibleStart) / visible, width: (pauseEnd - pauseStart) / visible };
}
