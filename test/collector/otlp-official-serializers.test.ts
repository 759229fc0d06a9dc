import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '@threshold/core';
import { decodeTraceRequestJson, decodeTraceRequestProtobuf } from '../../collector/src/otlp/index.js';
import { handMadeSpan, hrTimeAt, nsAt, officialJson, officialProtobuf, recordAgentTurn } from './otlp-recorded-spans.js';

describe('decoding requests written by the official OpenTelemetry serializers', () => {
  it('turns a recorded agent turn in protobuf into exact span records', () => {
    const { readableSpans, expected } = recordAgentTurn();

    expect(decodeTraceRequestProtobuf(officialProtobuf(readableSpans))).toEqual({ spans: expected, rejectedSpans: 0 });
  });

  it('turns the same turn in OTLP/JSON into the same span records', () => {
    const { readableSpans, expected } = recordAgentTurn();

    expect(decodeTraceRequestJson(officialJson(readableSpans))).toEqual({ spans: expected, rejectedSpans: 0 });
  });

  it('accepts the JSON body as a string as well as bytes', () => {
    const { readableSpans, expected } = recordAgentTurn();
    const text = new TextDecoder().decode(officialJson(readableSpans));

    expect(decodeTraceRequestJson(text).spans).toEqual(expected);
  });

  it('flattens kvlist values to objects and bytes to base64, identically in both encodings', () => {
    const span = handMadeSpan({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: 'retrieve documents',
      startTime: hrTimeAt(10),
      endTime: hrTimeAt(30),
      serviceName: 'rag',
      attributes: {
        'request.options': { model: 'gpt-4o', retries: 2, nested: { deep: [true, 'x'] } },
        'request.digest': new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      },
    });
    const expected: SpanRecord = {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: 'retrieve documents',
      kind: 1,
      startTimeUnixNano: nsAt(10),
      endTimeUnixNano: nsAt(30),
      statusCode: 0,
      service: 'rag',
      scope: 'hand-made',
      attributes: {
        'request.options': { model: 'gpt-4o', retries: 2, nested: { deep: [true, 'x'] } },
        'request.digest': '3q2+7w==',
      },
      events: [],
    };

    expect(decodeTraceRequestProtobuf(officialProtobuf([span])).spans).toEqual([expected]);
    expect(decodeTraceRequestJson(officialJson([span])).spans).toEqual([expected]);
  });

  it('names the service unknown_service when the resource has no service.name', () => {
    const span = handMadeSpan({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      name: 'orphan',
      startTime: hrTimeAt(0),
      endTime: hrTimeAt(1),
    });

    expect(decodeTraceRequestProtobuf(officialProtobuf([span])).spans.map((record) => record.service)).toEqual(['unknown_service']);
    expect(decodeTraceRequestJson(officialJson([span])).spans.map((record) => record.service)).toEqual(['unknown_service']);
  });

  it('decodes an empty request to no spans', () => {
    expect(decodeTraceRequestProtobuf(new Uint8Array(0))).toEqual({ spans: [], rejectedSpans: 0 });
    expect(decodeTraceRequestJson('{}')).toEqual({ spans: [], rejectedSpans: 0 });
    expect(decodeTraceRequestJson(officialJson([]))).toEqual({ spans: [], rejectedSpans: 0 });
  });
});
