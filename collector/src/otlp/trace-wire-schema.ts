import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED as LEN, WIRE_VARINT } from './wire-reader.js';

/**
 * The wire type of each known field of the OTLP trace messages, by field number (-1 marks a
 * reserved or unused number), from opentelemetry-proto's trace_service.proto, trace.proto,
 * resource.proto and common.proto. The decoder and the acknowledgement scan read the same
 * tables, so they refuse exactly the same bodies: a known field with another wire type is malformed.
 */
export const REQUEST_FIELDS = [-1, LEN];
export const RESOURCE_SPANS_FIELDS = [-1, LEN, LEN, LEN];
export const RESOURCE_FIELDS = [-1, LEN, WIRE_VARINT, LEN];
export const SCOPE_SPANS_FIELDS = [-1, LEN, LEN, LEN];
export const SCOPE_FIELDS = [-1, LEN, LEN, LEN, WIRE_VARINT];
export const SPAN_FIELDS = [
  -1,
  LEN,
  LEN,
  LEN,
  LEN,
  LEN,
  WIRE_VARINT,
  WIRE_FIXED64,
  WIRE_FIXED64,
  LEN,
  WIRE_VARINT,
  LEN,
  WIRE_VARINT,
  LEN,
  WIRE_VARINT,
  LEN,
  WIRE_FIXED32,
];
export const EVENT_FIELDS = [-1, WIRE_FIXED64, LEN, LEN, WIRE_VARINT];
export const LINK_FIELDS = [-1, LEN, LEN, LEN, LEN, WIRE_VARINT, WIRE_FIXED32];
export const STATUS_FIELDS = [-1, -1, LEN, WIRE_VARINT];
export const KEY_VALUE_FIELDS = [-1, LEN, LEN];
export const ANY_VALUE_FIELDS = [-1, LEN, WIRE_VARINT, WIRE_VARINT, WIRE_FIXED64, LEN, LEN, LEN];
/** ArrayValue and KeyValueList: `repeated … values = 1`. */
export const VALUES_FIELDS = [-1, LEN];

/** A field's tag as it appears on the wire: field number << 3 | wire type. */
export function tagOf(fieldNumber: number, wireType: number): number {
  return (fieldNumber << 3) | wireType;
}
