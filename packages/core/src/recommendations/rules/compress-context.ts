import type { Finding } from '../../api-types.js';
import type { TraceEdit } from '../../what-if/trace-edit.js';
import { fitLine, type LinearFit } from '../linear-fit.js';
import { projectedFinding } from '../projected-finding.js';
import type { RecommendationRule } from '../rule.js';
import { observeTrace, type LlmCallObservation } from '../trace-observations.js';
import { durationMsOf, formatMs, formatNumber, isLlmCall } from '../trace-calls.js';

/**
 * Compress context. Across a session's turns the prompt grows (each turn resends the history)
 * and, when latency grows with it, each call pays for the whole history. Per model, the session's
 * calls up to this trace are fitted: latency (TTFT when every call has one — it is where input
 * length shows — else duration) against input tokens. When the fit is good and the context grew,
 * each of this trace's calls on that model is projected with `compressionRatio` of its input
 * removed: it saves slope × removed tokens, never more than its own latency.
 */
export const compressContextRule: RecommendationRule = {
  id: 'compress-context',
  title: 'Compress the conversation context',
  why: 'Sessions resend a growing history and latency grows with input tokens; summarising older turns cuts every later call.',
  evaluate(trace, context): Finding[] {
    const sessionId = trace.summary.sessionId;
    const session = sessionId === undefined ? undefined : context.sessions.get(sessionId);
    if (!session) return [];
    const own = observeTrace(trace).llmCalls;
    if (own.length === 0) return [];
    let lastOwnStartMs = -Infinity;
    for (const call of own) lastOwnStartMs = Math.max(lastOwnStartMs, call.startTimeMs);
    // Per model of this trace, its calls with input tokens: the session's other turns up to this
    // one, then this trace's own, gathered in one pass over the session (it may be long).
    const pointsByModel = new Map<string, LlmCallObservation[]>();
    for (const call of own) pointsByModel.set(call.model, []);
    const take = (call: LlmCallObservation): void => {
      if (call.inputTokens !== undefined) pointsByModel.get(call.model)?.push(call);
    };
    for (const call of session.llmCalls) if (call.traceId !== trace.traceId && call.startTimeMs <= lastOwnStartMs) take(call);
    for (const call of own) take(call);
    const { thresholds } = context;
    const ratio = thresholds.compressionRatio;
    const findings: Finding[] = [];
    for (const [model, points] of pointsByModel) {
      if (points.length < thresholds.minFitPoints || !spansTurns(points, thresholds.minFitTurns)) continue;
      let smallest = Infinity;
      let largest = -Infinity;
      for (const call of points) {
        smallest = Math.min(smallest, call.inputTokens!);
        largest = Math.max(largest, call.inputTokens!);
      }
      if (largest < Math.max(smallest, 1) * thresholds.minContextGrowth) continue;
      const onTtft = points.every((call) => call.ttftMs !== undefined);
      const fit = fitLine(
        points,
        (call) => call.inputTokens!,
        (call) => latencyOf(call, onTtft),
      );
      if (!fit || fit.slope <= 0 || fit.r2 < thresholds.minFitR2) continue;
      const edits: TraceEdit[] = [];
      const evidence: string[] = [];
      for (const span of trace.traceSpans) {
        if (!isLlmCall(span) || span.llm!.model !== model || span.llm!.inputTokens === undefined) continue;
        const latencyMs = onTtft ? (span.llm!.ttftMs ?? durationMsOf(span)) : durationMsOf(span);
        const reductionMs = Math.min(fit.slope * span.llm!.inputTokens * ratio, latencyMs);
        const edit: TraceEdit = {
          kind: 'shorten',
          spanId: span.spanId,
          durationMs: durationMsOf(span) - reductionMs,
          inputTokens: Math.round(span.llm!.inputTokens * (1 - ratio)),
        };
        if (span.llm!.ttftMs !== undefined) edit.ttftMs = Math.max(0, span.llm!.ttftMs - reductionMs);
        edits.push(edit);
        evidence.push(span.spanId);
      }
      const finding = projectedFinding(trace, context, {
        ruleId: compressContextRule.id,
        title: compressContextRule.title,
        evidenceSpanIds: evidence,
        edits,
        detail: (savingMs) => describe(model, smallest, largest, points, fit, onTtft, ratio, savingMs),
      });
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

/** True when the calls come from at least `turns` traces (stops counting once they do). */
function spansTurns(calls: readonly LlmCallObservation[], turns: number): boolean {
  const seen = new Set<string>();
  for (const call of calls) {
    seen.add(call.traceId);
    if (seen.size >= turns) return true;
  }
  return seen.size >= turns;
}

function latencyOf(call: LlmCallObservation, onTtft: boolean): number {
  return onTtft ? call.ttftMs! : call.durationMs;
}

function describe(
  model: string,
  smallest: number,
  largest: number,
  points: LlmCallObservation[],
  fit: LinearFit,
  onTtft: boolean,
  ratio: number,
  savingMs: number,
): string {
  const turns = new Set(points.map((call) => call.traceId)).size;
  const perThousand = fit.slope * 1000;
  return (
    `Input tokens to ${model} grew from ${formatNumber(smallest)} to ${formatNumber(largest)} over ${turns} turns of this session, ` +
    `and ${onTtft ? 'TTFT' : 'call duration'} grew with them: ${formatMs(perThousand)} per 1,000 input tokens (R² ${fit.r2.toFixed(2)}, ${fit.points} calls). ` +
    `Removing ${Math.round(ratio * 100)} % of the context (summarising older turns) would save ${formatMs(savingMs)} on this turn.`
  );
}
