/**
 * The few protobuf writes the collector's answers need (varints, strings, nested messages), so the
 * small messages it sends — export responses, google.rpc.Status and its details — need no
 * generated code. Bytes go into a plain number array; callers wrap it in a Uint8Array once.
 */

export function writeVarint(out: number[], value: number): void {
  // int32/int64 fields encode negatives as 10-byte two's complement.
  let remaining = BigInt.asUintN(64, BigInt(Math.trunc(value)));
  while (remaining >= 0x80n) {
    out.push(Number(remaining & 0x7fn) | 0x80);
    remaining >>= 7n;
  }
  out.push(Number(remaining));
}

export function writeVarintField(out: number[], fieldNumber: number, value: number): void {
  writeVarint(out, fieldNumber << 3);
  writeVarint(out, value);
}

export function writeStringField(out: number[], fieldNumber: number, text: string): void {
  writeLengthDelimitedField(out, fieldNumber, new TextEncoder().encode(text));
}

export function writeLengthDelimitedField(out: number[], fieldNumber: number, bytes: ArrayLike<number>): void {
  writeVarint(out, (fieldNumber << 3) | 2);
  writeVarint(out, bytes.length);
  for (let index = 0; index < bytes.length; index++) out.push(bytes[index]);
}
