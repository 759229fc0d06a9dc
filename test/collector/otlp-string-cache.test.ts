import { describe, expect, it } from 'vitest';
import { decodeTraceRequestProtobuf } from '../../collector/src/otlp/index.js';
import { handMadeSpan, hrTimeAt, officialProtobuf } from './otlp-recorded-spans.js';

/**
 * The protobuf reader shares decoded strings through a small fixed table (see interned-strings.ts).
 * Whatever competes for its slots, every decoded string must be exactly the one sent.
 */
function roundTrip(attributes: Record<string, string>): unknown {
  // At most 100 attributes a span (the span caps keep 128): a request of as many spans as needed.
  const entries = Object.entries(attributes);
  const spans = [];
  for (let first = 0; first < entries.length; first += 100) {
    spans.push(
      handMadeSpan({
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: (first / 100 + 1).toString(16).padStart(16, '0'),
        name: 'cache',
        startTime: hrTimeAt(0),
        endTime: hrTimeAt(1),
        attributes: Object.fromEntries(entries.slice(first, first + 100)),
      }),
    );
  }
  return Object.assign({}, ...decodeTraceRequestProtobuf(officialProtobuf(spans)).spans.map((span) => span.attributes));
}

describe('the shared string table never hands out the wrong string', () => {
  it('keeps thousands of near-identical keys and values exact, pass after pass', () => {
    const attributes: Record<string, string> = {};
    for (let index = 0; index < 6000; index++) {
      const digits = String(index).padStart(4, '0');
      attributes[`gen_ai.attr.${digits}`] = `value-${digits.split('').reverse().join('')}`;
    }

    // First pass: every string seen once; later passes: admitted strings compete for slots.
    for (let pass = 0; pass < 3; pass++) expect(roundTrip(attributes)).toEqual(attributes);
  });

  it('keeps random unicode keys and values exact (seeded)', () => {
    const random = seededRandom(7);
    // ASCII, Latin-1, CJK, emoji (astral) and lone surrogates, which UTF-8 cannot carry.
    const ranges = [
      [0x20, 0x7e],
      [0xa0, 0xff],
      [0x4e00, 0x4fff],
      [0x1f600, 0x1f64f],
      [0xd800, 0xdfff],
    ];
    const randomText = () => {
      let text = '';
      const length = Math.floor(random() * 30);
      for (let index = 0; index < length; index++) {
        const [low, high] = ranges[Math.floor(random() * ranges.length)];
        text += String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
      }
      return text;
    };
    const utf8 = (text: string) => new TextDecoder().decode(new TextEncoder().encode(text));
    for (let run = 0; run < 100; run++) {
      const attributes: Record<string, string> = {};
      for (let count = 0; count < 20; count++) attributes[randomText()] = randomText();
      // What UTF-8 carries: lone surrogates arrive as U+FFFD, in both encoder and decoder.
      const expected: Record<string, string> = {};
      for (const [key, value] of Object.entries(attributes)) expected[utf8(key)] = utf8(value);
      expect(roundTrip(attributes)).toEqual(expected);
    }
  });
});

/** mulberry32: a small seeded generator, so a failure reproduces. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
