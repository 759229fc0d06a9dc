import type { SpanRecord } from '../span-record.js';
import type { TraceSpan } from '../trace-span.js';

/** Instrumentation scopes that record every run of a nested framework as a sibling of the others. */
export const FLAT_RUN_SCOPES: ReadonlySet<string> = new Set(['@traceloop/instrumentation-langchain']);

/**
 * OpenLLMetry's LangChain instrumentation starts each run's span (`workflow CompiledStateGraph`,
 * `workflow RunnableSequence`, `chat <model>`, `execute_tool <tool>`) without the parent run: all
 * of them land flat under whatever span was active when the graph was invoked. The graph span
 * then hides every call inside it, and the critical path sees one long orchestration span.
 * LangChain runs nest strictly (a run's children start after it and end before it), so nesting
 * is restored by time: each such span goes under the smallest sibling `workflow` / `task` run of
 * the same instrumentation that contains it. Ties in size order by start, then id, so nesting
 * never forms a cycle. Other spans are never moved.
 *
 * @returns how many spans were moved (reported as a repair)
 */
export function nestFlatRuns(spans: TraceSpan[], records: readonly SpanRecord[]): number {
  const flat = new Set(
    records.filter((record) => record.scope !== undefined && FLAT_RUN_SCOPES.has(record.scope)).map((record) => record.spanId),
  );
  if (flat.size === 0) return 0;
  const byParent = new Map<string, TraceSpan[]>();
  for (const span of spans) {
    if (!flat.has(span.spanId) || span.parentSpanId === undefined) continue;
    const siblings = byParent.get(span.parentSpanId);
    if (siblings) siblings.push(span);
    else byParent.set(span.parentSpanId, [span]);
  }
  let moved = 0;
  for (const siblings of byParent.values()) {
    const containers = siblings.filter(isRunWrapper).sort(smallerFirst);
    for (const span of siblings) {
      const container = containers.find(
        (candidate) => candidate !== span && smallerFirst(span, candidate) < 0 && contains(candidate, span),
      );
      if (!container) continue;
      span.parentSpanId = container.spanId;
      moved++;
    }
  }
  return moved;
}

function isRunWrapper(span: TraceSpan): boolean {
  const kind = span.attributes['traceloop.span.kind'];
  return kind === 'workflow' || kind === 'task';
}

function contains(outer: TraceSpan, inner: TraceSpan): boolean {
  return outer.startNs <= inner.startNs && inner.endNs <= outer.endNs;
}

/** Shorter first; equal lengths by later start, then id (a strict order: no cycles). */
function smallerFirst(a: TraceSpan, b: TraceSpan): number {
  return a.endNs - a.startNs - (b.endNs - b.startNs) || b.startNs - a.startNs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}
