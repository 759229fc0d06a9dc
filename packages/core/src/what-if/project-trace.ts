import type { TraceAnalysis } from '../analysis-types.js';
import { analyseTrace } from '../analysis/analyse-trace.js';
import { DEFAULT_TASK_CLASS_CONFIG, type TaskClassConfig } from '../task-class.js';
import { applyEdits } from './apply-edits.js';
import type { TraceEdit } from './trace-edit.js';

/**
 * A trace as it would have run with the edits applied: the spans are shifted by `applyEdits`,
 * then analysed again by the very code that analysed the original, so the projected duration,
 * breakdown, critical path, perceived latency and band mean exactly what the originals mean.
 *
 * @param config the task-class configuration the original was analysed with
 */
export function projectTrace(
  trace: TraceAnalysis,
  edits: readonly TraceEdit[],
  config: TaskClassConfig = DEFAULT_TASK_CLASS_CONFIG,
): TraceAnalysis {
  const spans = applyEdits(trace.traceSpans, edits);
  return analyseTrace({ spans, traceStartUnixNano: trace.traceStartUnixNano, traceId: trace.traceId }, config);
}

export interface ProjectedSaving {
  /** Wall-time saving: task duration before − after. */
  durationMs: number;
  /** Perceived-latency saving: perceived before − after. */
  perceivedMs: number;
  after: TraceAnalysis;
}

/**
 * What the edits would save on this trace. Because the saving is measured on the re-analysed
 * trace, time saved off the critical path (a parallel branch that was not the one the task
 * waited for) counts as nothing, and time saved on it counts only as far as the next-longest
 * branch lets the task end earlier.
 */
export function projectSaving(trace: TraceAnalysis, edits: readonly TraceEdit[], config?: TaskClassConfig): ProjectedSaving {
  const after = projectTrace(trace, edits, config);
  return {
    durationMs: roundToNs(trace.summary.durationMs - after.summary.durationMs),
    perceivedMs: roundToNs(trace.summary.perceivedMs - after.summary.perceivedMs),
    after,
  };
}

function roundToNs(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}
