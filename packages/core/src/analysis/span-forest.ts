import type { TraceSpan } from '../trace-span.js';
import { findHeldOpenTools } from './held-open-tools.js';
import { compareSiblings } from './order-depth-first.js';

/**
 * The index analysis walks: children per span (sorted by start), the span analysis starts from,
 * and the task's wall-time window. A trace with several top-level spans (no root arrived, or
 * extra roots) is analysed from its earliest span over the window that covers all of them; the
 * other top-level spans are treated as that span's children. Tools that held a streamed llm
 * span open beside it are analysed as that call's children (see held-open-tools.ts).
 */
export interface SpanForest {
  byId: Map<string, TraceSpan>;
  /** Children as analysis sees them: real children, plus extra top-level spans under the root and held-open tools under their llm span. */
  children: Map<string, TraceSpan[]>;
  /** Children as the spans state them (for self time), sorted by start. */
  statedChildren: Map<string, TraceSpan[]>;
  root: TraceSpan;
  /** Task window start, ns offset (inclusive). */
  windowStartNs: number;
  /** Task window end, ns offset (exclusive). */
  windowEndNs: number;
  /** Spans not reachable from a top-level span (left-in cycles); ignored by analysis. */
  unreachable: number;
}

export function buildSpanForest(spans: readonly TraceSpan[]): SpanForest | undefined {
  if (spans.length === 0) return undefined;
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
  if (topLevel.length === 0) topLevel.push(earliestOf([...byId.values()]));
  const statedChildren = new Map<string, TraceSpan[]>();
  for (const [parentId, siblings] of children) statedChildren.set(parentId, [...siblings].sort(compareSiblings));
  topLevel.sort(compareSiblings);
  const root = topLevel[0];
  let windowStartNs = root.startNs;
  let windowEndNs = root.endNs;
  if (topLevel.length > 1) {
    const rootChildren = children.get(root.spanId) ?? [];
    for (let i = 1; i < topLevel.length; i++) {
      rootChildren.push(topLevel[i]);
      windowEndNs = Math.max(windowEndNs, topLevel[i].endNs);
    }
    children.set(root.spanId, rootChildren);
  }
  adoptHeldOpenTools(children);
  for (const siblings of children.values()) siblings.sort(compareSiblings);
  let reachable = 0;
  const stack = [root];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const span = stack.pop()!;
    if (seen.has(span.spanId)) continue;
    seen.add(span.spanId);
    reachable++;
    const kids = children.get(span.spanId);
    if (kids) for (const kid of kids) stack.push(kid);
  }
  windowStartNs = Math.min(windowStartNs, root.startNs);
  return { byId, children, statedChildren, root, windowStartNs, windowEndNs, unreachable: byId.size - reachable };
}

function earliestOf(spans: TraceSpan[]): TraceSpan {
  return spans.reduce((best, span) => (compareSiblings(span, best) < 0 ? span : best));
}

/** Moves held-open sibling tools under the llm span they kept open (analysis only; parents unchanged). */
function adoptHeldOpenTools(children: Map<string, TraceSpan[]>): void {
  for (const [parentId, siblings] of [...children.entries()]) {
    const adopted = findHeldOpenTools(siblings);
    if (adopted.size === 0) continue;
    children.set(
      parentId,
      siblings.filter((span) => !adopted.has(span.spanId)),
    );
    for (const span of siblings) {
      const llmId = adopted.get(span.spanId);
      if (llmId === undefined) continue;
      const llmChildren = children.get(llmId);
      if (llmChildren) llmChildren.push(span);
      else children.set(llmId, [span]);
    }
  }
}
