/**
 * DuckDB layout, shaped by the queries it must answer fast:
 *
 * - `span_requests`: every accepted OTLP request exactly as it arrived (compressed: a gzip request
 *   stays gzipped, others get Brotli at quality 0); the bytes are in the store's blob log
 *   (`store/blob-log/`), the row holds where (`body_segment`, `body_offset`, `body_length`). Storing the bytes costs no encoding
 *   work on the ingest path; they are decoded again only to analyse a trace anew (late span,
 *   restart, spilled backlog).
 * - `span_batches`: which traces each request holds and how many of their spans, one small row
 *   per (request, trace): the index from a trace to its requests.
 * - `traces`: one row per analysed trace. Scalar summary columns (columnar, so `/api/stats` over
 *   a million traces reads only the few it aggregates) plus where the analysed detail (compressed JSON) is in the blob log, found by
 *   the primary-key index, so `/api/traces/:id` is a point lookup however many spans are stored.
 *   `analysed_span_count` is the "analysed up to" marker compared with `span_batches` on restart.
 * - `span_facts`: one row per llm/tool/state/orchestration span of an analysed trace, for the
 *   models and operations views.
 * - `findings`: one row per recommendation finding, for cross-trace ranking.
 * - `critical_path_traces` and `critical_path_operations`: each analysed trace, and its critical
 *   path grouped by operation (core's `criticalOperations`), with the trace's filter columns
 *   repeated so `/api/critical-path` reads each table alone. A trace analysed before these tables
 *   existed has no row until it is analysed again, and is left out of that view meanwhile.
 */
export const SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS span_requests (
     request_id BIGINT NOT NULL,
     received_ms DOUBLE NOT NULL,
     format VARCHAR NOT NULL,
     encoding VARCHAR NOT NULL,
     body BLOB NOT NULL,
     body_segment INTEGER,
     body_offset BIGINT,
     body_length INTEGER)`,
  `CREATE TABLE IF NOT EXISTS span_batches (
     trace_id VARCHAR NOT NULL,
     span_count INTEGER NOT NULL,
     request_id BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS traces (
     trace_id VARCHAR PRIMARY KEY,
     start_ms DOUBLE NOT NULL,
     duration_ms DOUBLE NOT NULL,
     perceived_ms DOUBLE NOT NULL,
     service VARCHAR NOT NULL,
     name VARCHAR NOT NULL,
     task_class VARCHAR NOT NULL,
     session_id VARCHAR,
     turn INTEGER,
     band VARCHAR NOT NULL,
     perceived_band VARCHAR NOT NULL,
     budget_ms DOUBLE NOT NULL,
     over_budget BOOLEAN NOT NULL,
     span_count INTEGER NOT NULL,
     llm_calls INTEGER NOT NULL,
     tool_calls INTEGER NOT NULL,
     first_ttft_ms DOUBLE,
     error BOOLEAN NOT NULL,
     llm_ms DOUBLE NOT NULL,
     tool_ms DOUBLE NOT NULL,
     state_ms DOUBLE NOT NULL,
     orchestration_ms DOUBLE NOT NULL,
     other_ms DOUBLE NOT NULL,
     input_tokens DOUBLE NOT NULL,
     analysed_span_count INTEGER NOT NULL,
     detail BLOB NOT NULL,
     detail_segment INTEGER,
     detail_offset BIGINT,
     detail_length INTEGER)`,
  `CREATE TABLE IF NOT EXISTS span_facts (
     trace_id VARCHAR NOT NULL,
     start_ms DOUBLE NOT NULL,
     service VARCHAR NOT NULL,
     category VARCHAR NOT NULL,
     name VARCHAR NOT NULL,
     model VARCHAR,
     provider VARCHAR,
     streaming BOOLEAN,
     ttft_ms DOUBLE,
     tpot_ms DOUBLE,
     input_tokens DOUBLE,
     output_tokens DOUBLE,
     duration_ms DOUBLE NOT NULL,
     cache_hit BOOLEAN,
     cold_start BOOLEAN,
     error BOOLEAN NOT NULL,
     aggregate BOOLEAN NOT NULL,
     max_chunk_gap_ms DOUBLE)`,
  `CREATE TABLE IF NOT EXISTS findings (
     trace_id VARCHAR NOT NULL,
     start_ms DOUBLE NOT NULL,
     service VARCHAR NOT NULL,
     task_class VARCHAR NOT NULL,
     duration_ms DOUBLE NOT NULL,
     perceived_ms DOUBLE NOT NULL,
     rule_id VARCHAR NOT NULL,
     saving_ms DOUBLE NOT NULL,
     perceived BOOLEAN NOT NULL,
     finding VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS critical_path_traces (
     trace_id VARCHAR NOT NULL,
     start_ms DOUBLE NOT NULL,
     service VARCHAR NOT NULL,
     task_class VARCHAR NOT NULL,
     name VARCHAR NOT NULL,
     duration_ms DOUBLE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS critical_path_operations (
     trace_id VARCHAR NOT NULL,
     start_ms DOUBLE NOT NULL,
     service VARCHAR NOT NULL,
     task_class VARCHAR NOT NULL,
     name VARCHAR NOT NULL,
     duration_ms DOUBLE NOT NULL,
     category VARCHAR NOT NULL,
     operation VARCHAR NOT NULL,
     critical_ms DOUBLE NOT NULL)`,
];

/**
 * Brings a database written by an earlier version up to this layout: `traces.detail` was JSON
 * text (VARCHAR); its rows become the same bytes as a BLOB. Request bodies and details were kept
 * inline; their rows keep them there (the reference columns stay NULL), new rows refer to the log.
 * `span_facts` gained `max_chunk_gap_ms` (NULL on older rows: no recorded gap).
 */
export async function migrateSchema(read: (sql: string) => Promise<unknown[][]>, run: (sql: string) => Promise<unknown>): Promise<void> {
  const [detailType] = await read(`SELECT data_type FROM information_schema.columns WHERE table_name = 'traces' AND column_name = 'detail'`);
  if (detailType?.[0] === 'VARCHAR') await run('ALTER TABLE traces ALTER detail TYPE BLOB USING encode(detail)');
  for (const [table, prefix] of [['span_requests', 'body'], ['traces', 'detail']]) {
    await run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${prefix}_segment INTEGER`);
    await run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${prefix}_offset BIGINT`);
    await run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${prefix}_length INTEGER`);
  }
  // Streams' longest pause between chunks (last, where the appender and a new table both expect it).
  await run('ALTER TABLE span_facts ADD COLUMN IF NOT EXISTS max_chunk_gap_ms DOUBLE');
}
