import { isValidIdBytes } from './hex-id.js';
import { timingRejection, type SpanRejectionReason } from './span-rejections.js';
import type { WireReader } from './wire-reader.js';

/**
 * What decides whether a protobuf Span is kept: where its ids lie in the request body, and its
 * times. The decoder and the acknowledgement scan read these fields and judge them here, so both
 * keep and reject exactly the same spans.
 */
export class ProtobufSpanKey {
  traceIdStart = 0;
  traceIdLength = 0;
  spanIdStart = 0;
  spanIdLength = 0;
  parentIdStart = 0;
  parentIdLength = 0;
  startTimeUnixNano = 0n;
  endTimeUnixNano = 0n;

  /** Forgets the last span's fields, for the next one (one key serves a whole request). */
  reset(): this {
    this.traceIdStart = this.traceIdLength = this.spanIdStart = this.spanIdLength = this.parentIdStart = this.parentIdLength = 0;
    this.startTimeUnixNano = this.endTimeUnixNano = 0n;
    return this;
  }

  /**
   * Reads the field at the reader if it is one of these (trace_id = 1, span_id = 2,
   * parent_span_id = 4, start_time_unix_nano = 7, end_time_unix_nano = 8, each with its wire
   * type); returns false, reading nothing, for any other field. A repeated field: the last wins.
   */
  read(reader: WireReader, fieldTag: number, end: number): boolean {
    switch (fieldTag) {
      case 10: // trace_id
        this.traceIdLength = idLength(reader, end);
        this.traceIdStart = reader.pos - this.traceIdLength;
        return true;
      case 18: // span_id
        this.spanIdLength = idLength(reader, end);
        this.spanIdStart = reader.pos - this.spanIdLength;
        return true;
      case 34: // parent_span_id
        this.parentIdLength = idLength(reader, end);
        this.parentIdStart = reader.pos - this.parentIdLength;
        return true;
      case 57: // start_time_unix_nano
        this.startTimeUnixNano = reader.fixed64(end);
        return true;
      case 65: // end_time_unix_nano
        this.endTimeUnixNano = reader.fixed64(end);
        return true;
      default:
        return false;
    }
  }

  /** True when the span names a parent; an all-zero parent id is how some senders spell "none". */
  hasParent(bytes: Uint8Array): boolean {
    return isValidIdBytes(bytes, this.parentIdStart, this.parentIdLength, 8);
  }

  /** Why the span is rejected, or undefined when it is kept (a span with an all-zero parent id is kept as a root). */
  rejection(bytes: Uint8Array): SpanRejectionReason | undefined {
    if (!isValidIdBytes(bytes, this.traceIdStart, this.traceIdLength, 16)) return 'invalid trace id';
    if (!isValidIdBytes(bytes, this.spanIdStart, this.spanIdLength, 8)) return 'invalid span id';
    if (!this.hasParent(bytes) && this.parentIdLength !== 0 && this.parentIdLength !== 8) return 'invalid parent span id';
    return timingRejection(this.startTimeUnixNano, this.endTimeUnixNano);
  }
}

/** Passes over a LEN id field and returns its length; the reader ends just after its bytes. */
function idLength(reader: WireReader, end: number): number {
  const fieldEnd = reader.lengthDelimitedEnd(end);
  const length = fieldEnd - reader.pos;
  reader.pos = fieldEnd;
  return length;
}
