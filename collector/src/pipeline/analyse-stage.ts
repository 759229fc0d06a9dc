import { analyseRecords, type SpanRecord, type SpanView, type TaskClassConfig, type TraceAnalysis } from '@threshold/core';
import { capTraceSpans, spanCapWarning } from '../assembly/trace-span-cap.js';

/** What analysis of a trace depends on besides its spans: plain data, the same in any thread. */
export interface AnalyseSettings {
  maxSpansPerTrace: number;
  taskClasses: TaskClassConfig;
  /**
   * What an analysis thread sends of the span views (`SpanViewsSent`); default `json`. The views
   * are what the stored detail shows: `json` for ClickHouse (it stores the JSON text),
   * `compressed` for a DuckDB store that keeps them, `none` for one that derives them when a trace
   * is read and when nothing on the event loop reads them.
   */
  spanViews?: SpanViewsSent;
}

/**
 * How an analysis thread sends the span views back: rendered as JSON, compressed with the
 * warnings as DuckDB stores them, or not at all (the store derives them from the stored spans
 * when the trace is read).
 */
export type SpanViewsSent = 'json' | 'compressed' | 'none';

export interface TraceAnalysed {
  analysis: TraceAnalysis;
  /** Spans beyond `maxSpansPerTrace`, left out of the analysis (a warning says so). */
  spansOverCap: number;
  /**
   * `analysis.spans` as JSON, when an analysis thread rendered them (`analysis.spans` is then
   * empty): the stores write it into the trace's detail as it is.
   */
  spansJson?: string;
  /** Or the span views and warnings compressed as DuckDB stores them (`spanViews: 'compressed'`). */
  compressedSpans?: Uint8Array;
  /** Or neither: a thread left the span views out (`spanViews: 'none'`; the store derives them). */
  viewsOmitted?: true;
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

/**
 * The span views of a stored trace's analysis: its first `analysedSpanCount` stored spans, in
 * arrival order (the spans its analysis was given; later ones wait for a re-analysis), analysed
 * again. The analyse stage is a pure function of the spans and the settings, so these are the
 * views the stored analysis had: the store keeps the spans once and derives the views when a
 * trace is read.
 */
export function spanViewsOf(stored: readonly SpanRecord[], analysedSpanCount: number, settings: AnalyseSettings): SpanView[] {
  return analyseTrace(stored.slice(0, analysedSpanCount), settings).analysis.spans;
}
