import type { TraceDetail, TraceList } from '@threshold/core';
import type { TraceListQuery } from '../store.js';
import { SqlWhere, type ReadRows } from './sql-where.js';
import { parseStoredDetail, SUMMARY_SELECT, traceRowToSummary } from './trace-row.js';
import { traceOrderBy } from '../trace-order-sql.js';

/** Filtered and ordered (newest first unless the query sorts); `total` counts every match, not just the page. */
export async function listTraces(read: ReadRows, query: TraceListQuery): Promise<TraceList> {
  const where = new SqlWhere()
    .window(query)
    .add('task_class = ?', query.taskClass)
    .add('band = ?', query.band)
    .add('session_id = ?', query.sessionId)
    .add('duration_ms >= ?', query.minDurationMs);
  // One statement, so the page and the total come from the same snapshot: run as two reads on two
  // connections, an analysis committed between them showed a total of 1 beside an empty page.
  const orderBy = traceOrderBy(query.sort, query.order);
  const rows = await read(
    `SELECT page.*, matches.total
     FROM (SELECT count(*)::DOUBLE AS total FROM traces ${where}) matches
     LEFT JOIN (
       SELECT *, row_number() OVER (${orderBy}) AS page_row
       FROM (SELECT ${SUMMARY_SELECT} FROM traces ${where} ${orderBy} LIMIT ${query.limit} OFFSET ${query.offset})
     ) page ON true
     ORDER BY page.page_row`,
    [...where.params, ...where.params],
  );
  // The total is the last column; a page past the end is one row of NULLs beside it.
  const total = rows[0].at(-1) as number;
  return { traces: rows[0][0] === null ? [] : rows.map(traceRowToSummary), total };
}

/** A point lookup through the primary-key index: cost independent of how much is stored. */
export async function getTraceDetail(read: ReadRows, traceId: string): Promise<TraceDetail | undefined> {
  const rows = await read(`SELECT ${SUMMARY_SELECT}, detail FROM traces WHERE trace_id = ?`, [traceId]);
  if (rows.length === 0) return undefined;
  const row = rows[0];
  const detail = parseStoredDetail(row[row.length - 1]);
  return { summary: traceRowToSummary(row), spans: detail.spans, findings: detail.findings };
}
