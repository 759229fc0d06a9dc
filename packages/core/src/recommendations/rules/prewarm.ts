import type { Finding } from '../../api-types.js';
import type { TraceSpan } from '../../trace-span.js';
import type { TraceEdit } from '../../what-if/trace-edit.js';
import { projectedFinding } from '../projected-finding.js';
import type { RecommendationRule } from '../rule.js';
import type { RuleContext } from '../rule-context.js';
import { observeTrace, type ToolCallObservation } from '../trace-observations.js';
import type { TraceAnalysis } from '../../analysis-types.js';
import { durationMsOf, formatMs, isToolCall, median } from '../trace-calls.js';

/**
 * Pre-warm. A tool call that paid a start-up cost — flagged `cold_start`, or the session's first
 * call of a tool taking `coldStartFactor` times the median of its later calls — would take its
 * warm time if the sandbox, connection or process were started before it was needed. Saving =
 * cold − warm, with warm the tool's median warm duration (projected onto the trace).
 */
export const prewarmRule: RecommendationRule = {
  id: 'prewarm',
  title: 'Pre-warm cold tools',
  why: 'Tools pay a start-up cost on their first call; starting them ahead of need leaves only their warm time.',
  evaluate(trace, context): Finding[] {
    const cold: Array<{ span: TraceSpan; warmMs: number; flagged: boolean }> = [];
    const firstCalls = sessionFirstCallWarmth(trace, context);
    for (const span of trace.traceSpans) {
      if (!isToolCall(span)) continue;
      const durationMs = durationMsOf(span);
      if (span.tool!.coldStart === true) {
        const warmMs = context.warmToolMs(span.tool!.name) ?? warmInTrace(trace, span.tool!.name);
        if (warmMs !== undefined && warmMs < durationMs) cold.push({ span, warmMs, flagged: true });
        continue;
      }
      const warmMs = firstCalls.get(span.spanId);
      if (warmMs !== undefined && durationMs >= warmMs * context.thresholds.coldStartFactor) cold.push({ span, warmMs, flagged: false });
    }
    if (cold.length === 0) return [];
    const edits: TraceEdit[] = cold.map(({ span, warmMs }) => ({ kind: 'shorten', spanId: span.spanId, durationMs: warmMs }));
    const parts = cold.map(
      ({ span, warmMs, flagged }) =>
        `${span.tool!.name} took ${formatMs(durationMsOf(span))} ${flagged ? 'on a cold start' : 'as the session’s first call'} against ${formatMs(warmMs)} warm`,
    );
    const finding = projectedFinding(trace, context, {
      ruleId: prewarmRule.id,
      title: prewarmRule.title,
      evidenceSpanIds: cold.map(({ span }) => span.spanId),
      edits,
      detail: (savingMs) => `${parts.join('; ')}. Starting ${cold.length === 1 ? 'it' : 'them'} ahead of need saves ${formatMs(savingMs)}.`,
    });
    return finding ? [finding] : [];
  },
};

/**
 * For each tool call of this trace that is its session's first call of that tool, the median of
 * the session's later warm calls (when there are at least `minWarmCalls`). The first call comes
 * from the session's `firstToolCalls` (kept however long the session), compared with this
 * trace's own calls: a stored call of another trace wins an equal start. Warm calls are read
 * from the session's recent calls, so the cost is bounded however long the session runs.
 */
function sessionFirstCallWarmth(trace: TraceAnalysis, context: RuleContext): Map<string, number> {
  const result = new Map<string, number>();
  const sessionId = trace.summary.sessionId;
  const session = sessionId === undefined ? undefined : context.sessions.get(sessionId);
  if (!session) return result;
  const own = observeTrace(trace).toolCalls;
  const ownFirst = new Map<string, ToolCallObservation>();
  for (const call of own) {
    const first = ownFirst.get(call.name);
    if (!first || call.startTimeMs < first.startTimeMs) ownFirst.set(call.name, call);
  }
  for (const [name, first] of ownFirst) {
    const stored = session.firstToolCalls.get(name);
    // A stored first of this very trace means this trace was indexed: its own earliest call is first.
    if (stored !== undefined && stored.traceId !== trace.traceId && stored.startTimeMs <= first.startTimeMs) continue;
    const warm: number[] = [];
    const visit = (call: ToolCallObservation): void => {
      if (call.name === name && call !== first && call.coldStart !== true && call.cacheHit !== true) warm.push(call.durationMs);
    };
    for (const call of session.toolCalls) if (call.traceId !== trace.traceId) visit(call);
    for (const call of own) visit(call);
    if (warm.length >= context.thresholds.minWarmCalls) result.set(first.spanId, median(warm)!);
  }
  return result;
}

function warmInTrace(trace: TraceAnalysis, name: string): number | undefined {
  return median(
    trace.traceSpans
      .filter((span) => isToolCall(span) && span.tool!.name === name && span.tool!.coldStart !== true && span.tool!.cacheHit !== true)
      .map(durationMsOf),
  );
}
