import { SPAN_FACT_COLUMNS } from './span-fact-row.js';

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
 *   models and operations views and TTFT alerts: core's `SpanFacts` as they are (`llm_call` is
 *   core's `isLlmCall`; queries filter on it and never decide it again).
 * - `analysis_settings`: the settings traces were analysed with (span cap, task classes, mapping
 *   rules), one row per distinct settings, named by a digest of their JSON. A trace's detail keeps
 *   no span views, only its findings, warnings and that name: its views are derived when it is
 *   read, from its stored spans and the settings its analysis had, so the spans are stored once.
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
     max_chunk_gap_ms DOUBLE,
     llm_call BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS analysis_settings (
     settings_key VARCHAR NOT NULL,
     settings VARCHAR NOT NULL)`,
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
 * `span_facts` gained `max_chunk_gap_ms` (NULL on older rows: no recorded gap), then `llm_call`,
 * filled for older rows by `LEGACY_LLM_CALL_SQL`.
 */
export async function migrateSchema(read: (sql: string) => Promise<unknown[][]>, run: (sql: string) => Promise<unknown>): Promise<void> {
  const [detailType] = await read(
    `SELECT data_type FROM information_schema.columns WHERE table_name = 'traces' AND column_name = 'detail'`,
  );
  if (detailType?.[0] === 'VARCHAR') await run('ALTER TABLE traces ALTER detail TYPE BLOB USING encode(detail)');
  for (const [table, prefix] of [
    ['span_requests', 'body'],
    ['traces', 'detail'],
  ]) {
    await run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${prefix}_segment INTEGER`);
    await run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${prefix}_offset BIGINT`);
    await run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${prefix}_length INTEGER`);
  }
  // Streams' longest pause between chunks (last, where the appender and a new table both expect it).
  await run('ALTER TABLE span_facts ADD COLUMN IF NOT EXISTS max_chunk_gap_ms DOUBLE');
  const [[hasLlmCall]] = await read(
    `SELECT count(*) > 0 FROM information_schema.columns WHERE table_name = 'span_facts' AND column_name = 'llm_call'`,
  );
  if (hasLlmCall !== true) {
    await run('ALTER TABLE span_facts ADD COLUMN llm_call BOOLEAN');
    await run(`UPDATE span_facts SET llm_call = ${LEGACY_LLM_CALL_SQL}`);
  }
  // Rows are appended by position: a table whose columns are in another order would take each
  // value into its neighbour's column, so such a database is refused, never written.
  const columns = (
    await read(`SELECT column_name FROM information_schema.columns WHERE table_name = 'span_facts' ORDER BY ordinal_position`)
  ).map((row) => row[0]);
  const expected = SPAN_FACT_COLUMNS.map((column) => column.name);
  if (columns.join() !== expected.join())
    throw new Error(`span_facts has columns (${columns.join(', ')}), this version writes (${expected.join(', ')})`);
}

/**
 * Whether a `span_facts` row stored before `llm_call` existed is an llm call, from the columns
 * it has: core's `isLlmCall` is an llm span that is neither a wrapper (`aggregate`, stored) nor
 * a chunk of a stream. The only spans core takes for chunks are Mastra's `model_chunk` and
 * `llm_chunk` (mastra-classifier.ts), which Mastra names `chunk: '<type>'` (its
 * `ModelSpanTracker`); the stored name of an llm span is its span name. So an older llm row is a
 * call unless it is a wrapper or named like a Mastra chunk: core's answer for every row, short of
 * an llm call outside Mastra whose span is named `chunk: '…'`. Rows written since carry core's
 * answer itself; this is the one place the rule is spelled in SQL, for rows core never saw.
 */
export const LEGACY_LLM_CALL_SQL = `category = 'llm' AND NOT aggregate AND name NOT LIKE 'chunk: ''%'`;
