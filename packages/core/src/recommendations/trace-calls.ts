import type { TraceAnalysis } from '../analysis-types.js';
import type { TraceSpan } from '../trace-span.js';

/** The calls of a trace the rules reason about: one definition of an llm call, analysis's own. */
export { isLlmCall } from '../analysis/count-calls.js';

export function isToolCall(span: TraceSpan): boolean {
  return span.category === 'tool' && span.tool !== undefined;
}

export function durationMsOf(span: TraceSpan): number {
  return (span.endNs - span.startNs) / 1e6;
}

/** Epoch ms at which a span of the trace started. */
export function spanStartTimeMs(trace: TraceAnalysis, span: TraceSpan): number {
  return Number(trace.traceStartUnixNano / 1000n) / 1000 + span.startNs / 1e6;
}

/** The spans on the critical path, as a set of ids. */
export function criticalSpanIds(trace: TraceAnalysis): ReadonlySet<string> {
  return new Set(trace.criticalPath);
}

/** Median of unsorted values; undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A short human figure for details: "1,240 ms", "38.5 ms". */
export function formatMs(ms: number): string {
  return `${formatNumber(ms >= 100 ? Math.round(ms) : Math.round(ms * 10) / 10)} ms`;
}

/** Thousands with commas ("12,500"); toLocaleString would do it at a hundred times the cost. */
export function formatNumber(value: number): string {
  const [whole, fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
