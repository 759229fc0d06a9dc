import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequestProtobuf } from '../../collector/src/otlp/index.js';
import { handMadeSpan, hrTimeAt, officialProtobuf } from './otlp-recorded-spans.js';

/**
 * The protobuf reader shares decoded strings through a small fixed table (see interned-strings.ts).
 * Whatever competes for its slots, every decoded string must be exactly the one sent.
 */
function roundTrip(attributes: Record<string, string>): unknown {
  const span = handMadeSpan({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'cache',
    startTime: hrTimeAt(0),
    endTime: hrTimeAt(1),
    attributes,
  });
  return decodeTraceRequestProtobuf(officialProtobuf([span])).spans[0].attributes;
}

describe('the shared string table never hands out the wrong string', () => {
  it('keeps thousands of near-identical keys and values exact, cold and warm', () => {
    const attributes: Record<string, string> = {};
    for (let index = 0; index < 6000; index++) {
      const digits = String(index).padStart(4, '0');
      attributes[`gen_ai.attr.${digits}`] = `value-${digits.split('').reverse().join('')}`;
    }

    expect(roundTrip(attributes)).toEqual(attributes);
    expect(roundTrip(attributes)).toEqual(attributes);
  });

  it('keeps random unicode keys and values exact (seeded)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 })), (attributes) => {
        // Lone surrogates cannot survive UTF-8 in any encoder; compare what UTF-8 can carry.
        const expected = JSON.parse(JSON.stringify(attributes)) as Record<string, string>;
        const utf8 = (text: string) => new TextDecoder().decode(new TextEncoder().encode(text));
        const carried = Object.fromEntries(Object.entries(expected).map(([key, value]) => [utf8(key), utf8(value)]));
        expect(roundTrip(attributes)).toEqual(carried);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
