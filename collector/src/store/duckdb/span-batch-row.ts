import { BIGINT, BLOB, DOUBLE, INTEGER, VARCHAR, blobValue } from '@duckdb/node-api';
import type { SpanRecord } from '@threshold/core';
import type { RawRequest } from '../store.js';
import type { ColumnSpec } from './append-columns.js';

/** A `span_requests` row: one accepted request, its bytes as stored. */
export interface SpanRequestRow {
  requestId: number;
  receivedMs: number;
  request: RawRequest;
}

export const SPAN_REQUEST_COLUMNS: readonly ColumnSpec<SpanRequestRow>[] = [
  { name: 'request_id', type: BIGINT, value: (row) => BigInt(row.requestId) },
  { name: 'received_ms', type: DOUBLE, value: (row) => row.receivedMs },
  { name: 'format', type: VARCHAR, value: (row) => row.request.format },
  { name: 'encoding', type: VARCHAR, value: (row) => row.request.encoding },
  { name: 'body', type: BLOB, value: (row) => blobValue(row.request.bytes) },
];

/** A `span_batches` row: how many spans of one trace one request holds. */
export interface SpanBatchRow {
  traceId: string;
  spanCount: number;
  requestId: number;
}

export const SPAN_BATCH_COLUMNS: readonly ColumnSpec<SpanBatchRow>[] = [
  { name: 'trace_id', type: VARCHAR, value: (row) => row.traceId },
  { name: 'span_count', type: INTEGER, value: (row) => row.spanCount },
  { name: 'request_id', type: BIGINT, value: (row) => BigInt(row.requestId) },
];

/** Counts a request's spans per trace. */
export function toSpanBatchRows(spans: readonly SpanRecord[], requestId: number): SpanBatchRow[] {
  const counts = new Map<string, number>();
  for (const span of spans) counts.set(span.traceId, (counts.get(span.traceId) ?? 0) + 1);
  return [...counts].map(([traceId, spanCount]) => ({ traceId, spanCount, requestId }));
}
