/**
 * A short, stable fingerprint of tool arguments: the same arguments (whatever their key order)
 * give the same hash, so repeated calls — candidates for caching — are detectable without
 * recording the arguments themselves.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` serialize alike. */
function stableJson(value: unknown, seen: Set<object>): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (seen.has(value)) throw new TypeError('circular arguments');
  seen.add(value);
  let text: string;
  if (Array.isArray(value)) text = `[${value.map((item) => stableJson(item, seen)).join(',')}]`;
  else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    text = `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key], seen)}`).join(',')}}`;
  }
  seen.delete(value);
  return text;
}

/** First 16 hex digits of the SHA-256 of the arguments' stable JSON; undefined if unserializable. */
export function hashArguments(args: unknown): string | undefined {
  try {
    return createHash('sha256').update(stableJson(args, new Set())).digest('hex').slice(0, 16);
  } catch {
    return undefined;
  }
}
