import type { SpanRecord } from '@threshold/core';
import type { DecodeResult } from './decode-result.js';
import { isValidIdBytes } from './hex-id.js';

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

/** Where a protobuf span's ids lie in the request body, and its times: what decides whether it is kept. */
export interface ProtobufSpanKey {
  traceIdStart: number;
  traceIdLength: number;
  spanIdStart: number;
  spanIdLength: number;
  parentIdStart: number;
  parentIdLength: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
}

/**
 * Why a protobuf span is rejected, or undefined when it is kept: the one rule set of the decoder
 * and the acknowledgement scan. An all-zero parent id is how some senders spell "no parent": the
 * span is kept as a root.
 */
export function protobufSpanRejection(bytes: Uint8Array, key: ProtobufSpanKey): SpanRejectionReason | undefined {
  if (!isValidIdBytes(bytes, key.traceIdStart, key.traceIdLength, 16)) return 'invalid trace id';
  if (!isValidIdBytes(bytes, key.spanIdStart, key.spanIdLength, 8)) return 'invalid span id';
  const hasParent = isValidIdBytes(bytes, key.parentIdStart, key.parentIdLength, 8);
  if (!hasParent && key.parentIdLength !== 0 && key.parentIdLength !== 8) return 'invalid parent span id';
  return timingRejection(key.startTimeUnixNano, key.endTimeUnixNano);
}
