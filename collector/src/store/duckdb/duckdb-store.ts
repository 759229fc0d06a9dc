import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import type { AlertDelivery, AlertEvent, AlertRule, AlertStatsQuery, SpanRecord, TaskClassConfig, TraceSummary } from '@threshold/core';
import type { AlertCountBucketsQuery, AlertEventsQuery } from '../alert-store.js';
import { compressForStorage } from '../raw-request-codec.js';
import type { AnalysedTrace } from '../analysis-store.js';
import type { DecodeRequest, IngestBatch, RequestRange } from '../span-log.js';
import type { SpanViewSettings, StoredSpanViews, StoreOptions, TraceStore } from '../store.js';
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
import type { BlobLog } from '../blob-log/blob-log.js';
import { FileBlobLog } from '../blob-log/file-blob-log.js';
import { MemoryBlobLog } from '../blob-log/memory-blob-log.js';
import { StoreFaultState, StoreUnavailableError, storeFaultOf, type StoreFaultKind } from '../store-fault.js';
import * as alertQueries from './alert-queries.js';
import * as dashboardQueries from './dashboard-queries.js';
import * as criticalPathQueries from './critical-path-queries.js';
import {
  CRITICAL_PATH_OPERATION_COLUMNS,
  CRITICAL_PATH_TABLES,
  CRITICAL_PATH_TRACE_COLUMNS,
  toCriticalPathOperationRows,
  toCriticalPathTraceRows,
} from './critical-path-row.js';
import { closeDuckDbDatabase, openDuckDbDatabase, type DuckDbDatabase } from './duckdb-database.js';
import { FINDING_COLUMNS, toFindingRows } from './finding-row.js';
import type { SerialWriter } from './serial-writer.js';
import { SPAN_BATCH_COLUMNS, SPAN_REQUEST_COLUMNS, type SpanRequestRow } from './span-batch-row.js';
import { toSpanBatchRows } from '../rows/span-batch-row.js';
import { SPAN_FACT_COLUMNS, toSpanFactRows } from './span-fact-row.js';
import { chunks, IN_LIST_MAX, integerList, placeholders } from './sql-lists.js';
import type { ReadRows } from './sql-where.js';
import * as spanLogReads from './span-log-reads.js';
import * as statsQueries from './stats-queries.js';
import { SUMMARY_SELECT, TRACE_COLUMNS, toTraceRowInputs, traceRowToSummary } from './trace-row.js';
import * as traceQueries from './trace-queries.js';

/** The database file inside the data directory. */
export const DUCKDB_FILE_NAME = 'threshold.duckdb';
/** The blob log's directory inside the data directory (stored requests and trace details). */
export const BLOB_LOG_DIR = 'values';

/** Waits between attempts to reopen an invalidated database (the disk may still be full): 1 s, doubling to 30 s. */
const REOPEN_FIRST_WAIT_MS = 1_000;
const REOPEN_MAX_WAIT_MS = 30_000;

/**
 * The embedded store. Ingest appends on a writer connection of its own; every other write
 * (analyses, retention, alert state) goes through a second one, in turn. Reads go to separate
 * connections and see committed data only. Request bodies and trace details are in a blob log
 * beside the database; its rows say where.
 *
 * Faults: every operation runs through `guard`. When DuckDB invalidates the database (a fatal
 * error), the store stops taking work (StoreUnavailableError: ingest answers 503 + Retry-After),
 * reopens it (replaying the write-ahead log), rebuilds its in-memory index and tells its
 * listeners (assembly then takes back every trace whose analysis is missing). A full disk is
 * reported until a write succeeds again.
 */
export class DuckDbStore implements TraceStore {
  readonly kind = 'duckdb';
  readonly faults = new StoreFaultState();
  private nextReader = 0;
  private reopening: Promise<void> | undefined;
  private closed = false;
  private readonly recoveredListeners = new Set<() => void>();

  private constructor(
    private db: DuckDbDatabase,
    private readonly path: string,
    private readonly memoryLimitMb: number | undefined,
    private readonly taskClasses: TaskClassConfig,
    private readonly decodeRequest: DecodeRequest,
    private readonly values: BlobLog,
    private readonly beforeReopen: () => Promise<void> = async () => undefined,
    private readonly spanViews: StoredSpanViews | undefined = undefined,
  ) {
    if (spanViews) this.settingsKey = settingsKeyOf(spanViews.settings);
  }

  /** The name of this store's analysis settings in `analysis_settings`, when it derives span views. */
  private readonly settingsKey: string | undefined;
  /** True once the settings' row is committed. */
  private settingsSaved = false;
  /** Settings of traces analysed before the settings changed, by key, as they are read. */
  private readonly earlierSettings = new Map<string, Promise<SpanViewSettings | undefined>>();

  /** True when opened with `spanViews`: details keep no span views, they are derived when a trace is read. */
  get derivesSpanViews(): boolean {
    return this.spanViews !== undefined;
  }

  /** Opens (or creates) the database under `dataDir`; `:memory:` keeps it in memory. */
  static async open(dataDir: string, options: StoreOptions): Promise<DuckDbStore> {
    let path = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      path = join(dataDir, DUCKDB_FILE_NAME);
    }
    const values = dataDir === ':memory:' ? new MemoryBlobLog() : await FileBlobLog.open(join(dataDir, BLOB_LOG_DIR));
    const db = await openDuckDbDatabase(path, options.memoryLimitMb);
    return new DuckDbStore(
      db,
      path,
      options.memoryLimitMb,
      options.taskClasses,
      options.decodeRequest,
      values,
      options.beforeReopen,
      options.spanViews,
    );
  }

  private get writes(): SerialWriter {
    return this.db.writes;
  }
  private get writer() {
    return this.db.writes.connection;
  }
  private get statsIndex() {
    return this.db.statsIndex;
  }

  /** Calls `listener` each time the store has reopened its database after a fault. */
  onRecovered(listener: () => void): () => void {
    this.recoveredListeners.add(listener);
    return () => this.recoveredListeners.delete(listener);
  }

  /**
   * Runs one operation against the open database. Refuses at once while the database is being
   * reopened; turns an engine or disk fault into StoreUnavailableError (and starts a reopen when
   * the database was invalidated). Any other error is the operation's own and passes unchanged.
   */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    if (this.reopening) throw new StoreUnavailableError('recovering', 'the store is recovering from a fault');
    try {
      return await operation();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error; // an inner guard has recorded it
      const kind = storeFaultOf(error);
      if (kind === undefined) throw error;
      this.recordFault(kind, error);
      throw new StoreUnavailableError(kind, `the store cannot take this now (${kind}): ${(error as Error).message.split('\n')[0]}`);
    }
  }

  private recordFault(kind: StoreFaultKind, error: unknown): void {
    if (kind === 'recovering') return;
    this.faults.set(kind, error instanceof Error ? error.message : String(error));
    if (kind === 'invalidated') this.reopen();
  }

  /** A write went through: the disk has room again. */
  private wrote(): void {
    if (this.faults.has('disk-full')) this.faults.clear('disk-full');
  }

  /**
   * Reopens an invalidated database, once at a time: waits for nothing (every statement of the
   * old one fails at once), closes it, opens it again until that succeeds (the write-ahead log is
   * replayed; a full disk is waited out), then resumes.
   */
  private reopen(): void {
    if (this.reopening || this.closed) return;
    const old = this.db;
    this.reopening = (async () => {
      await closeDuckDbDatabase(old, true);
      await this.beforeReopen();
      let waitMs = REOPEN_FIRST_WAIT_MS;
      for (;;) {
        if (this.closed) return;
        try {
          this.db = await openDuckDbDatabase(this.path, this.memoryLimitMb);
          break;
        } catch (error) {
          console.error(`threshold: reopening the store failed, trying again in ${waitMs / 1000} s:`, error);
          const kind = storeFaultOf(error);
          if (kind !== undefined && kind !== 'invalidated') this.faults.set(kind, (error as Error).message);
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          waitMs = Math.min(REOPEN_MAX_WAIT_MS, waitMs * 2);
        }
      }
      this.faults.clear('invalidated', 'disk-full', 'out-of-memory');
      console.error('threshold: the store recovered: database reopened, write-ahead log replayed');
    })().finally(() => {
      this.reopening = undefined;
      if (this.closed) return;
      for (const listener of this.recoveredListeners) {
        try {
          listener();
        } catch (error) {
          console.error('threshold: a store recovery listener failed:', error);
        }
      }
    });
  }

  /** Resolves once no reopen is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.reopening) await this.reopening;
  }

  /** Test hook: makes DuckDB invalidate the database for real, through a checkpoint that aborts. */
  async invalidateForTest(): Promise<void> {
    await this.guard(async () => {
      await this.writes.exclusive(async () => {
        const connection = this.writes.connection;
        await connection.run(`SET debug_checkpoint_abort='before_header'`);
        await connection.run('CHECKPOINT');
      });
    }).catch(() => undefined);
  }

  async appendBatches(batches: readonly IngestBatch[]): Promise<void> {
    const accepted = batches.filter((batch) => batch.spanCount > 0);
    if (accepted.length === 0) return;
    const receivedMs = Date.now();
    const requests = accepted.map((batch) => compressForStorage(batch.request));
    await this.guard(async () => {
      const db = this.db;
      // The bytes first, fsynced: a committed row never refers to bytes that are not on disk.
      const bodies = await this.values.append(requests.map((request) => request.bytes));
      const requestRows: SpanRequestRow[] = requests.map((request, i) => ({
        requestId: db.nextRequestId++,
        receivedMs,
        request,
        body: bodies[i],
      }));
      const batchRows = accepted.flatMap((batch, i) => toSpanBatchRows(batch.traceSpanCounts, requestRows[i].requestId));
      await db.ingestWrites.transaction(async () => {
        await db.ingestWrites.insert('span_requests', SPAN_REQUEST_COLUMNS, requestRows);
        await db.ingestWrites.append('span_batches', SPAN_BATCH_COLUMNS, batchRows);
      });
      accepted.forEach((batch, i) => (batch.requestId = requestRows[i].requestId));
    });
    this.wrote();
    this.checkpointIfDue();
  }

  /** Starts a checkpoint when the write-ahead log has grown past its bound; a fault it hits is recorded. */
  private checkpointIfDue(): void {
    void this.db.checkpointer.maybeCheckpoint().catch((error: unknown) => {
      const kind = storeFaultOf(error);
      if (kind !== undefined) this.recordFault(kind, error);
      else console.error('threshold: checkpoint failed:', error);
    });
  }

  /**
   * The reads run guarded: a fault reading a stored body is the store's, as any other (see
   * `span-log-reads.ts`). `within`: the requests known to hold every span wanted (a derived detail's range).
   */
  loadTraceSpans(traceIds: readonly string[], within?: RequestRange): Promise<Map<string, SpanRecord[]>> {
    return this.guard(() =>
      spanLogReads.loadTraceSpans(this.readRows, (ref) => this.values.read(ref), this.decodeRequest, traceIds, within),
    );
  }

  analysedTraceIds(traceIds: readonly string[]): Promise<Set<string>> {
    return spanLogReads.analysedTraceIds(this.readRows, traceIds);
  }

  saveAnalyses(analyses: readonly AnalysedTrace[]): Promise<void> {
    if (analyses.length === 0) return Promise.resolve();
    return this.guard(() => this.saveAnalysesNow(analyses));
  }

  private async saveAnalysesNow(analyses: readonly AnalysedTrace[]): Promise<void> {
    const ids = analyses.filter((trace) => trace.replacesStored).map((trace) => trace.analysis.summary.traceId);
    const replaced: TraceSummary[] = [];
    const rows = toTraceRowInputs(analyses, this.settingsKey);
    const savesSettings = this.settingsKey !== undefined && !this.settingsSaved;
    const details = await this.values.append(rows.map((row) => row.detail));
    rows.forEach((row, i) => (row.detailRef = details[i]));
    await this.transact(async () => {
      if (savesSettings) {
        await this.writer.run(
          'INSERT INTO analysis_settings SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM analysis_settings WHERE settings_key = $1)',
          [this.settingsKey!, settingsJson(this.spanViews!.settings)],
        );
      }
      for (const batch of chunks(ids, IN_LIST_MAX)) {
        const list = placeholders(batch.length);
        const old = await this.writer.runAndReadAll(`SELECT ${SUMMARY_SELECT} FROM traces WHERE trace_id IN (${list})`, batch);
        replaced.push(...old.getRowsJS().map(traceRowToSummary));
        await this.writer.run(`DELETE FROM traces WHERE trace_id IN (${list})`, batch);
        await this.writer.run(`DELETE FROM span_facts WHERE trace_id IN (${list})`, batch);
        await this.writer.run(`DELETE FROM findings WHERE trace_id IN (${list})`, batch);
        for (const table of CRITICAL_PATH_TABLES) await this.writer.run(`DELETE FROM ${table} WHERE trace_id IN (${list})`, batch);
      }
      await this.writes.append('traces', TRACE_COLUMNS, rows);
      await this.writes.append('span_facts', SPAN_FACT_COLUMNS, rows.flatMap(toSpanFactRows));
      await this.writes.append('findings', FINDING_COLUMNS, analyses.flatMap(toFindingRows));
      await this.writes.append('critical_path_traces', CRITICAL_PATH_TRACE_COLUMNS, analyses.flatMap(toCriticalPathTraceRows));
      await this.writes.append('critical_path_operations', CRITICAL_PATH_OPERATION_COLUMNS, analyses.flatMap(toCriticalPathOperationRows));
    });
    if (savesSettings) this.settingsSaved = true;
    for (const summary of replaced) this.statsIndex.remove(summary);
    for (const trace of analyses) this.statsIndex.add(trace.analysis.summary);
    this.wrote();
    this.checkpointIfDue();
  }

  deleteTracesBefore(cutoffMs: number, maxTraces: number): Promise<number> {
    return this.guard(() => this.deleteTracesBeforeNow(cutoffMs, maxTraces));
  }

  private async deleteTracesBeforeNow(cutoffMs: number, maxTraces: number): Promise<number> {
    let removed: TraceSummary[] = [];
    await this.transact(async () => {
      const old = await this.writer.runAndReadAll(
        `SELECT ${SUMMARY_SELECT} FROM traces WHERE start_ms < ? ORDER BY start_ms LIMIT ${Math.max(1, Math.floor(maxTraces))}`,
        [cutoffMs],
      );
      removed = old.getRowsJS().map(traceRowToSummary);
      for (const batch of chunks(
        removed.map((summary) => summary.traceId),
        IN_LIST_MAX,
      )) {
        const list = placeholders(batch.length);
        const requests = await this.writer.runAndReadAll(`SELECT DISTINCT request_id FROM span_batches WHERE trace_id IN (${list})`, batch);
        for (const table of ['traces', 'span_facts', 'findings', ...CRITICAL_PATH_TABLES, 'span_batches']) {
          await this.writer.run(`DELETE FROM ${table} WHERE trace_id IN (${list})`, batch);
        }
        const requestIds = requests.getRowsJS().map((row) => Number(row[0]));
        for (const ids of chunks(requestIds, IN_LIST_MAX)) {
          const idList = integerList(ids);
          // A request may also hold spans of newer traces: it goes only once no trace refers to it.
          await this.writer.run(
            `DELETE FROM span_requests WHERE request_id IN (${idList}) AND request_id NOT IN (SELECT request_id FROM span_batches WHERE request_id IN (${idList}))`,
          );
        }
      }
    });
    for (const summary of removed) this.statsIndex.remove(summary);
    if (removed.length > 0) await this.values.removeSegmentsExcept(await this.liveSegments());
    return removed.length;
  }

  pendingTraceIds(limit?: number): Promise<string[]> {
    return spanLogReads.pendingTraceIds(this.readRows, limit);
  }

  listTraces(query: TraceListQuery) {
    return this.snapshotRead((read) => traceQueries.listTraces(read, query));
  }
  getTraceDetail(traceId: string) {
    const { spanViews } = this;
    const derive = spanViews
      ? async (analysedSpanCount: number, settingsKey: string, requests: RequestRange | undefined) => {
          const [stored, settings] = await Promise.all([this.loadTraceSpans([traceId], requests), this.settingsFor(settingsKey)]);
          const spans = stored.get(traceId);
          return spans ? spanViews.derive(spans, analysedSpanCount, settings) : undefined;
        }
      : undefined;
    return traceQueries.getTraceDetail(this.readRows, (ref) => this.values.read(ref), traceId, derive);
  }

  /** The analysis settings a key names: this store's, or earlier ones read from `analysis_settings` (this store's if the row is missing). */
  private async settingsFor(key: string): Promise<SpanViewSettings> {
    const current = this.spanViews!.settings;
    if (key === this.settingsKey) return current;
    let earlier = this.earlierSettings.get(key);
    if (!earlier) {
      earlier = this.readRows('SELECT settings FROM analysis_settings WHERE settings_key = ? LIMIT 1', [key]).then((rows) =>
        rows.length > 0 ? settingsFromJson(rows[0][0] as string) : undefined,
      );
      earlier.catch(() => this.earlierSettings.delete(key));
      this.earlierSettings.set(key, earlier);
    }
    return (await earlier) ?? current;
  }

  /** Blob log segments some row still refers to (read after retention removed rows). */
  private async liveSegments(): Promise<Set<number>> {
    const rows = await this.read(
      `SELECT DISTINCT body_segment FROM span_requests WHERE body_segment IS NOT NULL
       UNION SELECT DISTINCT detail_segment FROM traces WHERE detail_segment IS NOT NULL`,
    );
    return new Set(rows.map((row) => Number(row[0])));
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
  /** Four reads of one snapshot: the thresholds, group sizes and sums agree on which traces there are. */
  criticalPath(query: CriticalPathQuery) {
    return this.snapshotRead((read) => criticalPathQueries.criticalPath(read, query));
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
    return this.transact(() => alertQueries.saveAlertRule(this.runWrite, rule, Date.now()));
  }
  async deleteAlertRule(ruleId: string) {
    let existed = false;
    await this.transact(async () => {
      existed = await alertQueries.deleteAlertRule(this.readRows, this.runWrite, ruleId, Date.now());
    });
    return existed;
  }
  async seedAlertRules(rules: readonly AlertRule[]) {
    let seeded: AlertRule[] = [];
    await this.transact(async () => {
      seeded = await alertQueries.seedAlertRules(this.readRows, this.runWrite, rules, Date.now());
    });
    return seeded;
  }
  appendAlertEvent(event: AlertEvent) {
    return this.transact(() => alertQueries.appendAlertEvent(this.runWrite, event));
  }
  listAlertEvents(query: AlertEventsQuery) {
    return alertQueries.listAlertEvents(this.readRows, query);
  }
  latestAlertEvents() {
    return alertQueries.latestAlertEvents(this.readRows);
  }
  saveAlertDelivery(delivery: AlertDelivery) {
    return this.transact(() => alertQueries.saveAlertDelivery(this.runWrite, delivery));
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
    this.closed = true;
    await this.settled();
    await closeDuckDbDatabase(this.db).catch(() => closeDuckDbDatabase(this.db, true));
    await this.values.close();
  }

  /** One transaction of the analysis writer, guarded. */
  private transact(body: () => Promise<void>): Promise<void> {
    return this.guard(() => this.writes.transaction(body));
  }

  private readonly readRows: ReadRows = (sql, params) => this.read(sql, params);
  private readonly runWrite: alertQueries.RunSql = (sql, params) => this.writer.run(sql, params);

  /** Runs reads in one transaction on a connection of their own, so they all see one snapshot. */
  private async snapshotRead<T>(body: (read: ReadRows) => Promise<T>): Promise<T> {
    const { snapshotReads } = this.db;
    const { connection } = snapshotReads;
    let result: { value: T } | undefined;
    await this.guard(() =>
      snapshotReads.transaction(async () => {
        result = {
          value: await body(async (sql, params = []) => (await connection.runAndReadAll(sql, params)).getRowsJS() as unknown[][]),
        };
      }),
    );
    return result!.value;
  }

  private read(sql: string, params: DuckDBValue[] = []): Promise<unknown[][]> {
    return this.guard(async () => {
      const { readers } = this.db;
      const connection = readers[this.nextReader % readers.length];
      this.nextReader = (this.nextReader + 1) % readers.length;
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowsJS() as unknown[][];
    });
  }
}

/** The name of analysis settings in `analysis_settings`: a digest of their JSON. */
function settingsKeyOf(settings: SpanViewSettings): string {
  return createHash('sha256').update(settingsJson(settings)).digest('hex').slice(0, 32);
}

/**
 * Analysis settings as JSON. Mapping rules hold regular expressions (a rule's span name, an
 * attribute's pattern), which JSON would write as `{}`: each is written as `{"$regexp": source,
 * "flags": flags}` and read back as the RegExp.
 */
export function settingsJson(settings: SpanViewSettings): string {
  return JSON.stringify(settings, (_key, value: unknown) =>
    value instanceof RegExp ? { $regexp: value.source, flags: value.flags } : value,
  );
}

/** Settings written by `settingsJson`, regular expressions restored. */
export function settingsFromJson(json: string): SpanViewSettings {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const { $regexp, flags } = value as { $regexp?: unknown; flags?: unknown };
    return typeof $regexp === 'string' && typeof flags === 'string' && Object.keys(value).length === 2 ? new RegExp($regexp, flags) : value;
  }) as SpanViewSettings;
}
