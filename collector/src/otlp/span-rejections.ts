import type { SpanRecord } from '@threshold/core';
import type { DecodeResult } from './decode-result.js';

/** Why a single span is dropped while the rest of its request is kept. */
export type SpanRejectionReason =
  | 'invalid trace id'
  | 'invalid span id'
  | 'invalid parent span id'
  | 'invalid start time'
  | 'invalid end time'
  | 'missing start time'
  | 'end before start'
  | 'time after 2100-01-01';

/**
 * Counts rejected spans by reason, in order of first occurrence, so the partial-success
 * message reads like "2 spans rejected: invalid span id (1), end before start (1)".
 */
export class SpanRejections {
  private total = 0;
  private readonly countByReason = new Map<SpanRejectionReason, number>();

  add(reason: SpanRejectionReason): void {
    this.total++;
    this.countByReason.set(reason, (this.countByReason.get(reason) ?? 0) + 1);
  }

  /** How many spans were rejected and, if any, why. */
  summary(): { rejectedSpans: number; rejectionMessage?: string } {
    if (this.total === 0) return { rejectedSpans: 0 };
    const reasons = [...this.countByReason].map(([reason, count]) => `${reason} (${count})`).join(', ');
    const noun = this.total === 1 ? 'span' : 'spans';
    return { rejectedSpans: this.total, rejectionMessage: `${this.total} ${noun} rejected: ${reasons}` };
  }

  /** The decode result: the spans kept, this account of those rejected, and what the caps cut. */
  result(spans: SpanRecord[], truncation: string | undefined): DecodeResult {
    return { spans, ...this.summary(), ...(truncation !== undefined ? { truncation } : {}) };
  }
}

/**
 * Latest span time accepted: 2100-01-01T00:00:00Z. OTLP times are unsigned 64-bit nanoseconds, up
 * to the year 2554; a span dated decades ahead stays on top of every newest-first list and is
 * never old enough for retention, and beyond 2262 it no longer fits the signed 64-bit nanoseconds
 * most tools use. The bound is absolute, not "now plus a margin", because the verdict must never
 * change: the scan judges a span when it is acknowledged, the decoder judges it again when the
 * trace is analysed, and a stored request is decoded again years later (re-analysis, restart);
 * against a moving bound a span refused at ingest would come back when read later, and the counts
 * ingest stored per trace would no longer match. (The time a request was received is kept by the
 * store beside it, but only once committed, after the acknowledgement judged it.) No clock reaches
 * 2100 in the life of data stored today.
 */
export const LATEST_SPAN_TIME_UNIX_NANO = 4_102_444_800_000_000_000n;

/**
 * The timing rules shared by both encodings, the decoders and the acknowledgement scan: a span
 * must have started (OTLP leaves 0 for "not set"), must not end before it starts, and must not
 * end (hence start) after LATEST_SPAN_TIME_UNIX_NANO.
 */
export function timingRejection(startTimeUnixNano: bigint, endTimeUnixNano: bigint): SpanRejectionReason | undefined {
  if (startTimeUnixNano <= 0n) return 'missing start time';
  if (endTimeUnixNano < startTimeUnixNano) return 'end before start';
  if (endTimeUnixNano > LATEST_SPAN_TIME_UNIX_NANO) return 'time after 2100-01-01';
  return undefined;
}
