import type { AttributeValue, Attributes } from '@threshold/core';
import type { CapTally } from './cap-tally.js';
import { parseInt64Attribute } from './json-int64.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { MAX_VALUE_DEPTH } from './protobuf-any-value.js';
import { setAttribute } from './set-attribute.js';

/**
 * OTLP/JSON attributes (`[{ "key": "k", "value": { "stringValue": "v" } }]`), flattened exactly
 * as the protobuf reader flattens them, so both encodings of one span give the same record.
 * Keys may be lowerCamelCase or snake_case; a value of null means "not set", as in proto3 JSON.
 *
 * The span caps apply as in protobuf: keys and strings cut, list items beyond the budget of the
 * span (or event) being read dropped. Without a tally the values are only checked, by the same
 * rules, and nothing is built: for attributes the caps drop and those nothing keeps.
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

/** Which count an attribute beyond its list's count adds to. */
type DroppedAttributes = 'droppedAttributes' | 'droppedEventAttributes';

/**
 * Reads a repeated KeyValue (absent or null: none) into `attributes`, the first `maxCount` of them;
 * those beyond are checked and counted in `dropped`.
 */
export function readJsonAttributesInto(
  list: unknown,
  attributes: Attributes,
  tally: CapTally,
  maxCount: number,
  dropped: DroppedAttributes,
): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new OtlpDecodeError('attributes must be an array');
  readKeyValues(list, attributes, tally, 0, maxCount, dropped);
}

/**
 * Only checks a repeated KeyValue, building nothing (attributes nothing keeps); returns the value
 * of the last entry whose key is `wantedKey` (null when it has none), undefined when there is none.
 */
export function checkJsonAttributes(list: unknown, wantedKey?: string): unknown {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw new OtlpDecodeError('attributes must be an array');
  readKeyValues(list, undefined, undefined, 0, 0, undefined);
  let wanted: unknown;
  if (wantedKey !== undefined)
    for (const keyValue of list as JsonObject[]) if ((keyValue.key ?? '') === wantedKey) wanted = keyValue.value ?? null;
  return wanted;
}

/**
 * Each KeyValue of an array, read into `into` when there is one (with a tally) and the limit
 * keeps it: the first `limit` entries, or with 'budget' (a kvlist's entries) one list item of the
 * budget each, taken before its value takes its own, as the protobuf reader takes them. Every
 * other entry is checked by the same rules, building nothing.
 */
function readKeyValues(
  list: unknown[],
  into: Attributes | undefined,
  tally: CapTally | undefined,
  depth: number,
  limit: number | 'budget',
  dropped: DroppedAttributes | undefined,
): void {
  for (let index = 0; index < list.length; index++) {
    const keyValue = list[index];
    if (!isJsonObject(keyValue)) throw new OtlpDecodeError(`attributes[${index}] must be an object`);
    const key = keyValue.key ?? '';
    if (typeof key !== 'string') throw new OtlpDecodeError(`attributes[${index}].key must be a string`);
    if (into !== undefined && tally !== undefined && keeps(index, limit, tally, dropped)) {
      setAttribute(
        into,
        tally.jsonText(key, tally.caps.maxKeyChars, 'truncatedKeys'),
        readJsonAnyValue(keyValue.value, key, depth + 1, tally),
      );
    } else {
      readJsonAnyValue(keyValue.value, key, depth + 1, undefined);
    }
  }
}

/** Whether the entry at `index` is kept under `limit`; one beyond a count is counted as `dropped`. */
function keeps(index: number, limit: number | 'budget', tally: CapTally, dropped: DroppedAttributes | undefined): boolean {
  if (limit === 'budget') return tally.takeListItem();
  if (index < limit) return true;
  if (dropped !== undefined) tally.count(dropped);
  return false;
}

/** One AnyValue: read (cut to the caps) with a tally, only checked without one (null then). */
function readJsonAnyValue(value: unknown, key: string, depth: number, tally: CapTally | undefined): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  if (value === undefined || value === null) return null;
  if (!isJsonObject(value)) throw invalid(key, 'value must be an AnyValue object');

  const text = jsonField(value, 'stringValue', 'string_value');
  if (text !== undefined && text !== null) {
    if (typeof text !== 'string') throw invalid(key, 'stringValue must be a string');
    return tally ? tally.jsonText(text, tally.caps.maxValueChars, 'truncatedValues') : null;
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
    const values = isJsonObject(array) ? (array.values ?? []) : undefined;
    if (!Array.isArray(values)) throw invalid(key, 'arrayValue must be { values: [...] }');
    if (!tally) {
      for (const item of values) readJsonAnyValue(item, key, depth + 1, undefined);
      return null;
    }
    const items: AttributeValue[] = [];
    for (const item of values) {
      if (tally.takeListItem()) items.push(readJsonAnyValue(item, key, depth + 1, tally));
      else readJsonAnyValue(item, key, depth + 1, undefined);
    }
    return items;
  }
  const list = jsonField(value, 'kvlistValue', 'kvlist_value');
  if (list !== undefined && list !== null) {
    if (!isJsonObject(list)) throw invalid(key, 'kvlistValue must be { values: [...] }');
    const entries = list.values;
    if (entries === undefined || entries === null) return tally ? {} : null;
    if (!Array.isArray(entries)) throw new OtlpDecodeError('attributes must be an array');
    const nested: Attributes = {};
    readKeyValues(entries, tally ? nested : undefined, tally, depth + 1, 'budget', undefined);
    return tally ? nested : null;
  }
  const bytes = jsonField(value, 'bytesValue', 'bytes_value');
  if (bytes !== undefined && bytes !== null) {
    if (typeof bytes !== 'string') throw invalid(key, 'bytesValue must be a base64 string');
    return tally ? tally.jsonText(bytes, tally.caps.maxValueChars, 'truncatedValues') : null;
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
  // Only the first 57 characters are shown, and those come from the first 57 of a string.
  const text = JSON.stringify(typeof value === 'string' && value.length > 61 ? value.slice(0, 61) : value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
