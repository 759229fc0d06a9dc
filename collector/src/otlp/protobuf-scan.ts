import { DEFAULT_SPAN_CAPS, type SpanCaps } from '../security/span-caps.js';
import { RecentIdHex } from './hex-id.js';
import { isPlainKeyValue, MAX_VALUE_DEPTH, skipKeyValue } from './protobuf-any-value.js';
import { checkServiceNameAttribute } from './protobuf-resource.js';
import { skipEvent, skipLink } from './protobuf-span.js';
import { ProtobufSpanKey } from './protobuf-span-key.js';
import { SpanRejections } from './span-rejections.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import {
  ANY_VALUE_FIELDS,
  EVENT_FIELDS,
  KEY_VALUE_FIELDS,
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
   * True when something in the request is long or numerous enough that the span caps may cut it
   * (a name, key or value longer than its cap, more attributes, events or list items than the
   * caps keep): the request must be decoded to account for the truncation exactly. False means
   * the caps cut nothing.
   */
  mayBeCapped: boolean;
}

/** The caps the scan measures lengths and counts against (see security/span-caps.ts). */
export type ScanLimits = SpanCaps;

/** One pass over a request: a fresh scanner per body (it keeps the limits and the cap flag). */
class Scanner {
  readonly traceSpanCounts = new Map<string, number>();
  readonly rejections = new SpanRejections();
  acceptedSpans = 0;
  mayBeCapped = false;
  /** Array items and kvlist entries met in the attributes of the span (or event) being scanned. */
  private listItems = 0;
  private readonly traceIds = new RecentIdHex();
  private readonly key = new ProtobufSpanKey();
  /** The plain-attribute shortcut flags nothing only while no key or value cap is under 128. */
  private readonly plainIsUncapped: boolean;

  constructor(
    private readonly reader: WireReader,
    private readonly limits: Readonly<ScanLimits>,
  ) {
    this.plainIsUncapped = limits.maxKeyChars >= 127 && limits.maxValueChars >= 127;
  }

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

  /** Only `service.name` is kept of a resource: its string (or bytes) value is measured, the rest checked. */
  private resource(end: number): void {
    const reader = this.reader;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag !== tag(1, LEN)) {
        reader.skipField(fieldTag, RESOURCE_FIELDS, 'Resource', end);
        continue;
      }
      const value = checkServiceNameAttribute(reader, reader.lengthDelimitedEnd(end));
      if (value !== undefined && value.start >= 0 && this.serviceNameMayBeCut(value.start, value.end)) this.mayBeCapped = true;
    }
  }

  /** True when a (checked) service.name AnyValue holds a string or bytes longer than the cap allows. */
  private serviceNameMayBeCut(start: number, end: number): boolean {
    const reader = this.reader;
    const after = reader.pos;
    reader.pos = start;
    let long = false;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, LEN) || fieldTag === tag(7, LEN)) {
        const fieldEnd = reader.lengthDelimitedEnd(end);
        const length = fieldTag === tag(1, LEN) ? fieldEnd - reader.pos : 4 * Math.ceil((fieldEnd - reader.pos) / 3);
        if (length > this.limits.maxServiceNameChars) long = true;
        reader.pos = fieldEnd;
      } else reader.skip(fieldTag & 7, fieldTag >>> 3, end);
    }
    reader.pos = after;
    return long;
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
      if (fieldTag === tag(1, LEN)) this.string(end, this.limits.maxNameChars);
      else if (fieldTag === tag(3, LEN)) skipKeyValue(reader, reader.lengthDelimitedEnd(end), 0);
      else reader.skipField(fieldTag, SCOPE_FIELDS, 'InstrumentationScope', end);
    }
  }

  private span(end: number): void {
    const reader = this.reader;
    const limits = this.limits;
    const key = this.key.reset();
    let attributes = 0;
    let events = 0;
    this.listItems = 0;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      switch (fieldTag) {
        case 42: // name
          this.string(end, limits.maxNameChars);
          break;
        case 48: // kind
          reader.uint32(end);
          break;
        case 74: // attributes
          this.keyValue(reader.lengthDelimitedEnd(end), 0);
          attributes++;
          break;
        case 90: {
          // events
          const eventEnd = reader.lengthDelimitedEnd(end);
          // Events beyond the cap are dropped whatever they hold: checked only.
          if (events++ < limits.maxEventsPerSpan) this.event(eventEnd);
          else skipEvent(reader, eventEnd);
          break;
        }
        case 106: // links
          skipLink(reader, reader.lengthDelimitedEnd(end));
          break;
        case 122: {
          // status
          const statusEnd = reader.lengthDelimitedEnd(end);
          while (reader.pos < statusEnd) {
            const statusTag = reader.tag(statusEnd);
            if (statusTag === tag(2, LEN)) this.string(statusEnd, limits.maxValueChars);
            else if (statusTag === tag(3, WIRE_VARINT)) reader.uint32(statusEnd);
            else reader.skipField(statusTag, STATUS_FIELDS, 'Status', statusEnd);
          }
          break;
        }
        default:
          if (!key.read(reader, fieldTag, end)) reader.skipField(fieldTag, SPAN_FIELDS, 'Span', end);
      }
    }
    if (attributes > limits.maxAttributesPerSpan || events > limits.maxEventsPerSpan || this.listItems > limits.maxListItemsPerSpan)
      this.mayBeCapped = true;

    const bytes = reader.bytes;
    const rejection = key.rejection(bytes);
    if (rejection !== undefined) return this.rejections.add(rejection);

    const traceId = this.traceIds.get(bytes, key.traceIdStart, 16);
    this.traceSpanCounts.set(traceId, (this.traceSpanCounts.get(traceId) ?? 0) + 1);
    this.acceptedSpans++;
  }

  /** An event the caps keep: its name, attributes and list items measured against the event caps. */
  private event(end: number): void {
    const reader = this.reader;
    const spanListItems = this.listItems;
    this.listItems = 0;
    let attributes = 0;
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, WIRE_FIXED64)) reader.fixed64(end);
      else if (fieldTag === tag(2, LEN)) this.string(end, this.limits.maxNameChars);
      else if (fieldTag === tag(3, LEN)) {
        this.keyValue(reader.lengthDelimitedEnd(end), 0);
        attributes++;
      } else reader.skipField(fieldTag, EVENT_FIELDS, 'Span.Event', end);
    }
    if (attributes > this.limits.maxAttributesPerEvent || this.listItems > this.limits.maxListItemsPerEvent) this.mayBeCapped = true;
    this.listItems = spanListItems;
  }

  /** A string field: only its length matters (UTF-8 bytes bound its UTF-16 length from above). */
  private string(end: number, maxChars: number): void {
    const reader = this.reader;
    const fieldEnd = reader.lengthDelimitedEnd(end);
    if (fieldEnd - reader.pos > maxChars) this.mayBeCapped = true;
    reader.pos = fieldEnd;
  }

  /** A span or event attribute (or a kvlist entry): its key and value measured against the caps. */
  private keyValue(end: number, depth: number): void {
    const reader = this.reader;
    if (depth < MAX_VALUE_DEPTH && this.plainIsUncapped && isPlainKeyValue(reader.bytes, reader.pos, end)) {
      reader.pos = end;
      return;
    }
    while (reader.pos < end) {
      const fieldTag = reader.tag(end);
      if (fieldTag === tag(1, LEN)) this.string(end, this.limits.maxKeyChars);
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
          this.string(end, this.limits.maxValueChars);
          break;
        case 16: // bool_value
        case 24: // int_value (a varint of at most 10 bytes, as int64 reads it)
          reader.uint32(end);
          break;
        case 33: // double_value
          reader.fixed64(end);
          break;
        case 42: {
          // array_value
          const arrayEnd = reader.lengthDelimitedEnd(end);
          while (reader.pos < arrayEnd) {
            const itemTag = reader.tag(arrayEnd);
            if (itemTag === tag(1, LEN)) {
              this.listItems++;
              this.anyValue(reader.lengthDelimitedEnd(arrayEnd), depth + 1);
            } else reader.skipField(itemTag, VALUES_FIELDS, 'ArrayValue', arrayEnd);
          }
          break;
        }
        case 50: {
          // kvlist_value
          const listEnd = reader.lengthDelimitedEnd(end);
          while (reader.pos < listEnd) {
            const itemTag = reader.tag(listEnd);
            if (itemTag === tag(1, LEN)) {
              this.listItems++;
              this.keyValue(reader.lengthDelimitedEnd(listEnd), depth + 1);
            } else reader.skipField(itemTag, VALUES_FIELDS, 'KeyValueList', listEnd);
          }
          break;
        }
        case 58: {
          // bytes_value, kept as base64 text
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

/** Checks and counts a protobuf request's spans; throws OtlpDecodeError exactly when decoding would. */
export function scanTraceRequestProtobuf(body: Uint8Array, limits: Readonly<ScanLimits> = DEFAULT_SPAN_CAPS): RequestScan {
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
