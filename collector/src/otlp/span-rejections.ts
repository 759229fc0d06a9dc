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
  | 'end before start';

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

  result(spans: SpanRecord[]): DecodeResult {
    return { spans, ...this.summary() };
  }
}

/**
 * The timing rules shared by both encodings: a span must have started (OTLP leaves 0 for
 * "not set") and must not end before it starts.
 */
export function timingRejection(startTimeUnixNano: bigint, endTimeUnixNano: bigint): SpanRejectionReason | undefined {
  if (startTimeUnixNano <= 0n) return 'missing start time';
  if (endTimeUnixNano < startTimeUnixNano) return 'end before start';
  return undefined;
}

