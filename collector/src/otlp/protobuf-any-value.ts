import type { AttributeValue, Attributes } from '@threshold/core';
import type { CapTally } from './cap-tally.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { setAttribute } from './set-attribute.js';
import { ANY_VALUE_FIELDS, KEY_VALUE_FIELDS, VALUES_FIELDS } from './trace-wire-schema.js';
import { WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT, WireReader } from './wire-reader.js';

/**
 * opentelemetry.proto.common.v1 attribute messages, flattened into plain values:
 *
 *   KeyValue     { string key = 1; AnyValue value = 2; }
 *   AnyValue     oneof { string_value = 1; bool_value = 2; int64 int_value = 3;
 *                        double double_value = 4; ArrayValue array_value = 5;
 *                        KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
 *   ArrayValue   { repeated AnyValue values = 1; }
 *   KeyValueList { repeated KeyValue values = 1; }
 *
 * Bytes become base64 text, int64 a number when safe (else its decimal string), an empty
 * AnyValue null. Keys and strings are cut and list items beyond the span's budget dropped as the
 * span caps say (see cap-tally.ts); what is dropped is still checked (`skipKeyValue`,
 * `skipAnyValue`), so a body is refused for the same faults whatever the caps keep. Nesting
 * deeper than MAX_VALUE_DEPTH is refused: it only comes from hostile or broken senders, and
 * unbounded recursion would overflow the stack.
 */
export const MAX_VALUE_DEPTH = 32;

const KEY = (1 << 3) | WIRE_LENGTH_DELIMITED;
const VALUE = (2 << 3) | WIRE_LENGTH_DELIMITED;
const STRING_VALUE = (1 << 3) | WIRE_LENGTH_DELIMITED;
const BOOL_VALUE = (2 << 3) | WIRE_VARINT;
const INT_VALUE = (3 << 3) | WIRE_VARINT;
const DOUBLE_VALUE = (4 << 3) | WIRE_FIXED64;
const ARRAY_VALUE = (5 << 3) | WIRE_LENGTH_DELIMITED;
const KVLIST_VALUE = (6 << 3) | WIRE_LENGTH_DELIMITED;
const BYTES_VALUE = (7 << 3) | WIRE_LENGTH_DELIMITED;
const VALUES = (1 << 3) | WIRE_LENGTH_DELIMITED;

/** Reads one KeyValue occupying [reader.pos, end) into `attributes` (a repeated key: last wins). */
export function readKeyValueInto(reader: WireReader, end: number, attributes: Attributes, depth: number, tally: CapTally): void {
  let key = '';
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === KEY) key = tally.text(reader, end, tally.caps.maxKeyChars, 'truncatedKeys');
    else if (tag === VALUE) {
      const valueEnd = reader.lengthDelimitedEnd(end);
      value = readAnyValue(reader, valueEnd, depth + 1, tally);
    } else reader.skipField(tag, KEY_VALUE_FIELDS, 'KeyValue', end);
  }
  setAttribute(attributes, key, value);
}

/** Reads one AnyValue occupying [reader.pos, end). */
export function readAnyValue(reader: WireReader, end: number, depth: number, tally: CapTally): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    switch (tag) {
      case STRING_VALUE:
        value = tally.text(reader, end, tally.caps.maxValueChars, 'truncatedValues');
        break;
      case BOOL_VALUE:
        value = reader.bool(end);
        break;
      case INT_VALUE:
        value = reader.int64(end);
        break;
      case DOUBLE_VALUE:
        value = reader.double(end);
        break;
      case ARRAY_VALUE:
        value = readArrayValue(reader, reader.lengthDelimitedEnd(end), depth, tally);
        break;
      case KVLIST_VALUE:
        value = readKeyValueList(reader, reader.lengthDelimitedEnd(end), depth, tally);
        break;
      case BYTES_VALUE:
        value = tally.base64(reader, end, tally.caps.maxValueChars, 'truncatedValues');
        break;
      default:
        reader.skipField(tag, ANY_VALUE_FIELDS, 'AnyValue', end);
    }
  }
  return value;
}

function readArrayValue(reader: WireReader, end: number, depth: number, tally: CapTally): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag !== VALUES) reader.skipField(tag, VALUES_FIELDS, 'ArrayValue', end);
    else if (tally.takeListItem()) values.push(readAnyValue(reader, reader.lengthDelimitedEnd(end), depth + 1, tally));
    else skipAnyValue(reader, reader.lengthDelimitedEnd(end), depth + 1);
  }
  return values;
}

function readKeyValueList(reader: WireReader, end: number, depth: number, tally: CapTally): Attributes {
  const values: Attributes = {};
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag !== VALUES) reader.skipField(tag, VALUES_FIELDS, 'KeyValueList', end);
    else if (tally.takeListItem()) readKeyValueInto(reader, reader.lengthDelimitedEnd(end), values, depth + 1, tally);
    else skipKeyValue(reader, reader.lengthDelimitedEnd(end), depth + 1);
  }
  return values;
}

/**
 * Passes over one KeyValue occupying [reader.pos, end), checking it by exactly the rules
 * `readKeyValueInto` reads it by, without building anything: for attributes the caps drop and
 * those nothing keeps (resource, scope and link attributes but `service.name`).
 */
export function skipKeyValue(reader: WireReader, end: number, depth: number): void {
  if (depth < MAX_VALUE_DEPTH && isPlainKeyValue(reader.bytes, reader.pos, end)) {
    reader.pos = end;
    return;
  }
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === KEY) reader.pos = reader.lengthDelimitedEnd(end);
    else if (tag === VALUE) skipAnyValue(reader, reader.lengthDelimitedEnd(end), depth + 1);
    else reader.skipField(tag, KEY_VALUE_FIELDS, 'KeyValue', end);
  }
}

/** Passes over one AnyValue occupying [reader.pos, end), checking it as `readAnyValue` reads it. */
export function skipAnyValue(reader: WireReader, end: number, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  while (reader.pos < end) {
    const tag = reader.tag(end);
    switch (tag) {
      case STRING_VALUE:
      case BYTES_VALUE:
        reader.pos = reader.lengthDelimitedEnd(end);
        break;
      case BOOL_VALUE:
      case INT_VALUE: // a varint of at most 10 bytes, as int64 reads it
        reader.uint32(end);
        break;
      case DOUBLE_VALUE:
        reader.fixed64(end);
        break;
      case ARRAY_VALUE: {
        const arrayEnd = reader.lengthDelimitedEnd(end);
        while (reader.pos < arrayEnd) {
          const itemTag = reader.tag(arrayEnd);
          if (itemTag === VALUES) skipAnyValue(reader, reader.lengthDelimitedEnd(arrayEnd), depth + 1);
          else reader.skipField(itemTag, VALUES_FIELDS, 'ArrayValue', arrayEnd);
        }
        break;
      }
      case KVLIST_VALUE: {
        const listEnd = reader.lengthDelimitedEnd(end);
        while (reader.pos < listEnd) {
          const itemTag = reader.tag(listEnd);
          if (itemTag === VALUES) skipKeyValue(reader, reader.lengthDelimitedEnd(listEnd), depth + 1);
          else reader.skipField(itemTag, VALUES_FIELDS, 'KeyValueList', listEnd);
        }
        break;
      }
      default:
        reader.skipField(tag, ANY_VALUE_FIELDS, 'AnyValue', end);
    }
  }
}

/**
 * True for the KeyValue nearly every attribute is: a key, then a value holding one string, int,
 * bool or double, every tag and length one byte — the layout the official serializers write for
 * a short scalar attribute. It is well-formed by the decoder's rules, holds no list, and its
 * strings are under 128 bytes, so a walk that only checks, or flags what the caps could cut (no
 * cap is below 128), can pass over it at once. Anything else returns false.
 */
export function isPlainKeyValue(bytes: Uint8Array, pos: number, end: number): boolean {
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
    case 0x18: {
      // int_value: a varint of at most 10 bytes, ending the AnyValue
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
