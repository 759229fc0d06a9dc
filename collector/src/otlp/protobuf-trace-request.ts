import type { Attributes, SpanRecord } from '@threshold/core';
import type { DecodeResult } from './decode-result.js';
import { readKeyValueInto } from './protobuf-any-value.js';
import { readSpan } from './protobuf-span.js';
import { serviceNameOf, UNKNOWN_SERVICE } from './service-name.js';
import { SpanRejections } from './span-rejections.js';
import { REQUEST_FIELDS, RESOURCE_FIELDS, RESOURCE_SPANS_FIELDS, SCOPE_FIELDS, SCOPE_SPANS_FIELDS, tagOf } from './trace-wire-schema.js';
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
 */
export function decodeTraceRequestProtobuf(body: Uint8Array): DecodeResult {
  const reader = new WireReader(body);
  const spans: SpanRecord[] = [];
  const rejections = new SpanRejections();
  const end = reader.length;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) readResourceSpans(reader, reader.lengthDelimitedEnd(end), spans, rejections);
    else reader.skipField(tag, REQUEST_FIELDS, 'ExportTraceServiceRequest', end);
  }
  return rejections.result(spans);
}

function readResourceSpans(reader: WireReader, end: number, spans: SpanRecord[], rejections: SpanRejections): void {
  const start = reader.pos;
  let service = UNKNOWN_SERVICE;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) service = readResourceServiceName(reader, reader.lengthDelimitedEnd(end));
    else reader.skipField(tag, RESOURCE_SPANS_FIELDS, 'ResourceSpans', end);
  }
  reader.pos = start;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(2, LEN)) readScopeSpans(reader, reader.lengthDelimitedEnd(end), service, spans, rejections);
    else reader.skip(tag & 7, tag >>> 3, end);
  }
}

function readResourceServiceName(reader: WireReader, end: number): string {
  const attributes: Attributes = {};
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) readKeyValueInto(reader, reader.lengthDelimitedEnd(end), attributes, 0);
    else reader.skipField(tag, RESOURCE_FIELDS, 'Resource', end);
  }
  return serviceNameOf(attributes);
}

function readScopeSpans(
  reader: WireReader,
  end: number,
  service: string,
  spans: SpanRecord[],
  rejections: SpanRejections,
): void {
  const start = reader.pos;
  let scope = '';
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) scope = readScopeName(reader, reader.lengthDelimitedEnd(end));
    else reader.skipField(tag, SCOPE_SPANS_FIELDS, 'ScopeSpans', end);
  }
  reader.pos = start;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(2, LEN)) readSpan(reader, reader.lengthDelimitedEnd(end), service, scope, spans, rejections);
    else reader.skip(tag & 7, tag >>> 3, end);
  }
}

function readScopeName(reader: WireReader, end: number): string {
  let name = '';
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) name = reader.string(end);
    else if (tag === tagOf(3, LEN)) readKeyValueInto(reader, reader.lengthDelimitedEnd(end), {}, 0);
    else reader.skipField(tag, SCOPE_FIELDS, 'InstrumentationScope', end);
  }
  return name;
}
