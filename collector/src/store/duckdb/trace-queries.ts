import type { SpanView, TraceDetail, TraceList } from '@threshold/core';
import type { TraceListQuery } from '../trace-queries.js';
import { SqlWhere, type ReadRows } from './sql-where.js';
import { parseStoredDetail, storedValueRef, SUMMARY_SELECT, traceRowToSummary } from './trace-row.js';
import type { BlobRef } from '../blob-log/blob-log.js';
import type { RequestRange } from '../span-log.js';
import { traceOrderBy } from '../rows/trace-order-sql.js';
import { traceDetailFromStored } from '../rows/stored-detail.js';

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
  const rows = await read(
    `SELECT ${SUMMARY_SELECT} FROM traces ${where} ${traceOrderBy(query.sort, query.order)} LIMIT ${query.limit} OFFSET ${query.offset}`,
    where.params,
  );
  const [[total]] = await read(`SELECT count(*)::DOUBLE FROM traces ${where}`, where.params);
  return { traces: rows.map(traceRowToSummary), total: total as number };
}

/**
 * A point lookup through the primary-key index, then one read of the detail from the blob log
 * (inline in rows written before the log): cost independent of how much is stored. A detail that
 * keeps no span views has them derived (`deriveViews`) from the first `analysed_span_count` stored
 * spans with the settings the analysis had; undefined when they are gone (retention removed the trace meanwhile).
 */
export async function getTraceDetail(
  read: ReadRows,
  readValue: (ref: BlobRef) => Promise<Uint8Array>,
  traceId: string,
  deriveViews?: (analysedSpanCount: number, settingsKey: string, requests: RequestRange | undefined) => Promise<SpanView[] | undefined>,
): Promise<TraceDetail | undefined> {
  const rows = await read(
    `SELECT ${SUMMARY_SELECT}, analysed_span_count, detail, detail_segment, detail_offset, detail_length FROM traces WHERE trace_id = ?`,
    [traceId],
  );
  if (rows.length === 0) return undefined;
  const row = rows[0];
  const [analysedSpanCount, inline, segment, offset, length] = row.slice(-5);
  const ref = storedValueRef(segment, offset, length);
  const detail = parseStoredDetail(ref ? await readValue(ref) : inline);
  let spans: SpanView[] | undefined = detail.spans;
  if ('settingsKey' in detail) {
    if (!deriveViews)
      throw new Error(`trace ${traceId}: its span views are derived from its spans, and this store was opened without spanViews`);
    spans = await deriveViews(analysedSpanCount as number, detail.settingsKey, detail.requests);
  }
  if (spans === undefined) return undefined;
  const { findings, warnings } = detail;
  return traceDetailFromStored(traceRowToSummary(row.slice(0, -5)), { spans, findings, warnings });
}
