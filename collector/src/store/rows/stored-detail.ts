import type { Finding, SpanView, TraceDetail, TraceSummary } from '@threshold/core';

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
