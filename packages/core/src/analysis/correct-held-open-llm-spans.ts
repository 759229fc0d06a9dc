import type { TraceSpan } from '../trace-span.js';
import { findHeldOpenTools } from './held-open-tools.js';
import type { SpanIndex } from './order-depth-first.js';
import { selfTimeNs } from './self-time.js';

/**
 * An llm span that stays open while the tools it asked for run is not generating all that time.
 * Vercel's AI SDK keeps `ai.streamText.doStream` open until the step's tools finish (the model's
 * finish chunk is held back until the tool results are in, and `ai.stream.finish` /
 * `ai.response.msToFinish` are recorded then); OpenLLMetry's `chat` span stays open while the
 * consumer's loop runs a tool. For such calls the tool time is recorded as `heldOpenMs` and left
 * out of TPOT, which would otherwise count tool time as time between tokens.
 *
 * Run after aggregates are marked.
 */
export function correctHeldOpenLlmSpans(index: SpanIndex): void {
  const { byId, children } = index;
  const toolsOf = new Map<string, TraceSpan[]>();
  const addTool = (llmId: string, tool: TraceSpan) => {
    const tools = toolsOf.get(llmId);
    if (tools) tools.push(tool);
    else toolsOf.set(llmId, [tool]);
  };
  for (const [parentId, siblings] of children) {
    const parent = byId.get(parentId);
    if (parent?.category === 'llm' && parent.llm && !parent.llm.aggregate) {
      for (const child of siblings) if (child.category === 'tool') addTool(parentId, child);
    }
    for (const [toolId, llmId] of findHeldOpenTools(siblings)) addTool(llmId, byId.get(toolId)!);
  }
  for (const [llmId, tools] of toolsOf) {
    const llm = byId.get(llmId)!.llm!;
    const span = byId.get(llmId)!;
    const coveredNs =
      span.endNs -
      span.startNs -
      selfTimeNs(
        span,
        tools.sort((a, b) => a.startNs - b.startNs),
      );
    if (coveredNs === 0) continue;
    llm.heldOpenMs = coveredNs / 1e6;
    if (llm.ttftMs !== undefined && llm.outputTokens !== undefined && llm.outputTokens > 1) {
      const generatingMs = (span.endNs - span.startNs - coveredNs) / 1e6 - llm.ttftMs;
      llm.tpotMs = Math.max(0, generatingMs) / (llm.outputTokens - 1);
    }
  }
}
