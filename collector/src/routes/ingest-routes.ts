import type { Request, Response } from 'express';
import {
  decodeTraceRequest,
  DecodeWorkerError,
  encodeExportResponse,
  encodeStatus,
  INLINE_DECODE_MAX_BYTES,
  scanTraceRequestProtobuf,
  type DecodeResult,
  type RequestScan,
} from '../otlp/index.js';
import { QueueFullError } from '../ingest/commit-queue.js';
import { BodyError, readBody, type ReadBody } from '../ingest/read-body.js';
import { retryAfterSeconds } from '../ingest/retry-after.js';
import { decodedIngestBatch, type IngestBatch } from '../store/store.js';
import type { RouteContext, RouteModule } from './route-module.js';

type OtlpFormat = 'protobuf' | 'json';

/** google.rpc.Code values used in error answers. */
const RPC_INVALID_ARGUMENT = 3;
const RPC_DEADLINE_EXCEEDED = 4;
const RPC_RESOURCE_EXHAUSTED = 8;
const RPC_INTERNAL = 13;
const RPC_UNAVAILABLE = 14;


const CONTENT_TYPES: Record<OtlpFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

function formatOf(request: Request): OtlpFormat | undefined {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

function answer(response: Response, status: number, format: OtlpFormat, body: Uint8Array | string): void {
  response.status(status).type(CONTENT_TYPES[format]).send(typeof body === 'string' ? body : Buffer.from(body));
}

function answerStatus(response: Response, status: number, format: OtlpFormat, code: number, message: string): void {
  answer(response, status, format, encodeStatus(format, code, message));
}

/** A request checked and ready to commit, with the account of what was dropped or cut. */
interface AdmittedRequest {
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
async function admit(format: OtlpFormat, read: ReadBody): Promise<AdmittedRequest> {
  const request = { format, encoding: read.encoding, bytes: read.wire };
  if (format === 'protobuf' && read.body.byteLength <= INLINE_DECODE_MAX_BYTES) {
    let scan: RequestScan | undefined;
    try {
      scan = scanTraceRequestProtobuf(read.body);
    } catch {
      scan = undefined;
    }
    if (scan && !scan.mayBeCapped) {
      return {
        batch: { traceSpanCounts: scan.traceSpanCounts, spanCount: scan.acceptedSpans, body: read.body, request },
        rejectedSpans: scan.rejectedSpans,
        ...(scan.rejectionMessage !== undefined ? { rejectionMessage: scan.rejectionMessage } : {}),
      };
    }
  }
  const decoded: DecodeResult = await decodeTraceRequest(format, read.body);
  return {
    batch: decodedIngestBatch(decoded.spans, read.body, request),
    rejectedSpans: decoded.rejectedSpans,
    ...(decoded.rejectionMessage !== undefined ? { rejectionMessage: decoded.rejectionMessage } : {}),
    ...(decoded.truncation !== undefined ? { truncation: decoded.truncation } : {}),
  };
}

/**
 * `POST /v1/traces`, OTLP/HTTP: read (size-capped, decompressed), check (see `admit`), wait until
 * the spans are durable, answer in the request's encoding. Malformed input gets 400, never a 500.
 */
async function exportTraces(context: RouteContext, request: Request, response: Response): Promise<void> {
  const format = formatOf(request);
  if (!format) {
    request.resume();
    answerStatus(response, 415, 'json', RPC_INVALID_ARGUMENT, `unsupported Content-Type "${request.headers['content-type'] ?? ''}": use application/x-protobuf or application/json`);
    return;
  }
  let read: ReadBody;
  try {
    read = await readBody(request, context.options.maxBodyBytes, { idleTimeoutMs: context.options.bodyIdleTimeoutMs });
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    // The rest of a refused body is never read: the connection closes with the answer.
    if (error.status === 413 || error.status === 408) response.setHeader('Connection', 'close');
    const code = error.status === 413 ? RPC_RESOURCE_EXHAUSTED : error.status === 408 ? RPC_DEADLINE_EXCEEDED : RPC_INVALID_ARGUMENT;
    answerStatus(response, error.status, format, code, error.message);
    return;
  }
  let admitted: AdmittedRequest;
  try {
    admitted = await admit(format, read);
  } catch (error) {
    if (error instanceof DecodeWorkerError) {
      // Not the request's fault (a decode thread died): retryable, as for any passing shortage.
      console.error('threshold: decoding a request off the event loop failed:', error);
      response.setHeader('Retry-After', '1');
      answerStatus(response, 503, format, RPC_UNAVAILABLE, 'the request could not be decoded now; retry');
      return;
    }
    answerStatus(response, 400, format, RPC_INVALID_ARGUMENT, error instanceof Error ? error.message : 'malformed request body');
    return;
  }
  context.metrics?.recordExport(admitted.batch.spanCount, admitted.rejectedSpans);
  try {
    await context.commitQueue.enqueue(admitted.batch);
  } catch (error) {
    if (error instanceof QueueFullError) {
      response.setHeader('Retry-After', String(retryAfterSeconds(context.commitQueue.congestionSeconds())));
      answerStatus(response, 503, format, RPC_UNAVAILABLE, error.message);
      return;
    }
    console.error('threshold: storing spans failed:', error);
    answerStatus(response, 500, format, RPC_INTERNAL, 'spans could not be stored');
    return;
  }
  const rejection = admitted.rejectedSpans > 0 ? (admitted.rejectionMessage ?? 'some spans were rejected') : undefined;
  // Truncation alone is a warning: a partial success of 0 rejected spans with a message.
  const message = [rejection, admitted.truncation].filter(Boolean).join('; ');
  const partial = message ? { rejectedSpans: admitted.rejectedSpans, errorMessage: message } : undefined;
  answer(response, 200, format, encodeExportResponse(format, partial));
}

export const ingestRoutes: RouteModule = {
  name: 'ingest',
  register(app, context) {
    app.post('/v1/traces', (request, response) => exportTraces(context, request, response));
  },
};
