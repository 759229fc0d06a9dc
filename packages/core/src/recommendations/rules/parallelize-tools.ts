import { START_TRUNCATION_TOLERANCE_NS } from '../../analysis/start-truncation.js';
import type { Finding } from '../../api-types.js';
import type { TraceSpan } from '../../trace-span.js';
import { projectedFinding } from '../projected-finding.js';
import type { RecommendationRule } from '../rule.js';
import { indexSiblings } from '../sibling-order.js';
import { durationMsOf, formatMs, isToolCall } from '../trace-calls.js';

/**
 * Parallelize tools. Sibling tool calls that ran one after another with no llm call between
 * them (so no model looked at one result before the next call was made) could have been started
 * together:
 *
 *     search |====|                       search |====|
 *     fetch       |====|          →        fetch |====|
 *     lookup           |====|             lookup |====|
 *
 * A run saves sum − longest when it is on the critical path (projected, so partly-critical runs
 * save what the task would actually gain). A repeat of an earlier call with the same arguments
 * belongs to cache-tool-results and is left out of the run.
 */
export const parallelizeToolsRule: RecommendationRule = {
  id: 'parallelize-tools',
  title: 'Run independent tool calls in parallel',
  why: 'Independent tool calls run one after another with no llm call between them; started together they take as long as the longest.',
  evaluate(trace, context): Finding[] {
    const siblings = indexSiblings(trace.traceSpans);
    const withLlm = spansContainingLlm(trace.traceSpans);
    const parents = new Set(trace.traceSpans.map((span) => span.parentSpanId));
    const findings: Finding[] = [];
    for (const parent of parents) {
      for (const run of sequentialRuns(siblings.childrenOf(parent), withLlm)) {
        const durations = run.map(durationMsOf);
        const names = run.map((span) => span.tool!.name);
        const finding = projectedFinding(trace, context, {
          ruleId: parallelizeToolsRule.id,
          title: parallelizeToolsRule.title,
          evidenceSpanIds: run.map((span) => span.spanId),
          edits: [{ kind: 'start-with', anchorSpanId: run[0].spanId, spanIds: run.slice(1).map((span) => span.spanId) }],
          detail: (savingMs) =>
            `${run.length} tool calls (${names.join(', ')}) ran one after another with no llm call between them: ` +
            `${formatMs(durations.reduce((a, b) => a + b, 0))} in sequence, ${formatMs(Math.max(...durations))} for the longest. ` +
            `If they do not depend on each other, starting them together saves ${formatMs(savingMs)}.`,
        });
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};

/** Maximal runs (≥ 2) of tool siblings, each starting after the previous one ended (within the start-truncation tolerance), with no llm work between. */
function sequentialRuns(children: readonly TraceSpan[], withLlm: ReadonlySet<string>): TraceSpan[][] {
  const runs: TraceSpan[][] = [];
  let run: TraceSpan[] = [];
  let calls = new Set<string>();
  const close = () => {
    if (run.length >= 2) runs.push(run);
    run = [];
    calls = new Set();
  };
  for (const child of children) {
    if (withLlm.has(child.spanId)) {
      close();
      continue;
    }
    if (!isToolCall(child)) continue;
    const call = callKey(child);
    if (call !== undefined && calls.has(call)) continue;
    const last = run[run.length - 1];
    // Overlap within the start-truncation tolerance is still one after the other.
    if (last && child.startNs + START_TRUNCATION_TOLERANCE_NS < last.endNs) close();
    run.push(child);
    if (call !== undefined) calls.add(call);
  }
  close();
  return runs;
}

/** Same tool, same arguments: a repeat of the call, not another call. */
function callKey(span: TraceSpan): string | undefined {
  return span.tool!.argsHash === undefined ? undefined : `${span.tool!.name}\u0000${span.tool!.argsHash}`;
}

/** Ids of llm spans and of every span with an llm span below it. */
function spansContainingLlm(spans: readonly TraceSpan[]): Set<string> {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const result = new Set<string>();
  for (const span of spans) {
    if (span.category !== 'llm') continue;
    let current: TraceSpan | undefined = span;
    while (current && !result.has(current.spanId)) {
      result.add(current.spanId);
      current = current.parentSpanId === undefined ? undefined : byId.get(current.parentSpanId);
    }
  }
  return result;
}
