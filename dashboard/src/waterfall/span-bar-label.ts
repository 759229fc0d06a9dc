import type { SpanView } from '@threshold/core';
import { formatDurationMs } from '../format/format-duration';

/** The hover text of a span's bar: timing, for an llm call the waiting/generating split and a stream's longest pause. */
export function spanBarTitle(span: SpanView): string {
  const parts = [`${span.name}`, `${formatDurationMs(span.durationMs)} at +${formatDurationMs(span.startOffsetMs)}`];
  const ttftMs = span.llm?.ttftMs;
  if (ttftMs !== undefined) {
    parts.push(
      `waiting for first token ${formatDurationMs(ttftMs)} · generating ${formatDurationMs(Math.max(0, span.durationMs - ttftMs))}`,
    );
  }
  const gapMs = span.llm?.maxChunkGapMs;
  if (gapMs !== undefined) {
    const at = span.llm?.maxChunkGapStartMs === undefined ? '' : ` at +${formatDurationMs(span.llm.maxChunkGapStartMs)}`;
    const chunks = span.llm?.chunks === undefined ? '' : ` (${span.llm.chunks} chunks)`;
    parts.push(`longest pause between chunks ${formatDurationMs(gapMs)}${at}${chunks}`);
  }
  if (span.critical) parts.push('on the critical path');
  return parts.join('\n');
}
