import type { AttributeValue, Attributes } from '../span-record.js';

/**
 * Typed reads of span attributes. Conventions spell the same fact many ways and exporters send
 * numbers as strings (int64) or booleans as "true"; these readers take the first key present and
 * coerce only when the value is unambiguous, so a missing fact stays `undefined`.
 */

/** The first of `keys` holding a non-empty string (numbers are stringified). */
export function readString(attributes: Attributes, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** The first of `keys` holding a finite number (numeric strings accepted). */
export function readNumber(attributes: Attributes, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const number = toNumber(attributes[key]);
    if (number !== undefined) return number;
  }
  return undefined;
}

/** The first of `keys` holding a boolean (`"true"`/`"false"` accepted). */
export function readBoolean(attributes: Attributes, ...keys: string[]): boolean | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
  }
  return undefined;
}

export function toNumber(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/**
 * The first of `keys` holding a JSON object, parsed (Langfuse records usage, cost and model
 * parameters as JSON text; OpenInference the request's invocation parameters). Undefined when no
 * key holds one or the text is not a JSON object: a malformed record is treated as absent.
 */
export function readJsonObject(attributes: Attributes, ...keys: string[]): Record<string, unknown> | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    if (typeof value !== 'string' || !value.trimStart().startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      continue;
    }
  }
  return undefined;
}
