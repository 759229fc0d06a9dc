/**
 * Spans recorded by the real OpenTelemetry SDK and serialized by the official OTLP serializers,
 * so the decoders are tested against exactly what agents send.
 *
 *   t (ms)   0        100                 1300          2400   2500
 *            ├─────────────────────── invoke_agent support-bot ───────┤   server, unset
 *                     ├──── chat gpt-4o ─────┤                            client, error "rate limited"
 *                              ▲ gen_ai.choice @ 450 ms
 *                                          ├─ execute_tool ─┤             internal, ok, link → chat
 */
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanRecord } from '@threshold/core';

/** Epoch second the fixture starts at; every time below is exact to the nanosecond. */
const EPOCH_SECONDS = 1_750_000_000;
const EPOCH_NS = BigInt(EPOCH_SECONDS) * 1_000_000_000n;

/** HrTime `ms` (+ `extraNs`) after the fixture epoch. */
export function hrTimeAt(ms: number, extraNs = 0): HrTime {
  const totalNs = ms * 1_000_000 + extraNs;
  return [EPOCH_SECONDS + Math.floor(totalNs / 1e9), totalNs % 1e9];
}

export function nsAt(ms: number, extraNs = 0): bigint {
  return EPOCH_NS + BigInt(ms) * 1_000_000n + BigInt(extraNs);
}

export interface RecordedTurn {
  readableSpans: ReadableSpan[];
  /** What the decoders must produce, in the order the serializer writes the spans. */
  expected: SpanRecord[];
}

/** Records the three-span agent turn drawn above with a real tracer. */
export function recordAgentTurn(): RecordedTurn {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-agent', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('threshold-fixture', '1.2.3');

  const root = tracer.startSpan(
    'invoke_agent support-bot',
    { kind: SpanKind.SERVER, startTime: hrTimeAt(0, 7), attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
    ROOT_CONTEXT,
  );
  const inRoot = trace.setSpan(context.active(), root);
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: hrTimeAt(100),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.request.temperature': 0.25,
        'gen_ai.request.stream': true,
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 345,
        'gen_ai.response.finish_reasons': ['stop', 'tool_calls'],
        'gen_ai.request.stop_sequences': [],
        'threshold.scores': [1, 2, 3],
        'threshold.flags': [true, false],
        'threshold.big_counter': 2 ** 53 + 2,
        'threshold.offset': -42,
        'threshold.unicode': 'naïve — 日本語 ✓',
      },
    },
    inRoot,
  );
  chat.addEvent('gen_ai.choice', { 'gen_ai.response.id': 'chatcmpl-1', index: 0 }, hrTimeAt(450));
  chat.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
  chat.end(hrTimeAt(1300));

  const tool = tracer.startSpan(
    'execute_tool lookup_order',
    {
      kind: SpanKind.INTERNAL,
      startTime: hrTimeAt(1300),
      attributes: { 'gen_ai.tool.name': 'lookup_order' },
      links: [{ context: chat.spanContext(), attributes: { 'link.reason': 'follows' } }],
    },
    inRoot,
  );
  tool.setStatus({ code: SpanStatusCode.OK });
  tool.end(hrTimeAt(2400));
  root.end(hrTimeAt(2500));

  const readableSpans = exporter.getFinishedSpans();
  const rootIds = root.spanContext();
  const chatIds = chat.spanContext();
  const toolIds = tool.spanContext();
  const common = { service: 'support-agent', scope: 'threshold-fixture', traceId: rootIds.traceId };
  const expected: SpanRecord[] = [
    {
      ...common,
      spanId: chatIds.spanId,
      parentSpanId: rootIds.spanId,
      name: 'chat gpt-4o',
      kind: 3,
      startTimeUnixNano: nsAt(100),
      endTimeUnixNano: nsAt(1300),
      statusCode: 2,
      statusMessage: 'rate limited',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.request.temperature': 0.25,
        'gen_ai.request.stream': true,
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 345,
        'gen_ai.response.finish_reasons': ['stop', 'tool_calls'],
        'gen_ai.request.stop_sequences': [],
        'threshold.scores': [1, 2, 3],
        'threshold.flags': [true, false],
        'threshold.big_counter': '9007199254740994',
        'threshold.offset': -42,
        'threshold.unicode': 'naïve — 日本語 ✓',
      },
      events: [{ name: 'gen_ai.choice', timeUnixNano: nsAt(450), attributes: { 'gen_ai.response.id': 'chatcmpl-1', index: 0 } }],
    },
    {
      ...common,
      spanId: toolIds.spanId,
      parentSpanId: rootIds.spanId,
      name: 'execute_tool lookup_order',
      kind: 1,
      startTimeUnixNano: nsAt(1300),
      endTimeUnixNano: nsAt(2400),
      statusCode: 1,
      attributes: { 'gen_ai.tool.name': 'lookup_order' },
      events: [],
    },
    {
      ...common,
      spanId: rootIds.spanId,
      name: 'invoke_agent support-bot',
      kind: 2,
      startTimeUnixNano: nsAt(0, 7),
      endTimeUnixNano: nsAt(2500),
      statusCode: 0,
      attributes: { 'gen_ai.operation.name': 'invoke_agent' },
      events: [],
    },
  ];
  return { readableSpans, expected };
}

/**
 * A ReadableSpan written by hand, for what the SDK refuses to record (kvlist and bytes attribute
 * values, invalid ids, end before start) but the official serializers still put on the wire.
 */
export function handMadeSpan(fields: {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTime: HrTime;
  endTime: HrTime;
  attributes?: Record<string, unknown>;
  serviceName?: string;
}): ReadableSpan {
  const spanContext = { traceId: fields.traceId, spanId: fields.spanId, traceFlags: 1 };
  return {
    name: fields.name,
    kind: SpanKind.INTERNAL,
    spanContext: () => spanContext,
    parentSpanContext:
      fields.parentSpanId === undefined ? undefined : { traceId: fields.traceId, spanId: fields.parentSpanId, traceFlags: 1 },
    startTime: fields.startTime,
    endTime: fields.endTime,
    status: { code: SpanStatusCode.UNSET },
    attributes: (fields.attributes ?? {}) as ReadableSpan['attributes'],
    links: [],
    events: [],
    duration: [0, 0],
    ended: true,
    resource: resourceFromAttributes(fields.serviceName === undefined ? {} : { 'service.name': fields.serviceName }),
    instrumentationScope: { name: 'hand-made' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** The official protobuf encoding of an ExportTraceServiceRequest holding these spans. */
export function officialProtobuf(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('the official protobuf serializer returned nothing');
  return bytes;
}

/** The official OTLP/JSON encoding (UTF-8 bytes) of the same request. */
export function officialJson(spans: ReadableSpan[]): Uint8Array {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('the official JSON serializer returned nothing');
  return bytes;
}
