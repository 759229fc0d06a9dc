/**
 * Large hostile OTLP requests, the ones a red-team pass sent: megabytes of service name and keys,
 * a kvlist of a million entries, an array of three million items, a span of 900,000 attributes.
 * Written straight into Buffers (the array-of-numbers builder in otlp-wire-builder.ts would take
 * seconds and gigabytes at these sizes).
 */

function varint(value: number | bigint): Buffer {
  let remaining = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (remaining >= 0x80n) {
    out.push(Number(remaining & 0x7fn) | 0x80);
    remaining >>= 7n;
  }
  out.push(Number(remaining));
  return Buffer.from(out);
}

export const lengthField = (fieldNumber: number, payload: Buffer): Buffer =>
  Buffer.concat([varint((fieldNumber << 3) | 2), varint(payload.length), payload]);
export const textField = (fieldNumber: number, text: string): Buffer => lengthField(fieldNumber, Buffer.from(text));
export const intField = (fieldNumber: number, value: number | bigint): Buffer => Buffer.concat([varint(fieldNumber << 3), varint(value)]);
export const timeField = (fieldNumber: number, nanos: bigint): Buffer => {
  const field = Buffer.alloc(9);
  field[0] = (fieldNumber << 3) | 1;
  field.writeBigUInt64LE(nanos, 1);
  return field;
};
/** A KeyValue with its AnyValue payload given as encoded fields. */
export const keyValue = (key: string, anyValue: Buffer): Buffer => Buffer.concat([textField(1, key), lengthField(2, anyValue)]);

export interface HostileSpan {
  traceId: string;
  spanId: string;
  name?: string;
  startNs: bigint;
  endNs: bigint;
  /** Encoded Span fields appended (attributes as field 9, events as field 11, …). */
  extra?: Buffer[];
}

export function spanFields(span: HostileSpan): Buffer {
  return Buffer.concat([
    lengthField(1, Buffer.from(span.traceId, 'hex')),
    lengthField(2, Buffer.from(span.spanId, 'hex')),
    textField(5, span.name ?? 'step'),
    timeField(7, span.startNs),
    timeField(8, span.endNs),
    ...(span.extra ?? []),
  ]);
}

/** An ExportTraceServiceRequest: one resource (its service name and any extra resource attributes), one scope, these spans. */
export function hostileRequest(service: string, spans: HostileSpan[], resourceAttributes: Buffer[] = []): Buffer {
  const resource = Buffer.concat([
    lengthField(1, keyValue('service.name', textField(1, service))),
    ...resourceAttributes.map((attribute) => lengthField(1, attribute)),
  ]);
  const scopeSpans = Buffer.concat([lengthField(1, textField(1, 'hostile')), ...spans.map((span) => lengthField(2, spanFields(span)))]);
  return lengthField(1, Buffer.concat([lengthField(1, resource), lengthField(2, scopeSpans)]));
}

/** A span attribute (field 9). */
export const spanAttribute = (key: string, anyValue: Buffer): Buffer => lengthField(9, keyValue(key, anyValue));

/** An AnyValue holding a kvlist of `count` int entries named k0, k1, … */
export function kvlistOf(count: number): Buffer {
  const entries: Buffer[] = [];
  for (let index = 0; index < count; index++) entries.push(lengthField(1, keyValue(`k${index}`, intField(3, index))));
  return lengthField(6, Buffer.concat(entries));
}

/** An AnyValue holding an array of `count` items, each the int 1. */
export function arrayOf(count: number): Buffer {
  const item = lengthField(1, intField(3, 1));
  return lengthField(5, Buffer.alloc(item.length * count, item));
}

/** `count` span attributes a0, a1, … of small ints. */
export function manyAttributes(count: number): Buffer[] {
  const attributes: Buffer[] = [];
  for (let index = 0; index < count; index++) attributes.push(spanAttribute(`a${index}`, intField(3, index)));
  return [Buffer.concat(attributes)];
}
