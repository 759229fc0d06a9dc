import type { Finding } from '../../api-types.js';
import type { RecommendationRule } from '../rule.js';
import { projectedFinding } from '../projected-finding.js';
import { indexSiblings } from '../sibling-order.js';
import { llmStepName, stepFollowKey } from '../trace-observations.js';
import { durationMsOf, formatMs, isLlmCall, isToolCall } from '../trace-calls.js';

/**
 * Speculate. When a tool runs right after the same llm step in at least `speculateMinShare` of a
 * task's traces, the agent can start it while that llm call runs instead of waiting for the
 * model to ask for it:
 *
 *     llm  |=========|                  llm  |=========|
 *     tool           |====|     →       tool |====|
 *     next                |===|         next           |===|
 *
 * Saving = min(tool, llm call) when both are on the critical path (projected). Needs
 * `speculateMinTraces` traces of the task before a step counts as predictable.
 */
export const speculateRule: RecommendationRule = {
  id: 'speculate',
  title: 'Start predictable tools speculatively',
  why: 'A tool almost always follows the same llm step; starting it while that call runs hides the shorter of the two.',
  evaluate(trace, context): Finding[] {
    const history = context.taskSteps.get(trace.summary.name);
    const traceIds = new Set(history?.traceIds ?? []);
    traceIds.add(trace.traceId);
    if (traceIds.size < context.thresholds.speculateMinTraces) return [];
    const siblings = indexSiblings(trace.traceSpans);
    const findings: Finding[] = [];
    for (const tool of trace.traceSpans) {
      if (!isToolCall(tool)) continue;
      const llm = siblings.predecessorOf(tool);
      if (!llm || !isLlmCall(llm)) continue;
      const step = llmStepName(llm);
      const following = new Set(history?.follows.get(stepFollowKey(step, tool.tool!.name)) ?? []);
      following.add(trace.traceId);
      const share = following.size / traceIds.size;
      if (share < context.thresholds.speculateMinShare) continue;
      const finding = projectedFinding(trace, context, {
        ruleId: this.id,
        title: this.title,
        evidenceSpanIds: [llm.spanId, tool.spanId],
        edits: [{ kind: 'start-with', anchorSpanId: llm.spanId, spanIds: [tool.spanId] }],
        detail: (savingMs) =>
          `${tool.tool!.name} runs right after the ${step} step in ${Math.round(share * 100)} % of ${traceIds.size} ${trace.summary.name} traces. ` +
          `Starting it while the ${step} call runs (${formatMs(durationMsOf(llm))}) instead of after it (${formatMs(durationMsOf(tool))}) saves ${formatMs(savingMs)}.`,
      });
      if (finding) findings.push(finding);
    }
    return findings;
  },
};
