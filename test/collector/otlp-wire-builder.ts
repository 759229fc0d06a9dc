/**
 * A few lines of protobuf writing for tests that need bytes no serializer would produce:
 * wrong wire types, unknown fields, groups, absurd nesting. Each helper returns one encoded field.
 */

export function varint(value: number | bigint): number[] {
  let remaining = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (remaining >= 0x80n) {
    out.push(Number(remaining & 0x7fn) | 0x80);
    remaining >>= 7n;
  }
  out.push(Number(remaining));
  return out;
}

export function tag(fieldNumber: number, wireType: number): number[] {
  return varint((fieldNumber << 3) | wireType);
}

export function varintField(fieldNumber: number, value: number | bigint): number[] {
  return [...tag(fieldNumber, 0), ...varint(value)];
}

export function bytesField(fieldNumber: number, payload: ArrayLike<number>): number[] {
  return [...tag(fieldNumber, 2), ...varint(payload.length), ...Array.from(payload)];
}

export function stringField(fieldNumber: number, text: string): number[] {
  return bytesField(fieldNumber, new TextEncoder().encode(text));
}

export function fixed64Field(fieldNumber: number, value: bigint): number[] {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return [...tag(fieldNumber, 1), ...bytes];
}

export function fixed32Field(fieldNumber: number, value: number): number[] {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return [...tag(fieldNumber, 5), ...bytes];
}

export function groupField(fieldNumber: number, inner: number[]): number[] {
  return [...tag(fieldNumber, 3), ...inner, ...tag(fieldNumber, 4)];
}

export function hexBytes(hex: string): number[] {
  return hex.match(/../g)!.map((pair) => parseInt(pair, 16));
}

/** The fields every valid span needs: trace id, span id, start and end time. */
export function spanIdsAndTimes(): number[] {
  return [
    ...bytesField(1, hexBytes('0102030405060708090a0b0c0d0e0f10')),
    ...bytesField(2, hexBytes('1112131415161718')),
    ...fixed64Field(7, 1_750_000_000_000_000_000n),
    ...fixed64Field(8, 1_750_000_000_500_000_000n),
  ];
}

/** Span fields of a minimal valid span: ids, times, name. */
export function minimalSpanFields(name = 'step'): number[] {
  return [...spanIdsAndTimes(), ...stringField(5, name)];
}

/** ExportTraceServiceRequest → one ResourceSpans (service.name) → one ScopeSpans → these spans. */
export function requestWithSpans(spans: number[][], serviceName = 'svc'): Uint8Array {
  const serviceAttribute = bytesField(1, [...stringField(1, 'service.name'), ...bytesField(2, stringField(1, serviceName))]);
  const scopeSpans = [...bytesField(1, stringField(1, 'scope')), ...spans.flatMap((span) => bytesField(2, span))];
  const resourceSpans = [...bytesField(1, serviceAttribute), ...bytesField(2, scopeSpans)];
  return Uint8Array.from(bytesField(1, resourceSpans));
}

/** A KeyValue span attribute (field 9) whose AnyValue payload is given raw. */
export function attributeField(key: string, anyValue: number[]): number[] {
  return bytesField(9, [...stringField(1, key), ...bytesField(2, anyValue)]);
}
