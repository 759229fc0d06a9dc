/**
 * ClickHouse layout (works on 18.16 and current servers), shaped by a workload of many writers:
 *
 * - `span_requests`: every accepted OTLP request as it arrived (compressed, base64 text), keyed by
 *   a request id that starts with the receive time, so ids sort in arrival order across replicas.
 *   Partitioned by receive month: retention drops whole partitions.
 * - `span_batches`: one row per (request, trace) with its span count, ordered by trace id: loading
 *   one trace's spans reads a few granules through the primary index, on any replica.
 * - `traces`: one row per analysed trace and version. ReplacingMergeTree keyed by trace id with the
 *   analysed span count as version: whichever replica analyses a trace, the analysis covering the
 *   most spans wins, and inserting the same analysis twice is harmless. The trace's llm/tool/
 *   state/orchestration facts and its findings are arrays in the same row, so they are replaced
 *   together with it (`ARRAY JOIN` reads them). Reads use `FINAL`. The sorting key is the trace id
 *   alone because it is the only key a trace keeps across versions (its start moves when a late
 *   root span arrives, and rows only collapse with equal keys in one partition); time-range
 *   queries read the 8-byte `start_ms` column, and single-trace lookup is a primary-key range.
 * - The trace's critical path grouped by operation (core's `criticalOperations`) is three more
 *   parallel arrays, `critical_*`; `critical_path_stored` tells a row written with them from one
 *   written before they existed (left out of `/api/critical-path` until analysed again).
 * - Granules are small where rows are large: a point read decompresses one granule of every
 *   column it selects, so 8,192 rows (the default) of request bodies or trace details would be
 *   tens of megabytes per lookup. 32 requests, 256 traces, 1,024 index rows per granule.
 * - `alert_rules`, `alert_events`, `alert_deliveries`: alerting's small tables; rules and
 *   deliveries replaced by version, events appended.
 */
export const CLICKHOUSE_SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS span_requests (
     request_id String,
     received_ms Float64,
     format String,
     encoding String,
     body String)
   ENGINE = MergeTree
   PARTITION BY toYYYYMM(toDate(toDateTime(intDiv(toUInt64(received_ms), 1000))))
   ORDER BY request_id
   SETTINGS index_granularity = 32`,
  `CREATE TABLE IF NOT EXISTS span_batches (
     trace_id String,
     request_id String,
     span_count UInt32,
     received_ms Float64)
   ENGINE = MergeTree
   PARTITION BY toYYYYMM(toDate(toDateTime(intDiv(toUInt64(received_ms), 1000))))
   ORDER BY (trace_id, request_id)
   SETTINGS index_granularity = 1024`,
  `CREATE TABLE IF NOT EXISTS traces (
     trace_id String,
     version UInt64,
     start_ms Float64,
     duration_ms Float64,
     perceived_ms Float64,
     service String,
     name String,
     task_class String,
     session_id Nullable(String),
     turn Nullable(Int32),
     band String,
     perceived_band String,
     budget_ms Float64,
     over_budget UInt8,
     span_count UInt32,
     llm_calls UInt32,
     tool_calls UInt32,
     first_ttft_ms Nullable(Float64),
     error UInt8,
     llm_ms Float64,
     tool_ms Float64,
     state_ms Float64,
     orchestration_ms Float64,
     other_ms Float64,
     input_tokens Float64,
     analysed_span_count UInt32,
     detail String,
     fact_service Array(String),
     fact_category Array(String),
     fact_name Array(String),
     fact_model Array(Nullable(String)),
     fact_provider Array(Nullable(String)),
     fact_streaming Array(Nullable(UInt8)),
     fact_ttft_ms Array(Nullable(Float64)),
     fact_tpot_ms Array(Nullable(Float64)),
     fact_input_tokens Array(Nullable(Float64)),
     fact_output_tokens Array(Nullable(Float64)),
     fact_duration_ms Array(Float64),
     fact_cache_hit Array(Nullable(UInt8)),
     fact_cold_start Array(Nullable(UInt8)),
     fact_error Array(UInt8),
     fact_aggregate Array(UInt8),
     fact_max_chunk_gap_ms Array(Nullable(Float64)),
     fact_llm_call Array(UInt8),
     finding_json Array(String),
     critical_path_stored UInt8,
     critical_category Array(String),
     critical_name Array(String),
     critical_ms Array(Float64))
   ENGINE = ReplacingMergeTree(version)
   ORDER BY trace_id
   SETTINGS index_granularity = 256`,
  `CREATE TABLE IF NOT EXISTS alert_rules (
     id String,
     version UInt64,
     deleted UInt8,
     rule String)
   ENGINE = ReplacingMergeTree(version)
   ORDER BY id`,
  `CREATE TABLE IF NOT EXISTS alert_events (
     id String,
     rule_id String,
     at_ms Float64,
     event String)
   ENGINE = MergeTree
   ORDER BY (rule_id, at_ms, id)`,
  `CREATE TABLE IF NOT EXISTS alert_deliveries (
     id String,
     version UInt64,
     event_id String,
     delivery String)
   ENGINE = ReplacingMergeTree(version)
   ORDER BY id`,
];

/**
 * Whether each fact of a row stored before `fact_llm_call` existed is an llm call, from the arrays
 * it has (the default such rows read the column with; rows written since carry core's answer).
 * Core's `isLlmCall` is an llm span that is neither a wrapper (`fact_aggregate`, stored) nor a
 * chunk of a stream. The only spans core takes for chunks are Mastra's `model_chunk` and
 * `llm_chunk` (mastra-classifier.ts), which Mastra names `chunk: '<type>'` (its
 * `ModelSpanTracker`); the stored name of an llm span is its span name. So an older llm fact is
 * a call unless it is a wrapper or named like a Mastra chunk: core's answer for every row, short
 * of an llm call outside Mastra whose span is named `chunk: '…'`. The DuckDB store backfills its
 * older rows with the same rule (`LEGACY_LLM_CALL_SQL` of its schema).
 */
const LEGACY_LLM_CALL_SQL =
  "arrayMap((category, aggregate, name) -> toUInt8(category = 'llm' AND aggregate = 0 AND NOT (name LIKE 'chunk: \\'%')), fact_category, fact_aggregate, fact_name)";

/**
 * Columns added to `traces` since it was first created, with what older rows read for them.
 * 18.16 has no `ADD COLUMN IF NOT EXISTS`, so the store adds the ones `system.columns` lacks. A
 * fact array must have as many items as its siblings (ARRAY JOIN reads them together), so the
 * chunk-gap array of an older row reads as one NULL per fact: no gap recorded.
 */
export const CLICKHOUSE_ADDED_TRACE_COLUMNS: ReadonlyArray<{ name: string; definition: string }> = [
  {
    name: 'fact_max_chunk_gap_ms',
    definition: 'Array(Nullable(Float64)) DEFAULT arrayMap(x -> CAST(NULL AS Nullable(Float64)), fact_duration_ms)',
  },
  { name: 'critical_path_stored', definition: 'UInt8 DEFAULT 0' },
  { name: 'critical_category', definition: 'Array(String)' },
  { name: 'critical_name', definition: 'Array(String)' },
  { name: 'critical_ms', definition: 'Array(Float64)' },
  { name: 'fact_llm_call', definition: `Array(UInt8) DEFAULT ${LEGACY_LLM_CALL_SQL}` },
];
