import { StoreUnavailableError } from '../store/store-fault.js';
import { AnalysisBehindError } from './analysis-backpressure.js';
import { QueueFullError } from './commit-queue.js';
import { retryAfterSeconds } from './retry-after.js';

/**
 * How long an ingest request waits for its spans to be durable before it is answered 503. OTLP
 * exporters give up on a request after 10 s by default and count it lost; answered in time, a
 * refusal is retried instead. If the commit still completes, the spans are stored and the retry
 * stores them again: analysis drops duplicate spans, so nothing is counted twice.
 */
export const ACK_DEADLINE_MS = 8_000;

/** Wait suggested when the store failed in a way it did not classify. */
const UNCLASSIFIED_RETRY_AFTER_S = 5;

/** The commit did not finish within ACK_DEADLINE_MS. */
export class AckDeadlineError extends Error {
  override readonly name = 'AckDeadlineError';
  constructor(readonly deadlineMs: number) {
    super(`the spans could not be stored within ${deadlineMs / 1000} s; retry`);
  }
}

/** Resolves when `durable` does, rejects with AckDeadlineError if it takes longer than `deadlineMs`. */
export function withinAckDeadline(durable: Promise<void>, deadlineMs = ACK_DEADLINE_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AckDeadlineError(deadlineMs)), deadlineMs);
  });
  // A commit that fails after the deadline has no one to answer: its rejection is handled here.
  durable.catch(() => undefined);
  return Promise.race([durable, deadline]).finally(() => clearTimeout(timer));
}

/** How an ingest request that could not be stored is answered: always retryable (503), never a 500. */
export interface StoreRefusal {
  retryAfterSeconds: number;
  message: string;
  /** The kind of refusal, as `/metrics` counts it. */
  reason: 'queue-full' | 'analysis-behind' | 'deadline' | 'store-unavailable' | 'store-error';
}

/**
 * The answer to a failed commit. OTLP exporters drop a request answered 500 and retry a 503 with
 * Retry-After, so a store that is full, out of memory, recovering or slow is always a 503; an
 * error nobody classified is logged and refused the same way (the spans are still the sender's).
 */
export function storeRefusal(error: unknown, queueCongestionSeconds: number): StoreRefusal {
  if (error instanceof QueueFullError)
    return { retryAfterSeconds: retryAfterSeconds(queueCongestionSeconds), message: error.message, reason: 'queue-full' };
  if (error instanceof AnalysisBehindError)
    return { retryAfterSeconds: error.retryAfterSeconds, message: error.message, reason: 'analysis-behind' };
  if (error instanceof AckDeadlineError)
    return { retryAfterSeconds: retryAfterSeconds(queueCongestionSeconds), message: error.message, reason: 'deadline' };
  if (error instanceof StoreUnavailableError)
    return { retryAfterSeconds: error.retryAfterSeconds, message: error.message, reason: 'store-unavailable' };
  console.error('threshold: storing spans failed:', error);
  return { retryAfterSeconds: UNCLASSIFIED_RETRY_AFTER_S, message: 'the spans could not be stored now; retry', reason: 'store-error' };
}
