import { describe, expect, it } from 'vitest';
import {
  decodeTraceRequestJson,
  decodeTraceRequestProtobuf,
  LATEST_SPAN_TIME_UNIX_NANO,
  scanTraceRequestProtobuf,
  type DecodeResult,
} from '../../collector/src/otlp/index.js';
import { hostileRequest } from '../support/hostile-requests.js';
import { handMadeSpan, hrTimeAt, nsAt, officialJson, officialProtobuf } from './otlp-recorded-spans.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';

function span(name: string, overrides: Partial<Parameters<typeof handMadeSpan>[0]> = {}) {
  return handMadeSpan({
    traceId: TRACE_ID,
    spanId: 'eee19b7ec3c1b174',
    name,
    startTime: hrTimeAt(100),
    endTime: hrTimeAt(200),
    serviceName: 'agent',
    ...overrides,
  });
}

/** Both official encodings of the same spans, decoded. */
function decodeBoth(spans: ReturnType<typeof span>[]): DecodeResult[] {
  return [decodeTraceRequestProtobuf(officialProtobuf(spans)), decodeTraceRequestJson(officialJson(spans))];
}

describe('spans rejected one by one while the rest of the request is kept', () => {
  it('drops bad ids and impossible timing, counting each reason in order of first occurrence', () => {
    const results = decodeBoth([
      span('zero trace id', { traceId: '00000000000000000000000000000000' }),
      span('kept'),
      span('short span id', { spanId: 'abcd' }),
      span('ends before it starts', { startTime: hrTimeAt(300), endTime: hrTimeAt(299) }),
      span('never started', { startTime: [0, 0], endTime: hrTimeAt(5) }),
      span('bad parent', { parentSpanId: 'abc123' }),
      span('zero span id', { spanId: '0000000000000000' }),
    ]);

    for (const result of results) {
      expect(result).toEqual({
        spans: [
          {
            traceId: TRACE_ID,
            spanId: 'eee19b7ec3c1b174',
            name: 'kept',
            kind: 1,
            startTimeUnixNano: nsAt(100),
            endTimeUnixNano: nsAt(200),
            statusCode: 0,
            service: 'agent',
            scope: 'hand-made',
            attributes: {},
            events: [],
          },
        ],
        rejectedSpans: 6,
        rejectionMessage:
          '6 spans rejected: invalid trace id (1), invalid span id (2), end before start (1), missing start time (1), invalid parent span id (1)',
      });
    }
  });

  it('says "1 span" for a single rejection', () => {
    for (const result of decodeBoth([span('late', { startTime: hrTimeAt(10), endTime: hrTimeAt(9) })])) {
      expect(result).toEqual({ spans: [], rejectedSpans: 1, rejectionMessage: '1 span rejected: end before start (1)' });
    }
  });

  it('keeps a zero-length span (end equal to start)', () => {
    for (const result of decodeBoth([span('instant', { startTime: hrTimeAt(10), endTime: hrTimeAt(10) })])) {
      expect(result.rejectedSpans).toBe(0);
      expect(result.spans.map((record) => record.endTimeUnixNano - record.startTimeUnixNano)).toEqual([0n]);
    }
  });

  it('reads an all-zero parent id as no parent and keeps the span as a root', () => {
    for (const result of decodeBoth([span('root', { parentSpanId: '0000000000000000' })])) {
      expect(result.rejectedSpans).toBe(0);
      expect(result.spans.map((record) => record.parentSpanId)).toEqual([undefined]);
    }
  });

  it('rejects JSON spans whose ids are not hex or whose times are not integers', () => {
    const spans = [
      { traceId: 'zz8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' },
      { traceId: TRACE_ID, spanId: 'eee19b7ec3c1b17' },
      { traceId: TRACE_ID, spanId: 'eee19b7ec3c1b174', startTimeUnixNano: '17e17' },
      { traceId: TRACE_ID, spanId: 'eee19b7ec3c1b174', endTimeUnixNano: 1.5 },
      { traceId: TRACE_ID, spanId: 'eee19b7ec3c1b174', startTimeUnixNano: '-1' },
      { traceId: 42, spanId: 'eee19b7ec3c1b174' },
    ].map((ids) => ({ name: 'x', startTimeUnixNano: '100', endTimeUnixNano: '200', ...ids }));
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });

    expect(decodeTraceRequestJson(body)).toEqual({
      spans: [],
      rejectedSpans: 6,
      rejectionMessage: '6 spans rejected: invalid trace id (2), invalid span id (1), invalid start time (2), invalid end time (1)',
    });
  });

  it('rejects spans ending after 2100-01-01 (OTLP times reach the year 2554), in both encodings and in the scan, and keeps one ending at it', () => {
    const year2100 = LATEST_SPAN_TIME_UNIX_NANO;
    const uint64Max = 18_446_744_073_709_551_615n;
    const times: [string, bigint, bigint][] = [
      ['0000000000000001', year2100 - 1_000n, year2100], // ends exactly at the bound: kept
      ['0000000000000002', year2100 - 1_000n, year2100 + 1n],
      ['0000000000000003', year2100 + 1n, year2100 + 2n],
      ['0000000000000004', uint64Max - 1n, uint64Max],
      ['0000000000000005', 1_767_225_600_000_000_000n, uint64Max], // a 2026 span said to end in 2554
    ];
    const protobuf = hostileRequest(
      'agent',
      times.map(([spanId, startNs, endNs]) => ({ traceId: TRACE_ID, spanId, name: 'x', startNs, endNs })),
    );
    const json = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'agent' } }] },
          scopeSpans: [
            {
              scope: { name: 'hostile' },
              spans: times.map(([spanId, startNs, endNs]) => ({
                traceId: TRACE_ID,
                spanId,
                name: 'x',
                startTimeUnixNano: String(startNs),
                endTimeUnixNano: String(endNs),
              })),
            },
          ],
        },
      ],
    });
    const expected = {
      spans: [
        {
          traceId: TRACE_ID,
          spanId: '0000000000000001',
          name: 'x',
          kind: 0,
          startTimeUnixNano: year2100 - 1_000n,
          endTimeUnixNano: year2100,
          statusCode: 0,
          service: 'agent',
          scope: 'hostile',
          attributes: {},
          events: [],
        },
      ],
      rejectedSpans: 4,
      rejectionMessage: '4 spans rejected: time after 2100-01-01 (4)',
    };

    expect(decodeTraceRequestProtobuf(protobuf)).toEqual(expected);
    expect(decodeTraceRequestJson(json)).toEqual(expected);
    expect(scanTraceRequestProtobuf(protobuf)).toEqual({
      traceSpanCounts: new Map([[TRACE_ID, 1]]),
      acceptedSpans: 1,
      rejectedSpans: 4,
      rejectionMessage: '4 spans rejected: time after 2100-01-01 (4)',
      mayBeCapped: false,
    });
  });
});
