/**
 * The OTLP/HTTP trace wire layer: request bodies in, SpanRecords out; responses back in the
 * request's encoding. No HTTP here — the ingest route calls these.
 */
export type { DecodeResult } from './decode-result.js';
export { OtlpDecodeError } from './otlp-decode-error.js';
export { decodeTraceRequestProtobuf } from './protobuf-trace-request.js';
export { scanTraceRequestProtobuf, type RequestScan, type ScanLimits } from './protobuf-scan.js';
export { decodeTraceRequestJson } from './json-trace-request.js';
export { decodeTraceRequest, decodeTraceRequestInline, INLINE_DECODE_MAX_BYTES, sharedDecodePool } from './decode-request.js';
export { DecodePool, DecodeWorkerError } from './decode-pool.js';
export { LATEST_SPAN_TIME_UNIX_NANO } from './span-rejections.js';
export { encodeExportResponse, encodeStatus, type OtlpEncoding, type PartialSuccess } from './export-response.js';
export type { SpanRejectionReason } from './span-rejections.js';
