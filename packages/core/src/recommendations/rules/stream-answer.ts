import type { Finding } from '../../api-types.js';
import type { TraceSpan } from '../../trace-span.js';
import { projectedFinding } from '../projected-finding.js';
import type { RecommendationRule } from '../rule.js';
import type { RuleContext } from '../rule-context.js';
import { answeringLlmCall } from '../../analysis/perceived-latency.js';
import { criticalSpanIds, durationMsOf, formatMs } from '../trace-calls.js';

/**
 * Stream the answer. The user sees nothing until the answering llm call (the last one on the
 * critical path, the one perceived latency is measured against) returns; streamed, they would
 * see its first token after its TTFT. The TTFT is the call's own when it has one, else the
 * median its model shows when it does stream, else `defaultTtftMs`. The saving is on perceived
 * latency (`perceived: true`): the task takes as long as before.
 */
export const streamAnswerRule: RecommendationRule = {
  id: 'stream-answer',
  title: 'Stream the answer',
  why: 'Users see nothing until a non-streamed answer is complete; streamed, they see it after the model’s time to first token.',
  evaluate(trace, context): Finding[] {
    const critical = criticalSpanIds(trace);
    const answer = answeringLlmCall(trace.traceSpans.filter((span) => critical.has(span.spanId)));
    if (!answer || answer.llm!.streaming === true) return [];
    const purpose = answer.llm!.purpose;
    if (purpose !== undefined && context.thresholds.internalPurposes.includes(purpose)) return [];
    const { ttftMs, source } = expectedTtft(answer, context);
    const model = answer.llm!.model ?? 'the model';
    const durationMs = durationMsOf(answer);
    const finding = projectedFinding(trace, context, {
      ruleId: streamAnswerRule.id,
      title: streamAnswerRule.title,
      evidenceSpanIds: [answer.spanId],
      edits: [{ kind: 'stream', spanId: answer.spanId, ttftMs }],
      perceived: true,
      detail: (savingMs) =>
        `The answer from ${model} (${formatMs(durationMs)}) is not streamed, so the user waits for all of it. ` +
        `Streamed, its first token would show after ~${formatMs(ttftMs)} (${source}): ${formatMs(savingMs)} sooner.`,
    });
    return finding ? [finding] : [];
  },
};

function expectedTtft(span: TraceSpan, context: RuleContext): { ttftMs: number; source: string } {
  if (span.llm!.ttftMs !== undefined) return { ttftMs: span.llm!.ttftMs, source: 'its measured TTFT' };
  const model = span.llm!.model;
  const observed = model === undefined ? undefined : context.modelTtftMs(model);
  if (observed !== undefined) return { ttftMs: observed.medianMs, source: `median TTFT of ${model} over ${observed.calls} streamed calls` };
  return { ttftMs: context.thresholds.defaultTtftMs, source: 'a typical TTFT; this model was never seen streaming' };
}
