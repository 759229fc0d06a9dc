/**
 * Trace and span ids as Threshold stores them: lower-case hex. Protobuf carries raw bytes,
 * OTLP/JSON carries hex in either case; both land here.
 */

/** Char codes of the two hex digits of every byte value: byte b → HEX_CODES[2b], HEX_CODES[2b + 1]. */
const HEX_CODES = new Uint16Array(512);
for (let byte = 0; byte < 256; byte++) {
  const digits = byte.toString(16).padStart(2, '0');
  HEX_CODES[2 * byte] = digits.charCodeAt(0);
  HEX_CODES[2 * byte + 1] = digits.charCodeAt(1);
}

/** Reused scratch for String.fromCharCode: one flat string per id, no per-byte concatenation. */
const charCodes: number[] = new Array(32).fill(0);

/** Value of a hex digit char code (either case), or -1. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

/** True when the id bytes are usable: the expected length and not all zero (OTLP's "invalid"). */
export function isValidIdBytes(bytes: Uint8Array, start: number, length: number, expectedLength: number): boolean {
  if (length !== expectedLength) return false;
  for (let index = start; index < start + length; index++) if (bytes[index] !== 0) return true;
  return false;
}

/** Lower-case hex of `length` (≤ 16) bytes starting at `start`. */
export function bytesToHex(bytes: Uint8Array, start: number, length: number): string {
  charCodes.length = 2 * length;
  for (let index = 0; index < length; index++) {
    const byte = bytes[start + index];
    charCodes[2 * index] = HEX_CODES[2 * byte];
    charCodes[2 * index + 1] = HEX_CODES[2 * byte + 1];
  }
  return String.fromCharCode.apply(null, charCodes);
}

/**
 * The lower-case form of a hex id of `byteLength` bytes, or undefined when it is not one: wrong
 * length, a non-hex character, or all zeros.
 */
export function normalizeHexId(value: string, byteLength: number): string | undefined {
  if (value.length !== 2 * byteLength) return undefined;
  let anyNonZero = false;
  let hasUpperCase = false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const digit = code < 128 ? HEX_VALUE[code] : -1;
    if (digit < 0) return undefined;
    if (digit !== 0) anyNonZero = true;
    if (code >= 65 && code <= 70) hasUpperCase = true;
  }
  if (!anyNonZero) return undefined;
  return hasUpperCase ? value.toLowerCase() : value;
}
