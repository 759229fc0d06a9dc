import { RecentIdHex } from './hex-id.js';
import { MAX_VALUE_DEPTH } from './protobuf-any-value.js';
import { ProtobufSpanKey } from './protobuf-span-key.js';
import { SpanRejections } from './span-rejections.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import {
  ANY_VALUE_FIELDS,
  EVENT_FIELDS,
  KEY_VALUE_FIELDS,
  LINK_FIELDS,
  REQUEST_FIELDS,
  RESOURCE_FIELDS,
  RESOURCE_SPANS_FIELDS,
  SCOPE_FIELDS,
  SCOPE_SPANS_FIELDS,
  SPAN_FIELDS,
  STATUS_FIELDS,
  tagOf as tag,
  VALUES_FIELDS,
} from './trace-wire-schema.js';
import { WIRE_FIXED64, WIRE_LENGTH_DELIMITED as LEN, WIRE_VARINT, WireReader } from './wire-reader.js';

/**
 * What acknowledging a protobuf ExportTraceServiceRequest needs, without decoding it: the whole
 * wire structure checked by exactly the rules of `decodeTraceRequestProtobuf` (so a body this
 * accepts decodes later without error, to the same spans), each span's ids and times checked,
 * and the accepted spans counted per trace. Nothing is materialized (no attribute objects, no
 * strings but one hex trace id per trace), so it runs several times faster than decoding; the
 * spans themselves are decoded when their traces are analysed.
 */
export interface RequestScan {
  /** Accepted spans of each trace (lower-case hex trace id), in the order the traces first appear. */
  traceSpanCounts: Map<string, number>;
  acceptedSpans: number;
  rejectedSpans: number;
  rejectionMessage?: string;
  /**
   * True when a string, an attribute list or an event list is long enough that the span caps may
   * cut it: the request must be decoded to account for the truncation exactly.
   */
  mayBeCapped: boolean;
}

/** How long a list or string may be before the span caps could apply (see security/span-caps.ts). */
export interface ScanLimits {
  maxValueChars: number;
  maxAttributesPerSpan: number;
  maxEventsPerSpan: number;
}

/** One pass over a request: a fresh scanner per body (it keeps the limits and the cap flag). */
class Scanner {
  readonly traceSpanCounts = new Map<string, number>();
  readonly rejections = new SpanRejections();
  acceptedSpans = 0;
  mayBeCapped = false;
  private readonly traceIds = new RecentIdHex();
  private readonly key = new ProtobufSpanKey();

  constructor(
    private readonly reader: WireReader,
    private readonly limits: ScanLimits,
  ) {}

  request(): void {
    const reader = this.reader;
    const end = reader.length;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, LEN)) this.resourceSpans(reader.lengthDelimitedEnd(end));
      else reader.skipField(fieldTag, REQUEST_FIELDS, 'ExportTraceServiceRequest', end);
    }
  }

  private resourceSpans(end: number): void {
    const reader = this.reader;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, LEN)) this.resource(reader.lengthDelimitedEnd(end));
      else if (fieldTag === tag(2, LEN)) this.scopeSpans(reader.lengthDelimitedEnd(end));
      else reader.skipField(fieldTag, RESOURCE_SPANS_FIELDS, 'ResourceSpans', end);
    }
  }

  private resource(end: number): void {
    const reader = this.reader;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, LEN)) this.keyValue(reader.lengthDelimitedEnd(end), 0);
      else reader.skipField(fieldTag, RESOURCE_FIELDS, 'Resource', end);
    }
  }

  private scopeSpans(end: number): void {
    const reader = this.reader;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, LEN)) this.scope(reader.lengthDelimitedEnd(end));
      else if (fieldTag === tag(2, LEN)) this.span(reader.lengthDelimitedEnd(end));
      else reader.skipField(fieldTag, SCOPE_SPANS_FIELDS, 'ScopeSpans', end);
    }
  }

  private scope(end: number): void {
    const reader = this.reader;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, LEN)) this.string(end);
      else if (fieldTag === tag(3, LEN)) this.keyValue(reader.lengthDelimitedEnd(end), 0);
      else reader.skipField(fieldTag, SCOPE_FIELDS, 'InstrumentationScope', end);
    }
  }

  private span(end: number): void {
    const reader = this.reader;
    const key = this.key.reset();
    let attributes = 0;
    let events = 0;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      switch (fieldTag) {
        case 42: // name
          this.string(end);
          break;
        case 48: // kind
          reader.uint32(end);
          break;
        case 74: // attributes
          this.keyValue(reader.lengthDelimitedEnd(end), 0);
          attributes++;
          break;
        case 90: // events
          this.event(reader.lengthDelimitedEnd(end));
          events++;
          break;
        case 106: // links
          this.link(reader.lengthDelimitedEnd(end));
          break;
        case 122: { // status
          const statusEnd = reader.lengthDelimitedEnd(end);
          while (reader.pos < statusEnd) {
            const statusTag = reader.tag(statusEnd);
            if (statusTag === tag(2, LEN)) this.string(statusEnd);
            else if (statusTag === tag(3, WIRE_VARINT)) reader.uint32(statusEnd);
            else reader.skipField(statusTag, STATUS_FIELDS, 'Status', statusEnd);
          }
          break;
        }
        default:
          if (!key.read(reader, fieldTag, end)) reader.skipField(fieldTag, SPAN_FIELDS, 'Span', end);
      }
    }
    if (attributes > this.limits.maxAttributesPerSpan || events > this.limits.maxEventsPerSpan) this.mayBeCapped = true;

    const bytes = reader.bytes;
    const rejection = key.rejection(bytes);
    if (rejection !== undefined) return this.rejections.add(rejection);

    const traceId = this.traceIds.get(bytes, key.traceIdStart, 16);
    this.traceSpanCounts.set(traceId, (this.traceSpanCounts.get(traceId) ?? 0) + 1);
    this.acceptedSpans++;
  }

  private event(end: number): void {
    const reader = this.reader;
    let attributes = 0;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, WIRE_FIXED64)) reader.fixed64(end);
      else if (fieldTag === tag(2, LEN)) this.string(end);
      else if (fieldTag === tag(3, LEN)) {
        this.keyValue(reader.lengthDelimitedEnd(end), 0);
        attributes++;
      } else reader.skipField(fieldTag, EVENT_FIELDS, 'Span.Event', end);
    }
    if (attributes > this.limits.maxAttributesPerSpan) this.mayBeCapped = true;
  }

  private link(end: number): void {
    const reader = this.reader;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(4, LEN)) this.keyValue(reader.lengthDelimitedEnd(end), 0);
      else reader.skipField(fieldTag, LINK_FIELDS, 'Span.Link', end);
    }
  }

  /** A string field: only its length matters (UTF-8 bytes bound its UTF-16 length from above). */
  private string(end: number): void {
    const reader = this.reader;
    const fieldEnd = reader.lengthDelimitedEnd(end);
    if (fieldEnd - reader.pos > this.limits.maxValueChars) this.mayBeCapped = true;
    reader.pos = fieldEnd;
  }

  private keyValue(end: number, depth: number): void {
    const reader = this.reader;
    if (depth < MAX_VALUE_DEPTH && isPlainKeyValue(reader.bytes, reader.pos, end)) {
      reader.pos = end;
      return;
    }
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, LEN)) reader.pos = reader.lengthDelimitedEnd(end);
      else if (fieldTag === tag(2, LEN)) this.anyValue(reader.lengthDelimitedEnd(end), depth + 1);
      else reader.skipField(fieldTag, KEY_VALUE_FIELDS, 'KeyValue', end);
    }
  }

  private anyValue(end: number, depth: number): void {
    if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
    const reader = this.reader;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      switch (fieldTag) {
        case 10: // string_value
          this.string(end);
          break;
        case 16: // bool_value
        case 24: // int_value (a varint of at most 10 bytes, as int64 reads it)
          reader.uint32(end);
          break;
        case 33: // double_value
          reader.fixed64(end);
          break;
        case 42: { // array_value
          const arrayEnd = reader.lengthDelimitedEnd(end);
          while (reader.pos < arrayEnd) {
            const itemTag = reader.tag(arrayEnd);
            if (itemTag === tag(1, LEN)) this.anyValue(reader.lengthDelimitedEnd(arrayEnd), depth + 1);
            else reader.skipField(itemTag, VALUES_FIELDS, 'ArrayValue', arrayEnd);
          }
          break;
        }
        case 50: { // kvlist_value
          const listEnd = reader.lengthDelimitedEnd(end);
          while (reader.pos < listEnd) {
            const itemTag = reader.tag(listEnd);
            if (itemTag === tag(1, LEN)) this.keyValue(reader.lengthDelimitedEnd(listEnd), depth + 1);
            else reader.skipField(itemTag, VALUES_FIELDS, 'KeyValueList', listEnd);
          }
          break;
        }
        case 58: { // bytes_value, kept as base64 text
          const bytesEnd = reader.lengthDelimitedEnd(end);
          if (4 * Math.ceil((bytesEnd - reader.pos) / 3) > this.limits.maxValueChars) this.mayBeCapped = true;
          reader.pos = bytesEnd;
          break;
        }
        default:
          reader.skipField(fieldTag, ANY_VALUE_FIELDS, 'AnyValue', end);
      }
    }
  }
}

/**
 * True for the KeyValue nearly every attribute is: a key, then a value holding one string, int,
 * bool or double, every tag and length one byte — the layout the official serializers write for
 * a short scalar attribute. It is well-formed by the decoder's rules, and nothing in it can be
 * capped (a string under 128 bytes), so the general walk can skip it. Anything else returns false.
 */
function isPlainKeyValue(bytes: Uint8Array, pos: number, end: number): boolean {
  // key: tag 1 (LEN), length < 128
  if (end - pos < 4 || bytes[pos] !== 0x0a) return false;
  const keyLength = bytes[pos + 1];
  if (keyLength >= 0x80) return false;
  pos += 2 + keyLength;
  // value: tag 2 (LEN), length < 128, running exactly to the end of the KeyValue
  if (end - pos < 2 || bytes[pos] !== 0x12) return false;
  const valueLength = bytes[pos + 1];
  if (valueLength >= 0x80 || pos + 2 + valueLength !== end) return false;
  pos += 2;
  if (valueLength === 0) return true; // an empty AnyValue: null
  switch (bytes[pos]) {
    case 0x0a: // string_value, length < 128, filling the AnyValue
      return bytes[pos + 1] < 0x80 && pos + 2 + bytes[pos + 1] === end;
    case 0x10: // bool_value
    case 0x18: { // int_value: a varint of at most 10 bytes, ending the AnyValue
      const last = pos + valueLength - 1;
      if (valueLength < 2 || valueLength > 11 || bytes[last] >= 0x80) return false;
      for (let at = pos + 1; at < last; at++) if (bytes[at] < 0x80) return false;
      return true;
    }
    case 0x21: // double_value
      return valueLength === 9;
    default:
      return false;
  }
}

/** Checks and counts a protobuf request's spans; throws OtlpDecodeError exactly when decoding would. */
export function scanTraceRequestProtobuf(body: Uint8Array, limits: ScanLimits): RequestScan {
  const scanner = new Scanner(new WireReader(body), limits);
  scanner.request();
  const { rejectedSpans, rejectionMessage } = scanner.rejections.summary();
  return {
    traceSpanCounts: scanner.traceSpanCounts,
    acceptedSpans: scanner.acceptedSpans,
    rejectedSpans,
    ...(rejectionMessage !== undefined ? { rejectionMessage } : {}),
    mayBeCapped: scanner.mayBeCapped,
  };
}
