import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '@threshold/core';
import { decodeTraceRequestProtobuf, scanTraceRequestProtobuf, type RequestScan } from '../../collector/src/otlp/index.js';
import { DEFAULT_SPAN_CAPS, type SpanCaps } from '../../collector/src/security/span-caps.js';
import {
  attributeField,
  bytesField,
  fixed32Field,
  fixed64Field,
  groupField,
  hexBytes,
  minimalSpanFields,
  requestWithSpans,
  stringField,
  varintField,
} from './otlp-wire-builder.js';
import { mutatedBytes } from '../support/mutated-bytes.js';
import { officialProtobuf, recordAgentTurn } from './otlp-recorded-spans.js';
import { planProtobuf, planRequest, SMALL_CAPS } from './otlp-request-plans.js';

/** What ingest acknowledges from a decoded request: the scan must say exactly this. */
function decodedAccount(spans: SpanRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const span of spans) counts.set(span.traceId, (counts.get(span.traceId) ?? 0) + 1);
  return counts;
}

type Outcome = { threw: true } | { threw: false; counts: [string, number][]; rejectedSpans: number; rejectionMessage?: string };

function scanOutcome(body: Uint8Array, caps: SpanCaps): Outcome & { mayBeCapped?: boolean } {
  let scan: RequestScan;
  try {
    scan = scanTraceRequestProtobuf(body, caps);
  } catch {
    return { threw: true };
  }
  return {
    threw: false,
    counts: [...scan.traceSpanCounts],
    rejectedSpans: scan.rejectedSpans,
    ...(scan.rejectionMessage !== undefined ? { rejectionMessage: scan.rejectionMessage } : {}),
    mayBeCapped: scan.mayBeCapped,
  };
}

function decodeOutcome(body: Uint8Array, caps: SpanCaps): Outcome & { truncation?: string } {
  try {
    const decoded = decodeTraceRequestProtobuf(body, caps);
    return {
      threw: false,
      counts: [...decodedAccount(decoded.spans)],
      rejectedSpans: decoded.rejectedSpans,
      ...(decoded.rejectionMessage !== undefined ? { rejectionMessage: decoded.rejectionMessage } : {}),
      ...(decoded.truncation !== undefined ? { truncation: decoded.truncation } : {}),
    };
  } catch {
    return { threw: true };
  }
}

/**
 * Compares the scan with the decoder on one body; returns the scan's verdict, and what the
 * decoder cut, for further checks.
 */
function expectSameVerdict(body: Uint8Array, caps: SpanCaps = DEFAULT_SPAN_CAPS): ReturnType<typeof scanOutcome> & { truncation?: string } {
  const scanned = scanOutcome(body, caps);
  const decoded = decodeOutcome(body, caps);
  const { mayBeCapped, ...scanVerdict } = scanned;
  const { truncation, ...decodeVerdict } = decoded;
  expect(scanVerdict).toEqual(decodeVerdict);
  // A request the scan lets through unflagged is one the caps leave untouched.
  if (mayBeCapped === false) expect(truncation).toBeUndefined();
  return { ...scanned, ...(truncation !== undefined ? { truncation } : {}) };
}

const TRACE_A = '0102030405060708090a0b0c0d0e0f10';
const TRACE_B = 'a1a2a3a4a5a6a7a8a9aaabacadaeafb0';

/** A span of the given trace with every field kind the decoder reads: attributes of each value type, an event, a link, a status. */
function richSpan(traceId: string, spanByte: number, parentByte?: number): number[] {
  const anyString = (text: string) => stringField(1, text);
  return [
    ...bytesField(1, hexBytes(traceId)),
    ...bytesField(2, [0, 0, 0, 0, 0, 0, 0, spanByte]),
    ...(parentByte !== undefined ? bytesField(4, [0, 0, 0, 0, 0, 0, 0, parentByte]) : []),
    ...stringField(3, 'rojo=00f067aa0ba902b7'),
    ...stringField(5, `step ${spanByte}`),
    ...varintField(6, 3),
    ...fixed64Field(7, 1_750_000_000_000_000_000n + BigInt(spanByte) * 1_000_000n),
    ...fixed64Field(8, 1_750_000_000_500_000_000n + BigInt(spanByte) * 1_000_000n),
    ...attributeField('gen_ai.request.model', anyString('gpt-4o')),
    ...attributeField('gen_ai.usage.input_tokens', varintField(3, 1200)),
    ...attributeField('negative', varintField(3, -5n)),
    ...attributeField('ratio', fixed64Field(4, 0x3fe0000000000000n)),
    ...attributeField('streaming', varintField(2, 1)),
    ...attributeField('tags', bytesField(5, [...bytesField(1, anyString('a')), ...bytesField(1, varintField(3, 2))])),
    ...attributeField('options', bytesField(6, bytesField(1, [...stringField(1, 'k'), ...bytesField(2, anyString('v'))]))),
    ...attributeField('digest', bytesField(7, [0xde, 0xad, 0xbe, 0xef])),
    ...varintField(10, 0),
    ...bytesField(11, [
      ...fixed64Field(1, 1_750_000_000_100_000_000n),
      ...stringField(2, 'gen_ai.content.completion.chunk'),
      ...bytesField(3, [...stringField(1, 'n'), ...bytesField(2, anyString('1'))]),
    ]),
    ...bytesField(13, [
      ...bytesField(1, hexBytes(TRACE_B)),
      ...bytesField(2, hexBytes('1112131415161718')),
      ...bytesField(4, [...stringField(1, 'l'), ...bytesField(2, anyString('x'))]),
      ...fixed32Field(6, 1),
    ]),
    ...bytesField(15, [...stringField(2, 'rate limited'), ...varintField(3, 2)]),
    ...fixed32Field(16, 257),
    ...bytesField(99, [1, 2, 3]), // a field from a newer schema
  ];
}

const seed = requestWithSpans([
  richSpan(TRACE_A, 1),
  richSpan(TRACE_A, 2, 1),
  richSpan(TRACE_B, 3),
  richSpan(TRACE_A, 4, 1),
  minimalSpanFields('plain'),
]);

/** Two edits at most: enough damaged bodies stay well-formed to compare what the two readers keep. */
const mutated = mutatedBytes(seed, 2);

describe('scanning a protobuf request instead of decoding it at acknowledgement', () => {
  it('counts the spans of a recorded agent turn per trace, as the decoder keeps them', () => {
    const { readableSpans, expected } = recordAgentTurn();
    const body = officialProtobuf(readableSpans);

    const scan = scanTraceRequestProtobuf(body, DEFAULT_SPAN_CAPS);

    expect(scan).toEqual({
      traceSpanCounts: decodedAccount(expected),
      acceptedSpans: expected.length,
      rejectedSpans: 0,
      mayBeCapped: false,
    });
    expect(scan.acceptedSpans).toBe(3);
  });

  it('rejects exactly the spans the decoder rejects, with the same account', () => {
    const spans = [
      richSpan(TRACE_A, 1),
      [...bytesField(1, hexBytes(TRACE_A)), ...bytesField(2, [0, 0, 0, 0, 0, 0, 0, 0]), ...fixed64Field(7, 5n), ...fixed64Field(8, 6n)], // zero span id
      [...bytesField(1, [1, 2, 3]), ...bytesField(2, [0, 0, 0, 0, 0, 0, 0, 9]), ...fixed64Field(7, 5n), ...fixed64Field(8, 6n)], // short trace id
      [...bytesField(1, hexBytes(TRACE_B)), ...bytesField(2, [0, 0, 0, 0, 0, 0, 0, 9]), ...fixed64Field(7, 9n), ...fixed64Field(8, 6n)], // ends before it starts
      [
        ...bytesField(1, hexBytes(TRACE_B)),
        ...bytesField(2, [0, 0, 0, 0, 0, 0, 0, 8]),
        ...bytesField(4, [1, 2]),
        ...fixed64Field(7, 5n),
        ...fixed64Field(8, 6n),
      ], // bad parent
      [...bytesField(1, hexBytes(TRACE_B)), ...bytesField(2, [0, 0, 0, 0, 0, 0, 0, 7]), ...fixed64Field(8, 6n)], // no start
      [
        ...bytesField(1, hexBytes(TRACE_B)),
        ...bytesField(2, [0, 0, 0, 0, 0, 0, 0, 6]),
        ...bytesField(4, [0, 0, 0, 0, 0, 0, 0, 0]),
        ...fixed64Field(7, 5n),
        ...fixed64Field(8, 6n),
      ], // zero parent: a root
    ];

    const verdict = expectSameVerdict(requestWithSpans(spans));

    expect(verdict).toMatchObject({
      threw: false,
      rejectedSpans: 5,
      counts: [
        [TRACE_A, 1],
        [TRACE_B, 1],
      ],
    });
  });

  it('refuses what the decoder refuses: nesting past the limit, wrong wire types, unclosed groups', () => {
    let nested = stringField(1, 'leaf');
    for (let depth = 0; depth < 40; depth++) nested = bytesField(5, bytesField(1, nested));
    const bodies = [
      requestWithSpans([[...minimalSpanFields(), ...attributeField('deep', nested)]]),
      requestWithSpans([[...minimalSpanFields(), ...varintField(5, 7)]]), // name as a varint
      requestWithSpans([[...minimalSpanFields(), ...groupField(50, varintField(1, 1)).slice(0, -1)]]),
      Uint8Array.from([...bytesField(1, bytesField(2, bytesField(1, stringField(1, 'scope')))), 0x0a, 0x05, 0x01]),
    ];
    for (const body of bodies) expect(expectSameVerdict(body)).toEqual({ threw: true });
  });

  it('draws the nesting limit where the decoder does, for a short scalar at the bottom of nested key-value lists', () => {
    /** An attribute whose value is `levels` kvlists deep, with a one-byte-length int attribute at the bottom. */
    const nestedKvlists = (levels: number) => {
      let keyValue = [...stringField(1, 'leaf'), ...bytesField(2, varintField(3, 7))];
      for (let level = 0; level < levels; level++)
        keyValue = [...stringField(1, `k${level}`), ...bytesField(2, bytesField(6, bytesField(1, keyValue)))];
      return requestWithSpans([[...minimalSpanFields(), ...bytesField(9, keyValue)]]);
    };
    const verdicts = [14, 15, 16, 17].map((levels) => expectSameVerdict(nestedKvlists(levels)).threw);
    // Each level adds two to the depth (the kvlist's AnyValue and its KeyValue's); 32 is the deepest value kept.
    expect(verdicts).toEqual([false, false, true, true]);
  });

  it('flags a request whose names, keys, values, attributes, events or list items the span caps cut, so ingest decodes it and says what was cut', () => {
    const caps = DEFAULT_SPAN_CAPS;
    const text = (length: number, char = 'x') => char.repeat(length);
    const attributes = (count: number) => Array.from({ length: count }, (_, i) => attributeField(`k${i}`, stringField(1, 'v'))).flat();
    const events = (count: number) => Array.from({ length: count }, () => bytesField(11, stringField(2, 'e'))).flat();
    const arrayOf = (count: number, item: number[] = varintField(3, 1)) =>
      bytesField(5, Array.from({ length: count }, () => bytesField(1, item)).flat());
    const eventWith = (fields: number[]) => bytesField(11, [...stringField(2, 'tick'), ...fields]);
    const eventAttribute = (key: string, anyValue: number[]) => bytesField(3, [...stringField(1, key), ...bytesField(2, anyValue)]);
    const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);
    const bytesLongerThanValueCap = 3 * Math.ceil(caps.maxValueChars / 3) + 3;
    /** The request with one span and the given service and scope names. */
    const request = (span: number[], service = 'svc', scope = 'scope') => {
      const serviceAttribute = bytesField(1, [...stringField(1, 'service.name'), ...bytesField(2, stringField(1, service))]);
      return Uint8Array.from(
        bytesField(1, [
          ...bytesField(1, serviceAttribute),
          ...bytesField(2, [...bytesField(1, stringField(1, scope)), ...bytesField(2, span)]),
        ]),
      );
    };
    const cases: [string, Uint8Array, string][] = [
      ['a long span name', request(minimalSpanFields(text(caps.maxNameChars + 1))), 'truncated: 1 names longer than 1024 characters'],
      [
        'a long scope name',
        request(minimalSpanFields(), 'svc', text(caps.maxNameChars + 5)),
        'truncated: 1 names longer than 1024 characters',
      ],
      [
        'a long service name',
        request(minimalSpanFields(), text(caps.maxServiceNameChars + 1)),
        'truncated: 1 service names longer than 256 characters',
      ],
      [
        'a long attribute key',
        request([...minimalSpanFields(), ...attributeField(text(caps.maxKeyChars + 1, 'k'), varintField(3, 1))]),
        'truncated: 1 attribute keys longer than 256 characters',
      ],
      [
        'a long value',
        request([...minimalSpanFields(), ...attributeField('prompt', stringField(1, text(caps.maxValueChars + 1)))]),
        'truncated: 1 values longer than 16384 characters',
      ],
      [
        'a long status message',
        request([...minimalSpanFields(), ...bytesField(15, stringField(2, text(caps.maxValueChars + 1)))]),
        'truncated: 1 values longer than 16384 characters',
      ],
      [
        'long bytes',
        request([...minimalSpanFields(), ...attributeField('blob', bytesField(7, new Uint8Array(bytesLongerThanValueCap)))]),
        'truncated: 1 values longer than 16384 characters',
      ],
      [
        'too many attributes',
        request([...minimalSpanFields(), ...attributes(caps.maxAttributesPerSpan + 2)]),
        'truncated: 2 attributes beyond 128 per span',
      ],
      [
        'too many events',
        request([...minimalSpanFields(), ...events(caps.maxEventsPerSpan + 3)]),
        'truncated: 3 events beyond 128 per span',
      ],
      [
        'a long array',
        request([...minimalSpanFields(), ...attributeField('list', arrayOf(caps.maxListItemsPerSpan + 1))]),
        'truncated: 1 list items beyond 4096 per span or 128 per event',
      ],
      // 64 arrays of 64: 63 × 65 items fit, the 64th array takes the last, its 64 items are dropped.
      [
        'nested arrays',
        request([...minimalSpanFields(), ...attributeField('grid', arrayOf(64, arrayOf(64)))]),
        'truncated: 64 list items beyond 4096 per span or 128 per event',
      ],
      [
        'a long event name',
        request([...minimalSpanFields(), ...bytesField(11, stringField(2, text(caps.maxNameChars + 1)))]),
        'truncated: 1 names longer than 1024 characters',
      ],
      [
        'too many event attributes',
        request([
          ...minimalSpanFields(),
          ...eventWith(Array.from({ length: caps.maxAttributesPerEvent + 1 }, (_, i) => eventAttribute(`e${i}`, varintField(3, i))).flat()),
        ]),
        'truncated: 1 attributes beyond 128 per event',
      ],
      [
        'a long array in an event',
        request([...minimalSpanFields(), ...eventWith(eventAttribute('list', arrayOf(caps.maxListItemsPerEvent + 1)))]),
        'truncated: 1 list items beyond 4096 per span or 128 per event',
      ],
    ];
    expect(base64Length(bytesLongerThanValueCap)).toBeGreaterThan(caps.maxValueChars);
    for (const [what, body, truncation] of cases) {
      expect({ what, ...expectSameVerdict(body) }).toMatchObject({ what, threw: false, mayBeCapped: true, truncation });
    }

    // Exactly at every cap nothing is cut, and nothing is flagged.
    const atLimit = request(
      [
        ...minimalSpanFields(text(caps.maxNameChars, 'y')),
        ...attributeField(text(caps.maxKeyChars, 'k'), stringField(1, text(caps.maxValueChars))),
        ...attributeField('list', arrayOf(caps.maxListItemsPerSpan - 1)),
        ...attributes(caps.maxAttributesPerSpan - 2),
        ...events(caps.maxEventsPerSpan - 1),
        ...eventWith([
          ...eventAttribute('list', arrayOf(caps.maxListItemsPerEvent)),
          ...Array.from({ length: caps.maxAttributesPerEvent - 1 }, (_, i) => eventAttribute(`e${i}`, varintField(3, i))).flat(),
        ]),
      ],
      text(caps.maxServiceNameChars, 's'),
      text(caps.maxNameChars, 'n'),
    );
    expect(expectSameVerdict(atLimit)).toEqual({
      threw: false,
      counts: [['0102030405060708090a0b0c0d0e0f10', 1]],
      rejectedSpans: 0,
      mayBeCapped: false,
    });
  });

  it('agrees with the decoder on 5,000 damaged requests: the same refusals, rejections and counts per trace', () => {
    const bodies = fc.sample(mutated, { seed: 20_261_124, numRuns: 5_000 });
    let accepted = 0;
    for (const body of bodies) if (!expectSameVerdict(body).threw) accepted++;
    // The damage must leave both kinds of outcome, or the comparison proves nothing.
    expect(accepted).toBeGreaterThan(400);
    expect(accepted).toBeLessThan(4_600);
  });

  it('agrees with the decoder on 3,000 random well-formed requests sized around small caps: flagged whenever anything is cut', () => {
    const plans = fc.sample(planRequest, { seed: 20_261_125, numRuns: 3_000 });
    let flagged = 0;
    let unflagged = 0;
    let cut = 0;
    let rejected = 0;
    for (const plan of plans) {
      const verdict = expectSameVerdict(planProtobuf(plan), SMALL_CAPS);
      expect(verdict.threw).toBe(false);
      if (verdict.mayBeCapped) flagged++;
      else unflagged++;
      if (verdict.truncation !== undefined) cut++;
      if (!verdict.threw && verdict.rejectedSpans > 0) rejected++;
    }
    // Both verdicts, cuts and rejections occur often, or the comparison proves little.
    expect(Math.min(flagged, unflagged, cut, rejected)).toBeGreaterThan(300);
  });
});
