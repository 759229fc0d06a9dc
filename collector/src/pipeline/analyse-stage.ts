import { analyseRecords, type SpanRecord, type TaskClassConfig, type TraceAnalysis } from '@threshold/core';
import { capTraceSpans, spanCapWarning } from '../assembly/trace-span-cap.js';

/** What analysis of a trace depends on besides its spans: plain data, the same in any thread. */
export interface AnalyseSettings {
  maxSpansPerTrace: number;
  taskClasses: TaskClassConfig;
  /**
   * On an analysis thread: compress the span views and warnings as DuckDB stores them, instead of
   * sending them as JSON (ClickHouse stores the JSON text).
   */
  compressDetail?: boolean;
}

export interface TraceAnalysed {
  analysis: TraceAnalysis;
  /** Spans beyond `maxSpansPerTrace`, left out of the analysis (a warning says so). */
  spansOverCap: number;
  /**
   * `analysis.spans` as JSON, when an analysis thread rendered them (`analysis.spans` is then
   * empty): the stores write it into the trace's detail as it is.
   */
  spansJson?: string;
  /** Or the span views and warnings compressed as DuckDB stores them (`compressDetail`). */
  compressedSpans?: Uint8Array;
}

/**
 * The analyse stage: one trace's spans in, its analysis out — core's analysis of at most
 * `maxSpansPerTrace` spans (roots and the earliest others kept), with a warning naming what was left out. Pure:
 * no state, no I/O, plain data in and out, so it runs as well on a worker thread.
 */
export function analyseTrace(records: readonly SpanRecord[], settings: AnalyseSettings): TraceAnalysed {
  const capped = capTraceSpans(records as SpanRecord[], settings.maxSpansPerTrace);
  const analysis = analyseRecords(capped.kept, settings.taskClasses);
  if (capped.dropped > 0) analysis.warnings.push(spanCapWarning(capped.dropped, settings.maxSpansPerTrace));
  return { analysis, spansOverCap: capped.dropped };
}
