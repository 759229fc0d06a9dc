import type { TraceSpan } from '../trace-span.js';

/**
 * Sibling relations the rules read: who ran under whom, in which order, and what a span waited
 * for. "Waited for" is the same notion what-if uses: the sibling that ended last by the time the
 * span started.
 */
export interface SiblingIndex {
  /** Children per parent id (top-level spans under ''), in start order. */
  childrenOf(parentSpanId: string | undefined): readonly TraceSpan[];
  /** The sibling that ended last at or before the span's start; undefined when none had. */
  predecessorOf(span: TraceSpan): TraceSpan | undefined;
}

export function indexSiblings(spans: readonly TraceSpan[]): SiblingIndex {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, TraceSpan[]>();
  for (const span of spans) {
    const key = span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : '';
    const list = children.get(key);
    if (list) list.push(span);
    else children.set(key, [span]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startNs - b.startNs || a.endNs - b.endNs);
  const parentKey = (span: TraceSpan) => (span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : '');
  return {
    childrenOf: (parentSpanId) => children.get(parentSpanId ?? '') ?? [],
    predecessorOf(span) {
      let found: TraceSpan | undefined;
      for (const sibling of children.get(parentKey(span)) ?? []) {
        if (sibling === span || sibling.endNs > span.startNs) continue;
        if (!found || sibling.endNs > found.endNs) found = sibling;
      }
      return found;
    },
  };
}
