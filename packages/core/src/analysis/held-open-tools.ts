import type { TraceSpan } from '../trace-span.js';

/**
 * How close (ns) a streamed llm span's end must follow the end of the tools run while it was
 * open for it to count as held open by them: at least this, or half the time the tools ran,
 * whichever is more. The consumer loop's cleanup after the last tool (reading the final chunk,
 * closing the span) took 1–10 ms on an idle machine and up to ~50 ms at load 13 on 2 cores.
 */
export const HELD_OPEN_TOLERANCE_NS = 50_000_000;

/** Share of the tools' own run that the llm span may outlast them by and still be held open by them. */
export const HELD_OPEN_TOLERANCE_SHARE = 0.5;

/**
 * Share of the llm span's own duration it may outlast the tools by. Delays on a loaded machine
 * stretch every span alike, so a relative allowance keeps the signature; a tool merely running
 * beside a long call ends far from the call's end and still does not qualify.
 */
export const HELD_OPEN_TOLERANCE_LLM_SHARE = 0.25;

/**
 * Finds tool spans that ran *beside* a streamed llm span while the stream was held open for them,
 * and says which llm span each belongs under. Analysis treats them as that call's children, the
 * way Vercel's AI SDK nests `ai.toolCall` under `ai.streamText.doStream`.
 *
 * Seen with OpenLLMetry around the real `openai` client: an agent that runs a tool inside its
 * `for await (const chunk of stream)` loop keeps the instrumented `chat` span open until the loop
 * ends, and the tool span (`withTool`) is the llm span's sibling, not its child:
 *
 *   workflow  |==========================================|
 *   chat      |=====================================|          open until the loop ends
 *   lookup                        |================|           the user waits on this
 *
 * The plain critical path would give the tool's time to the llm (the chat span ends last, the tool
 * inside it is hidden). The signature used: sibling tools that start after the llm call started
 * (after its first token when TTFT is known) and the llm span closing soon after the last of
 * them ends (within 50 ms, half the tools' run, or a quarter of the call, whichever is most). A tool that merely runs in parallel
 * with a call (speculation, `Promise.all`) does not end right where the call ends, so it stays a
 * sibling. Calls known not to stream are never held open.
 *
 * @param siblings the children of one parent
 * @returns tool span id → llm span id to analyse it under
 */
export function findHeldOpenTools(siblings: readonly TraceSpan[]): Map<string, string> {
  const adopted = new Map<string, string>();
  const tools = siblings.filter((span) => span.category === 'tool').sort((a, b) => a.startNs - b.startNs);
  if (tools.length === 0) return adopted;
  for (const llm of siblings) {
    if (llm.category !== 'llm' || llm.llm?.streaming === false || llm.llm?.aggregate) continue;
    const earliestStartNs = llm.startNs + Math.max(1, Math.round((llm.llm?.ttftMs ?? 0) * 1e6));
    let first = lowerBound(tools, earliestStartNs);
    const inside: TraceSpan[] = [];
    let lastEndNs = -Infinity;
    for (; first < tools.length && tools[first].startNs < llm.endNs; first++) {
      const tool = tools[first];
      if (tool.endNs > llm.endNs || adopted.has(tool.spanId)) continue;
      inside.push(tool);
      lastEndNs = Math.max(lastEndNs, tool.endNs);
    }
    if (inside.length === 0) continue;
    const toolsRunNs = lastEndNs - inside[0].startNs;
    const toleranceNs = Math.max(
      HELD_OPEN_TOLERANCE_NS,
      HELD_OPEN_TOLERANCE_SHARE * toolsRunNs,
      HELD_OPEN_TOLERANCE_LLM_SHARE * (llm.endNs - llm.startNs),
    );
    if (llm.endNs - lastEndNs > toleranceNs) continue;
    for (const tool of inside) adopted.set(tool.spanId, llm.spanId);
  }
  return adopted;
}

function lowerBound(sortedByStart: readonly TraceSpan[], startNs: number): number {
  let low = 0;
  let high = sortedByStart.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sortedByStart[middle].startNs < startNs) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Moves held-open sibling tools under the llm span they kept open, in a children-per-parent map
 * (the spans' stated parents are not touched). Analysis and what-if both schedule them so.
 * @returns whether any tool moved
 */
export function adoptHeldOpenTools(children: Map<string, TraceSpan[]>): boolean {
  let moved = false;
  for (const [parentId, siblings] of [...children.entries()]) {
    const adopted = findHeldOpenTools(siblings);
    if (adopted.size === 0) continue;
    moved = true;
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
  return moved;
}
