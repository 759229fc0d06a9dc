import type { SpanRecord, SpanView, TaskClassConfig } from '@threshold/core';
import type { AlertStore } from './alert-store.js';
import type { AnalysisStore } from './analysis-store.js';
import type { DecodeRequest, SpanLog } from './span-log.js';
import type { StoreLifecycle } from './store-lifecycle.js';
import type { TraceQueries } from './trace-queries.js';
import type { TraceRetention } from './trace-retention.js';

/**
 * Everything the collector keeps: what one engine (DuckDB embedded, ClickHouse for scale-out)
 * implements. Only the composition root holds a whole TraceStore; every other module depends on
 * the role it uses: ingest and assembly on the span log and the analysis store, routes on trace
 * queries, alerting on the alert store, retention on trace retention, health on the store's
 * status. Arguments and answers are domain objects and API shapes; each engine owns its rows.
 */
export interface TraceStore extends SpanLog, AnalysisStore, TraceQueries, AlertStore, TraceRetention, StoreLifecycle {}

/** What a store needs: task classes (budgets shown for groups) and the OTLP decoder for stored requests. */
export interface StoreOptions {
  taskClasses: TaskClassConfig;
  decodeRequest: DecodeRequest;
  /** DuckDB's memory limit in MiB (default: DuckDB's own, 80 % of the machine's memory). */
  memoryLimitMb?: number;
  /** Awaited before an invalidated database is reopened (tests hold the store in its fault with it). */
  beforeReopen?: () => Promise<void>;
  /**
   * DuckDB: keep no span views, derive them when a trace is read (`StoredSpanViews`). Without it
   * the detail stores them, as ClickHouse's does.
   */
  spanViews?: StoredSpanViews;
}

/**
 * How a store derives the span views of a stored trace when it is read: from its stored spans in
 * arrival order, how many of them its stored analysis covered (later ones wait for their
 * re-analysis), and the settings the analysis had. `settings` are the collector's (plain JSON);
 * the store keeps each distinct settings it was given, so a trace analysed before they changed is
 * derived with its own.
 */
export interface StoredSpanViews {
  settings: SpanViewSettings;
  derive(stored: readonly SpanRecord[], analysedSpanCount: number, settings: SpanViewSettings): SpanView[];
}

/** What analysis depends on besides the spans (the analyse stage's settings), as JSON keeps it. */
export interface SpanViewSettings {
  maxSpansPerTrace: number;
  taskClasses: TaskClassConfig;
}
