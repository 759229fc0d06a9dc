/**
 * Trace and span ids as Threshold stores them: lower-case hex. Protobuf carries raw bytes,
 * OTLP/JSON carries hex in either case; both land here.
 */

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

/**
 * Lower-case hex of `length` bytes starting at `start`. Node's native hex slice measured as fast
 * as a JS lookup table and, unlike concatenating per-byte strings, yields a flat string that
 * hashes and compares without flattening later.
 */
export function bytesToHex(bytes: Buffer, start: number, length: number): string {
  return bytes.toString('hex', start, start + length);
}

/**
 * Remembers the last id converted: spans of one trace arrive together and share a trace id, and
 * siblings share a parent, so most conversions become a 16-byte compare.
 */
export class RecentIdHex {
  private bytes = new Uint8Array(0);
  private hex = '';

  get(source: Buffer, start: number, length: number): string {
    const bytes = this.bytes;
    if (bytes.length === length) {
      let same = true;
      for (let index = 0; index < length; index++) {
        if (bytes[index] !== source[start + index]) {
          same = false;
          break;
        }
      }
      if (same) return this.hex;
    }
    this.bytes = Uint8Array.prototype.slice.call(source, start, start + length);
    this.hex = source.toString('hex', start, start + length);
    return this.hex;
  }
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
