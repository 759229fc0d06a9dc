import type { Finding, SpanView, TraceDetail, TraceSummary } from '@threshold/core';
import type { AnalysedTrace } from '../analysis-store.js';

/** What a trace row's `detail` holds in both engines: the parts of the analysis the detail view shows. */
export interface StoredDetail {
  spans: SpanView[];
  findings: Finding[];
  warnings: string[];
}

/** `GET /api/traces/:id`: the trace's summary columns and its stored detail. */
export function traceDetailFromStored(summary: TraceSummary, detail: StoredDetail): TraceDetail {
  return { summary, spans: detail.spans, findings: detail.findings };
}

/**
 * The JSON of a trace's stored detail (`{ spans, findings, warnings }`: what the detail view
 * shows), as both engines store it. When an analysis thread already rendered the span views
 * (`spansJson`), they are put in as they are: the same text `JSON.stringify` gives for the whole.
 */
export function storedDetailJson(trace: AnalysedTrace): string {
  const spans = trace.spansJson ?? JSON.stringify(trace.analysis.spans);
  return `{"spans":${spans},"findings":${JSON.stringify(trace.findings)},"warnings":${JSON.stringify(trace.analysis.warnings)}}`;
}
