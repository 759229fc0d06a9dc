import type { SpanView } from '@threshold/core';

/**
 * The waterfall's row model, in two pure steps (after jaeger-ui's `generateRowStates`):
 * `buildSpanTree` turns the flat span list into a forest once per trace; `buildRows` walks it
 * depth-first, children by start time, skipping the subtrees of collapsed spans. Bad input is
 * repaired, never thrown: an orphan (parent not in the trace) becomes a root, a duplicate span id
 * keeps its first span, and spans caught in a parent cycle are attached at the top level.
 *
 *   root ─────────────────────────   depth 0
 *     llm  ───────                   depth 1
 *     tool         ──────            depth 1
 *       db          ───              depth 2
 */
export interface SpanTree {
  roots: SpanView[];
  /** Children of each span, by start time (then input order). */
  children: ReadonlyMap<string, SpanView[]>;
  /** Number of spans below each span. */
  descendantCounts: ReadonlyMap<string, number>;
  /** Every span once, in tree order (the rows when nothing is collapsed). */
  order: SpanView[];
}

export interface WaterfallRow {
  span: SpanView;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
  /** Spans hidden under this row when collapsed. */
  descendantCount: number;
}

const EMPTY: SpanView[] = [];

export function buildSpanTree(spans: readonly SpanView[]): SpanTree {
  const byId = new Map<string, SpanView>();
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  const unique = [...byId.values()];
  const rawChildren = new Map<string, SpanView[]>();
  const rawRoots: SpanView[] = [];
  for (const span of unique) {
    const parentId = span.parentSpanId;
    if (parentId && parentId !== span.spanId && byId.has(parentId)) {
      let list = rawChildren.get(parentId);
      if (!list) rawChildren.set(parentId, (list = []));
      list.push(span);
    } else {
      rawRoots.push(span);
    }
  }
  const byStart = (a: SpanView, b: SpanView) => a.startOffsetMs - b.startOffsetMs;
  for (const list of rawChildren.values()) list.sort(byStart);
  rawRoots.sort(byStart);

  const visited = new Set<string>();
  const children = new Map<string, SpanView[]>();
  const order: SpanView[] = [];
  const roots: SpanView[] = [];
  const walk = (root: SpanView) => {
    roots.push(root);
    const stack: SpanView[] = [root];
    visited.add(root.spanId);
    while (stack.length > 0) {
      const span = stack.pop()!;
      order.push(span);
      const raw = rawChildren.get(span.spanId);
      if (!raw) continue;
      // Only a parent cycle can make a child already visited; keep the common case allocation-free.
      const kids = raw.some((kid) => visited.has(kid.spanId)) ? raw.filter((kid) => !visited.has(kid.spanId)) : raw;
      if (kids.length > 0) children.set(span.spanId, kids);
      for (let i = kids.length - 1; i >= 0; i--) {
        visited.add(kids[i].spanId);
        stack.push(kids[i]);
      }
    }
  };
  for (const root of rawRoots) walk(root);
  for (const span of unique) if (!visited.has(span.spanId)) walk(span);

  const descendantCounts = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const span = order[i];
    let count = 0;
    for (const kid of children.get(span.spanId) ?? EMPTY) count += 1 + (descendantCounts.get(kid.spanId) ?? 0);
    descendantCounts.set(span.spanId, count);
  }
  return { roots, children, descendantCounts, order };
}

export function buildRows(tree: SpanTree, collapsed: ReadonlySet<string>): WaterfallRow[] {
  const rows: WaterfallRow[] = [];
  const stack: Array<{ span: SpanView; depth: number }> = [];
  for (let i = tree.roots.length - 1; i >= 0; i--) stack.push({ span: tree.roots[i], depth: 0 });
  while (stack.length > 0) {
    const { span, depth } = stack.pop()!;
    const kids = tree.children.get(span.spanId) ?? EMPTY;
    const isCollapsed = kids.length > 0 && collapsed.has(span.spanId);
    rows.push({
      span,
      depth,
      hasChildren: kids.length > 0,
      collapsed: isCollapsed,
      descendantCount: tree.descendantCounts.get(span.spanId) ?? 0,
    });
    if (isCollapsed) continue;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i], depth: depth + 1 });
  }
  return rows;
}

/** Index of the row showing `spanId`, expanding nothing; -1 when hidden or absent. */
export function rowIndexOf(rows: readonly WaterfallRow[], spanId: string): number {
  for (let i = 0; i < rows.length; i++) if (rows[i].span.spanId === spanId) return i;
  return -1;
}

/** The collapsed set with every ancestor of `spanId` expanded, so the span becomes visible. */
export function expandAncestors(spans: ReadonlyMap<string, SpanView>, collapsed: ReadonlySet<string>, spanId: string): Set<string> {
  const next = new Set(collapsed);
  let parentId = spans.get(spanId)?.parentSpanId;
  const seen = new Set<string>();
  while (parentId && !seen.has(parentId)) {
    seen.add(parentId);
    next.delete(parentId);
    parentId = spans.get(parentId)?.parentSpanId;
  }
  return next;
}
