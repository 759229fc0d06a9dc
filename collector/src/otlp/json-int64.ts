/**
 * OTLP/JSON writes 64-bit integers as decimal strings (the proto3 JSON mapping) but receivers
 * must also accept plain numbers, which some senders emit. Both land here.
 */

const UINT64_MAX = 18446744073709551615n;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;
const SAFE_LIMIT = 9007199254740992n;
const UNSIGNED_DIGITS = /^\d{1,20}$/;
const SIGNED_DIGITS = /^-?\d{1,19}$/;

/**
 * A fixed64 timestamp: a decimal string or a non-negative integer number; absent (undefined or
 * null) reads as 0, OTLP's "not set". Anything else is undefined (invalid).
 */
export function parseUnixNano(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string') {
    if (!UNSIGNED_DIGITS.test(value)) return undefined;
    const nanos = BigInt(value);
    return nanos <= UINT64_MAX ? nanos : undefined;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    // Compared as a bigint: the double nearest 2^64 - 1 is 2^64 itself, which is out of range.
    const nanos = BigInt(value);
    return nanos <= UINT64_MAX ? nanos : undefined;
  }
  return undefined;
}

/**
 * An int64 attribute value as Threshold keeps it: a number when |v| ≤ 2^53, else its decimal
 * string. Undefined when the value is not an int64.
 */
export function parseInt64Attribute(value: unknown): number | string | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return undefined;
    if (Number.isSafeInteger(value) || Math.abs(value) === 2 ** 53) return value === 0 ? 0 : value; // no -0
    const exact = BigInt(value);
    return exact >= INT64_MIN && exact <= INT64_MAX ? exact.toString() : undefined;
  }
  if (typeof value !== 'string' || !SIGNED_DIGITS.test(value)) return undefined;
  // Up to 15 digits is always below 2^53: Number() is exact and skips the bigint.
  if (value.length <= 15) return Number(value) || 0; // "-0" is 0
  const exact = BigInt(value);
  if (exact < INT64_MIN || exact > INT64_MAX) return undefined;
  const magnitude = exact < 0n ? -exact : exact;
  return magnitude <= SAFE_LIMIT ? Number(exact) : exact.toString();
}
