import {
  OPERATION_CATEGORIES,
  type FiltersResponse,
  type LatencyTriple,
  type ModelsResponse,
  type OperationCategory,
  type OperationsResponse,
  type SessionDetail,
  type SessionsResponse,
  type TaskClassConfig,
} from '@threshold/core';
import type { FindingsQuery, OperationsQuery, SessionsQuery, StoredFinding, WindowQuery } from '../trace-queries.js';
import { FILTER_VALUE_MAX_LENGTH, FILTER_VALUES_LISTED, filtersResponse } from '../rows/filter-values.js';
import { FINDING_SELECT, storedFindingFromRow } from '../rows/stored-finding-row.js';
import { modelStats, operationStats, sessionSummaryFromRow, sessionTurnFromRow } from '../rows/dashboard-rows.js';
import { ClickHouseWhere } from './clickhouse-where.js';
import { r7PercentileSql, r7TripleSql } from './r7-percentile-sql.js';
import { sqlList, sqlLiteral } from './sql-literal.js';
import type { ReadRows } from './trace-queries.js';

const triple = (row: readonly unknown[], at: number): LatencyTriple | null =>
  row[at] === null ? null : { p50Ms: row[at] as number, p95Ms: row[at + 1] as number, p99Ms: row[at + 2] as number };

/**
 * The facts of each current trace version, one row per llm/tool/state/orchestration span, with
 * the trace's start and the span's service: what DuckDB keeps as `span_facts`.
 */
const FACTS = `(SELECT trace_id, start_ms AS trace_start_ms, service AS f_service, category, f_name, model, provider, streaming,
    ttft_ms, tpot_ms, f_input_tokens, f_output_tokens, f_duration_ms, cache_hit, cold_start, f_error, llm_call, max_chunk_gap_ms
  FROM traces FINAL
  ARRAY JOIN fact_service AS service, fact_category AS category, fact_name AS f_name, fact_model AS model,
    fact_provider AS provider, fact_streaming AS streaming, fact_ttft_ms AS ttft_ms, fact_tpot_ms AS tpot_ms,
    fact_input_tokens AS f_input_tokens, fact_output_tokens AS f_output_tokens, fact_duration_ms AS f_duration_ms,
    fact_cache_hit AS cache_hit, fact_cold_start AS cold_start, fact_error AS f_error, fact_llm_call AS llm_call,
    fact_max_chunk_gap_ms AS max_chunk_gap_ms)`;

/** A window on facts: the trace's start time, the span's service. */
function factWindow(query: WindowQuery): ClickHouseWhere {
  return new ClickHouseWhere()
    .add('trace_start_ms >= ?', query.from)
    .add('trace_start_ms < ?', query.to)
    .add('f_service = ?', query.service);
}

/** The most frequent services and task classes (see rows/filter-values.ts for the bounds). */
export async function filters(read: ReadRows, config: TaskClassConfig): Promise<FiltersResponse> {
  const short = (column: string) => `lengthUTF8(${column}) <= ${FILTER_VALUE_MAX_LENGTH}`;
  const [services, classes, tooLong] = await Promise.all([
    read(
      `SELECT service, count() AS n FROM traces FINAL WHERE ${short('service')}
       GROUP BY service ORDER BY n DESC, service LIMIT ${FILTER_VALUES_LISTED + 1}`,
    ),
    read(
      `SELECT task_class, argMax(budget_ms, start_ms), count() AS n FROM traces FINAL WHERE ${short('task_class')}
       GROUP BY task_class ORDER BY n DESC, task_class LIMIT ${FILTER_VALUES_LISTED + 1}`,
    ),
    read(`SELECT max(NOT ${short('service')}), max(NOT ${short('task_class')}) FROM traces FINAL`),
  ]);
  const [servicesTooLong, classesTooLong] = (tooLong[0] ?? [0, 0]).map((flag) => Number(flag) === 1);
  return filtersResponse(config, { rows: services, anyTooLong: servicesTooLong }, { rows: classes, anyTooLong: classesTooLong });
}

/** Llm calls per model: the spans core counts as calls (`llm_call`: no wrapper, no stream chunk). */
export async function models(read: ReadRows, query: WindowQuery): Promise<ModelsResponse> {
  const where = factWindow(query).add('llm_call = 1');
  const rows = await read(
    `WITH arraySort(groupArrayIf(assumeNotNull(ttft_ms), isNotNull(ttft_ms))) AS ttfts,
       arraySort(groupArrayIf(assumeNotNull(tpot_ms), isNotNull(tpot_ms))) AS tpots,
       arraySort(groupArray(f_duration_ms)) AS durations,
       arraySort(groupArrayIf(assumeNotNull(max_chunk_gap_ms), isNotNull(max_chunk_gap_ms))) AS gaps
     SELECT ifNull(model, 'unknown') AS m, any(provider), toFloat64(count()) AS n, avg(ifNull(streaming, 0)),
       ${r7TripleSql('ttfts')}, ${r7TripleSql('tpots')}, ${r7TripleSql('durations')},
       toFloat64(ifNull(sum(f_input_tokens), 0)), toFloat64(ifNull(sum(f_output_tokens), 0)), ${r7TripleSql('gaps')}
     FROM ${FACTS} ${where} GROUP BY m ORDER BY n DESC, m`,
  );
  return {
    models: rows.map((row) =>
      modelStats({
        model: row[0] as string,
        provider: row[1] as string | null,
        calls: row[2] as number,
        streamingRate: row[3] as number,
        ttft: triple(row, 4),
        tpot: triple(row, 7),
        duration: triple(row, 10)!,
        maxChunkGap: triple(row, 15),
        inputTokens: row[13] as number,
        outputTokens: row[14] as number,
      }),
    ),
  };
}

export async function operations(read: ReadRows, query: OperationsQuery): Promise<OperationsResponse> {
  const where = factWindow(query)
    .add(`category IN ${sqlList(OPERATION_CATEGORIES)}`)
    .add('category = ?', query.category);
  const rows = await read(
    `WITH arraySort(groupArray(f_duration_ms)) AS durations
     SELECT category, f_name, toFloat64(count()) AS n, avg(f_error),
       avg(ifNull(cache_hit, 0)), avg(ifNull(cold_start, 0)), ${r7TripleSql('durations')}
     FROM ${FACTS} ${where} GROUP BY category, f_name ORDER BY n DESC, category, f_name`,
  );
  return {
    operations: rows.map((row) =>
      operationStats({
        category: row[0] as OperationCategory,
        name: row[1] as string,
        calls: row[2] as number,
        errorRate: row[3] as number,
        cacheHitRate: row[4] as number,
        coldStartRate: row[5] as number,
        duration: triple(row, 6)!,
      }),
    ),
  };
}

export async function sessions(read: ReadRows, query: SessionsQuery): Promise<SessionsResponse> {
  const where = new ClickHouseWhere().window(query).add('isNotNull(session_id)');
  const page = `${sqlLiteral(Math.max(0, Math.floor(query.offset)))}, ${sqlLiteral(Math.max(0, Math.floor(query.limit)))}`;
  const [rows, countRows] = await Promise.all([
    read(
      `WITH arraySort(groupArray(duration_ms)) AS durations
       SELECT assumeNotNull(session_id) AS session, argMax(service, start_ms), toFloat64(count()), min(start_ms), max(start_ms) AS last_start,
         ${r7PercentileSql('durations', 0.5)}, max(duration_ms), argMax(input_tokens, start_ms)
       FROM traces FINAL ${where} GROUP BY session ORDER BY last_start DESC, session
       LIMIT ${page}`,
    ),
    read(`SELECT toFloat64(uniqExact(session_id)) FROM traces FINAL ${where}`),
  ]);
  return {
    sessions: rows.map(sessionSummaryFromRow),
    total: countRows[0][0] as number,
  };
}

export async function sessionDetail(read: ReadRows, sessionId: string): Promise<SessionDetail | undefined> {
  const rows = await read(
    `SELECT trace_id, turn, start_ms, duration_ms, perceived_ms, input_tokens, llm_calls
     FROM traces FINAL WHERE session_id = ${sqlLiteral(sessionId)} ORDER BY start_ms, trace_id`,
  );
  if (rows.length === 0) return undefined;
  return {
    sessionId,
    turns: rows.map(sessionTurnFromRow),
  };
}

export async function findings(read: ReadRows, query: FindingsQuery): Promise<StoredFinding[]> {
  const where = new ClickHouseWhere().window(query).add('task_class = ?', query.taskClass);
  const rows = await read(
    `SELECT ${FINDING_SELECT}
     FROM traces FINAL ARRAY JOIN finding_json AS finding, arrayEnumerate(finding_json) AS finding_index ${where}
     ORDER BY start_ms, trace_id, finding_index`,
  );
  return rows.map(storedFindingFromRow);
}
