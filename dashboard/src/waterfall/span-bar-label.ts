import type { SpanView } from '@threshold/core';
import { formatDurationMs } from '../format/format-duration';

/** The hover text of a span's bar: timing, and for an llm call the waiting/generating split. */
export function spanBarTitle(span: SpanView): string {
  const parts = [`${span.name}`, `${formatDurationMs(span.durationMs)} at +${formatDurationMs(span.startOffsetMs)}`];
  const ttftMs = span.llm?.ttftMs;
  if (ttftMs !== undefined) {
    parts.push(`waiting for first token ${formatDurationMs(ttftMs)} · generating ${formatDurationMs(Math.max(0, span.durationMs - ttftMs))}`);
  }
  if (span.critical) parts.push('on the critical path');
  return parts.join('\n');
}
