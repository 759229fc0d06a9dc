import type { TraceSpan } from '../trace-span.js';
import { isLlmCall } from './count-calls.js';

/**
 * When the user first saw output, as ns after the task window's start (docs/DESIGN.md):
 * an explicit `threshold.first_output` event on the task span; else, when the last llm call on
 * the critical path streamed with a known TTFT, its start plus its TTFT; else the whole duration.
 * "Llm call" as everywhere else (`isLlmCall`): not a wrapper, not a stream-chunk span inside one.
 * Always within [0, duration].
 */
export function perceivedLatencyNs(
  root: TraceSpan,
  criticalSpans: readonly TraceSpan[],
  windowStartNs: number,
  windowEndNs: number,
): number {
  const durationNs = windowEndNs - windowStartNs;
  const clamp = (ns: number): number => Math.min(durationNs, Math.max(0, ns));
  if (root.firstOutputNs !== undefined) return clamp(root.firstOutputNs - windowStartNs);
  const lastLlm = answeringLlmCall(criticalSpans);
  if (lastLlm?.llm?.streaming === true && lastLlm.llm.ttftMs !== undefined) {
    return clamp(lastLlm.startNs - windowStartNs + Math.round(lastLlm.llm.ttftMs * 1e6));
  }
  return durationNs;
}

/**
 * The call perceived latency is measured against: the last-starting llm call (`isLlmCall`) among
 * the critical spans given, the longer one on a tie. Stream-answer proposes streaming this one.
 */
export function answeringLlmCall(criticalSpans: Iterable<TraceSpan>): TraceSpan | undefined {
  let last: TraceSpan | undefined;
  for (const span of criticalSpans) {
    if (!isLlmCall(span)) continue;
    if (last === undefined || span.startNs > last.startNs || (span.startNs === last.startNs && span.endNs > last.endNs)) last = span;
  }
  return last;
}
