import { internUtf8 } from './interned-strings.js';
import { OtlpDecodeError } from './otlp-decode-error.js';

/**
 * A bounds-checked cursor over protobuf wire format. Every read takes the end of the message it
 * is inside, so a length that points past its parent, a varint cut short or an unknown wire type
 * becomes an OtlpDecodeError with the byte offset — never a RangeError or a silent misread.
 *
 * Wire types: 0 varint, 1 fixed64 (I64), 2 length-delimited (LEN), 3/4 group start/end
 * (deprecated, skipped), 5 fixed32 (I32).
 */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_GROUP_START = 3;
export const WIRE_GROUP_END = 4;
export const WIRE_FIXED32 = 5;

/** Nested groups of unknown fields deeper than this are treated as hostile. */
const MAX_GROUP_DEPTH = 32;
const TWO_POW_32 = 4294967296;
/** hi word of 2^53: values with hi below this (or exactly 2^53) convert to a number exactly. */
const SAFE_HI_LIMIT = 0x200000;

export class WireReader {
  readonly bytes: Buffer;
  private readonly view: DataView;
  pos = 0;

  constructor(body: Uint8Array) {
    this.bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** A field tag (fieldNumber << 3 | wireType); field number 0 is malformed. */
  tag(end: number): number {
    const at = this.pos;
    const tag = this.uint32(end);
    if (tag >>> 3 === 0) throw new OtlpDecodeError(`invalid field number 0 at byte ${at}`);
    return tag;
  }

  /** A varint truncated to its low 32 bits, unsigned (uint32, enum, tag, length). */
  uint32(end: number): number {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos >= end) throw truncated(pos);
    let byte = bytes[pos++];
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let value = byte & 0x7f;
    for (let shift = 7; shift < 70; shift += 7) {
      if (pos >= end) throw truncated(pos);
      byte = bytes[pos++];
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /**
   * An int64 varint as Threshold keeps attribute integers: a number when |v| ≤ 2^53, else its
   * decimal string, so no precision is lost silently.
   */
  int64(end: number): number | string {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos >= end) throw truncated(pos);
    let byte = bytes[pos++];
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let low = byte & 0x7f;
    let high = 0;
    for (let index = 1; ; index++) {
      if (index === 10) throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
      if (pos >= end) throw truncated(pos);
      byte = bytes[pos++];
      if (index < 4) low |= (byte & 0x7f) << (7 * index);
      else if (index === 4) {
        low |= (byte & 0x0f) << 28;
        high |= (byte & 0x7f) >>> 4;
      } else high |= (byte & 0x7f) << (7 * index - 32);
      if (byte < 0x80) break;
    }
    this.pos = pos;
    low >>>= 0;
    high >>>= 0;
    if (high < SAFE_HI_LIMIT || (high === SAFE_HI_LIMIT && low === 0)) return high * TWO_POW_32 + low;
    const signed = BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low));
    const magnitude = signed < 0n ? -signed : signed;
    return magnitude <= 9007199254740992n ? Number(signed) : signed.toString();
  }

  bool(end: number): boolean {
    return this.uint32(end) !== 0;
  }

  /** A fixed64 as an unsigned bigint (timestamps in ns). */
  fixed64(end: number): bigint {
    const pos = this.pos;
    if (pos + 8 > end) throw truncated(pos);
    this.pos = pos + 8;
    return this.view.getBigUint64(pos, true);
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw truncated(pos);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** Reads a LEN prefix and returns where that field's bytes end; pos is at their start. */
  lengthDelimitedEnd(end: number): number {
    const at = this.pos;
    const length = this.uint32(end);
    // uint32 keeps the low 32 bits; a longer varint is a length no body here could hold.
    const varintBytes = this.pos - at;
    if (varintBytes > 5 || (varintBytes === 5 && this.bytes[this.pos - 1] > 0x0f))
      throw new OtlpDecodeError(`length at byte ${at} does not fit in 32 bits`);
    const fieldEnd = this.pos + length;
    if (fieldEnd > end) {
      throw new OtlpDecodeError(`length ${length} at byte ${at} runs past the end of its message (byte ${end})`);
    }
    return fieldEnd;
  }

  /** A LEN string field, decoded as UTF-8 with replacement of invalid sequences. */
  string(end: number): string {
    const fieldEnd = this.lengthDelimitedEnd(end);
    const text = internUtf8(this.bytes, this.pos, fieldEnd);
    this.pos = fieldEnd;
    return text;
  }

  /** Skips a field of any wire type (unknown fields, for forward compatibility). */
  skip(wireType: number, fieldNumber: number, end: number, groupDepth = 0): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.uint32(end);
        return;
      case WIRE_FIXED64:
        this.skipBytes(8, end);
        return;
      case WIRE_LENGTH_DELIMITED:
        this.pos = this.lengthDelimitedEnd(end);
        return;
      case WIRE_FIXED32:
        this.skipBytes(4, end);
        return;
      case WIRE_GROUP_START:
        this.skipGroup(fieldNumber, end, groupDepth + 1);
        return;
      default:
        throw new OtlpDecodeError(`unexpected wire type ${wireType} for field ${fieldNumber} at byte ${this.pos}`);
    }
  }

  /**
   * Skips a field the decoder does not keep. A field the schema defines (its wire type listed in
   * `knownWireTypes` by field number, -1 for reserved numbers) must still carry that wire type;
   * any other field — one from a newer schema — is skipped by its wire type.
   */
  skipField(tag: number, knownWireTypes: readonly number[], message: string, end: number): void {
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    const expected = fieldNumber < knownWireTypes.length ? knownWireTypes[fieldNumber] : -1;
    if (expected >= 0 && wireType !== expected) throw wrongWireType(message, fieldNumber, wireType, expected, this.pos);
    this.skip(wireType, fieldNumber, end);
  }

  private skipBytes(count: number, end: number): void {
    if (this.pos + count > end) throw truncated(this.pos);
    this.pos += count;
  }

  private skipGroup(fieldNumber: number, end: number, groupDepth: number): void {
    if (groupDepth > MAX_GROUP_DEPTH) throw new OtlpDecodeError(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
    for (;;) {
      if (this.pos >= end) throw new OtlpDecodeError(`group ${fieldNumber} is not closed before byte ${end}`);
      const tag = this.tag(end);
      const wireType = tag & 7;
      if (wireType === WIRE_GROUP_END) {
        if (tag >>> 3 !== fieldNumber) throw new OtlpDecodeError(`group ${fieldNumber} closed by field ${tag >>> 3}`);
        return;
      }
      this.skip(wireType, tag >>> 3, end, groupDepth);
    }
  }
}

function wrongWireType(message: string, fieldNumber: number, wireType: number, expected: number, at: number): OtlpDecodeError {
  return new OtlpDecodeError(`${message} field ${fieldNumber} has wire type ${wireType}, expected ${expected} (byte ${at})`);
}

function truncated(at: number): OtlpDecodeError {
  return new OtlpDecodeError(`truncated message at byte ${at}`);
}
