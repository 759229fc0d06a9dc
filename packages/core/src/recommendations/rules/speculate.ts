import type { Finding } from '../../api-types.js';
import type { TraceSpan } from '../../trace-span.js';
import type { RecommendationRule } from '../rule.js';
import { projectedFinding } from '../projected-finding.js';
import { indexSiblings } from '../sibling-order.js';
import { llmStepName, stepFollowKey } from '../trace-observations.js';
import { durationMsOf, formatMs, isLlmCall, isToolCall } from '../trace-calls.js';

interface PredictablePair {
  llm: TraceSpan;
  tool: TraceSpan;
  step: string;
  share: number;
}

/**
 * The pairs grouped by (llm step, tool), in order of first appearance: a research trace that
 * fetches a page after each of twenty summarize calls is one clause with a count, not twenty.
 */
function groupByStepAndTool(pairs: readonly PredictablePair[]): PredictablePair[][] {
  const groups = new Map<string, PredictablePair[]>();
  for (const pair of pairs) {
    const key = stepFollowKey(pair.step, pair.tool.tool!.name);
    const group = groups.get(key);
    if (group) group.push(pair);
    else groups.set(key, [pair]);
  }
  return [...groups.values()];
}

/**
 * Speculate. When a tool runs right after the same llm step in at least `speculateMinShare` of a
 * task's traces, the agent can start it while that llm call runs instead of waiting for the
 * model to ask for it:
 *
 *     llm  |=========|                  llm  |=========|
 *     tool           |====|     →       tool |====|
 *     next                |===|         next           |===|
 *
 * Saving = min(tool, llm call) per such tool when both are on the critical path (projected; one
 * finding per trace with every predictable tool, projected together; the detail has one clause per
 * step and tool, with a count when the pair repeats). Needs
 * `speculateMinTraces` traces of the task before a step counts as predictable.
 */
export const speculateRule: RecommendationRule = {
  id: 'speculate',
  title: 'Start predictable tools speculatively',
  why: 'A tool almost always follows the same llm step; starting it while that call runs hides the shorter of the two.',
  evaluate(trace, context): Finding[] {
    const history = context.taskSteps.get(trace.summary.name);
    // Counted with this trace whether or not the index has seen it yet.
    const traces = (history?.traceIds.size ?? 0) + (history?.traceIds.has(trace.traceId) ? 0 : 1);
    if (traces < context.thresholds.speculateMinTraces) return [];
    const siblings = indexSiblings(trace.traceSpans);
    const pairs: PredictablePair[] = [];
    for (const tool of trace.traceSpans) {
      if (!isToolCall(tool)) continue;
      const llm = siblings.predecessorOf(tool);
      if (!llm || !isLlmCall(llm)) continue;
      const step = llmStepName(llm);
      const followed = history?.follows.get(stepFollowKey(step, tool.tool!.name));
      const share = ((followed?.size ?? 0) + (followed?.has(trace.traceId) ? 0 : 1)) / traces;
      if (share >= context.thresholds.speculateMinShare) pairs.push({ llm, tool, step, share });
    }
    if (pairs.length === 0) return [];
    const parts = groupByStepAndTool(pairs).map((group) => {
      const { tool, step, share } = group[0];
      const cause = `${tool.tool!.name} runs right after the ${step} step in ${Math.round(share * 100)} % of ${traces} ${trace.summary.name} traces`;
      if (group.length === 1) return `${cause} (${formatMs(durationMsOf(tool))}, after a ${formatMs(durationMsOf(group[0].llm))} call)`;
      const toolMs = group.reduce((sum, pair) => sum + durationMsOf(pair.tool), 0);
      const llmMs = group.reduce((sum, pair) => sum + durationMsOf(pair.llm), 0);
      return `${cause} (${group.length} times in this trace: ${formatMs(toolMs)} of tool calls, after ${formatMs(llmMs)} of llm calls)`;
    });
    const finding = projectedFinding(trace, context, {
      ruleId: speculateRule.id,
      title: speculateRule.title,
      evidenceSpanIds: pairs.flatMap(({ llm, tool }) => [llm.spanId, tool.spanId]),
      edits: pairs.map(({ llm, tool }) => ({ kind: 'start-with' as const, anchorSpanId: llm.spanId, spanIds: [tool.spanId] })),
      detail: (savingMs) =>
        `${parts.join('; ')}. Starting ${pairs.length === 1 ? 'it' : 'each'} while the llm call before it runs saves ${formatMs(savingMs)}.`,
    });
    return finding ? [finding] : [];
  },
};
