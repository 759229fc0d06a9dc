import type { TraceSpan } from '../trace-span.js';
import type { SpanIndex } from './order-depth-first.js';

/**
 * Marks llm spans that wrap other llm calls as aggregates. Wrappers repeat their calls' usage
 * (Vercel's `ai.generateText` sums its `doGenerate` steps; Mastra's model_generation its
 * model_steps; a LangChain chain its llm runs), so counting both would double tokens and calls.
 * Decided from the tree, not the convention: a wrapper whose inner calls never arrived is the
 * only record of the call and is counted. Streaming chunk spans (operation `chunk`) are fragments
 * of a call, not calls, and do not make their parent an aggregate.
 *
 * A wrapper's own time is not model time either: it is the loop around its calls (Mastra's
 * `chat <model>` model_generation spans the whole agent loop, tools included; Vercel's
 * `ai.streamText` the steps and the SDK's work between them). So a non-root llm span that wraps
 * calls becomes orchestration (kind `step`), and one at the root is the task (Pydantic AI's agent
 * run carries the run's summed usage); their llm facts stay, marked aggregate.
 *
 * @param spans depth-first order (parents before children)
 */
export function markAggregateLlmSpans(spans: readonly TraceSpan[], index: SpanIndex): void {
  const { byId } = index;
  const hasLlmDescendant = new Set<string>();
  for (let i = spans.length - 1; i >= 0; i--) {
    const span = spans[i];
    if (span.parentSpanId === undefined) continue;
    const isCall = span.llm !== undefined && span.category === 'llm' && span.llm.operation !== 'chunk';
    if (isCall || hasLlmDescendant.has(span.spanId)) {
      if (byId.has(span.parentSpanId)) hasLlmDescendant.add(span.parentSpanId);
    }
  }
  for (const span of spans) {
    if (span.llm === undefined) continue;
    if (hasLlmDescendant.has(span.spanId)) {
      span.llm.aggregate = true;
      if (span.category === 'llm' && span.parentSpanId === undefined) span.category = 'task';
      else if (span.category === 'llm') {
        span.category = 'orchestration';
        span.orchestration = { kind: 'step' };
      }
    } else if (span.category !== 'llm') span.llm.aggregate = true;
    else delete span.llm.aggregate;
  }
}
