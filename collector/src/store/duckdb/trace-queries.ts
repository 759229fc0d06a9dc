import type { TraceDetail, TraceList } from '@threshold/core';
import type { TraceListQuery } from '../store.js';
import { SqlWhere, type ReadRows } from './sql-where.js';
import { parseStoredDetail, SUMMARY_SELECT, traceRowToSummary } from './trace-row.js';
import { traceOrderBy } from '../trace-order-sql.js';

/** Filtered and ordered (newest first unless the query sorts); `total` counts every match, not just the page. */
/** The page and its total; `read` must run both statements in one snapshot. */
export async function listTraces(read: ReadRows, query: TraceListQuery): Promise<TraceList> {
  const where = new SqlWhere()
    .window(query)
    .add('task_class = ?', query.taskClass)
    .add('band = ?', query.band)
    .add('session_id = ?', query.sessionId)
    .add('duration_ms >= ?', query.minDurationMs);
  // `read` runs both in one transaction (one snapshot): as two reads on two connections, an
  // analysis committed between them showed a total of 1 beside an empty page. (One statement
  // joining the count to the page failed now and then under concurrent appends with DuckDB's
  // "Invalid unicode detected in value construction".)
  const rows = await read(`SELECT ${SUMMARY_SELECT} FROM traces ${where} ${traceOrderBy(query.sort, query.order)} LIMIT ${query.limit} OFFSET ${query.offset}`, where.params);
  const [[total]] = await read(`SELECT count(*)::DOUBLE FROM traces ${where}`, where.params);
  return { traces: rows.map(traceRowToSummary), total: total as number };
}

/** A point lookup through the primary-key index: cost independent of how much is stored. */
export async function getTraceDetail(read: ReadRows, traceId: string): Promise<TraceDetail | undefined> {
  const rows = await read(`SELECT ${SUMMARY_SELECT}, detail FROM traces WHERE trace_id = ?`, [traceId]);
  if (rows.length === 0) return undefined;
  const row = rows[0];
  const detail = parseStoredDetail(row[row.length - 1]);
  return { summary: traceRowToSummary(row), spans: detail.spans, findings: detail.findings };
}
