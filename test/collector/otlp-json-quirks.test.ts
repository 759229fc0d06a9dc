import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '@threshold/core';
import { decodeTraceRequestJson } from '../../collector/src/otlp/index.js';
import { parseUnixNano } from '../../collector/src/otlp/json-int64.js';

/** One resource, one scope, the given spans; keys in lowerCamelCase. */
function request(spans: unknown[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'planner' } }] },
        scopeSpans: [{ scope: { name: 'agent-lib', version: '1' }, spans }],
      },
    ],
  });
}

const BASE_SPAN = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'plan',
  kind: 1,
  startTimeUnixNano: '1750000000000000000',
  endTimeUnixNano: '1750000000250000000',
};

const BASE_RECORD: SpanRecord = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'plan',
  kind: 1,
  startTimeUnixNano: 1_750_000_000_000_000_000n,
  endTimeUnixNano: 1_750_000_000_250_000_000n,
  statusCode: 0,
  service: 'planner',
  scope: 'agent-lib',
  attributes: {},
  events: [],
};

describe('OTLP/JSON quirks receivers must accept', () => {
  it('reads int64 times given as JSON numbers the same as decimal strings', () => {
    // Both times are exact doubles (odd part below 2^53), so the number form loses nothing.
    const asNumbers = request([{ ...BASE_SPAN, startTimeUnixNano: 1750000000000000000, endTimeUnixNano: 1750000001000000000 }]);
    const asStrings = request([{ ...BASE_SPAN, startTimeUnixNano: '1750000000000000000', endTimeUnixNano: '1750000001000000000' }]);
    const expected = { ...BASE_RECORD, endTimeUnixNano: 1_750_000_001_000_000_000n };

    expect(decodeTraceRequestJson(asNumbers).spans).toEqual([expected]);
    expect(decodeTraceRequestJson(asStrings).spans).toEqual([expected]);
  });

  it('holds a time given as a JSON number to the uint64 range, like its decimal string', () => {
    expect([2 ** 63, 2 ** 64, 2 ** 70].map(parseUnixNano)).toEqual([2n ** 63n, undefined, undefined]);
    expect(['9223372036854775808', '18446744073709551615', '18446744073709551616'].map(parseUnixNano)).toEqual([
      2n ** 63n,
      2n ** 64n - 1n,
      undefined,
    ]);
  });

  it('lower-cases upper-case hex ids', () => {
    const body = request([
      { ...BASE_SPAN, traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', parentSpanId: 'AbCdEf0123456789' },
    ]);

    expect(decodeTraceRequestJson(body).spans).toEqual([{ ...BASE_RECORD, parentSpanId: 'abcdef0123456789' }]);
  });

  it('accepts snake_case keys everywhere, as the OTLP spec asks of receivers', () => {
    const body = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'planner' } }] },
          scope_spans: [
            {
              scope: { name: 'agent-lib' },
              spans: [
                {
                  trace_id: BASE_SPAN.traceId,
                  span_id: BASE_SPAN.spanId,
                  parent_span_id: '1112131415161718',
                  name: 'plan',
                  kind: 1,
                  start_time_unix_nano: '1750000000000000000',
                  end_time_unix_nano: '1750000000250000000',
                  attributes: [
                    { key: 'count', value: { int_value: '7' } },
                    { key: 'ratio', value: { double_value: 0.5 } },
                    { key: 'ok', value: { bool_value: false } },
                    { key: 'tags', value: { array_value: { values: [{ string_value: 'a' }] } } },
                    { key: 'meta', value: { kvlist_value: { values: [{ key: 'k', value: { bytes_value: 'AQI=' } }] } } },
                  ],
                  events: [{ time_unix_nano: '1750000000100000000', name: 'tick', attributes: [] }],
                },
              ],
            },
          ],
        },
      ],
    });

    expect(decodeTraceRequestJson(body).spans).toEqual([
      {
        ...BASE_RECORD,
        parentSpanId: '1112131415161718',
        attributes: { count: 7, ratio: 0.5, ok: false, tags: ['a'], meta: { k: 'AQI=' } },
        events: [{ name: 'tick', timeUnixNano: 1_750_000_000_100_000_000n, attributes: {} }],
      },
    ]);
  });

  it('accepts enum names as well as integers for kind and status code', () => {
    const body = request([
      { ...BASE_SPAN, kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR', message: 'timeout' } },
      { ...BASE_SPAN, spanId: 'eee19b7ec3c1b175', kind: 3, status: { code: 2, message: 'timeout' } },
    ]);

    expect(decodeTraceRequestJson(body).spans).toEqual([
      { ...BASE_RECORD, kind: 3, statusCode: 2, statusMessage: 'timeout' },
      { ...BASE_RECORD, spanId: 'eee19b7ec3c1b175', kind: 3, statusCode: 2, statusMessage: 'timeout' },
    ]);
  });

  it('keeps int64 attributes exact: numbers when within 2^53, decimal strings beyond', () => {
    const body = request([
      {
        ...BASE_SPAN,
        attributes: [
          { key: 'small-string', value: { intValue: '42' } },
          { key: 'small-number', value: { intValue: 42 } },
          { key: 'negative', value: { intValue: '-5' } },
          { key: 'limit', value: { intValue: '9007199254740992' } },
          { key: 'beyond', value: { intValue: '9007199254740993' } },
          { key: 'min', value: { intValue: '-9223372036854775808' } },
          { key: 'padded', value: { intValue: '0000000000000000012' } },
        ],
      },
    ]);

    expect(decodeTraceRequestJson(body).spans[0].attributes).toEqual({
      'small-string': 42,
      'small-number': 42,
      negative: -5,
      limit: 9007199254740992,
      beyond: '9007199254740993',
      min: '-9223372036854775808',
      padded: 12,
    });
  });

  it('reads proto3 JSON doubles given as strings, and an empty AnyValue as null', () => {
    const body = request([
      {
        ...BASE_SPAN,
        attributes: [
          { key: 'infinite', value: { doubleValue: 'Infinity' } },
          { key: 'text-number', value: { doubleValue: '2.5' } },
          { key: 'empty', value: {} },
          { key: 'missing' },
        ],
      },
    ]);

    expect(decodeTraceRequestJson(body).spans[0].attributes).toEqual({
      infinite: Infinity,
      'text-number': 2.5,
      empty: null,
      missing: null,
    });
  });

  it('keeps an attribute named __proto__ as an ordinary attribute', () => {
    const body = request([
      {
        ...BASE_SPAN,
        attributes: [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } }],
      },
    ]);

    const attributes = decodeTraceRequestJson(body).spans[0].attributes;

    expect(Object.keys(attributes)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('skips a leading byte order mark', () => {
    expect(decodeTraceRequestJson(`\uFEFF${request([BASE_SPAN])}`).spans).toEqual([BASE_RECORD]);
  });
});
