import type { DecodeResult } from './decode-result.js';
import { DecodePool } from './decode-pool.js';
import { decodeTraceRequestJson } from './json-trace-request.js';
import { decodeTraceRequestProtobuf } from './protobuf-trace-request.js';

/**
 * Bodies up to this size (decompressed) are decoded on the event loop; larger ones on the decode
 * pool. Measured on this machine (bench/decode.mjs), the slowest a 1 MiB body gets, at the span
 * caps, is 35 ms to decode (OTLP/JSON of 2,800 small spans, JSON.parse included; protobuf tops out
 * near 30 ms, for 11,000 spans of two attributes), against 4-5 ms for the usual 1 MiB protobuf
 * export (2,000 agent spans): everything decoded inline stays under the 50 ms the event loop may
 * be held, and exporters' usual batches (512 spans, well under 1 MiB) never pay for a thread hop.
 */
export const INLINE_DECODE_MAX_BYTES = 1024 * 1024;

let sharedPool: DecodePool | undefined;

/** The process's decode pool, started on first use. */
export function sharedDecodePool(): DecodePool {
  return (sharedPool ??= new DecodePool());
}

/** Decodes a request body in either encoding on the event loop, with the default span caps. */
export function decodeTraceRequestInline(format: 'protobuf' | 'json', body: Uint8Array): DecodeResult {
  return format === 'protobuf' ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body);
}

/**
 * Decodes a request body: inline up to INLINE_DECODE_MAX_BYTES, on `pool` beyond. Either way the
 * same decoder and caps, so the result is the same; a malformed body is an OtlpDecodeError.
 */
export async function decodeTraceRequest(format: 'protobuf' | 'json', body: Uint8Array, pool: DecodePool = sharedDecodePool()): Promise<DecodeResult> {
  return body.byteLength > INLINE_DECODE_MAX_BYTES ? pool.decode(format, body) : decodeTraceRequestInline(format, body);
}
