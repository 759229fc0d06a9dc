import type { SpanView } from '@threshold/core';

/** Up to 1 ms per span: the whole-millisecond start of OpenTelemetry's JS SDK (see below). */
export const RECORDED_START_JITTER_MS = 1;

/**
 * How much of `span` the critical path can give it in a trace whose work runs one step after
 * another (a LangGraph run: node after node, runnable after runnable; a tool, then the next call).
 *
 * OpenTelemetry's JS SDK records a span's start as `Date.now()` (whole milliseconds) and its end
 * as that start plus a precise duration, so each span sits up to 1 ms earlier than it ran, by its
 * own amount. Two steps run back to back less than 1 ms apart can therefore be recorded
 * overlapping by a fraction of a millisecond. The critical path hands such an overlap to the step
 * that started later, so the earlier one keeps only its part before the next step — at its own
 * level or at any ancestor's — began, and no more than its ancestors' windows. A sibling started
 * within the jitter of a span ran beside it (tools a model asked for together), not after it.
 */
export function sequentialCriticalMs(spans: readonly SpanView[], span: SpanView): number {
  const byId = new Map(spans.map((candidate) => [candidate.spanId, candidate]));
  let endMs = span.startOffsetMs + span.durationMs;
  let node: SpanView | undefined = span;
  while (node?.parentSpanId !== undefined) {
    const current: SpanView = node;
    for (const sibling of spans) {
      const after = sibling.startOffsetMs > current.startOffsetMs + RECORDED_START_JITTER_MS;
      if (sibling.parentSpanId === current.parentSpanId && after) endMs = Math.min(endMs, sibling.startOffsetMs);
    }
    node = byId.get(current.parentSpanId!);
    if (node) endMs = Math.min(endMs, node.startOffsetMs + node.durationMs);
  }
  return Math.max(0, endMs - span.startOffsetMs);
}
