import type { SpanRecord } from '@threshold/core';
import type { BlobRef } from '../blob-log/blob-log.js';
import { storedRequestBody } from '../raw-request-codec.js';
import type { DecodeRequest, RequestRange } from '../span-log.js';
import { chunks, IN_LIST_MAX, integerList, placeholders } from './sql-lists.js';
import type { ReadRows } from './sql-where.js';
import { storedValueRef } from './trace-row.js';

/** Stored requests read back per query (each up to a few hundred KB compressed). */
const REQUESTS_PER_READ = 64;

/**
 * Decodes each stored request that holds spans of the traces and keeps those spans, in arrival
 * order. The requests are found first, then read a few at a time by id: a join of `span_batches`
 * to `span_requests` scanned every stored body (measured with 6,000 stored requests: 300–1,400 ms
 * and tens of MB of DuckDB memory for 40 requests, against 10–130 ms this way).
 *
 * Finding the requests scans `span_batches` whole (trace ids are random, so DuckDB's min/max per
 * row group skips nothing): 15 ms with a million traces stored, 62 ms with five million. Given
 * `within`, the range of requests that holds every span wanted, it reads only the row groups of
 * that range (request ids grow as requests are committed).
 */
export async function loadTraceSpans(
  read: ReadRows,
  readValue: (ref: BlobRef) => Promise<Uint8Array>,
  decodeRequest: DecodeRequest,
  traceIds: readonly string[],
  within?: RequestRange,
): Promise<Map<string, SpanRecord[]>> {
  const spans = new Map<string, SpanRecord[]>();
  const range = within ? ` AND request_id BETWEEN ${integerList([within.first])} AND ${integerList([within.last])}` : '';
  for (const ids of chunks(traceIds, IN_LIST_MAX)) {
    const wanted = new Set(ids);
    const found = await read(
      `SELECT DISTINCT request_id FROM span_batches WHERE trace_id IN (${placeholders(ids.length)})${range} ORDER BY request_id`,
      ids,
    );
    for (const requestIds of chunks(
      found.map((row) => Number(row[0])),
      REQUESTS_PER_READ,
    )) {
      const rows = await read(
        `SELECT format, encoding, body, body_segment, body_offset, body_length FROM span_requests WHERE request_id IN (${integerList(requestIds)}) ORDER BY request_id`,
      );
      for (const [format, encoding, inline, segment, offset, length] of rows) {
        const ref = storedValueRef(segment, offset, length);
        const body = ref ? await readValue(ref) : (inline as Uint8Array);
        const decoded = await decodeRequest(format as 'protobuf' | 'json', storedRequestBody(encoding as string, body));
        for (const span of decoded) {
          if (!wanted.has(span.traceId)) continue;
          const list = spans.get(span.traceId);
          if (list) list.push(span);
          else spans.set(span.traceId, [span]);
        }
      }
    }
  }
  return spans;
}

/** The subset of `traceIds` that already has a stored analysis. */
export async function analysedTraceIds(read: ReadRows, traceIds: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (const ids of chunks(traceIds, IN_LIST_MAX)) {
    const rows = await read(`SELECT trace_id FROM traces WHERE trace_id IN (${placeholders(ids.length)})`, ids);
    for (const [traceId] of rows) known.add(traceId as string);
  }
  return known;
}

/**
 * Traces with stored spans but no analysis, or an analysis older than their spans, in order of
 * their first stored request (see `SpanLog.pendingTraceIds`).
 */
export async function pendingTraceIds(read: ReadRows, limit?: number): Promise<string[]> {
  const rows = await read(
    `SELECT b.trace_id FROM (SELECT trace_id, sum(span_count) AS stored, min(request_id) AS first_request FROM span_batches GROUP BY trace_id) b
     LEFT JOIN traces t ON t.trace_id = b.trace_id
     WHERE t.trace_id IS NULL OR t.analysed_span_count < b.stored
     ORDER BY b.first_request, b.trace_id${limit === undefined ? '' : ` LIMIT ${Math.max(1, Math.floor(limit))}`}`,
  );
  return rows.map((row) => row[0] as string);
}
