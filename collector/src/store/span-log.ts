import type { SpanRecord } from '@threshold/core';

/**
 * Reads stored spans back by trace: what re-analysis needs (what-if, the recommendations
 * warm-up, a trace completed from the store). Decoding is the store's `DecodeRequest`.
 */
export interface SpanReader {
  /** Every stored span of each trace, in arrival order (duplicates kept: analysis drops them). */
  loadTraceSpans(traceIds: readonly string[]): Promise<Map<string, SpanRecord[]>>;
}

/**
 * The durable log of accepted requests, indexed by trace: ingest appends to it, trace assembly
 * reads it back (late spans, restarts, spilled traces, other replicas' spans).
 */
export interface SpanLog extends SpanReader {
  /**
   * True when other collector processes write to the same store (ClickHouse behind a load
   * balancer): assembly then reads each trace's spans from the store before analysing it, since
   * other replicas may hold some of them.
   */
  readonly shared?: boolean;
  /**
   * Stores accepted requests and indexes their spans by trace, in one transaction; resolved means
   * durable. A request still `identity`-encoded is compressed here (`compressForStorage`); the
   * collector's ingest queue compresses on entry, so this finds them compressed already.
   */
  appendBatches(batches: readonly IngestBatch[]): Promise<void>;
  /**
   * How many spans of each trace are stored (rows, duplicates counted; traces with none left out).
   * A replica of a shared store compares it with the spans it holds, and reads a trace back from
   * the store only when other replicas stored more of it.
   */
  storedSpanCounts?(traceIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * Traces with stored spans but no analysis, or an analysis older than their spans: the first
   * `limit` in order of arrival (of their first stored request; all without a limit). Traces that
   * arrived together are stored in the same requests, so reading them back together decodes each
   * request once.
   */
  pendingTraceIds(limit?: number): Promise<string[]>;
}

/** An accepted OTLP request as it arrived on the wire: the durable copy of its spans. */
export interface RawRequest {
  format: 'protobuf' | 'json';
  /** Content-Encoding of `bytes` (a gzip request is kept gzipped; `br` is how the store compresses the others). */
  encoding: 'identity' | 'gzip' | 'deflate' | 'br';
  bytes: Uint8Array;
}

/** What one ingest request hands to storage: its decoded spans and its raw bytes. */
export interface IngestBatch {
  /** Accepted spans of each trace in the request (rejected ones left out). */
  traceSpanCounts: ReadonlyMap<string, number>;
  /** Accepted spans in all: the sum of `traceSpanCounts`. */
  spanCount: number;
  /**
   * The accepted spans when ingest decoded them (OTLP/JSON, or a request the span caps cut).
   * Absent for a protobuf request that was only checked and counted: trace assembly decodes
   * `body` when the request's traces are analysed.
   */
  spans?: readonly SpanRecord[];
  /** The request body, decompressed. */
  body: Uint8Array;
  /** The request as it came, for storing. */
  request: RawRequest;
  /**
   * Where the span log keeps the request, set by a store that numbers its requests (DuckDB) as
   * it commits them: trace assembly keeps the range of a trace's requests, which its stored
   * analysis records so the trace's spans are found again without a scan.
   */
  requestId?: number;
}

/** The first and last stored request holding spans of a trace (requests are numbered in the order they are committed). */
export interface RequestRange {
  first: number;
  last: number;
}

/** The batch of a request whose accepted spans ingest decoded. */
export function decodedIngestBatch(spans: readonly SpanRecord[], body: Uint8Array, request: RawRequest): IngestBatch {
  const traceSpanCounts = new Map<string, number>();
  for (const span of spans) traceSpanCounts.set(span.traceId, (traceSpanCounts.get(span.traceId) ?? 0) + 1);
  return { traceSpanCounts, spanCount: spans.length, spans, body, request };
}

/** Turns a stored request body (decompressed) back into its accepted spans (a large one maybe off the event loop). */
export type DecodeRequest = (format: RawRequest['format'], body: Uint8Array) => SpanRecord[] | Promise<SpanRecord[]>;
