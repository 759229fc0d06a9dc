import { decodeTraceRequest, decodeTraceRequestInline } from '../otlp/index.js';
import type { DecodeRequest } from './span-log.js';

/**
 * Stored requests were accepted once, so they decode again, by the decoder ingest used and with
 * the same span caps: their spans are what ingest kept, cut as they were then, so re-analysis sees
 * what was first analysed. Decodes on the event loop, whatever the size (tests, tools).
 */
export const decodeStoredRequest = (format: 'protobuf' | 'json', body: Uint8Array) => decodeTraceRequestInline(format, body).spans;

/**
 * The same for the collector's store: a body larger than INLINE_DECODE_MAX_BYTES is decoded on
 * the decode pool, so reading a large request back (a late span, a restart, a spilled backlog)
 * does not hold the event loop.
 */
export const decodeStoredRequestOffThread: DecodeRequest = async (format, body) => (await decodeTraceRequest(format, body)).spans;
