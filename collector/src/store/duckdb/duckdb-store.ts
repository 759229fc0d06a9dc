import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { AlertDelivery, AlertEvent, AlertRule, AlertStatsQuery, SpanRecord, TaskClassConfig, TraceSummary } from '@threshold/core';
import type { AlertCountBucketsQuery, AlertEventsQuery } from '../../alerts/alert-store.js';
import { compressForStorage, storedRequestBody } from '../raw-request-codec.js';
import type {
  AnalysedTrace,
  DecodeRequest,
  IngestBatch,
  FindingsQuery,
  OperationsQuery,
  SessionsQuery,
  StatsQuery,
  StoreOptions,
  TimeSeriesQuery,
  TraceListQuery,
  TraceStore,
  WindowQuery,
} from '../store.js';
import * as alertQueries from './alert-queries.js';
import * as dashboardQueries from './dashboard-queries.js';
import { FINDING_COLUMNS, toFindingRows } from './finding-row.js';
import { migrateSchema, SCHEMA_STATEMENTS } from './schema.js';
import { SerialWriter } from './serial-writer.js';
import { SPAN_BATCH_COLUMNS, SPAN_REQUEST_COLUMNS, toSpanBatchRows, type SpanRequestRow } from './span-batch-row.js';
import { SPAN_FACT_COLUMNS, toSpanFactRows } from './span-fact-row.js';
import type { ReadRows } from './sql-where.js';
import * as statsQueries from './stats-queries.js';
import { SUMMARY_SELECT, TRACE_COLUMNS, toTraceRowInputs, traceRowToSummary } from './trace-row.js';
import { StatsIndex } from '../stats-index/stats-index.js';
import * as traceQueries from './trace-queries.js';

/** The database file inside the data directory. */
export const DUCKDB_FILE_NAME = 'threshold.duckdb';

/** Read connections: queries run on them in turn so one slow query does not hold up the rest. */
const READ_CONNECTIONS = 2;

/**
 * Write-ahead log size that triggers a checkpoint (DuckDB's default is 16 MB). Checkpoints
 * rewrite table segments and the primary-key index, so fewer, larger ones cost less per trace
 * stored; but until a checkpoint the committed rows are also held in memory (measured: about
 * 200 MB at a 256 MB threshold), so the threshold stays moderate.
 */
const CHECKPOINT_THRESHOLD = '64MB';

/** Most ids bound into one `IN (…)` list. */
const IN_LIST_MAX = 1000;

/** Stored requests read back per query (each up to a few hundred KB compressed). */
const REQUESTS_PER_READ = 64;

/**
 * The embedded store. Ingest appends on a writer connection of its own; every other write
 * (analyses, retention, alert state) goes through a second one, in turn. Reads go to separate
 * connections and see committed data only.
 */
export class DuckDbStore implements TraceStore {
  readonly kind = 'duckdb';
  private readonly writes: SerialWriter;
  private readonly ingestWrites: SerialWriter;
  /** Reads that must see one snapshot (a page and its total), one transaction after another. */
  private readonly snapshotReads: SerialWriter;
  private nextReader = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    ingestWriter: DuckDBConnection,
    snapshotReader: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
    private readonly taskClasses: TaskClassConfig,
    private readonly decodeRequest: DecodeRequest,
    private nextRequestId: number,
    private readonly statsIndex: StatsIndex,
  ) {
    this.writes = new SerialWriter(writer);
    this.ingestWrites = new SerialWriter(ingestWriter);
    this.snapshotReads = new SerialWriter(snapshotReader);
  }

  /** Opens (or creates) the database under `dataDir`; `:memory:` keeps it in memory. */
  static async open(dataDir: string, options: StoreOptions): Promise<DuckDbStore> {
    let path = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      path = join(dataDir, DUCKDB_FILE_NAME);
    }
    const settings: Record<string, string> = { checkpoint_threshold: CHECKPOINT_THRESHOLD };
    if (options.memoryLimitMb !== undefined) settings.memory_limit = `${Math.floor(options.memoryLimitMb)}MiB`;
    const instance = await DuckDBInstance.create(path, settings);
    const writer = await instance.connect();
    for (const statement of [...SCHEMA_STATEMENTS, ...alertQueries.ALERT_SCHEMA_STATEMENTS]) await writer.run(statement);
    await migrateSchema(async (sql) => (await writer.runAndReadAll(sql)).getRowsJS() as unknown[][], (sql) => writer.run(sql));
    const ingestWriter = await instance.connect();
    const snapshotReader = await instance.connect();
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < READ_CONNECTIONS; i++) readers.push(await instance.connect());
    const [[lastId]] = (await writer.runAndReadAll('SELECT coalesce(max(request_id), 0)::DOUBLE FROM span_requests')).getRowsJS();
    const statsIndex = new StatsIndex();
    const summaries = await writer.stream(`SELECT ${SUMMARY_SELECT} FROM traces`);
    for await (const rows of summaries.yieldRowsJs()) {
      for (const row of rows) statsIndex.add(traceRowToSummary(row));
    }
    statsIndex.settle();
    return new DuckDbStore(instance, writer, ingestWriter, snapshotReader, readers, options.taskClasses, options.decodeRequest, (lastId as number) + 1, statsIndex);
  }

  async appendBatches(batches: readonly IngestBatch[]): Promise<void> {
    const accepted = batches.filter((batch) => batch.spanCount > 0);
    if (accepted.length === 0) return;
    const receivedMs = Date.now();
    const requests = accepted.map((batch) => compressForStorage(batch.request));
    const requestRows: SpanRequestRow[] = requests.map((request) => ({ requestId: this.nextRequestId++, receivedMs, request }));
    const batchRows = accepted.flatMap((batch, i) => toSpanBatchRows(batch.traceSpanCounts, requestRows[i].requestId));
    return this.ingestWrites.transaction(async () => {
      await this.ingestWrites.insert('span_requests', SPAN_REQUEST_COLUMNS, requestRows);
      await this.ingestWrites.append('span_batches', SPAN_BATCH_COLUMNS, batchRows);
    });
  }

  /**
   * Decodes each stored request that holds spans of the traces and keeps those spans, in arrival
   * order. The requests are found first, then read a few at a time by id: a join of `span_batches`
   * to `span_requests` scanned every stored body (measured with 6,000 stored requests: 300–1,400 ms
   * and tens of MB of DuckDB memory for 40 requests, against 10–130 ms this way).
   */
  async loadTraceSpans(traceIds: readonly string[]): Promise<Map<string, SpanRecord[]>> {
    const spans = new Map<string, SpanRecord[]>();
    for (const ids of chunks(traceIds, IN_LIST_MAX)) {
      const wanted = new Set(ids);
      const found = await this.read(`SELECT DISTINCT request_id FROM span_batches WHERE trace_id IN (${placeholders(ids.length)}) ORDER BY request_id`, ids);
      for (const requestIds of chunks(found.map((row) => Number(row[0])), REQUESTS_PER_READ)) {
        const rows = await this.read(
          `SELECT format, encoding, body FROM span_requests WHERE request_id IN (${integerList(requestIds)}) ORDER BY request_id`,
        );
        for (const [format, encoding, body] of rows) {
          const decoded = await this.decodeRequest(format as 'protobuf' | 'json', storedRequestBody(encoding as string, body as Uint8Array));
          for (const span of decoded) {
            if (!wanted.has(span.traceId)) continue;
            const list = spans.get(span.traceId);
            if (list) list.push(span);
            else spans.set(span.traceId, [span]);
          }
        }
      }
    }
    return spans;
  }

  async analysedTraceIds(traceIds: readonly string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (const ids of chunks(traceIds, IN_LIST_MAX)) {
      const rows = await this.read(`SELECT trace_id FROM traces WHERE trace_id IN (${placeholders(ids.length)})`, ids);
      for (const [traceId] of rows) known.add(traceId as string);
    }
    return known;
  }

  async saveAnalyses(analyses: readonly AnalysedTrace[]): Promise<void> {
    if (analyses.length === 0) return;
    const ids = analyses.filter((trace) => trace.replacesStored).map((trace) => trace.analysis.summary.traceId);
    const replaced: TraceSummary[] = [];
    const rows = toTraceRowInputs(analyses);
    await this.writes.transaction(async () => {
      for (const batch of chunks(ids, IN_LIST_MAX)) {
        const list = placeholders(batch.length);
        const old = await this.writer.runAndReadAll(`SELECT ${SUMMARY_SELECT} FROM traces WHERE trace_id IN (${list})`, batch);
        replaced.push(...old.getRowsJS().map(traceRowToSummary));
        await this.writer.run(`DELETE FROM traces WHERE trace_id IN (${list})`, batch);
        await this.writer.run(`DELETE FROM span_facts WHERE trace_id IN (${list})`, batch);
        await this.writer.run(`DELETE FROM findings WHERE trace_id IN (${list})`, batch);
      }
      await this.writes.append('traces', TRACE_COLUMNS, rows);
      await this.writes.append('span_facts', SPAN_FACT_COLUMNS, analyses.flatMap(toSpanFactRows));
      await this.writes.append('findings', FINDING_COLUMNS, analyses.flatMap(toFindingRows));
    });
    for (const summary of replaced) this.statsIndex.remove(summary);
    for (const trace of analyses) this.statsIndex.add(trace.analysis.summary);
  }

  async deleteTracesBefore(cutoffMs: number, maxTraces: number): Promise<number> {
    let removed: TraceSummary[] = [];
    await this.writes.transaction(async () => {
      const old = await this.writer.runAndReadAll(
        `SELECT ${SUMMARY_SELECT} FROM traces WHERE start_ms < ? ORDER BY start_ms LIMIT ${Math.max(1, Math.floor(maxTraces))}`,
        [cutoffMs],
      );
      removed = old.getRowsJS().map(traceRowToSummary);
      for (const batch of chunks(removed.map((summary) => summary.traceId), IN_LIST_MAX)) {
        const list = placeholders(batch.length);
        const requests = await this.writer.runAndReadAll(`SELECT DISTINCT request_id FROM span_batches WHERE trace_id IN (${list})`, batch);
        for (const table of ['traces', 'span_facts', 'findings', 'span_batches']) {
          await this.writer.run(`DELETE FROM ${table} WHERE trace_id IN (${list})`, batch);
        }
        const requestIds = requests.getRowsJS().map((row) => Number(row[0]));
        for (const ids of chunks(requestIds, IN_LIST_MAX)) {
          const idList = integerList(ids);
          // A request may also hold spans of newer traces: it goes only once no trace refers to it.
          await this.writer.run(`DELETE FROM span_requests WHERE request_id IN (${idList}) AND request_id NOT IN (SELECT request_id FROM span_batches WHERE request_id IN (${idList}))`);
        }
      }
    });
    for (const summary of removed) this.statsIndex.remove(summary);
    return removed.length;
  }

  async pendingTraceIds(limit?: number): Promise<string[]> {
    const rows = await this.read(
      `SELECT b.trace_id FROM (SELECT trace_id, sum(span_count) AS stored, min(request_id) AS first_request FROM span_batches GROUP BY trace_id) b
       LEFT JOIN traces t ON t.trace_id = b.trace_id
       WHERE t.trace_id IS NULL OR t.analysed_span_count < b.stored
       ORDER BY b.first_request, b.trace_id${limit === undefined ? '' : ` LIMIT ${Math.max(1, Math.floor(limit))}`}`,
    );
    return rows.map((row) => row[0] as string);
  }

  listTraces(query: TraceListQuery) {
    return this.snapshotRead((read) => traceQueries.listTraces(read, query));
  }
  getTraceDetail(traceId: string) {
    return traceQueries.getTraceDetail(this.readRows, traceId);
  }
  /** Answered from the in-memory index of summary columns (exact, no sort at query time). */
  async stats(query: StatsQuery) {
    return this.statsIndex.stats(query, this.taskClasses);
  }
  /** The same statistics computed by DuckDB (`quantile_cont`): the reference the index is checked against. */
  statsBySql(query: StatsQuery) {
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
    return this.writes.transaction(() => alertQueries.saveAlertRule(this.runWrite, rule, Date.now()));
  }
  async deleteAlertRule(ruleId: string) {
    let existed = false;
    await this.writes.transaction(async () => {
      existed = await alertQueries.deleteAlertRule(this.readRows, this.runWrite, ruleId, Date.now());
    });
    return existed;
  }
  async seedAlertRules(rules: readonly AlertRule[]) {
    let seeded: AlertRule[] = [];
    await this.writes.transaction(async () => {
      seeded = await alertQueries.seedAlertRules(this.readRows, this.runWrite, rules, Date.now());
    });
    return seeded;
  }
  appendAlertEvent(event: AlertEvent) {
    return this.writes.transaction(() => alertQueries.appendAlertEvent(this.runWrite, event));
  }
  listAlertEvents(query: AlertEventsQuery) {
    return alertQueries.listAlertEvents(this.readRows, query);
  }
  latestAlertEvents() {
    return alertQueries.latestAlertEvents(this.readRows);
  }
  saveAlertDelivery(delivery: AlertDelivery) {
    return this.writes.transaction(() => alertQueries.saveAlertDelivery(this.runWrite, delivery));
  }
  alertDeliveries(eventIds: readonly string[]) {
    return alertQueries.alertDeliveries(this.readRows, eventIds);
  }

  /** The current value of a DuckDB setting, as DuckDB prints it (e.g. `memory_limit`). */
  async setting(name: string): Promise<string> {
    const rows = await this.read('SELECT current_setting(?)::VARCHAR', [name]);
    return rows[0][0] as string;
  }

  async close(): Promise<void> {
    await Promise.all([this.writes.close(), this.ingestWrites.close(), this.snapshotReads.close()]);
    for (const connection of this.readers) connection.closeSync();
    this.instance.closeSync();
  }

  private readonly readRows: ReadRows = (sql, params) => this.read(sql, params);
  private readonly runWrite: alertQueries.RunSql = (sql, params) => this.writer.run(sql, params);

  /** Runs reads in one transaction on a connection of their own, so they all see one snapshot. */
  private async snapshotRead<T>(body: (read: ReadRows) => Promise<T>): Promise<T> {
    const { connection } = this.snapshotReads;
    let result: { value: T } | undefined;
    await this.snapshotReads.transaction(async () => {
      result = { value: await body(async (sql, params = []) => (await connection.runAndReadAll(sql, params)).getRowsJS() as unknown[][]) };
    });
    return result!.value;
  }

  private async read(sql: string, params: DuckDBValue[] = []): Promise<unknown[][]> {
    const connection = this.readers[this.nextReader];
    this.nextReader = (this.nextReader + 1) % this.readers.length;
    const reader = await connection.runAndReadAll(sql, params);
    return reader.getRowsJS() as unknown[][];
  }
}

/** Request ids (integers read from the store) written into SQL. */
function integerList(ids: readonly number[]): string {
  return ids.map((id) => String(Math.trunc(id))).join(', ');
}

function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
