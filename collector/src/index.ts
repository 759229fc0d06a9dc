export { createCollector } from './create-collector.js';
export type { Collector, CreateCollectorOptions, FindingsProvider, AnalysisListener } from './create-collector.js';
export { startServer } from './server/start-server.js';
export type { ServerOptions, ThresholdServer } from './server/server-options.js';
export type { CollectorOverrides } from './server/project-collectors.js';
export { DEFAULT_OPTIONS, ConfigError, optionsFromSettings, resolveOptions, settingsFromEnv } from './config.js';
export type { CollectorOptions, RawSettings } from './config.js';
export { systemClock } from './assembly/clock.js';
export type { Clock } from './assembly/clock.js';
export { capTraceSpans, DEFAULT_MAX_SPANS_PER_TRACE, spanCapWarning, type CappedTrace } from './assembly/trace-span-cap.js';
export type { RouteContext, RouteModule } from './routes/index.js';
export type { StoreOptions, TraceStore } from './store/store.js';
export {
  decodedIngestBatch,
  type DecodeRequest,
  type IngestBatch,
  type RawRequest,
  type SpanLog,
  type SpanReader,
} from './store/span-log.js';
export type { AnalysedTrace, AnalysisStore } from './store/analysis-store.js';
export type {
  FindingsQuery,
  StatsQuery,
  StoredFinding,
  TimeSeriesQuery,
  TraceListQuery,
  TraceQueries,
  WindowQuery,
} from './store/trace-queries.js';
export type { AlertStore } from './store/alert-store.js';
export type { TraceRetention } from './store/trace-retention.js';
export type { StoreLifecycle, StoreStatus } from './store/store-lifecycle.js';
export { ClickHouseStore, DuckDbStore, DUCKDB_FILE_NAME, type ClickHouseStoreOptions } from './store/open-store.js';
export { decodeStoredRequest } from './store/decode-stored-request.js';
export { sqlIdentifier, sqlList, sqlLiteral, type SqlValue } from './store/clickhouse/sql-literal.js';
export { openConfiguredStore } from './store/open-store.js';
export { QueryParamError } from './query/query-params.js';
