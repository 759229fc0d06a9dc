/**
 * Attribute keys, span names and common values repeat across nearly every span of a request
 * ("gen_ai.request.model", "chat gpt-4o", "openai"). Decoding them once and handing out the same
 * string saves an allocation per field and, because V8 then sees an already-internalized key,
 * makes building attribute objects about twice as fast.
 *
 * A string is only stored the second time its hash is seen in a slot, so one-off values (response
 * ids, prompts) cost a hash and a plain decode, not a copy into the table. The table is small,
 * fixed and overwritten on collision: memory stays bounded whatever the input.
 */

const SLOT_COUNT = 4096;
/** Longer strings are rarely repeated; decode them directly. */
const MAX_INTERNED_BYTES = 48;

const slotStrings: string[] = new Array<string>(SLOT_COUNT).fill('');
const slotBytes: Uint8Array[] = new Array<Uint8Array>(SLOT_COUNT).fill(new Uint8Array(0));
/** Hash last seen in each slot, stored or not: a repeat earns the string a place. */
const slotHashes = new Int32Array(SLOT_COUNT);

/** UTF-8 text of bytes[start, end) (invalid sequences become U+FFFD), shared when seen before. */
export function internUtf8(bytes: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length === 0) return '';
  if (length > MAX_INTERNED_BYTES) return bytes.toString('utf8', start, end);
  let hash = length;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index], 0x01000193);
  const slot = (hash ^ (hash >>> 15)) & (SLOT_COUNT - 1);
  const cached = slotBytes[slot];
  if (cached.length === length && sameBytes(cached, bytes, start)) return slotStrings[slot];
  const text = bytes.toString('utf8', start, end);
  if (slotHashes[slot] === hash) {
    slotStrings[slot] = text;
    // A copy: Buffer#slice would be a view into the request body, which its owner may reuse.
    slotBytes[slot] = Uint8Array.prototype.slice.call(bytes, start, end);
  } else {
    slotHashes[slot] = hash;
  }
  return text;
}

function sameBytes(cached: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let index = 0; index < cached.length; index++) if (cached[index] !== bytes[start + index]) return false;
  return true;
}
