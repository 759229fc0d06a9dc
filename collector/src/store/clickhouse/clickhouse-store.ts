import { randomBytes } from 'node:crypto';
import type { AlertDelivery, AlertEvent, AlertRule, AlertStatsQuery, SpanRecord, TaskClassConfig } from '@threshold/core';
import type { AlertCountBucketsQuery, AlertEventsQuery } from '../alert-store.js';
import { toSpanBatchRows } from '../rows/span-batch-row.js';
import { compressForStorage, storedRequestBody } from '../raw-request-codec.js';
import type { AnalysedTrace } from '../analysis-store.js';
import type { DecodeRequest, IngestBatch } from '../span-log.js';
import type { StoreOptions, TraceStore } from '../store.js';
import type {
  CriticalPathQuery,
  FindingsQuery,
  OperationsQuery,
  SessionsQuery,
  StatsQuery,
  TimeSeriesQuery,
  TraceListQuery,
  WindowQuery,
} from '../trace-queries.js';
import * as alertQueries from './alert-queries.js';
import { ClickHouseHttp } from './clickhouse-http.js';
import * as dashboardQueries from './dashboard-queries.js';
import { addMissingTraceColumns } from './add-missing-columns.js';
import * as criticalPathQueries from './critical-path-queries.js';
import { CLICKHOUSE_SCHEMA_STATEMENTS } from './schema.js';
import { sqlIdentifier, sqlList } from './sql-literal.js';
import * as statsQueries from './stats-queries.js';
import * as traceQueries from './trace-queries.js';
import { toTraceRow } from './trace-row.js';
import { deleteTracesBefore } from './trace-retention.js';

/** Most trace ids written into one `IN (…)` list. */
const IN_LIST_MAX = 1000;

export interface ClickHouseStoreOptions extends StoreOptions {
  /** `http://host:8123` of the server's HTTP interface. */
  url: string;
  /** Created if missing. */
  database: string;
}

/**
 * The scale-out store: any number of collector processes share one ClickHouse database. Every
 * write is an append (ReplacingMergeTree collapses versions), so replicas never coordinate; the
 * store is the source of truth for trace assembly (`shared`), so a replica that completes a trace
 * reads all of its spans, whichever replicas received them.
 */
export class ClickHouseStore implements TraceStore {
  readonly kind = 'clickhouse';
  readonly shared = true;
  private readonly requestIdPrefix = randomBytes(6).toString('hex');
  private requestSeq = 0;
  private readonly versions = new alertQueries.VersionClock();
  private readonly pendingWrites = new Set<Promise<unknown>>();

  private constructor(
    private readonly http: ClickHouseHttp,
    private readonly taskClasses: TaskClassConfig,
    private readonly decodeRequest: DecodeRequest,
  ) {}

  /** Connects, creates the database and tables if missing. */
  static async open(options: ClickHouseStoreOptions): Promise<ClickHouseStore> {
    const url = options.url.replace(/\/+$/, '');
    const http = new ClickHouseHttp(url, options.database);
    await http
      .command(`CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(options.database)}`, { inDatabase: false })
      .catch((error: unknown) => {
        http.close();
        throw new Error(`ClickHouse at ${url} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
      });
    for (const statement of CLICKHOUSE_SCHEMA_STATEMENTS) await http.command(statement);
    await addMissingTraceColumns(http);
    return new ClickHouseStore(http, options.taskClasses, options.decodeRequest);
  }

  /** Requests first, then the per-trace index: a trace indexed is a trace whose spans can be read. */
  appendBatches(batches: readonly IngestBatch[]): Promise<void> {
    return this.tracked(async () => {
      const accepted = batches.filter((batch) => batch.spanCount > 0);
      if (accepted.length === 0) return;
      const receivedMs = Date.now();
      const requests = accepted.map((batch) => compressForStorage(batch.request));
      const ids = requests.map(() => this.nextRequestId(receivedMs));
      await this.http.insert(
        'span_requests',
        requests.map((request, i) => ({
          request_id: ids[i],
          received_ms: receivedMs,
          format: request.format,
          encoding: request.encoding,
          body: Buffer.from(request.bytes).toString('base64'),
        })),
      );
      await this.http.insert(
        'span_batches',
        accepted.flatMap((batch, i) =>
          toSpanBatchRows(batch.traceSpanCounts, ids[i]).map((row) => ({
            trace_id: row.traceId,
            request_id: row.requestId,
            span_count: row.spanCount,
            received_ms: receivedMs,
          })),
        ),
      );
    });
  }

  /** Decodes each stored request holding spans of the traces, in request-id (arrival) order. */
  async loadTraceSpans(traceIds: readonly string[]): Promise<Map<string, SpanRecord[]>> {
    const spans = new Map<string, SpanRecord[]>();
    for (const ids of chunks(traceIds, IN_LIST_MAX)) {
      const wanted = new Set(ids);
      const rows = await this.read(
        `SELECT format, encoding, body FROM span_requests
         WHERE request_id IN (SELECT request_id FROM span_batches WHERE trace_id IN ${sqlList(ids)})
         ORDER BY request_id`,
      );
      for (const [format, encoding, body] of rows) {
        const bytes = storedRequestBody(encoding as string, Buffer.from(body as string, 'base64'));
        for (const span of await this.decodeRequest(format as 'protobuf' | 'json', bytes)) {
          if (!wanted.has(span.traceId)) continue;
          const list = spans.get(span.traceId);
          if (list) list.push(span);
          else spans.set(span.traceId, [span]);
        }
      }
    }
    return spans;
  }

  async storedSpanCounts(traceIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const ids of chunks(traceIds, IN_LIST_MAX)) {
      const rows = await this.read(
        `SELECT trace_id, toFloat64(sum(span_count)) FROM span_batches WHERE trace_id IN ${sqlList(ids)} GROUP BY trace_id`,
      );
      for (const [traceId, count] of rows) counts.set(traceId as string, count as number);
    }
    return counts;
  }

  async analysedTraceIds(traceIds: readonly string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (const ids of chunks(traceIds, IN_LIST_MAX)) {
      const rows = await this.read(`SELECT DISTINCT trace_id FROM traces WHERE trace_id IN ${sqlList(ids)}`);
      for (const [traceId] of rows) known.add(traceId as string);
    }
    return known;
  }

  /** An insert: the row whose analysis covers the most spans is the one `FINAL` reads. */
  saveAnalyses(analyses: readonly AnalysedTrace[]): Promise<void> {
    return this.tracked(() => this.http.insert('traces', analyses.map(toTraceRow)));
  }

  /** Retention by background mutations, waited for (see `trace-retention.ts`). */
  deleteTracesBefore(cutoffMs: number, maxTraces: number): Promise<number> {
    return this.tracked(() => deleteTracesBefore(this.readRows, this.http, cutoffMs, maxTraces));
  }

  async pendingTraceIds(limit?: number): Promise<string[]> {
    const rows = await this.read(
      `SELECT trace_id FROM (SELECT trace_id, sum(span_count) AS stored, min(request_id) AS first_request FROM span_batches GROUP BY trace_id)
       ANY LEFT JOIN (SELECT trace_id, max(analysed_span_count) AS analysed FROM traces GROUP BY trace_id) USING trace_id
       WHERE analysed < stored
       ORDER BY first_request, trace_id${limit === undefined ? '' : ` LIMIT ${Math.max(1, Math.floor(limit))}`}`,
    );
    return rows.map((row) => row[0] as string);
  }

  listTraces(query: TraceListQuery) {
    return traceQueries.listTraces(this.readRows, query);
  }
  getTraceDetail(traceId: string) {
    return traceQueries.getTraceDetail(this.readRows, traceId);
  }
  stats(query: StatsQuery) {
    return statsQueries.stats(this.readRows, this.taskClasses, query);
  }
  timeseries(query: TimeSeriesQuery) {
    return statsQueries.timeseries(this.readRows, this.taskClasses, query);
  }
  filters() {
    return dashboardQueries.filters(this.readRows, this.taskClasses);
  }
  models(query: WindowQuery) {
    return dashboardQueries.models(this.readRows, query);
  }
  operations(query: OperationsQuery) {
    return dashboardQueries.operations(this.readRows, query);
  }
  sessions(query: SessionsQuery) {
    return dashboardQueries.sessions(this.readRows, query);
  }
  sessionDetail(sessionId: string) {
    return dashboardQueries.sessionDetail(this.readRows, sessionId);
  }
  findings(query: FindingsQuery) {
    return dashboardQueries.findings(this.readRows, query);
  }
  criticalPath(query: CriticalPathQuery) {
    return criticalPathQueries.criticalPath(this.readRows, query);
  }

  alertWindowStats(query: AlertStatsQuery) {
    return alertQueries.alertWindowStats(this.readRows, query);
  }
  alertCountBuckets(query: AlertCountBucketsQuery) {
    return alertQueries.alertCountBuckets(this.readRows, query);
  }
  listAlertRules() {
    return alertQueries.listAlertRules(this.readRows);
  }
  saveAlertRule(rule: AlertRule) {
    return this.tracked(() => alertQueries.saveAlertRule(this.http, this.versions, rule));
  }
  deleteAlertRule(ruleId: string) {
    return this.tracked(() => alertQueries.deleteAlertRule(this.readRows, this.http, this.versions, ruleId));
  }
  seedAlertRules(rules: readonly AlertRule[]) {
    return this.tracked(() => alertQueries.seedAlertRules(this.readRows, this.http, this.versions, rules));
  }
  appendAlertEvent(event: AlertEvent) {
    return this.tracked(() => alertQueries.appendAlertEvent(this.http, event));
  }
  listAlertEvents(query: AlertEventsQuery) {
    return alertQueries.listAlertEvents(this.readRows, query);
  }
  latestAlertEvents() {
    return alertQueries.latestAlertEvents(this.readRows);
  }
  saveAlertDelivery(delivery: AlertDelivery) {
    return this.tracked(() => alertQueries.saveAlertDelivery(this.http, this.versions, delivery));
  }
  alertDeliveries(eventIds: readonly string[]) {
    return alertQueries.alertDeliveries(this.readRows, eventIds);
  }

  /** Waits for writes in progress; the server keeps running. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pendingWrites]);
    this.http.close();
  }

  private readonly readRows: traceQueries.ReadRows = (sql) => this.read(sql);

  private read(sql: string): Promise<unknown[][]> {
    return this.http.rows(sql);
  }

  private tracked<T>(write: () => Promise<T>): Promise<T> {
    const promise = write();
    this.pendingWrites.add(promise);
    const forget = () => this.pendingWrites.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Receive time first (zero-padded), so ids sort in arrival order across replicas; then this process and a counter. */
  private nextRequestId(receivedMs: number): string {
    const seq = (this.requestSeq++).toString(36).padStart(8, '0');
    return `${String(Math.floor(receivedMs)).padStart(15, '0')}-${this.requestIdPrefix}-${seq}`;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
