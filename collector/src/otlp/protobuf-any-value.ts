import type { AttributeValue, Attributes } from '@threshold/core';
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
 * AnyValue null. Nesting deeper than MAX_VALUE_DEPTH is rejected: it only comes from hostile or
 * broken senders, and unbounded recursion would overflow the stack.
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
export function readKeyValueInto(reader: WireReader, end: number, attributes: Attributes, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === KEY) key = reader.string(end);
    else if (tag === VALUE) {
      const valueEnd = reader.lengthDelimitedEnd(end);
      value = readAnyValue(reader, valueEnd, depth + 1);
    } else reader.skipField(tag, KEY_VALUE_FIELDS, 'KeyValue', end);
  }
  setAttribute(attributes, key, value);
}

/** Reads one AnyValue occupying [reader.pos, end). */
export function readAnyValue(reader: WireReader, end: number, depth: number): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.tag(end);
    switch (tag) {
      case STRING_VALUE:
        value = reader.string(end);
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
        value = readArrayValue(reader, reader.lengthDelimitedEnd(end), depth);
        break;
      case KVLIST_VALUE:
        value = readKeyValueList(reader, reader.lengthDelimitedEnd(end), depth);
        break;
      case BYTES_VALUE: {
        const bytesEnd = reader.lengthDelimitedEnd(end);
        value = reader.bytes.toString('base64', reader.pos, bytesEnd);
        reader.pos = bytesEnd;
        break;
      }
      default:
        reader.skipField(tag, ANY_VALUE_FIELDS, 'AnyValue', end);
    }
  }
  return value;
}

function readArrayValue(reader: WireReader, end: number, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === VALUES) values.push(readAnyValue(reader, reader.lengthDelimitedEnd(end), depth + 1));
    else reader.skipField(tag, VALUES_FIELDS, 'ArrayValue', end);
  }
  return values;
}

function readKeyValueList(reader: WireReader, end: number, depth: number): Attributes {
  const values: Attributes = {};
  while (reader.pos < end) {
    const tag = reader.tag(end);
    if (tag === VALUES) readKeyValueInto(reader, reader.lengthDelimitedEnd(end), values, depth + 1);
    else reader.skipField(tag, VALUES_FIELDS, 'KeyValueList', end);
  }
  return values;
}
