import type { Finding } from '../../api-types.js';
import type { TraceSpan } from '../../trace-span.js';
import { projectedFinding } from '../projected-finding.js';
import type { RecommendationRule } from '../rule.js';
import type { RuleContext } from '../rule-context.js';
import type { LlmCallObservation } from '../trace-observations.js';
import { durationMsOf, formatMs, isLlmCall, median } from '../trace-calls.js';

/**
 * Route by complexity. A call with a simple purpose (intent, classification, safety, formatting…)
 * or a short output, made on a model that is markedly slower than another model in the same data
 * at similar token counts. The saving is the observed difference of the two models' median
 * latencies at those token counts (applied to this call, then projected onto the trace).
 */
export const routeModelRule: RecommendationRule = {
  id: 'route-model',
  title: 'Route simple calls to a faster model',
  why: 'Simple calls (intent, classification, safety, formatting, short outputs) run on a model markedly slower than another the same data shows serving similar calls.',
  evaluate(trace, context): Finding[] {
    const findings: Finding[] = [];
    for (const span of trace.traceSpans) {
      if (!isLlmCall(span) || span.llm!.model === undefined || !isSimpleCall(span, context)) continue;
      const route = fasterModel(span, context);
      if (!route) continue;
      const durationMs = durationMsOf(span);
      const newDurationMs = Math.max(0, durationMs - (route.ownMedianMs - route.medianMs));
      const edit = {
        kind: 'shorten' as const,
        spanId: span.spanId,
        durationMs: newDurationMs,
        model: route.model,
        ...(route.medianTtftMs !== undefined ? { ttftMs: route.medianTtftMs } : {}),
      };
      const why = span.llm!.purpose !== undefined ? `purpose ${span.llm!.purpose}` : `${span.llm!.outputTokens} output tokens`;
      const finding = projectedFinding(trace, context, {
        ruleId: routeModelRule.id,
        title: routeModelRule.title,
        evidenceSpanIds: [span.spanId],
        edits: [edit],
        detail: (savingMs) =>
          `${span.name} (${why}) runs on ${span.llm!.model}, which takes a median ${formatMs(route.ownMedianMs)} for calls like it; ` +
          `${route.model} takes ${formatMs(route.medianMs)} at similar token counts (${route.samples} calls). Routing it there saves ${formatMs(savingMs)}.`,
      });
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function isSimpleCall(span: TraceSpan, context: RuleContext): boolean {
  const { purpose, outputTokens } = span.llm!;
  if (purpose !== undefined && context.thresholds.simplePurposes.includes(purpose)) return true;
  return outputTokens !== undefined && outputTokens <= context.thresholds.shortOutputTokens;
}

interface Route {
  model: string;
  medianMs: number;
  medianTtftMs?: number;
  ownMedianMs: number;
  samples: number;
}

/**
 * Calls of a model compared: its most recent ones, which reflect how it serves now (and keep
 * the comparison's cost independent of how much history the collector holds).
 */
const RECENT_CALLS_PER_MODEL = 2_000;

/** The fastest other model at similar token counts, when it is fast enough to be worth routing to. */
function fasterModel(span: TraceSpan, context: RuleContext): Route | undefined {
  const { minSamples, maxRoutedLatencyFraction } = context.thresholds;
  const own = similarCalls(context.modelCalls.get(span.llm!.model!) ?? [], span, context);
  if (!own.some((call) => call.spanId === span.spanId)) own.push(asObservation(span));
  if (own.length < minSamples) return undefined;
  const ownMedianMs = median(own.map((call) => call.durationMs))!;
  let best: Route | undefined;
  for (const [model, calls] of context.modelCalls) {
    if (model === span.llm!.model) continue;
    const similar = similarCalls(calls, span, context);
    if (similar.length < minSamples) continue;
    const medianMs = median(similar.map((call) => call.durationMs))!;
    if (medianMs > ownMedianMs * maxRoutedLatencyFraction || (best && medianMs >= best.medianMs)) continue;
    best = { model, medianMs, ownMedianMs, samples: similar.length };
    const ttfts = similar.filter((call) => call.ttftMs !== undefined).map((call) => call.ttftMs!);
    if (ttfts.length > 0) best.medianTtftMs = median(ttfts);
  }
  return best;
}

/**
 * Calls comparable to `span`: output tokens (and input tokens, when both sides know them) within
 * `similarTokenFactor` either way; without output tokens, calls made for the same purpose.
 */
function similarCalls(allCalls: readonly LlmCallObservation[], span: TraceSpan, context: RuleContext): LlmCallObservation[] {
  const calls = allCalls.length > RECENT_CALLS_PER_MODEL ? allCalls.slice(-RECENT_CALLS_PER_MODEL) : allCalls;
  const factor = context.thresholds.similarTokenFactor;
  const { outputTokens, inputTokens, purpose } = span.llm!;
  const near = (a: number, b: number) => Math.max(a, 1) <= Math.max(b, 1) * factor && Math.max(b, 1) <= Math.max(a, 1) * factor;
  return calls.filter((call) => {
    if (outputTokens === undefined) return purpose !== undefined && call.purpose === purpose;
    if (call.outputTokens === undefined || !near(call.outputTokens, outputTokens)) return false;
    return inputTokens === undefined || call.inputTokens === undefined || near(call.inputTokens, inputTokens);
  });
}

function asObservation(span: TraceSpan): LlmCallObservation {
  return { traceId: '', spanId: span.spanId, model: span.llm!.model!, startTimeMs: 0, durationMs: durationMsOf(span) };
}
