import type { DecodeResult } from './decode-result.js';
import { DecodePool } from './decode-pool.js';
import { decodeTraceRequestJson } from './json-trace-request.js';
import { decodeTraceRequestProtobuf } from './protobuf-trace-request.js';

/**
 * Bodies up to this size (decompressed) are decoded on the event loop; larger ones on the decode
 * pool. Measured on this 2-core shared machine (bench/decode.mjs and the same bodies alone), the
 * costliest 1 MiB bodies at the span caps (20,000 spans without attributes in protobuf; spans of
 * 128 tiny attributes, or 3,400 spans of three, in OTLP/JSON) decode in 10-25 ms at best and about
 * 35 ms typically, against 4-5 ms for the usual 1 MiB protobuf export (2,000 agent spans): what is
 * decoded inline stays under the 50 ms the event loop may be held, and exporters' usual batches
 * (512 spans, well under 1 MiB) never pay for the hop to a thread.
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
export async function decodeTraceRequest(
  format: 'protobuf' | 'json',
  body: Uint8Array,
  pool: DecodePool = sharedDecodePool(),
): Promise<DecodeResult> {
  return body.byteLength > INLINE_DECODE_MAX_BYTES ? pool.decode(format, body) : decodeTraceRequestInline(format, body);
}
