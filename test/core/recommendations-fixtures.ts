import { type SpanCategory, type TraceAnalysis, type TraceSpan } from '@threshold/core';
import { analyseTrace } from '../../packages/core/src/analysis/analyse-trace.js';
import { type LlmInfo, type ToolInfo } from '../../packages/core/src/trace-span.js';

/**
 * Builders for the hand-drawn traces the recommendation and what-if suites use. Times are given
 * in ms (the drawings' unit) and stored as the integer ns offsets TraceSpan carries.
 */
export interface SpanSketch {
  parent?: string;
  category?: SpanCategory;
  name?: string;
  llm?: LlmInfo;
  tool?: ToolInfo;
  firstOutputMs?: number;
  state?: TraceSpan['state'];
  orchestration?: TraceSpan['orchestration'];
  task?: TraceSpan['task'];
}

export function sketch(spanId: string, startMs: number, endMs: number, details: SpanSketch = {}): TraceSpan {
  const category = details.category ?? (details.llm ? 'llm' : details.tool ? 'tool' : details.parent ? 'other' : 'task');
  const span: TraceSpan = {
    spanId,
    name: details.name ?? spanId,
    service: 'agent',
    category,
    classifier: 'threshold',
    startNs: Math.round(startMs * 1e6),
    endNs: Math.round(endMs * 1e6),
    status: 'ok',
    attributes: {},
  };
  if (details.parent !== undefined) span.parentSpanId = details.parent;
  if (details.llm) span.llm = details.llm;
  if (details.tool) span.tool = details.tool;
  if (details.state) span.state = details.state;
  if (details.orchestration) span.orchestration = details.orchestration;
  if (details.task) span.task = details.task;
  if (details.firstOutputMs !== undefined) span.firstOutputNs = Math.round(details.firstOutputMs * 1e6);
  return span;
}

/** `[spanId, startMs, endMs]` of each span, in input order: what the timing assertions compare. */
export function timings(spans: readonly TraceSpan[]): Array<[string, number, number]> {
  return spans.map((span) => [span.spanId, span.startNs / 1e6, span.endNs / 1e6]);
}

/** Analyses sketched spans the way the collector analyses a trace. */
export function analysed(spans: TraceSpan[], options: { traceId?: string; startTimeMs?: number } = {}): TraceAnalysis {
  return analyseTrace({
    spans,
    traceStartUnixNano: BigInt(options.startTimeMs ?? 1_700_000_000_000) * 1_000_000n,
    traceId: options.traceId ?? 'trace',
  });
}
