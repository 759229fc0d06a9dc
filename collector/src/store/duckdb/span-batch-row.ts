import { INTEGER, DOUBLE, VARCHAR } from '@duckdb/node-api';
import type { SpanRecord } from '@threshold/core';
import { spanRecordsToJson } from '../span-record-json.js';
import type { ColumnSpec } from './append-columns.js';

/** A `span_batches` row: the spans of one trace that arrived together. */
export interface SpanBatchRow {
  traceId: string;
  spanCount: number;
  receivedMs: number;
  payload: string;
}

export const SPAN_BATCH_COLUMNS: readonly ColumnSpec<SpanBatchRow>[] = [
  { name: 'trace_id', type: VARCHAR, value: (row) => row.traceId },
  { name: 'span_count', type: INTEGER, value: (row) => row.spanCount },
  { name: 'received_ms', type: DOUBLE, value: (row) => row.receivedMs },
  { name: 'payload', type: VARCHAR, value: (row) => row.payload },
];

/** Groups spans by trace, keeping arrival order inside each trace. */
export function toSpanBatchRows(spans: readonly SpanRecord[], receivedMs: number): SpanBatchRow[] {
  const byTrace = new Map<string, SpanRecord[]>();
  for (const span of spans) {
    const group = byTrace.get(span.traceId);
    if (group) group.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return [...byTrace].map(([traceId, group]) => ({
    traceId,
    spanCount: group.length,
    receivedMs,
    payload: spanRecordsToJson(group),
  }));
}
