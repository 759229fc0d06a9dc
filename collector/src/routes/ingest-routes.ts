import type { Request, Response } from 'express';
import { encodeExportResponse, encodeStatus } from '../otlp/index.js';
import { exportTraces, refusedBeforeReading } from '../ingest/export-traces.js';
import { BodyError, readBody, type ReadBody } from '../ingest/read-body.js';
import type { RouteContext, RouteModule } from './route-module.js';

type OtlpFormat = 'protobuf' | 'json';

/** google.rpc.Code values used in error answers. */
const RPC_INVALID_ARGUMENT = 3;
const RPC_DEADLINE_EXCEEDED = 4;
const RPC_RESOURCE_EXHAUSTED = 8;
const RPC_UNAVAILABLE = 14;

const CONTENT_TYPES: Record<OtlpFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

function formatOf(request: Request): OtlpFormat | undefined {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

function answer(response: Response, status: number, format: OtlpFormat, body: Uint8Array | string): void {
  response
    .status(status)
    .type(CONTENT_TYPES[format])
    .send(typeof body === 'string' ? body : Buffer.from(body));
}

function answerStatus(response: Response, status: number, format: OtlpFormat, code: number, message: string): void {
  answer(response, status, format, encodeStatus(format, code, message));
}

/**
 * `POST /v1/traces`, OTLP/HTTP: read (size-capped, decompressed), then the export every transport
 * shares (ingest/export-traces.ts: check, wait until the spans are durable), answered in the
 * request's encoding. Malformed input gets 400, load and store faults 503, never a 500.
 */
async function exportTracesRoute(context: RouteContext, request: Request, response: Response): Promise<void> {
  const format = formatOf(request);
  if (!format) {
    request.resume();
    answerStatus(
      response,
      415,
      'json',
      RPC_INVALID_ARGUMENT,
      `unsupported Content-Type "${request.headers['content-type'] ?? ''}": use application/x-protobuf or application/json`,
    );
    return;
  }
  const early = refusedBeforeReading(context);
  if (early?.kind === 'unavailable') {
    // Not decoded, only drained: answered once the sender has finished sending, so a client still
    // uploading is not cut off mid-body (a reset, where a 503 with Retry-After is what it retries).
    request.resume();
    await new Promise<void>((resolve) => {
      if (request.readableEnded) return resolve();
      request.once('end', resolve);
      request.once('error', resolve);
      request.once('close', resolve);
    });
    response.setHeader('Retry-After', String(early.retryAfterSeconds));
    answerStatus(response, 503, format, RPC_UNAVAILABLE, early.message);
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
  const outcome = await exportTraces(context, { format, ...read });
  if (outcome.kind === 'malformed') {
    answerStatus(response, 400, format, RPC_INVALID_ARGUMENT, outcome.message);
  } else if (outcome.kind === 'unavailable') {
    response.setHeader('Retry-After', String(outcome.retryAfterSeconds));
    answerStatus(response, 503, format, RPC_UNAVAILABLE, outcome.message);
  } else {
    answer(response, 200, format, encodeExportResponse(format, outcome.partialSuccess));
  }
}

export const ingestRoutes: RouteModule = {
  name: 'ingest',
  register(app, context) {
    app.post('/v1/traces', (request, response) => exportTracesRoute(context, request, response));
  },
};
