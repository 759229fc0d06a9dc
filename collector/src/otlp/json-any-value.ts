import type { AttributeValue, Attributes } from '@threshold/core';
import { parseInt64Attribute } from './json-int64.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { MAX_VALUE_DEPTH } from './protobuf-any-value.js';
import { setAttribute } from './set-attribute.js';

/**
 * OTLP/JSON attributes (`[{ "key": "k", "value": { "stringValue": "v" } }]`), flattened exactly
 * as the protobuf reader flattens them, so both encodings of one span give the same record.
 * Keys may be lowerCamelCase or snake_case; a value of null means "not set", as in proto3 JSON.
 */

/** A JSON object, as opposed to an array, null or a scalar. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field under its lowerCamelCase name, else its snake_case name (receivers accept both). */
export function jsonField(object: JsonObject, camelCase: string, snakeCase: string): unknown {
  const value = object[camelCase];
  return value === undefined ? object[snakeCase] : value;
}

/** Reads a repeated KeyValue (absent or null: none) into `attributes`. */
export function readJsonAttributesInto(list: unknown, attributes: Attributes, depth = 0): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new OtlpDecodeError('attributes must be an array');
  for (let index = 0; index < list.length; index++) {
    const keyValue = list[index];
    if (!isJsonObject(keyValue)) throw new OtlpDecodeError(`attributes[${index}] must be an object`);
    const key = keyValue.key ?? '';
    if (typeof key !== 'string') throw new OtlpDecodeError(`attributes[${index}].key must be a string`);
    setAttribute(attributes, key, readJsonAnyValue(keyValue.value, key, depth + 1));
  }
}

function readJsonAnyValue(value: unknown, key: string, depth: number): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  if (value === undefined || value === null) return null;
  if (!isJsonObject(value)) throw invalid(key, 'value must be an AnyValue object');

  const text = jsonField(value, 'stringValue', 'string_value');
  if (text !== undefined && text !== null) {
    if (typeof text !== 'string') throw invalid(key, 'stringValue must be a string');
    return text;
  }
  const flag = jsonField(value, 'boolValue', 'bool_value');
  if (flag !== undefined && flag !== null) {
    if (typeof flag !== 'boolean') throw invalid(key, 'boolValue must be a boolean');
    return flag;
  }
  const integer = jsonField(value, 'intValue', 'int_value');
  if (integer !== undefined && integer !== null) {
    const parsed = parseInt64Attribute(integer);
    if (parsed === undefined) throw invalid(key, `intValue ${describe(integer)} is not an int64`);
    return parsed;
  }
  const double = jsonField(value, 'doubleValue', 'double_value');
  if (double !== undefined && double !== null) return parseDouble(double, key);
  const array = jsonField(value, 'arrayValue', 'array_value');
  if (array !== undefined && array !== null) {
    const values = isJsonObject(array) ? array.values ?? [] : undefined;
    if (!Array.isArray(values)) throw invalid(key, 'arrayValue must be { values: [...] }');
    return values.map((item) => readJsonAnyValue(item, key, depth + 1));
  }
  const list = jsonField(value, 'kvlistValue', 'kvlist_value');
  if (list !== undefined && list !== null) {
    if (!isJsonObject(list)) throw invalid(key, 'kvlistValue must be { values: [...] }');
    const nested: Attributes = {};
    readJsonAttributesInto(list.values, nested, depth + 1);
    return nested;
  }
  const bytes = jsonField(value, 'bytesValue', 'bytes_value');
  if (bytes !== undefined && bytes !== null) {
    if (typeof bytes !== 'string') throw invalid(key, 'bytesValue must be a base64 string');
    return bytes;
  }
  return null;
}

/** proto3 JSON doubles: a number, or a string holding one ("NaN", "Infinity", "-Infinity", "1.5"). */
function parseDouble(value: unknown, key: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return Number.NaN;
    const parsed = Number(value);
    if (value.trim() !== '' && !Number.isNaN(parsed)) return parsed;
  }
  throw invalid(key, `doubleValue ${describe(value)} is not a number`);
}

function invalid(key: string, problem: string): OtlpDecodeError {
  return new OtlpDecodeError(`attribute ${describe(key)}: ${problem}`);
}

/** A value quoted for an error message, cut short: the body is untrusted and may be huge. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
