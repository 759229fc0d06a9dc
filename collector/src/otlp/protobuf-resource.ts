import type { AttributeValue } from '@threshold/core';
import type { CapTally } from './cap-tally.js';
import { skipAnyValue } from './protobuf-any-value.js';
import { SERVICE_NAME_KEY, serviceNameOf, UNKNOWN_SERVICE } from './service-name.js';
import { KEY_VALUE_FIELDS, RESOURCE_FIELDS, tagOf } from './trace-wire-schema.js';
import { WIRE_FIXED64, WIRE_LENGTH_DELIMITED as LEN, WIRE_VARINT, type WireReader } from './wire-reader.js';

const SERVICE_NAME_BYTES = Buffer.from(SERVICE_NAME_KEY);

/**
 * A Resource's service name, the only resource attribute Threshold keeps:
 *
 *   Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; repeated EntityRef entity_refs = 3; }
 *
 * Every attribute is checked as the decoder checks any (a resource of a million attributes is a
 * scan, not a million values built); only the value of the last `service.name` is read, cut to
 * the service-name cap. The acknowledgement scan finds the same attribute with `isServiceNameKey`.
 */
export function readResourceServiceName(reader: WireReader, end: number, tally: CapTally): string {
  let service = UNKNOWN_SERVICE;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag !== tagOf(1, LEN)) {
      reader.skipField(tag, RESOURCE_FIELDS, 'Resource', end);
      continue;
    }
    const keyValueEnd = reader.lengthDelimitedEnd(end);
    const value = checkServiceNameAttribute(reader, keyValueEnd);
    if (value === undefined) continue;
    if (value.start < 0) {
      service = UNKNOWN_SERVICE; // `service.name` without a value: null, like any attribute
      continue;
    }
    const after = reader.pos;
    reader.pos = value.start;
    service = serviceNameOf(readScalar(reader, value.end, tally));
    reader.pos = after;
  }
  return service;
}

/**
 * Checks one KeyValue occupying [reader.pos, end) (leaving the reader at its end) and, when its
 * key is `service.name`, returns where its last value lies (start -1: it has none). Key and
 * value may come in any order.
 */
export function checkServiceNameAttribute(reader: WireReader, end: number): { start: number; end: number } | undefined {
  let isServiceName = false;
  let valueStart = -1;
  let valueEnd = -1;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) {
      const keyEnd = reader.lengthDelimitedEnd(end);
      isServiceName = isServiceNameKey(reader.bytes, reader.pos, keyEnd);
      reader.pos = keyEnd;
    } else if (tag === tagOf(2, LEN)) {
      valueEnd = reader.lengthDelimitedEnd(end);
      valueStart = reader.pos;
      skipAnyValue(reader, valueEnd, 1);
    } else reader.skipField(tag, KEY_VALUE_FIELDS, 'KeyValue', end);
  }
  return isServiceName ? { start: valueStart, end: valueEnd } : undefined;
}

/** True when bytes[start, end) spell `service.name`. */
export function isServiceNameKey(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== SERVICE_NAME_BYTES.length) return false;
  for (let index = 0; index < SERVICE_NAME_BYTES.length; index++) if (bytes[start + index] !== SERVICE_NAME_BYTES[index]) return false;
  return true;
}

/**
 * The scalar an AnyValue holds, already checked (`skipAnyValue`); a list reads as null, which
 * names no service. As everywhere in AnyValue, the last field wins.
 */
function readScalar(reader: WireReader, end: number, tally: CapTally): AttributeValue {
  const maxChars = tally.caps.maxServiceNameChars;
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === tagOf(1, LEN)) value = tally.text(reader, end, maxChars, 'truncatedServiceNames');
    else if (tag === tagOf(2, WIRE_VARINT)) value = reader.bool(end);
    else if (tag === tagOf(3, WIRE_VARINT)) value = reader.int64(end);
    else if (tag === tagOf(4, WIRE_FIXED64)) value = reader.double(end);
    else if (tag === tagOf(7, LEN)) value = tally.base64(reader, end, maxChars, 'truncatedServiceNames');
    else {
      reader.skip(tag & 7, tag >>> 3, end);
      if (tag === tagOf(5, LEN) || tag === tagOf(6, LEN)) value = null;
    }
  }
  return value;
}
