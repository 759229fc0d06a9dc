import type {
  CriticalPathResponse,
  Finding,
  FiltersResponse,
  ModelsResponse,
  OperationsResponse,
  SessionDetail,
  SessionsResponse,
  SortDirection,
  TraceSortKey,
  SpanCategory,
  SpanRecord,
  StatsResponse,
  TaskClassConfig,
  TimeSeriesResponse,
  TraceAnalysis,
  TraceDetail,
  TraceList,
  UxBand,
} from '@threshold/core';
import type { AlertStore } from '../alerts/alert-store.js';
import type { CriticalPathQuery } from './critical-path-answer.js';
import type { StoreFaultState } from './store-fault.js';

/**
 * Everything the collector keeps, behind one interface: ingest, assembly and routes speak only
 * this, so another engine (ClickHouse for scale-out) can replace DuckDB without touching them.
 * Arguments and answers are domain objects and API shapes; each implementation owns its rows.
 */
export interface TraceStore extends AlertStore {
  /** Engine name shown by `/api/health` (`duckdb`). */
  readonly kind: string;
  /**
   * True when other collector processes write to the same store (ClickHouse behind a load
   * balancer): assembly then reads each trace's spans from the store before analysing it, since
   * other replicas may hold some of them.
   */
  readonly shared?: boolean;
  /**
   * Stores accepted requests and indexes their spans by trace, in one transaction; resolved means
   * durable. A request still `identity`-encoded is compressed here (`compressForStorage`); the
   * collector's ingest queue compresses on entry, so this finds them compressed already.
   */
  appendBatches(batches: readonly IngestBatch[]): Promise<void>;
  /** Every stored span of each trace, in arrival order (duplicates kept: analysis drops them). */
  loadTraceSpans(traceIds: readonly string[]): Promise<Map<string, SpanRecord[]>>;
  /**
   * How many spans of each trace are stored (rows, duplicates counted; traces with none left out).
   * A replica of a shared store compares it with the spans it holds, and reads a trace back from
   * the store only when other replicas stored more of it.
   */
  storedSpanCounts?(traceIds: readonly string[]): Promise<Map<string, number>>;
  /** The subset of `traceIds` that already has a stored analysis. */
  analysedTraceIds(traceIds: readonly string[]): Promise<Set<string>>;
  /** Stores (or replaces) analyses in one transaction. */
  saveAnalyses(analyses: readonly AnalysedTrace[]): Promise<void>;
  /**
   * Traces with stored spans but no analysis, or an analysis older than their spans: the first
   * `limit` in order of arrival (of their first stored request; all without a limit). Traces that
   * arrived together are stored in the same requests, so reading them back together decodes each
   * request once.
   */
  pendingTraceIds(limit?: number): Promise<string[]>;
  listTraces(query: TraceListQuery): Promise<TraceList>;
  getTraceDetail(traceId: string): Promise<TraceDetail | undefined>;
  stats(query: StatsQuery): Promise<StatsResponse>;
  filters(): Promise<FiltersResponse>;
  timeseries(query: TimeSeriesQuery): Promise<TimeSeriesResponse>;
  models(query: WindowQuery): Promise<ModelsResponse>;
  operations(query: OperationsQuery): Promise<OperationsResponse>;
  sessions(query: SessionsQuery): Promise<SessionsResponse>;
  sessionDetail(sessionId: string): Promise<SessionDetail | undefined>;
  /** Stored findings of analysed traces in a window, for cross-trace recommendations. */
  findings(query: FindingsQuery): Promise<StoredFinding[]>;
  /** Which operations hold the critical path of the window's slow tail, against its typical tasks. */
  criticalPath(query: CriticalPathQuery): Promise<CriticalPathResponse>;
  /**
   * Retention: removes up to `maxTraces` analysed traces that started before `cutoffMs` (epoch
   * ms), oldest first, with their spans, stored requests no longer needed, facts and findings, in
   * one short transaction; returns how many traces it removed (the caller repeats while it is
   * `maxTraces`). Optional: a store without it keeps everything.
   */
  deleteTracesBefore?(cutoffMs: number, maxTraces: number): Promise<number>;
  /** Faults in effect and counted since start (`/api/health`, `/metrics`); a store without them never reports one. */
  readonly faults?: StoreFaultState;
  /** Calls `listener` each time the store has recovered from a fault by reopening; returns a function that removes it. */
  onRecovered?(listener: () => void): () => void;
  close(): Promise<void>;
}

/** An accepted OTLP request as it arrived on the wire: the durable copy of its spans. */
export interface RawRequest {
  format: 'protobuf' | 'json';
  /** Content-Encoding of `bytes` (a gzip request is kept gzipped; `br` is how the store compresses the others). */
  encoding: 'identity' | 'gzip' | 'deflate' | 'br';
  bytes: Uint8Array;
}

/** What one ingest request hands to storage: its decoded spans and its raw bytes. */
export interface IngestBatch {
  /** Accepted spans of each trace in the request (rejected ones left out). */
  traceSpanCounts: ReadonlyMap<string, number>;
  /** Accepted spans in all: the sum of `traceSpanCounts`. */
  spanCount: number;
  /**
   * The accepted spans when ingest decoded them (OTLP/JSON, or a request the span caps cut).
   * Absent for a protobuf request that was only checked and counted: trace assembly decodes
   * `body` when the request's traces are analysed.
   */
  spans?: readonly SpanRecord[];
  /** The request body, decompressed. */
  body: Uint8Array;
  /** The request as it came, for storing. */
  request: RawRequest;
}

/** The batch of a request whose accepted spans ingest decoded. */
export function decodedIngestBatch(spans: readonly SpanRecord[], body: Uint8Array, request: RawRequest): IngestBatch {
  const traceSpanCounts = new Map<string, number>();
  for (const span of spans) traceSpanCounts.set(span.traceId, (traceSpanCounts.get(span.traceId) ?? 0) + 1);
  return { traceSpanCounts, spanCount: spans.length, spans, body, request };
}

/** Turns a stored request body (decompressed) back into its accepted spans (a large one maybe off the event loop). */
export type DecodeRequest = (format: RawRequest['format'], body: Uint8Array) => SpanRecord[] | Promise<SpanRecord[]>;

/** One analysed trace as handed to the store. */
export interface AnalysedTrace {
  analysis: TraceAnalysis;
  findings: Finding[];
  /** How many stored spans the analysis covered: the "analysed up to" marker. */
  analysedSpanCount: number;
  /** True when an earlier analysis of the trace may be stored and must be replaced. */
  replacesStored: boolean;
}

/** Time window, epoch ms: `from` inclusive, `to` exclusive. */
export interface WindowQuery {
  from?: number;
  to?: number;
  service?: string;
}

export interface TraceListQuery extends WindowQuery {
  taskClass?: string;
  band?: UxBand;
  sessionId?: string;
  minDurationMs?: number;
  /** Order of the page; newest first when absent. */
  sort?: TraceSortKey;
  order?: SortDirection;
  limit: number;
  offset: number;
}

export type StatsGroupBy = 'taskClass' | 'service' | 'name';

export interface StatsQuery extends WindowQuery {
  groupBy: StatsGroupBy;
  taskClass?: string;
}

export interface TimeSeriesQuery extends WindowQuery {
  groupBy: 'taskClass' | 'service';
  bucketMs: number;
  taskClass?: string;
}

export interface OperationsQuery extends WindowQuery {
  category?: Extract<SpanCategory, 'tool' | 'state' | 'orchestration'>;
}

export interface SessionsQuery extends WindowQuery {
  limit: number;
  offset: number;
}

export interface FindingsQuery extends WindowQuery {
  taskClass?: string;
}

export interface StoredFinding extends Finding {
  traceId: string;
  taskClass: string;
  startTimeMs: number;
  durationMs: number;
  perceivedMs: number;
}

/** What a store needs: task classes (budgets shown for groups) and the OTLP decoder for stored requests. */
export interface StoreOptions {
  taskClasses: TaskClassConfig;
  decodeRequest: DecodeRequest;
  /** DuckDB's memory limit in MiB (default: DuckDB's own, 80 % of the machine's memory). */
  memoryLimitMb?: number;
  /** Awaited before an invalidated database is reopened (tests hold the store in its fault with it). */
  beforeReopen?: () => Promise<void>;
}
