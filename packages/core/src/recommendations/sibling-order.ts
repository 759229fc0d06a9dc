import { START_TRUNCATION_TOLERANCE_NS } from '../analysis/start-truncation.js';
import type { TraceSpan } from '../trace-span.js';

/**
 * Sibling relations the rules read: who ran under whom, in which order, and what a span waited
 * for. "Waited for" is the same notion what-if uses: the sibling that ended last by the time the
 * span started. A sibling that started before the span and ended within
 * `START_TRUNCATION_TOLERANCE_NS` after its recorded start counts as ended by then, as it does
 * in what-if: start times truncated to whole milliseconds would otherwise cut the relation.
 */
export interface SiblingIndex {
  /** Children per parent id (top-level spans under ''), in start order. */
  childrenOf(parentSpanId: string | undefined): readonly TraceSpan[];
  /** The sibling that ended last by the span's start (within the tolerance); undefined when none had. */
  predecessorOf(span: TraceSpan): TraceSpan | undefined;
}

/** Indexes already built, by the spans array they were built from. */
const indexed = new WeakMap<readonly TraceSpan[], SiblingIndex>();

/**
 * The sibling index of a trace's spans, built once per spans array: the cross-trace observations
 * and two rules ask for the same trace's. A trace's spans are not changed once analysed (what-if
 * edits a copy).
 */
export function indexSiblings(spans: readonly TraceSpan[]): SiblingIndex {
  let index = indexed.get(spans);
  if (index === undefined) {
    index = buildSiblingIndex(spans);
    indexed.set(spans, index);
  }
  return index;
}

function buildSiblingIndex(spans: readonly TraceSpan[]): SiblingIndex {
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
    byEnd.set(
      key,
      [...list].sort((a, b) => a.endNs - b.endNs),
    );
  }
  return {
    childrenOf: (parentSpanId) => children.get(parentSpanId ?? '') ?? [],
    predecessorOf(span) {
      // Binary search (siblings by end) for the last one ended by the span's start, not itself
      // and not one that started with it or after it (only a zero-length one at its start counts).
      const siblings = byEnd.get(parentKey(span)) ?? [];
      const byNs = span.startNs + START_TRUNCATION_TOLERANCE_NS;
      let low = 0;
      let high = siblings.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (siblings[middle].endNs <= byNs) low = middle + 1;
        else high = middle;
      }
      for (let i = low - 1; i >= 0; i--) {
        const sibling = siblings[i];
        if (sibling !== span && (sibling.startNs < span.startNs || sibling.endNs <= span.startNs)) return sibling;
      }
      return undefined;
    },
  };
}
