import { BIGINT, BLOB, DOUBLE, INTEGER, VARCHAR, blobValue } from '@duckdb/node-api';
import type { BlobRef } from '../blob-log/blob-log.js';
import type { RawRequest } from '../span-log.js';
import type { SpanBatchRow } from '../rows/span-batch-row.js';
import type { ColumnSpec } from './append-columns.js';

/** A `span_requests` row: one accepted request, where its stored bytes are in the blob log. */
export interface SpanRequestRow {
  requestId: number;
  receivedMs: number;
  request: RawRequest;
  body: BlobRef;
}

/** The inline `body` of rows whose bytes are in the blob log. */
const IN_LOG = new Uint8Array(0);

export const SPAN_REQUEST_COLUMNS: readonly ColumnSpec<SpanRequestRow>[] = [
  { name: 'request_id', type: BIGINT, value: (row) => BigInt(row.requestId) },
  { name: 'received_ms', type: DOUBLE, value: (row) => row.receivedMs },
  { name: 'format', type: VARCHAR, value: (row) => row.request.format },
  { name: 'encoding', type: VARCHAR, value: (row) => row.request.encoding },
  { name: 'body', type: BLOB, value: () => blobValue(IN_LOG) },
  { name: 'body_segment', type: INTEGER, value: (row) => row.body.segment },
  { name: 'body_offset', type: BIGINT, value: (row) => BigInt(row.body.offset) },
  { name: 'body_length', type: INTEGER, value: (row) => row.body.length },
];

/** `span_batches` columns (rows built by `rows/span-batch-row.ts`). */
export const SPAN_BATCH_COLUMNS: readonly ColumnSpec<SpanBatchRow>[] = [
  { name: 'trace_id', type: VARCHAR, value: (row) => row.traceId },
  { name: 'span_count', type: INTEGER, value: (row) => row.spanCount },
  { name: 'request_id', type: BIGINT, value: (row) => BigInt(row.requestId) },
];
