/**
 * What POST /v1/traces answers, in the request's own encoding:
 *
 *   ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
 *   ExportTracePartialSuccess  { int64 rejected_spans = 1; string error_message = 2; }
 *   google.rpc.Status          { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 *
 * A full success is the empty message (zero bytes, or `{}` in JSON); the spec treats a partial
 * success of 0 rejected and no message the same way, so that is what we send for it too.
 * JSON follows the proto3 mapping: int64 as a decimal string, int32 as a number.
 */

import { writeLengthDelimitedField, writeStringField, writeVarintField } from './protobuf-writer.js';

export type OtlpEncoding = 'protobuf' | 'json';

export interface PartialSuccess {
  /** Spans dropped from an otherwise accepted request. */
  rejectedSpans: number;
  /** Why, e.g. "2 spans rejected: invalid span id (1), end before start (1)". */
  errorMessage: string;
}

export function encodeExportResponse(format: OtlpEncoding, partial?: PartialSuccess): Uint8Array | string {
  const isEmpty = partial === undefined || (partial.rejectedSpans === 0 && partial.errorMessage === '');
  if (format === 'json') {
    if (isEmpty) return '{}';
    return JSON.stringify({
      partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage },
    });
  }
  if (isEmpty) return new Uint8Array(0);
  const inner: number[] = [];
  if (partial.rejectedSpans !== 0) writeVarintField(inner, 1, partial.rejectedSpans);
  if (partial.errorMessage !== '') writeStringField(inner, 2, partial.errorMessage);
  const outer: number[] = [];
  writeLengthDelimitedField(outer, 1, inner);
  return Uint8Array.from(outer);
}

/** A google.rpc.Status, the body OTLP/HTTP error responses (400, 413, 415, …) carry. */
export function encodeStatus(format: OtlpEncoding, code: number, message: string): Uint8Array | string {
  if (format === 'json') return JSON.stringify({ code, message, details: [] });
  const bytes: number[] = [];
  if (code !== 0) writeVarintField(bytes, 1, code);
  if (message !== '') writeStringField(bytes, 2, message);
  return Uint8Array.from(bytes);
}
