import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import { DecodeWorkerError, type PartialSuccess } from '../otlp/index.js';
import { admitRequest, type ExportRequest } from './admit-request.js';
import type { CommitQueue } from './commit-queue.js';
import { storeRefusal, withinAckDeadline } from './store-refusal.js';

export type { ExportRequest } from './admit-request.js';

/** What an export needs of the project's collector. */
export interface ExportContext {
  commitQueue: CommitQueue;
  metrics?: CollectorMetrics;
}

/**
 * How an export ended, for the transport to answer in its own terms (OTLP/HTTP: 200, 400, 503 +
 * Retry-After; OTLP/gRPC: OK, INVALID_ARGUMENT, UNAVAILABLE + RetryInfo):
 *
 * - `stored`: the accepted spans are durable; `partialSuccess` accounts for what was rejected or cut.
 * - `malformed`: the request itself is wrong; retrying it cannot help.
 * - `unavailable`: nothing of it was acknowledged (a full queue, a store fault, a decode thread
 *   lost, a commit past its deadline); the sender should retry after `retryAfterSeconds`.
 */
export type ExportOutcome =
  | { kind: 'stored'; partialSuccess?: PartialSuccess }
  | { kind: 'malformed'; message: string }
  | { kind: 'unavailable'; message: string; retryAfterSeconds: number };

/**
 * The answer to an export that would be refused whatever it holds (analysis too far behind, the
 * store being reopened), given before its body is read or decoded: under that pressure, reading
 * and decoding what is then refused took the CPU analysis needed to catch up. Undefined when the
 * export may go on.
 */
export function refusedBeforeReading(context: ExportContext): ExportOutcome | undefined {
  const refusal = context.commitQueue.refusalNow();
  if (!refusal) return undefined;
  const answer = storeRefusal(refusal, context.commitQueue.congestionSeconds());
  context.metrics?.recordIngestRefusal(answer.reason);
  return { kind: 'unavailable', message: answer.message, retryAfterSeconds: answer.retryAfterSeconds };
}

/**
 * One OTLP trace export, whatever carried it: checked (see `admitRequest`), committed, and
 * answered only once the commit queue says the spans are durable. Load and store faults are
 * always `unavailable`, never a failure the sender would drop its data on.
 */
export async function exportTraces(context: ExportContext, request: ExportRequest): Promise<ExportOutcome> {
  const early = refusedBeforeReading(context);
  if (early) return early;
  let admitted;
  try {
    admitted = await admitRequest(request);
  } catch (error) {
    if (error instanceof DecodeWorkerError) {
      // Not the request's fault (a decode thread died): retryable, as for any passing shortage.
      console.error('threshold: decoding a request off the event loop failed:', error);
      return { kind: 'unavailable', message: 'the request could not be decoded now; retry', retryAfterSeconds: 1 };
    }
    return { kind: 'malformed', message: error instanceof Error ? error.message : 'malformed request body' };
  }
  context.metrics?.recordExport(admitted.batch.spanCount, admitted.rejectedSpans);
  try {
    await withinAckDeadline(context.commitQueue.enqueue(admitted.batch));
  } catch (error) {
    const refusal = storeRefusal(error, context.commitQueue.congestionSeconds());
    context.metrics?.recordIngestRefusal(refusal.reason);
    return { kind: 'unavailable', message: refusal.message, retryAfterSeconds: refusal.retryAfterSeconds };
  }
  const rejection = admitted.rejectedSpans > 0 ? (admitted.rejectionMessage ?? 'some spans were rejected') : undefined;
  // Truncation alone is a warning: a partial success of 0 rejected spans with a message.
  const message = [rejection, admitted.truncation].filter(Boolean).join('; ');
  return message
    ? { kind: 'stored', partialSuccess: { rejectedSpans: admitted.rejectedSpans, errorMessage: message } }
    : { kind: 'stored' };
}
