import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequestJson, decodeTraceRequestProtobuf, OtlpDecodeError } from '../../collector/src/otlp/index.js';
import { decodeStoredRequest } from '../../collector/src/store/decode-stored-request.js';
import { cutText, DEFAULT_SPAN_CAPS } from '../../collector/src/security/span-caps.js';
import {
  arrayOf,
  hostileRequest,
  intField,
  keyValue,
  kvlistOf,
  lengthField,
  spanAttribute,
  textField,
} from '../support/hostile-requests.js';
import { planJson, planProtobuf, planRequest, SMALL_CAPS } from './otlp-request-plans.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const START_NS = 1_767_225_600_000_000_000n; // 2026-01-01
const span = (spanId: string, extra: Buffer[] = [], name = 'step') => ({
  traceId: TRACE_ID,
  spanId,
  name,
  startNs: START_NS,
  endNs: START_NS + 1_000_000n,
  extra,
});
const MIB = 1024 * 1024;

describe('span caps applied while decoding', () => {
  it('cut a span alike in protobuf and OTLP/JSON: 1,500 random requests sized around small caps', () => {
    for (const plan of fc.sample(planRequest, { seed: 20_261_126, numRuns: 1_500 })) {
      expect(decodeTraceRequestJson(planJson(plan), SMALL_CAPS)).toEqual(decodeTraceRequestProtobuf(planProtobuf(plan), SMALL_CAPS));
    }
  });

  it('cut a 10 MiB service name and 10 MiB keys to their caps, on every span of the request', () => {
    const longKey = (letter: string) => letter.repeat(10 * MIB);
    const body = hostileRequest('s'.repeat(10 * MIB), [
      span('00000000000000a1', [spanAttribute(longKey('k'), textField(1, 'one')), spanAttribute(longKey('q'), textField(1, 'two'))]),
      span('00000000000000a2', [spanAttribute('gen_ai.request.model', textField(1, 'gpt-4o'))]),
    ]);

    const decoded = decodeTraceRequestProtobuf(body);

    const service = `${'s'.repeat(255)}…`;
    expect(decoded.spans.map((record) => [record.service, record.attributes])).toEqual([
      [service, { [`${'k'.repeat(255)}…`]: 'one', [`${'q'.repeat(255)}…`]: 'two' }],
      [service, { 'gen_ai.request.model': 'gpt-4o' }],
    ]);
    expect(decoded.truncation).toBe('truncated: 1 service names longer than 256 characters, 2 attribute keys longer than 256 characters');
    expect(decoded.rejectedSpans).toBe(0);
  });

  it('keep the first 4,096 entries of a million-entry kvlist and items of a three-million-item array, and count the rest', () => {
    const kvlist = decodeTraceRequestProtobuf(
      hostileRequest('svc', [span('00000000000000b1', [spanAttribute('big', kvlistOf(1_000_000))])]),
    );
    const entries = kvlist.spans[0].attributes.big as Record<string, number>;
    expect(Object.keys(entries).length).toBe(4_096);
    expect([entries.k0, entries.k4095, entries.k4096]).toEqual([0, 4_095, undefined]);
    expect(kvlist.truncation).toBe('truncated: 995904 list items beyond 4096 per span or 128 per event');

    const array = decodeTraceRequestProtobuf(
      hostileRequest('svc', [span('00000000000000b2', [spanAttribute('many', arrayOf(3_000_000))])]),
    );
    expect(array.spans[0].attributes.many).toEqual(new Array(4_096).fill(1));
    expect(array.truncation).toBe('truncated: 2995904 list items beyond 4096 per span or 128 per event');
  });

  it('keep the first 128 of 900,000 attributes of a span', () => {
    const attributes = [];
    for (let index = 0; index < 900_000; index++) attributes.push(spanAttribute(`a${index}`, intField(3, index)));
    const decoded = decodeTraceRequestProtobuf(hostileRequest('svc', [span('00000000000000c1', [Buffer.concat(attributes)])]));
    expect(decoded.spans[0].attributes).toEqual(Object.fromEntries(Array.from({ length: 128 }, (_, index) => [`a${index}`, index])));
    expect(decoded.truncation).toBe('truncated: 899872 attributes beyond 128 per span');
  });

  it('cut a protobuf string after decoding only what it keeps, exactly as decoding all of it and cutting would, whatever the bytes', () => {
    const maxChars = 6;
    const bytes = fc.uint8Array({ minLength: 0, maxLength: 40 });
    for (const raw of fc.sample(bytes, { seed: 7, numRuns: 3_000 })) {
      const full = Buffer.from(raw).toString('utf8');
      const expected = full.length > maxChars ? cutText(full, maxChars) : full;
      const decoded = decodeTraceRequestProtobuf(
        hostileRequest('svc', [
          span('00000000000000d1', [lengthField(9, Buffer.concat([textField(1, 'k'), lengthField(2, lengthField(1, Buffer.from(raw)))]))]),
        ]),
        { ...DEFAULT_SPAN_CAPS, maxValueChars: maxChars },
      );
      expect(decoded.spans[0].attributes.k).toBe(expected);
    }
  });

  it('never leave half a surrogate pair at a cut', () => {
    expect(cutText('ab😀cd', 3)).toBe('ab…');
    expect(cutText('ab😀cd', 4)).toBe('ab…');
    expect(cutText('ab😀cd', 5)).toBe('ab😀…');
  });

  it('still check what they drop: a malformed attribute beyond the count is refused in both encodings', () => {
    const kept = Array.from({ length: 128 }, (_, index) => spanAttribute(`a${index}`, intField(3, index)));
    const wrongWireType = lengthField(9, Buffer.concat([textField(1, 'late'), intField(2, 7)])); // value as a varint
    expect(() => decodeTraceRequestProtobuf(hostileRequest('svc', [span('00000000000000e1', [...kept, wrongWireType])]))).toThrow(
      OtlpDecodeError,
    );

    const attributes = [
      ...Array.from({ length: 128 }, (_, index) => ({ key: `a${index}`, value: { intValue: String(index) } })),
      { key: 'late', value: { intValue: 'many' } },
    ];
    const json = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: '00000000000000e2',
                  startTimeUnixNano: String(START_NS),
                  endTimeUnixNano: String(START_NS + 1n),
                  attributes,
                },
              ],
            },
          ],
        },
      ],
    };
    expect(() => decodeTraceRequestJson(JSON.stringify(json))).toThrow('attribute "late": intValue "many" is not an int64');
  });

  it('report nothing cut from a span that is rejected', () => {
    const rejected = { ...span('00000000000000f1', [spanAttribute('prompt', textField(1, 'x'.repeat(20_000)))]), endNs: START_NS - 1n };
    const { spans, ...account } = decodeTraceRequestProtobuf(hostileRequest('svc', [rejected, span('00000000000000f2')]));
    expect(spans.map((record) => record.spanId)).toEqual(['00000000000000f2']);
    expect(account).toEqual({ rejectedSpans: 1, rejectionMessage: '1 span rejected: end before start (1)' });
  });

  it('read the last service.name of a resource, cut, and only that one', () => {
    const extra = [
      keyValue('service.name', textField(1, 'second')),
      keyValue('process.command_line', textField(1, 'c'.repeat(100_000))),
      keyValue('deep', kvlistOf(10_000)),
    ];
    const decoded = decodeTraceRequestProtobuf(hostileRequest('first', [span('0000000000000101')], extra));
    expect(decoded.spans[0].service).toBe('second');
    expect(decoded.truncation).toBeUndefined();
  });

  it('give a stored request back with the spans and cuts ingest kept', () => {
    const body = hostileRequest('s'.repeat(300), [span('0000000000000111', [spanAttribute('big', kvlistOf(5_000))])]);
    expect(decodeStoredRequest('protobuf', body)).toEqual(decodeTraceRequestProtobuf(body).spans);
  });
});
