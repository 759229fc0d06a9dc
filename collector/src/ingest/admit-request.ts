import {
  decodeTraceRequest,
  INLINE_DECODE_MAX_BYTES,
  scanTraceRequestProtobuf,
  type DecodeResult,
  type RequestScan,
} from '../otlp/index.js';
import { decodedIngestBatch, type IngestBatch } from '../store/span-log.js';

/** One OTLP trace export as a transport received it: HTTP from its body, gRPC from its message. */
export interface ExportRequest {
  format: 'protobuf' | 'json';
  /** The message, decompressed. */
  body: Buffer;
  /** The message as it came on the wire (a gzip body is stored as sent); `body` when not compressed. */
  wire: Buffer;
  encoding: 'identity' | 'gzip' | 'deflate';
}

/** A request checked and ready to commit, with the account of what was dropped or cut. */
export interface AdmittedRequest {
  batch: IngestBatch;
  rejectedSpans: number;
  rejectionMessage?: string;
  truncation?: string;
}

/**
 * Checks a request and counts its accepted spans per trace; rejects with OtlpDecodeError when it
 * is malformed. A protobuf request up to INLINE_DECODE_MAX_BYTES is only scanned (its spans are
 * decoded when their traces are analysed, off the acknowledgement path). OTLP/JSON, a protobuf
 * request holding something the span caps cut, and any body larger than that are decoded now
 * (the large ones on the decode pool, off the event loop), so the answer can account for every
 * truncation and no later reader has a large body to decode on the event loop. A body the scan
 * refuses is decoded too, for the decoder's own message.
 */
export async function admitRequest({ format, body, wire, encoding }: ExportRequest): Promise<AdmittedRequest> {
  const request = { format, encoding, bytes: wire };
  if (format === 'protobuf' && body.byteLength <= INLINE_DECODE_MAX_BYTES) {
    let scan: RequestScan | undefined;
    try {
      scan = scanTraceRequestProtobuf(body);
    } catch {
      scan = undefined;
    }
    if (scan && !scan.mayBeCapped) {
      return {
        batch: { traceSpanCounts: scan.traceSpanCounts, spanCount: scan.acceptedSpans, body, request },
        rejectedSpans: scan.rejectedSpans,
        ...(scan.rejectionMessage !== undefined ? { rejectionMessage: scan.rejectionMessage } : {}),
      };
    }
  }
  const decoded: DecodeResult = await decodeTraceRequest(format, body);
  return {
    batch: decodedIngestBatch(decoded.spans, body, request),
    rejectedSpans: decoded.rejectedSpans,
    ...(decoded.rejectionMessage !== undefined ? { rejectionMessage: decoded.rejectionMessage } : {}),
    ...(decoded.truncation !== undefined ? { truncation: decoded.truncation } : {}),
  };
}
