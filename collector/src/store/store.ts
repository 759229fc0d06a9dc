import type { TaskClassConfig } from '@threshold/core';
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
}
