import type {
  CriticalPathResponse,
  FiltersResponse,
  Finding,
  ModelsResponse,
  OperationsResponse,
  SessionDetail,
  SessionsResponse,
  SortDirection,
  SpanCategory,
  StatsResponse,
  TimeSeriesResponse,
  TraceDetail,
  TraceList,
  TraceSortKey,
  UxBand,
} from '@threshold/core';

/**
 * The reads behind the API and the dashboard, over analysed traces. Arguments are queries,
 * answers are API shapes: each engine maps its own rows (shared mapping is in `store/rows/`).
 */
export interface TraceQueries {
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

/** `GET /api/critical-path`: a window of traces, filtered, and the tail percentile (50–100). */
export interface CriticalPathQuery extends WindowQuery {
  taskClass?: string;
  /** The task's name (its root span's). */
  name?: string;
  tail: number;
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
