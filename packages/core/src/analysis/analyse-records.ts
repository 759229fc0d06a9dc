import type { TraceAnalysis } from '../analysis-types.js';
import type { SpanRecord } from '../span-record.js';
import { DEFAULT_TASK_CLASS_CONFIG, type TaskClassConfig } from '../task-class.js';
import { analyseTrace } from './analyse-trace.js';
import { buildTraceSpans } from './build-trace-spans.js';

/**
 * One completed trace's decoded spans → its analysis: normalise (repair, classify, extract),
 * then analyse. What the collector calls per trace. Never throws.
 */
export function analyseRecords(records: SpanRecord[], config: TaskClassConfig = DEFAULT_TASK_CLASS_CONFIG): TraceAnalysis {
  const built = buildTraceSpans(records, config.mapping);
  const traceId = records[0]?.traceId ?? '';
  return analyseTrace({ spans: built.spans, traceStartUnixNano: built.traceStartUnixNano, warnings: built.warnings, traceId }, config);
}
