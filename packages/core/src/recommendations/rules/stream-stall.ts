import type { Finding } from '../../api-types.js';
import type { TraceSpan } from '../../trace-span.js';
import type { ShortenEdit } from '../../what-if/trace-edit.js';
import { projectSaving } from '../../what-if/project-trace.js';
import type { RecommendationRule } from '../rule.js';
import { durationMsOf, formatMs, formatNumber, isLlmCall, isToolCall } from '../trace-calls.js';

interface Stall {
  span: TraceSpan;
  gapMs: number;
  /** The pause between its other chunks, on average: what the stall would have been without it. */
  usualGapMs: number;
}

/**
 * Stream stall. A streamed answer whose chunks stopped coming for `streamStallMs` or more after
 * the first: the user had started reading and saw the text freeze, which TTFT and TPOT (an
 * average) do not show.
 *
 *   chat (streamed)  |ttft|-.-.-.-.-.-|       pause        |-.-.-.-|
 *                               longest gap ≥ 1 s: reported
 *
 * Reported whenever such a pause happened, because it was felt whether or not the task waited on
 * the call; the saving is the wall time the task would gain if the pause had been as long as the
 * call's other gaps (the stream shortened by the difference, projected like every rule's, so 0
 * when another branch held the critical path). A pause a tool of the trace ran through is the
 * consumer running that tool mid-stream, not the model stalling: the tool rules speak for it.
 * Only recorders that timed every chunk can say any of this (see extract-stream-chunks.ts).
 */
export const streamStallRule: RecommendationRule = {
  id: 'stream-stall',
  title: 'Find what stalls the stream',
  why: 'A streamed answer that freezes mid-way for a second or more is felt like a slow start: the reader stops and waits.',
  evaluate(trace, context): Finding[] {
    const tools = trace.traceSpans.filter(isToolCall);
    const stalls: Stall[] = [];
    for (const span of trace.traceSpans) {
      const gapMs = span.llm?.maxChunkGapMs;
      if (!isLlmCall(span) || gapMs === undefined || gapMs < context.thresholds.streamStallMs) continue;
      if (filledByTool(span, gapMs, tools)) continue;
      stalls.push({ span, gapMs, usualGapMs: usualGapMs(span, gapMs) });
    }
    if (stalls.length === 0) return [];
    stalls.sort((a, b) => b.gapMs - a.gapMs);
    const edits: ShortenEdit[] = stalls.map(({ span, gapMs, usualGapMs }) => {
      const edit: ShortenEdit = {
        kind: 'shorten',
        spanId: span.spanId,
        durationMs: durationMsOf(span) - (gapMs - usualGapMs),
        maxChunkGapMs: usualGapMs,
      };
      if (span.llm!.ttftMs !== undefined) edit.ttftMs = span.llm!.ttftMs;
      return edit;
    });
    const savingMs = projectSaving(trace, edits, context.taskClassConfig).durationMs;
    const parts = stalls.map(describe);
    return [
      {
        ruleId: streamStallRule.id,
        title: streamStallRule.title,
        detail:
          `${parts.join('; ')}. A reader notices a pause over ${formatMs(context.thresholds.streamStallMs)}: look at provider load, ` +
          `a reasoning or tool-call block mid-answer, and a consumer that stops reading. ` +
          (savingMs > 0
            ? `At the usual pace the task would end ${formatMs(savingMs)} sooner.`
            : 'The task waited on other work meanwhile, so it would end no sooner.'),
        savingMs: Math.max(0, savingMs),
        evidenceSpanIds: stalls.map(({ span }) => span.spanId),
        edits,
      },
    ];
  },
};

/** (time after the first chunk − the longest pause) ÷ the other gaps; 0 when there is no other gap. */
function usualGapMs(span: TraceSpan, gapMs: number): number {
  const chunks = span.llm!.chunks;
  if (chunks === undefined || chunks < 3) return 0;
  const afterFirstMs = durationMsOf(span) - (span.llm!.ttftMs ?? 0) - (span.llm!.heldOpenMs ?? 0);
  return Math.max(0, Math.min(gapMs, (afterFirstMs - gapMs) / (chunks - 2)));
}

/**
 * Whether a tool ran through at least half of the pause. Without the pause's start, a call that
 * held tools open at all is given the benefit of the doubt.
 */
function filledByTool(span: TraceSpan, gapMs: number, tools: readonly TraceSpan[]): boolean {
  const startMs = span.llm!.maxChunkGapStartMs;
  if (startMs === undefined) return span.llm!.heldOpenMs !== undefined;
  const fromNs = span.startNs + Math.round(startMs * 1e6);
  const toNs = fromNs + Math.round(gapMs * 1e6);
  return tools.some((tool) => Math.min(tool.endNs, toNs) - Math.max(tool.startNs, fromNs) >= (toNs - fromNs) / 2);
}

function describe({ span, gapMs, usualGapMs }: Stall): string {
  const model = span.llm!.model ?? span.name;
  const at = span.llm!.maxChunkGapStartMs === undefined ? '' : `, ${formatMs(span.llm!.maxChunkGapStartMs)} into the call`;
  const chunks = span.llm!.chunks;
  const rhythm = chunks === undefined || chunks < 3 ? '' : ` (${formatNumber(chunks)} chunks, ${formatMs(usualGapMs)} apart otherwise)`;
  return `The stream from ${model} froze for ${formatMs(gapMs)}${at}${rhythm}`;
}
