import type { AnalysedTrace } from './analysis-store.js';

/**
 * The JSON of a trace's stored detail (`{ spans, findings, warnings }`: what the detail view
 * shows), as both engines store it. When an analysis thread already rendered the span views
 * (`spansJson`), they are put in as they are: the same text `JSON.stringify` gives for the whole.
 */
export function storedDetailJson(trace: AnalysedTrace): string {
  const spans = trace.spansJson ?? JSON.stringify(trace.analysis.spans);
  return `{"spans":${spans},"findings":${JSON.stringify(trace.findings)},"warnings":${JSON.stringify(trace.analysis.warnings)}}`;
}
