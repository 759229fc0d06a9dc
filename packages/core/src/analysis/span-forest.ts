import type { TraceSpan } from '../trace-span.js';
import { adoptHeldOpenTools } from './held-open-tools.js';
import { compareSiblings, indexSpans, type SpanIndex } from './order-depth-first.js';

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
  /** The spans as stated (ids, parents, top level), for passes that need the real tree. */
  index: SpanIndex;
}

export function buildSpanForest(spans: readonly TraceSpan[]): SpanForest | undefined {
  if (spans.length === 0) return undefined;
  const index = indexSpans(spans);
  const { byId } = index;
  const statedChildren = index.children;
  const children = new Map<string, TraceSpan[]>();
  for (const [parentId, siblings] of statedChildren) children.set(parentId, siblings.slice());
  const topLevel = index.topLevel.slice();
  if (topLevel.length === 0) topLevel.push(earliestOf([...byId.values()]));
  const root = topLevel[0];
  const windowStartNs = root.startNs;
  let windowEndNs = root.endNs;
  if (topLevel.length > 1) {
    const rootChildren = children.get(root.spanId) ?? [];
    for (let i = 1; i < topLevel.length; i++) {
      rootChildren.push(topLevel[i]);
      windowEndNs = Math.max(windowEndNs, topLevel[i].endNs);
    }
    children.set(root.spanId, rootChildren);
  }
  if (adoptHeldOpenTools(children) || topLevel.length > 1) for (const siblings of children.values()) siblings.sort(compareSiblings);
  return { byId, children, statedChildren, index, root, windowStartNs, windowEndNs };
}

function earliestOf(spans: TraceSpan[]): TraceSpan {
  return spans.reduce((best, span) => (compareSiblings(span, best) < 0 ? span : best));
}
