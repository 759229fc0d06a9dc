import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequestJson, decodeTraceRequestProtobuf, type DecodeResult } from '../../collector/src/otlp/index.js';
import { officialJson, officialProtobuf, recordAgentTurn } from './otlp-recorded-spans.js';
import {
  attributeField,
  bytesField,
  fixed32Field,
  fixed64Field,
  groupField,
  minimalSpanFields,
  requestWithSpans,
  spanIdsAndTimes,
  stringField,
  tag,
  varint,
  varintField,
} from './otlp-wire-builder.js';

/** What a decoder did with one input: its result, or the error's class and message. */
function outcome(decode: () => DecodeResult): { ok: true; spans: number } | { ok: false; error: string; message: string } {
  try {
    return { ok: true, spans: decode().spans.length };
  } catch (error) {
    return { ok: false, error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

function decodeError(decode: () => DecodeResult): string {
  const result = outcome(decode);
  if (result.ok) throw new Error('expected the decoder to reject the body');
  expect(result.error).toBe('OtlpDecodeError');
  return result.message;
}

const SEED = 20_260_101;

describe('malformed protobuf bodies are an OtlpDecodeError, never a crash', () => {
  const valid = officialProtobuf(recordAgentTurn().readableSpans);

  it('rejects the request truncated at every byte offset', () => {
    // One ResourceSpans spans the whole body, so every proper prefix cuts a length short.
    const outcomes = new Set<string>();
    for (let length = 1; length < valid.length; length++) {
      const result = outcome(() => decodeTraceRequestProtobuf(valid.subarray(0, length)));
      outcomes.add(result.ok ? 'decoded' : result.error);
    }
    expect([...outcomes]).toEqual(['OtlpDecodeError']);
  });

  it('survives random garbage (seeded)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const result = outcome(() => decodeTraceRequestProtobuf(bytes));
        return result.ok || result.error === 'OtlpDecodeError';
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('survives a valid request with random bytes overwritten (seeded)', () => {
    const mutation = fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(mutation, (edits) => {
        const bytes = Uint8Array.from(valid);
        for (const [offset, value] of edits) bytes[offset] = value;
        const result = outcome(() => decodeTraceRequestProtobuf(bytes));
        return result.ok || result.error === 'OtlpDecodeError';
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('names a known field sent with the wrong wire type', () => {
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from(varintField(1, 5))))).toBe(
      'ExportTraceServiceRequest field 1 has wire type 0, expected 2 (byte 1)',
    );
    const nameAsVarint = [...spanIdsAndTimes(), ...varintField(5, 1)];
    expect(decodeError(() => decodeTraceRequestProtobuf(requestWithSpans([nameAsVarint])))).toMatch(
      /^Span field 5 has wire type 0, expected 2/,
    );
    const startAsFixed32 = [...minimalSpanFields(), ...fixed32Field(7, 1)];
    expect(decodeError(() => decodeTraceRequestProtobuf(requestWithSpans([startAsFixed32])))).toMatch(
      /^Span field 7 has wire type 5, expected 1/,
    );
    const intValueAsString = [...minimalSpanFields(), ...attributeField('n', stringField(3, '12'))];
    expect(decodeError(() => decodeTraceRequestProtobuf(requestWithSpans([intValueAsString])))).toMatch(
      /^AnyValue field 3 has wire type 2, expected 0/,
    );
  });

  it('reports a length running past its message and a varint running past the body', () => {
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from([...tag(1, 2), ...varint(50), 1, 2])))).toBe(
      'length 50 at byte 1 runs past the end of its message (byte 4)',
    );
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from([0x0a, 0xff, 0xff])))).toBe('truncated message at byte 3');
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from([...tag(2, 0), ...new Array(11).fill(0xff), 0x01])))).toBe(
      'varint longer than 10 bytes at byte 1',
    );
    // 2^32 + 2 would read as 2 if the high bits were dropped.
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from([...tag(1, 2), ...varint(2 ** 32 + 2), 9, 9])))).toBe(
      'length at byte 1 does not fit in 32 bits',
    );
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from([0x00, 0x01])))).toBe('invalid field number 0 at byte 0');
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from(tag(2, 7))))).toBe('unexpected wire type 7 for field 2 at byte 1');
  });

  it('skips unknown fields of every wire type, groups included, at every level', () => {
    const unknown = [
      ...varintField(90, 300),
      ...fixed64Field(91, 7n),
      ...stringField(92, 'future'),
      ...fixed32Field(93, 9),
      ...groupField(94, [...varintField(1, 1), ...groupField(2, stringField(3, 'nested'))]),
    ];
    const withUnknown = requestWithSpans([[...unknown, ...minimalSpanFields(), ...unknown]]);
    const plain = requestWithSpans([minimalSpanFields()]);
    const topLevel = Uint8Array.from([...unknown, ...withUnknown, ...unknown]);

    expect(decodeTraceRequestProtobuf(topLevel)).toEqual(decodeTraceRequestProtobuf(plain));
    expect(decodeTraceRequestProtobuf(plain).spans).toHaveLength(1);
  });

  it('rejects a group closed by the wrong field and one never closed', () => {
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from([...tag(94, 3), ...tag(95, 4)])))).toBe(
      'group 94 closed by field 95',
    );
    expect(decodeError(() => decodeTraceRequestProtobuf(Uint8Array.from([...tag(94, 3), ...varintField(1, 1)])))).toMatch(
      /^group 94 is not closed/,
    );
  });

  it('caps attribute nesting at 32 levels instead of recursing without bound', () => {
    const nestedArrays = (levels: number): number[] => {
      let value = stringField(1, 'leaf');
      for (let level = 0; level < levels; level++) value = bytesField(5, bytesField(1, value));
      return value;
    };
    const shallow = requestWithSpans([[...minimalSpanFields(), ...attributeField('deep', nestedArrays(15))]]);
    const deep = requestWithSpans([[...minimalSpanFields(), ...attributeField('deep', nestedArrays(40))]]);

    expect(decodeTraceRequestProtobuf(shallow).spans).toHaveLength(1);
    expect(decodeError(() => decodeTraceRequestProtobuf(deep))).toBe('attribute values nested deeper than 32');
  });

  it('decodes invalid UTF-8 in strings with replacement characters', () => {
    const span = [...spanIdsAndTimes(), ...bytesField(5, [0x6f, 0x6b, 0xff, 0xfe])];

    expect(decodeTraceRequestProtobuf(requestWithSpans([span])).spans.map((record) => record.name)).toEqual(['ok\uFFFD\uFFFD']);
  });
});

describe('malformed JSON bodies are an OtlpDecodeError with a message saying where', () => {
  const valid = new TextDecoder().decode(officialJson(recordAgentTurn().readableSpans));

  it('rejects the request truncated at every character', () => {
    const outcomes = new Set<string>();
    for (let length = 1; length < valid.length; length += 1) {
      const result = outcome(() => decodeTraceRequestJson(valid.slice(0, length)));
      outcomes.add(result.ok ? 'decoded' : result.error);
    }
    expect([...outcomes]).toEqual(['OtlpDecodeError']);
  });

  it('survives a valid request with random characters overwritten (seeded)', () => {
    const alphabet = fc.constantFrom(...'{}[]":,0123456789-.eEtrufalsn \\x'.split(''));
    const mutation = fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), alphabet), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(mutation, (edits) => {
        const characters = valid.split('');
        for (const [offset, character] of edits) characters[offset] = character;
        const result = outcome(() => decodeTraceRequestJson(characters.join('')));
        return result.ok || result.error === 'OtlpDecodeError';
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('survives arbitrary JSON values in place of the request (seeded)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const asRequest = outcome(() => decodeTraceRequestJson(JSON.stringify(value)));
        const asSpans = outcome(() => decodeTraceRequestJson(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [value] }] }] })));
        return [asRequest, asSpans].every((result) => result.ok || result.error === 'OtlpDecodeError');
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('explains each kind of wrong shape', () => {
    const spanWith = (fields: object) =>
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '5b8efff798038103d269b633813fc60c',
                    spanId: 'eee19b7ec3c1b174',
                    startTimeUnixNano: '1',
                    endTimeUnixNano: '2',
                    ...fields,
                  },
                ],
              },
            ],
          },
        ],
      });

    expect(decodeError(() => decodeTraceRequestJson('{"resourceSpans": [}'))).toMatch(/^invalid JSON: /);
    expect(decodeError(() => decodeTraceRequestJson(''))).toMatch(/^invalid JSON: /);
    expect(decodeError(() => decodeTraceRequestJson('[]'))).toBe('request body must be a JSON object');
    expect(decodeError(() => decodeTraceRequestJson('null'))).toBe('request body must be a JSON object');
    expect(decodeError(() => decodeTraceRequestJson('{"resourceSpans": {}}'))).toBe('resourceSpans must be an array');
    expect(decodeError(() => decodeTraceRequestJson('{"resourceSpans": [7]}'))).toBe('resourceSpans[0] must be an object');
    expect(decodeError(() => decodeTraceRequestJson('{"resourceSpans": [{"scopeSpans": "x"}]}'))).toBe(
      'resourceSpans[0].scopeSpans must be an array',
    );
    expect(decodeError(() => decodeTraceRequestJson('{"resourceSpans": [{"scopeSpans": [{"spans": [null]}]}]}'))).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0] must be an object',
    );
    expect(decodeError(() => decodeTraceRequestJson('{"resourceSpans": [{"resource": {"attributes": 3}}]}'))).toBe(
      'resourceSpans[0]: attributes must be an array',
    );
    expect(decodeError(() => decodeTraceRequestJson(spanWith({ name: 5 })))).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0]: name must be a string',
    );
    expect(decodeError(() => decodeTraceRequestJson(spanWith({ kind: 'SPAN_KIND_SIDEWAYS' })))).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0]: kind "SPAN_KIND_SIDEWAYS" is not a SpanKind',
    );
    expect(decodeError(() => decodeTraceRequestJson(spanWith({ attributes: [{ key: 'n', value: { intValue: '12abc' } }] })))).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0]: attribute "n": intValue "12abc" is not an int64',
    );
    expect(
      decodeError(() => decodeTraceRequestJson(spanWith({ attributes: [{ key: 'n', value: { intValue: '9223372036854775808' } }] }))),
    ).toBe('resourceSpans[0].scopeSpans[0].spans[0]: attribute "n": intValue "9223372036854775808" is not an int64');
    expect(decodeError(() => decodeTraceRequestJson(spanWith({ events: [{ timeUnixNano: 'soon' }] })))).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0]: events[0].timeUnixNano is not a uint64',
    );
  });

  it('caps attribute nesting at 32 levels, and survives JSON nested far deeper', () => {
    const nested = (levels: number): unknown => {
      let value: unknown = { stringValue: 'leaf' };
      for (let level = 0; level < levels; level++) value = { arrayValue: { values: [value] } };
      return value;
    };
    const body = (value: unknown) =>
      JSON.stringify({
        resourceSpans: [{ resource: { attributes: [{ key: 'deep', value }] } }],
      });

    expect(decodeTraceRequestJson(body(nested(15)))).toEqual({ spans: [], rejectedSpans: 0 });
    expect(decodeError(() => decodeTraceRequestJson(body(nested(40))))).toBe('resourceSpans[0]: attribute values nested deeper than 32');
    const abyss = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(decodeError(() => decodeTraceRequestJson(`{"resourceSpans": ${abyss}}`))).toMatch(
      /^(invalid JSON: |resourceSpans\[0\] must be an object)/,
    );
  });
});
