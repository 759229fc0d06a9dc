import type { TraceDetail, TraceList } from '@threshold/core';
import { traceDetailFromStored, type StoredDetail } from '../rows/stored-detail.js';
import type { TraceListQuery } from '../trace-queries.js';
import { ClickHouseWhere } from './clickhouse-where.js';
import { sqlLiteral } from './sql-literal.js';
import { SUMMARY_SELECT, traceRowToSummary } from './trace-row.js';
import { traceOrderBy } from '../rows/trace-order-sql.js';

/** Runs a SELECT and returns rows of JSON values. */
export type ReadRows = (sql: string) => Promise<unknown[][]>;

const whole = (value: number) => sqlLiteral(Math.max(0, Math.floor(value)));

/** Filtered and ordered (newest first unless the query sorts); `total` counts every match, not just the page. */
export async function listTraces(read: ReadRows, query: TraceListQuery): Promise<TraceList> {
  const where = new ClickHouseWhere()
    .window(query)
    .add('task_class = ?', query.taskClass)
    .add('band = ?', query.band)
    .add('session_id = ?', query.sessionId)
    .add('duration_ms >= ?', query.minDurationMs);
  const [rows, countRows] = await Promise.all([
    read(
      `SELECT ${SUMMARY_SELECT} FROM traces FINAL ${where}
       ${traceOrderBy(query.sort, query.order)} LIMIT ${whole(query.offset)}, ${whole(query.limit)}`,
    ),
    read(`SELECT toFloat64(count()) FROM traces FINAL ${where}`),
  ]);
  return { traces: rows.map(traceRowToSummary), total: countRows[0][0] as number };
}

/** A primary-key range read: cost independent of how many traces are stored. */
export async function getTraceDetail(read: ReadRows, traceId: string): Promise<TraceDetail | undefined> {
  const rows = await read(`SELECT ${SUMMARY_SELECT}, detail FROM traces FINAL WHERE trace_id = ${sqlLiteral(traceId)}`);
  if (rows.length === 0) return undefined;
  const row = rows[0];
  const detail = JSON.parse(row[row.length - 1] as string) as StoredDetail;
  return traceDetailFromStored(traceRowToSummary(row), detail);
}
