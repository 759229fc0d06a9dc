import type { TraceSpan } from '../trace-span.js';

/** Sibling order: start, then longer first, then id — the waterfall's order. */
export function compareSiblings(a: TraceSpan, b: TraceSpan): number {
  return a.startNs - b.startNs || b.endNs - a.endNs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/** Spans by id and by parent, built once per trace and shared by the passes that need them. */
export interface SpanIndex {
  /** First span of each id. */
  byId: Map<string, TraceSpan>;
  /** Children per parent id, in sibling order. */
  children: Map<string, TraceSpan[]>;
  /** Spans whose parent is absent or unknown, in sibling order. */
  topLevel: TraceSpan[];
}

export function indexSpans(spans: readonly TraceSpan[]): SpanIndex {
  const byId = new Map<string, TraceSpan>();
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  const children = new Map<string, TraceSpan[]>();
  const topLevel: TraceSpan[] = [];
  for (const span of byId.values()) {
    const parentId = span.parentSpanId;
    if (parentId !== undefined && parentId !== span.spanId && byId.has(parentId)) {
      const siblings = children.get(parentId);
      if (siblings) siblings.push(span);
      else children.set(parentId, [span]);
    } else topLevel.push(span);
  }
  for (const siblings of children.values()) if (siblings.length > 1) siblings.sort(compareSiblings);
  topLevel.sort(compareSiblings);
  return { byId, children, topLevel };
}

/**
 * Spans depth-first, parents before children, siblings by start; top-level spans first by start.
 * Spans unreachable from a top-level span (members of a parent cycle, which no top-level span
 * can reach) come last, in index order. Iterative, so a 10,000-deep chain does not exhaust the stack.
 */
export function depthFirst(index: SpanIndex): TraceSpan[] {
  return walkDepthFirst(index).ordered;
}

/** {@link depthFirst}, also saying how many spans a top-level span reaches (the rest are in cycles). */
export function walkDepthFirst(index: SpanIndex): { ordered: TraceSpan[]; reachable: number } {
  const ordered: TraceSpan[] = [];
  const stack: TraceSpan[] = [];
  for (let i = index.topLevel.length - 1; i >= 0; i--) stack.push(index.topLevel[i]);
  while (stack.length > 0) {
    const span = stack.pop()!;
    ordered.push(span);
    const kids = index.children.get(span.spanId);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  const reachable = ordered.length;
  if (reachable < index.byId.size) {
    const seen = new Set(ordered);
    for (const span of index.byId.values()) if (!seen.has(span)) ordered.push(span);
  }
  return { ordered, reachable };
}

/** {@link depthFirst} of a plain span list (duplicates after the first of an id dropped). */
export function orderDepthFirst(spans: readonly TraceSpan[]): TraceSpan[] {
  return depthFirst(indexSpans(spans));
}
