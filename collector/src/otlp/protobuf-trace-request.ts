import type { SpanRecord } from '@threshold/core';
import { DEFAULT_SPAN_CAPS, type SpanCaps } from '../security/span-caps.js';
import { CapTally } from './cap-tally.js';
import type { DecodeResult } from './decode-result.js';
import { skipKeyValue } from './protobuf-any-value.js';
import { readResourceServiceName } from './protobuf-resource.js';
import { readSpan } from './protobuf-span.js';
import { UNKNOWN_SERVICE } from './service-name.js';
import { SpanRejections } from './span-rejections.js';
import { REQUEST_FIELDS, RESOURCE_SPANS_FIELDS, SCOPE_FIELDS, SCOPE_SPANS_FIELDS, tagOf } from './trace-wire-schema.js';
import { WIRE_LENGTH_DELIMITED as LEN, WireReader } from './wire-reader.js';

/**
 * opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest, read straight off the wire
 * into SpanRecords (field numbers from opentelemetry-proto's trace.proto, common.proto,
 * resource.proto and trace_service.proto):
 *
 *   ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
 *   ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
 *   Resource      { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2;
 *                   repeated EntityRef entity_refs = 3; }
 *   ScopeSpans    { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
 *   InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3;
 *                          uint32 dropped_attributes_count = 4; }
 *   Span, Event, Link, Status: see protobuf-span.ts
 *
 * Fields may arrive in any order, so a ResourceSpans (and a ScopeSpans) is walked twice: once to
 * find its resource (scope) and once for its spans. The first walk only hops over length prefixes.
 * Unknown fields are skipped by wire type; a known field with the wrong wire type is malformed.
 * The span caps apply as the spans are read (see security/span-caps.ts); `truncation` says what
 * they cut.
 */
export function decodeTraceRequestProtobuf(body: Uint8Array, caps: Readonly<SpanCaps> = DEFAULT_SPAN_CAPS): DecodeResult {
  const reader = new WireReader(body);
  const request: RequestBeingRead = { reader, spans: [], rejections: new SpanRejections(), tally: new CapTally(caps) };
  const end = reader.length;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) readResourceSpans(request, reader.lengthDelimitedEnd(end));
    else reader.skipField(tag, REQUEST_FIELDS, 'ExportTraceServiceRequest', end);
  }
  return request.rejections.result(request.spans, request.tally.message());
}

/** One request's reader and what has been read from it so far. */
interface RequestBeingRead {
  reader: WireReader;
  spans: SpanRecord[];
  rejections: SpanRejections;
  tally: CapTally;
}

function readResourceSpans(request: RequestBeingRead, end: number): void {
  const reader = request.reader;
  const start = reader.pos;
  let service = UNKNOWN_SERVICE;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) service = readResourceServiceName(reader, reader.lengthDelimitedEnd(end), request.tally);
    else reader.skipField(tag, RESOURCE_SPANS_FIELDS, 'ResourceSpans', end);
  }
  reader.pos = start;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(2, LEN)) readScopeSpans(request, reader.lengthDelimitedEnd(end), service);
    else reader.skip(tag & 7, tag >>> 3, end);
  }
}

function readScopeSpans(request: RequestBeingRead, end: number, service: string): void {
  const reader = request.reader;
  const start = reader.pos;
  let scope = '';
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) scope = readScopeName(reader, reader.lengthDelimitedEnd(end), request.tally);
    else reader.skipField(tag, SCOPE_SPANS_FIELDS, 'ScopeSpans', end);
  }
  reader.pos = start;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(2, LEN))
      readSpan(reader, reader.lengthDelimitedEnd(end), service, scope, request.spans, request.rejections, request.tally);
    else reader.skip(tag & 7, tag >>> 3, end);
  }
}

/** The scope's name, cut to the name cap; its attributes are checked, not kept. */
function readScopeName(reader: WireReader, end: number, tally: CapTally): string {
  let name = '';
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) name = tally.text(reader, end, tally.caps.maxNameChars, 'truncatedNames');
    else if (tag === tagOf(3, LEN)) skipKeyValue(reader, reader.lengthDelimitedEnd(end), 0);
    else reader.skipField(tag, SCOPE_FIELDS, 'InstrumentationScope', end);
  }
  return name;
}
