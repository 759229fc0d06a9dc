import type { Attributes, SpanEventRecord, SpanRecord, StatusCode } from '@threshold/core';
import { bytesToHex, RecentIdHex } from './hex-id.js';
import type { CapTally } from './cap-tally.js';
import { readKeyValueInto, skipKeyValue } from './protobuf-any-value.js';
import { ProtobufSpanKey } from './protobuf-span-key.js';
import type { SpanRejections } from './span-rejections.js';
import { EVENT_FIELDS, LINK_FIELDS, SPAN_FIELDS, STATUS_FIELDS, tagOf } from './trace-wire-schema.js';
import { WIRE_FIXED64, WIRE_LENGTH_DELIMITED as LEN, WIRE_VARINT, WireReader } from './wire-reader.js';

/**
 * One opentelemetry.proto.trace.v1.Span, read into a SpanRecord or counted as rejected:
 *
 *   Span  { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
 *           string name = 5; SpanKind kind = 6; fixed64 start_time_unix_nano = 7;
 *           fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
 *           uint32 dropped_attributes_count = 10; repeated Event events = 11;
 *           uint32 dropped_events_count = 12; repeated Link links = 13; uint32 dropped_links_count = 14;
 *           Status status = 15; fixed32 flags = 16; }
 *   Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3;
 *           uint32 dropped_attributes_count = 4; }
 *   Link  { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4;
 *           uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
 *   Status { string message = 2; StatusCode code = 3; }   (field 1 reserved)
 *
 * The hot loop switches on the whole tag (field number << 3 | wire type) as a literal, so a field
 * with the expected wire type is one jump; everything else goes through skipField, which tells a
 * wrong wire type (malformed) from a field of a newer schema (skipped).
 *
 * The span caps apply as the span is read: names and strings cut, attributes and events beyond
 * their counts and list items beyond the span's (each event's) budget checked but not built.
 */

/** Spans of one trace arrive together, and siblings share a parent: most ids convert once. */
const recentTraceId = new RecentIdHex();
const recentParentId = new RecentIdHex();
/** The span being read's ids and times (decoding is synchronous: one key serves every span). */
const spanKey = new ProtobufSpanKey();

/** Reads the Span occupying [reader.pos, end): appends it to `spans`, or counts why it is rejected. */
export function readSpan(
  reader: WireReader,
  end: number,
  service: string,
  scope: string,
  spans: SpanRecord[],
  rejections: SpanRejections,
  tally: CapTally,
): void {
  const key = spanKey.reset();
  const caps = tally.caps;
  tally.beginSpan();
  let attributeCount = 0;
  let name = '';
  let kind = 0;
  let statusCode: StatusCode = 0;
  let statusMessage = '';
  const attributes: Attributes = {};
  const events: SpanEventRecord[] = [];
  while (reader.pos < end) {
    const tag = reader.tag(end);
    switch (tag) {
      case 42: // name
        name = tally.text(reader, end, caps.maxNameChars, 'truncatedNames');
        break;
      case 48: // kind
        kind = reader.uint32(end) | 0;
        break;
      case 74: {
        // attributes
        const keyValueEnd = reader.lengthDelimitedEnd(end);
        if (attributeCount++ < caps.maxAttributesPerSpan) readKeyValueInto(reader, keyValueEnd, attributes, 0, tally);
        else {
          skipKeyValue(reader, keyValueEnd, 0);
          tally.count('droppedAttributes');
        }
        break;
      }
      case 90: {
        // events
        const eventEnd = reader.lengthDelimitedEnd(end);
        if (events.length < caps.maxEventsPerSpan) events.push(readEvent(reader, eventEnd, tally));
        else {
          skipEvent(reader, eventEnd);
          tally.count('droppedEvents');
        }
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
          if (statusTag === tagOf(2, LEN)) statusMessage = tally.text(reader, statusEnd, caps.maxValueChars, 'truncatedValues');
          else if (statusTag === tagOf(3, WIRE_VARINT)) statusCode = toStatusCode(reader.uint32(statusEnd));
          else reader.skipField(statusTag, STATUS_FIELDS, 'Status', statusEnd);
        }
        break;
      }
      default:
        if (!key.read(reader, tag, end)) reader.skipField(tag, SPAN_FIELDS, 'Span', end);
    }
  }

  const bytes = reader.bytes;
  const rejection = key.rejection(bytes);
  if (rejection !== undefined) {
    tally.forgetSpan();
    return rejections.add(rejection);
  }

  const span: SpanRecord = {
    traceId: recentTraceId.get(bytes, key.traceIdStart, 16),
    spanId: bytesToHex(bytes, key.spanIdStart, 8),
    name,
    kind,
    startTimeUnixNano: key.startTimeUnixNano,
    endTimeUnixNano: key.endTimeUnixNano,
    statusCode,
    service,
    attributes,
    events,
  };
  if (key.hasParent(bytes)) span.parentSpanId = recentParentId.get(bytes, key.parentIdStart, 8);
  if (statusMessage !== '') span.statusMessage = statusMessage;
  if (scope !== '') span.scope = scope;
  spans.push(span);
}

/** Reads one Event, with a list budget of its own (the span's is set aside meanwhile). */
function readEvent(reader: WireReader, end: number, tally: CapTally): SpanEventRecord {
  const caps = tally.caps;
  const spanListItemsLeft = tally.listItemsLeft;
  tally.listItemsLeft = caps.maxListItemsPerEvent;
  let timeUnixNano = 0n;
  let name = '';
  const attributes: Attributes = {};
  let attributeCount = 0;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, WIRE_FIXED64)) timeUnixNano = reader.fixed64(end);
    else if (tag === tagOf(2, LEN)) name = tally.text(reader, end, caps.maxNameChars, 'truncatedNames');
    else if (tag === tagOf(3, LEN)) {
      const keyValueEnd = reader.lengthDelimitedEnd(end);
      if (attributeCount++ < caps.maxAttributesPerEvent) readKeyValueInto(reader, keyValueEnd, attributes, 0, tally);
      else {
        skipKeyValue(reader, keyValueEnd, 0);
        tally.count('droppedEventAttributes');
      }
    } else reader.skipField(tag, EVENT_FIELDS, 'Span.Event', end);
  }
  tally.listItemsLeft = spanListItemsLeft;
  return { name, timeUnixNano, attributes };
}

/** Checks an Event the caps drop, as readEvent would read it. */
export function skipEvent(reader: WireReader, end: number): void {
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, WIRE_FIXED64)) reader.fixed64(end);
    else if (tag === tagOf(3, LEN)) skipKeyValue(reader, reader.lengthDelimitedEnd(end), 0);
    else reader.skipField(tag, EVENT_FIELDS, 'Span.Event', end);
  }
}

/** Links are not kept, but their structure is checked like everything else in the request. */
export function skipLink(reader: WireReader, end: number): void {
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(4, LEN)) skipKeyValue(reader, reader.lengthDelimitedEnd(end), 0);
    else reader.skipField(tag, LINK_FIELDS, 'Span.Link', end);
  }
}

/** OTLP defines 0 unset, 1 ok, 2 error; a code from a newer schema reads as unset. */
function toStatusCode(code: number): StatusCode {
  return code === 1 || code === 2 ? code : 0;
}
