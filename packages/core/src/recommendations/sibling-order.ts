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
  const parentKey = (span: TraceSpan) => (span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : '');
  const children = new Map<string, TraceSpan[]>();
  for (const span of spans) {
    const key = parentKey(span);
    const list = children.get(key);
    if (list) list.push(span);
    else children.set(key, [span]);
  }
  const byEnd = new Map<string, TraceSpan[]>();
  for (const [key, list] of children) {
    list.sort((a, b) => a.startNs - b.startNs || a.endNs - b.endNs);
    byEnd.set(key, [...list].sort((a, b) => a.endNs - b.endNs));
  }
  return {
    childrenOf: (parentSpanId) => children.get(parentSpanId ?? '') ?? [],
    predecessorOf(span) {
      // Binary search (siblings by end) for the last one ended by the span's start, not itself.
      const siblings = byEnd.get(parentKey(span)) ?? [];
      let low = 0;
      let high = siblings.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (siblings[middle].endNs <= span.startNs) low = middle + 1;
        else high = middle;
      }
      for (let i = low - 1; i >= 0; i--) if (siblings[i] !== span) return siblings[i];
      return undefined;
    },
  };
}
