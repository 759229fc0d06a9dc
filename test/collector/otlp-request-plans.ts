import fc from 'fast-check';
import type { SpanCaps } from '../../collector/src/security/span-caps.js';
import { bytesField, fixed64Field, hexBytes, stringField, varintField } from './otlp-wire-builder.js';

/**
 * Random, well-formed OTLP trace requests whose sizes straddle small span caps (SMALL_CAPS), and
 * the same request written in protobuf and in OTLP/JSON: for checking that both decoders cut
 * exactly alike, and that the acknowledgement scan flags every request the caps cut.
 */
export type PlanValue =
  | { kind: 'string'; text: string }
  | { kind: 'int'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'array'; items: PlanValue[] }
  | { kind: 'kvlist'; entries: PlanAttribute[] };
export interface PlanAttribute {
  key: string;
  value: PlanValue;
}
export interface PlanEvent {
  name: string;
  timeNs: bigint;
  attributes: PlanAttribute[];
}
export interface PlanSpan {
  traceId: string;
  spanId: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  statusMessage: string;
  attributes: PlanAttribute[];
  events: PlanEvent[];
}
export interface PlanRequest {
  service: string;
  scope: string;
  spans: PlanSpan[];
}

/** Caps a few random fields easily exceed, each by a little. */
export const SMALL_CAPS: SpanCaps = {
  maxServiceNameChars: 4,
  maxNameChars: 5,
  maxKeyChars: 5,
  maxValueChars: 5,
  maxAttributesPerSpan: 3,
  maxAttributesPerEvent: 2,
  maxEventsPerSpan: 2,
  maxListItemsPerSpan: 4,
  maxListItemsPerEvent: 2,
};

/** Text of 1-, 2-, 3- and 4-byte UTF-8 characters (the last a surrogate pair in UTF-16), around the small caps. */
const anyText = (maxLength: number) => fc.string({ unit: fc.constantFrom('a', 'b', 'é', '中', '😀'), maxLength });
/** ASCII text within the small caps. */
const shortText = (maxLength: number) => fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength });
const hexId = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((id) => Buffer.from(id).toString('hex'));

/** How large the parts of a generated request may be. */
interface Sizes {
  text: (maxLength: number) => fc.Arbitrary<string>;
  value: fc.Arbitrary<PlanValue>;
  attributes: number;
  events: number;
  eventAttributes: number;
}

/** Any value: nested lists and kvlists, strings and bytes a little past the caps. */
const { value: anyValue } = fc.letrec<{ value: PlanValue; attribute: PlanAttribute }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyText(7).map((value) => ({ kind: 'string' as const, text: value })),
    fc.integer({ min: -1000, max: 1000 }).map((value) => ({ kind: 'int' as const, value })),
    fc.boolean().map((value) => ({ kind: 'bool' as const, value })),
    fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => ({ kind: 'array' as const, items })),
    fc.array(tie('attribute'), { maxLength: 3 }).map((entries) => ({ kind: 'kvlist' as const, entries })),
  ),
  attribute: fc.record({ key: anyText(7), value: tie('value') }),
}));

/** A value within the small caps: a short scalar, or a list of one. */
const smallScalar: fc.Arbitrary<PlanValue> = fc.oneof(
  shortText(5).map((value) => ({ kind: 'string' as const, text: value })),
  fc.integer({ min: -1000, max: 1000 }).map((value) => ({ kind: 'int' as const, value })),
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
);
const smallValue: fc.Arbitrary<PlanValue> = fc.oneof(
  smallScalar,
  smallScalar.map((item) => ({ kind: 'array' as const, items: [item] })),
);

const STRADDLING: Sizes = { text: anyText, value: anyValue, attributes: 5, events: 3, eventAttributes: 3 };
/** Nothing here exceeds SMALL_CAPS: no request of these sizes may be flagged. */
const WITHIN_SMALL_CAPS: Sizes = {
  text: (maxLength) => shortText(Math.min(maxLength, 4)),
  value: smallValue,
  attributes: 3,
  events: 2,
  eventAttributes: 1,
};

const BASE_NS = 1_750_000_000_000_000_000n;
const FUTURE_NS = 4_102_444_800_000_000_001n;
/** Start and end: mostly fine, sometimes ending before starting or past 2100. */
const times = fc.oneof(
  { weight: 8, arbitrary: fc.nat(1_000_000).map((offset) => [BASE_NS + BigInt(offset), BASE_NS + BigInt(offset) + 5_000_000n] as const) },
  fc.constant([BASE_NS, BASE_NS - 1n] as const),
  fc.constant([BASE_NS, FUTURE_NS] as const),
  fc.constant([FUTURE_NS, FUTURE_NS] as const),
);

function planSpan(sizes: Sizes): fc.Arbitrary<PlanSpan> {
  const attribute = fc.record({ key: sizes.text(7), value: sizes.value });
  const event = fc.record({
    name: sizes.text(7),
    timeNs: fc.constant(BASE_NS + 1n),
    attributes: fc.array(attribute, { maxLength: sizes.eventAttributes }),
  });
  return fc
    .record({
      traceId: fc.constantFrom('0102030405060708090a0b0c0d0e0f10', 'a1a2a3a4a5a6a7a8a9aaabacadaeafb0'),
      spanId: hexId(8).filter((id) => id !== '0000000000000000'),
      name: sizes.text(7),
      times,
      statusMessage: sizes.text(7),
      attributes: fc.array(attribute, { maxLength: sizes.attributes }),
      events: fc.array(event, { maxLength: sizes.events }),
    })
    .map(({ times: [startNs, endNs], ...span }) => ({ ...span, startNs, endNs }));
}

const requestOf = (sizes: Sizes): fc.Arbitrary<PlanRequest> =>
  fc.record({ service: sizes.text(6), scope: sizes.text(7), spans: fc.array(planSpan(sizes), { minLength: 1, maxLength: 3 }) });

/** Half the requests within SMALL_CAPS, half straddling them. */
export const planRequest: fc.Arbitrary<PlanRequest> = fc.oneof(requestOf(WITHIN_SMALL_CAPS), requestOf(STRADDLING));

function anyValueProtobuf(value: PlanValue): number[] {
  switch (value.kind) {
    case 'string':
      return stringField(1, value.text);
    case 'bool':
      return varintField(2, value.value ? 1 : 0);
    case 'int':
      return varintField(3, value.value);
    case 'bytes':
      return bytesField(7, value.bytes);
    case 'array':
      return bytesField(
        5,
        value.items.flatMap((item) => bytesField(1, anyValueProtobuf(item))),
      );
    case 'kvlist':
      return bytesField(
        6,
        value.entries.flatMap((entry) => bytesField(1, keyValueProtobuf(entry))),
      );
  }
}

const keyValueProtobuf = (attribute: PlanAttribute) => [
  ...stringField(1, attribute.key),
  ...bytesField(2, anyValueProtobuf(attribute.value)),
];

/** The request as an ExportTraceServiceRequest. */
export function planProtobuf(plan: PlanRequest): Uint8Array {
  const span = (s: PlanSpan) => [
    ...bytesField(1, hexBytes(s.traceId)),
    ...bytesField(2, hexBytes(s.spanId)),
    ...stringField(5, s.name),
    ...fixed64Field(7, s.startNs),
    ...fixed64Field(8, s.endNs),
    ...s.attributes.flatMap((attribute) => bytesField(9, keyValueProtobuf(attribute))),
    ...s.events.flatMap((event) =>
      bytesField(11, [
        ...fixed64Field(1, event.timeNs),
        ...stringField(2, event.name),
        ...event.attributes.flatMap((attribute) => bytesField(3, keyValueProtobuf(attribute))),
      ]),
    ),
    ...bytesField(15, stringField(2, s.statusMessage)),
  ];
  const service = bytesField(1, keyValueProtobuf({ key: 'service.name', value: { kind: 'string', text: plan.service } }));
  const scopeSpans = [...bytesField(1, stringField(1, plan.scope)), ...plan.spans.flatMap((s) => bytesField(2, span(s)))];
  return Uint8Array.from(bytesField(1, [...bytesField(1, service), ...bytesField(2, scopeSpans)]));
}

function anyValueJson(value: PlanValue): unknown {
  switch (value.kind) {
    case 'string':
      return { stringValue: value.text };
    case 'bool':
      return { boolValue: value.value };
    case 'int':
      return { intValue: String(value.value) };
    case 'bytes':
      return { bytesValue: Buffer.from(value.bytes).toString('base64') };
    case 'array':
      return { arrayValue: { values: value.items.map(anyValueJson) } };
    case 'kvlist':
      return { kvlistValue: { values: value.entries.map(keyValueJson) } };
  }
}

const keyValueJson = (attribute: PlanAttribute) => ({ key: attribute.key, value: anyValueJson(attribute.value) });

/** The request as OTLP/JSON. */
export function planJson(plan: PlanRequest): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [keyValueJson({ key: 'service.name', value: { kind: 'string', text: plan.service } })] },
        scopeSpans: [
          {
            scope: { name: plan.scope },
            spans: plan.spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              name: s.name,
              startTimeUnixNano: String(s.startNs),
              endTimeUnixNano: String(s.endNs),
              attributes: s.attributes.map(keyValueJson),
              events: s.events.map((event) => ({
                timeUnixNano: String(event.timeNs),
                name: event.name,
                attributes: event.attributes.map(keyValueJson),
              })),
              status: { message: s.statusMessage },
            })),
          },
        ],
      },
    ],
  });
}
