import type { Finding, TraceAnalysis } from '@threshold/core';
import type { RequestRange } from './span-log.js';

/**
 * Where analyses go once a trace is complete: trace assembly saves them and asks which traces
 * already have one (a trace analysed before is completed from the span log, not analysed afresh).
 */
export interface AnalysisStore {
  /** Stores (or replaces) analyses in one transaction. */
  saveAnalyses(analyses: readonly AnalysedTrace[]): Promise<void>;
  /** The subset of `traceIds` that already has a stored analysis. */
  analysedTraceIds(traceIds: readonly string[]): Promise<Set<string>>;
  /**
   * True when the store keeps no span views: it derives them from the stored spans when a trace is
   * read, so analyses need not render them (DuckDB opened with `spanViews`).
   */
  readonly derivesSpanViews?: boolean;
}

/** One analysed trace as handed to the store. */
export interface AnalysedTrace {
  analysis: TraceAnalysis;
  findings: Finding[];
  /** How many stored spans the analysis covered: the "analysed up to" marker. */
  analysedSpanCount: number;
  /** True when an earlier analysis of the trace may be stored and must be replaced. */
  replacesStored: boolean;
  /**
   * `analysis.spans` rendered as JSON by an analysis thread (`analysis.spans` is then empty): the
   * detail takes it as it is. A store that derives span views ignores it, and `compressedSpans`.
   */
  spansJson?: string;
  /**
   * Or the span views and warnings already compressed by an analysis thread (rows/stored-detail-json.ts;
   * `analysis.spans` is then empty): DuckDB stores it beside the findings as it is.
   */
  compressedSpans?: Uint8Array;
  /** Or neither: an analysis thread left the span views out, for a store that derives them (`derivesSpanViews`). */
  viewsOmitted?: true;
  /**
   * The stored requests holding the spans the analysis covered, when trace assembly knows them
   * all: a store that derives span views reads the trace's spans from these alone.
   */
  requests?: RequestRange;
}
