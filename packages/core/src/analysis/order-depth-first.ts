import type { TraceSpan } from '../trace-span.js';

/** Sibling order: start, then longer first, then id — the waterfall's order. */
export function compareSiblings(a: TraceSpan, b: TraceSpan): number {
  return a.startNs - b.startNs || b.endNs - a.endNs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/**
 * Spans depth-first, parents before children, siblings by start; top-level spans first by start.
 * Spans unreachable from a top-level span (a cycle the caller left in) come last, in input order.
 * Iterative, so a 10,000-deep chain does not exhaust the stack.
 */
export function orderDepthFirst(spans: readonly TraceSpan[]): TraceSpan[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, TraceSpan[]>();
  const topLevel: TraceSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId !== undefined && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      const siblings = children.get(span.parentSpanId);
      if (siblings) siblings.push(span);
      else children.set(span.parentSpanId, [span]);
    } else topLevel.push(span);
  }
  const ordered: TraceSpan[] = [];
  const seen = new Set<string>();
  const stack = topLevel.sort(compareSiblings).reverse();
  while (stack.length > 0) {
    const span = stack.pop()!;
    if (seen.has(span.spanId)) continue;
    seen.add(span.spanId);
    ordered.push(span);
    const kids = children.get(span.spanId);
    if (kids) {
      kids.sort(compareSiblings);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }
  if (ordered.length < spans.length) for (const span of spans) if (!seen.has(span.spanId)) ordered.push(span);
  return ordered;
}
