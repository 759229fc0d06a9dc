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
import { SqlWhere, type ReadRows } from './sql-where.js';

const triple = (values: unknown): LatencyTriple | null => {
  if (values === null) return null;
  const [p50Ms, p95Ms, p99Ms] = values as number[];
  return { p50Ms, p95Ms, p99Ms };
};

/** The most frequent services and task classes (see rows/filter-values.ts for the bounds). */
export async function filters(read: ReadRows, config: TaskClassConfig): Promise<FiltersResponse> {
  const short = (column: string) => `length(${column}) <= ${FILTER_VALUE_MAX_LENGTH}`;
  const [services, classes, tooLong] = await Promise.all([
    read(
      `SELECT service, count(*) AS n FROM traces WHERE ${short('service')}
       GROUP BY service ORDER BY n DESC, service LIMIT ${FILTER_VALUES_LISTED + 1}`,
    ),
    read(
      `SELECT task_class, arg_max(budget_ms, start_ms), count(*) AS n FROM traces WHERE ${short('task_class')}
       GROUP BY task_class ORDER BY n DESC, task_class LIMIT ${FILTER_VALUES_LISTED + 1}`,
    ),
    read(
      `SELECT bool_or(length(service) > ${FILTER_VALUE_MAX_LENGTH}), bool_or(length(task_class) > ${FILTER_VALUE_MAX_LENGTH}) FROM traces`,
    ),
  ]);
  const [servicesTooLong, classesTooLong] = tooLong[0].map((flag) => flag === true);
  return filtersResponse(config, { rows: services, anyTooLong: servicesTooLong }, { rows: classes, anyTooLong: classesTooLong });
}

/** Llm calls per model: the spans core counts as calls (`llm_call`: no wrapper, no stream chunk). */
export async function models(read: ReadRows, query: WindowQuery): Promise<ModelsResponse> {
  const where = new SqlWhere().window(query).add('llm_call');
  const rows = await read(
    `SELECT coalesce(model, 'unknown') AS m, any_value(provider), count(*)::DOUBLE AS n,
       avg(coalesce(streaming, false)::DOUBLE),
       quantile_cont(ttft_ms, [0.5, 0.95, 0.99]) FILTER (WHERE ttft_ms IS NOT NULL),
       quantile_cont(tpot_ms, [0.5, 0.95, 0.99]) FILTER (WHERE tpot_ms IS NOT NULL),
       quantile_cont(duration_ms, [0.5, 0.95, 0.99]),
       coalesce(sum(input_tokens), 0)::DOUBLE, coalesce(sum(output_tokens), 0)::DOUBLE,
       quantile_cont(max_chunk_gap_ms, [0.5, 0.95, 0.99]) FILTER (WHERE max_chunk_gap_ms IS NOT NULL)
     FROM span_facts ${where} GROUP BY m ORDER BY n DESC, m`,
    where.params,
  );
  return {
    models: rows.map((row) =>
      modelStats({
        model: row[0] as string,
        provider: row[1] as string | null,
        calls: row[2] as number,
        streamingRate: row[3] as number,
        ttft: triple(row[4]),
        tpot: triple(row[5]),
        duration: triple(row[6])!,
        maxChunkGap: triple(row[9]),
        inputTokens: row[7] as number,
        outputTokens: row[8] as number,
      }),
    ),
  };
}

export async function operations(read: ReadRows, query: OperationsQuery): Promise<OperationsResponse> {
  const where = new SqlWhere()
    .window(query)
    .add(`category IN (${OPERATION_CATEGORIES.map(() => '?').join(', ')})`, ...OPERATION_CATEGORIES)
    .add('category = ?', query.category);
  const rows = await read(
    `SELECT category, name, count(*)::DOUBLE AS n, avg(error::DOUBLE),
       avg(coalesce(cache_hit, false)::DOUBLE), avg(coalesce(cold_start, false)::DOUBLE),
       quantile_cont(duration_ms, [0.5, 0.95, 0.99])
     FROM span_facts ${where} GROUP BY category, name ORDER BY n DESC, category, name`,
    where.params,
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
        duration: triple(row[6])!,
      }),
    ),
  };
}

export async function sessions(read: ReadRows, query: SessionsQuery): Promise<SessionsResponse> {
  const where = new SqlWhere().window(query).add('session_id IS NOT NULL');
  const [rows, countRows] = await Promise.all([
    read(
      `SELECT session_id, arg_max(service, start_ms), count(*)::DOUBLE, min(start_ms), max(start_ms),
         quantile_cont(duration_ms, 0.5), max(duration_ms), arg_max(input_tokens, start_ms)
       FROM traces ${where} GROUP BY session_id ORDER BY max(start_ms) DESC, session_id
       LIMIT ${query.limit} OFFSET ${query.offset}`,
      where.params,
    ),
    read(`SELECT count(DISTINCT session_id)::DOUBLE FROM traces ${where}`, where.params),
  ]);
  return {
    sessions: rows.map(sessionSummaryFromRow),
    total: countRows[0][0] as number,
  };
}

export async function sessionDetail(read: ReadRows, sessionId: string): Promise<SessionDetail | undefined> {
  const rows = await read(
    `SELECT trace_id, turn, start_ms, duration_ms, perceived_ms, input_tokens, llm_calls
     FROM traces WHERE session_id = ? ORDER BY start_ms, trace_id`,
    [sessionId],
  );
  if (rows.length === 0) return undefined;
  return {
    sessionId,
    turns: rows.map(sessionTurnFromRow),
  };
}

export async function findings(read: ReadRows, query: FindingsQuery): Promise<StoredFinding[]> {
  const where = new SqlWhere().window(query).add('task_class = ?', query.taskClass);
  const rows = await read(`SELECT ${FINDING_SELECT} FROM findings ${where} ORDER BY start_ms, trace_id`, where.params);
  return rows.map(storedFindingFromRow);
}
