import type { TraceSpan } from '../trace-span.js';
import { isLlmCall } from './count-calls.js';
import type { SpanIndex } from './order-depth-first.js';

/**
 * Facts a framework records once on a wrapper but that belong to the calls inside it:
 *
 * - model and provider: Mastra's `chat <model>` generation names the model, its `step: N` calls
 *   (0.2x/1.x without model_inference) do not;
 * - the first token: Mastra and Langfuse stamp the completion start time on the generation, which
 *   is the first token of the call that was running at that moment (the first step), so that
 *   call's TTFT is the moment minus its start, exactly;
 * - whether the call streamed: an agent or turn span with `gen_ai.request.stream` states how the
 *   agent was asked to answer (Agents SDK `run_streamed`, ADK SSE mode, Mastra `stream()`), and the
 *   framework asks its model calls the same way.
 *
 * Only gaps are filled; a call's own record always wins. Run after aggregates are marked.
 * @param spans depth-first order (parents before children)
 */
export function inheritCallFacts(spans: readonly TraceSpan[], index: SpanIndex): void {
  const { byId } = index;
  const ancestors = function* (span: TraceSpan): Generator<TraceSpan> {
    let parentId = span.parentSpanId;
    const seen = new Set<string>();
    while (parentId !== undefined && !seen.has(parentId)) {
      seen.add(parentId);
      const parent = byId.get(parentId);
      if (!parent) return;
      yield parent;
      parentId = parent.parentSpanId;
    }
  };
  const firstTokenClaimed = new Set<string>();
  for (const span of spans) {
    if (!isLlmCall(span)) continue;
    const llm = span.llm!;
    for (const ancestor of ancestors(span)) {
      const wrapper = ancestor.llm?.aggregate ? ancestor.llm : undefined;
      if (wrapper && llm.model === undefined && wrapper.model !== undefined) llm.model = wrapper.model;
      if (wrapper && llm.provider === undefined && wrapper.provider !== undefined && llm.model === wrapper.model)
        llm.provider = wrapper.provider;
      if (wrapper?.ttftMs !== undefined && llm.ttftMs === undefined && !firstTokenClaimed.has(ancestor.spanId)) {
        const firstTokenNs = ancestor.startNs + Math.round(wrapper.ttftMs * 1e6);
        if (firstTokenNs >= span.startNs && firstTokenNs <= span.endNs) {
          llm.ttftMs = (firstTokenNs - span.startNs) / 1e6;
          llm.streaming ??= true;
          firstTokenClaimed.add(ancestor.spanId);
        }
      }
      if (llm.streaming === undefined) {
        const stated = ancestor.attributes['gen_ai.request.stream'];
        if (typeof stated === 'boolean') llm.streaming = stated;
      }
    }
  }
}
