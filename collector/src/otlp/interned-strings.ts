/**
 * Attribute keys, span names and scope names repeat across nearly every span of a request
 * ("gen_ai.request.model", "chat gpt-4o"). Decoding them once and handing out the same string
 * saves an allocation per field and, because V8 then sees an already-internalized key, makes
 * building attribute objects about twice as fast. The table is small, fixed and overwritten on
 * collision, so memory stays bounded whatever the input.
 */

const SLOT_COUNT = 4096;
/** Longer strings are rarely repeated keys; decode them directly. */
const MAX_INTERNED_BYTES = 64;

const slotStrings: (string | undefined)[] = new Array(SLOT_COUNT).fill(undefined);
const slotBytes: (Uint8Array | undefined)[] = new Array(SLOT_COUNT).fill(undefined);

/** UTF-8 text of bytes[start, end) (invalid sequences become U+FFFD), shared when seen before. */
export function internUtf8(bytes: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length === 0) return '';
  if (length > MAX_INTERNED_BYTES) return bytes.toString('utf8', start, end);
  let hash = length;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index], 0x01000193);
  const slot = (hash >>> 0) & (SLOT_COUNT - 1);
  const cached = slotBytes[slot];
  if (cached !== undefined && cached.length === length && sameBytes(cached, bytes, start)) {
    return slotStrings[slot] as string;
  }
  const text = bytes.toString('utf8', start, end);
  slotStrings[slot] = text;
  // A copy: Buffer#slice would be a view into the request body, which its owner may reuse.
  slotBytes[slot] = Uint8Array.prototype.slice.call(bytes, start, end);
  return text;
}

function sameBytes(cached: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let index = 0; index < cached.length; index++) if (cached[index] !== bytes[start + index]) return false;
  return true;
}
