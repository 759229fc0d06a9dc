import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AttributeValue, Attributes, SpanRecord, StatusCode } from '@threshold/core';

/**
 * Converts spans captured in-process (an InMemorySpanExporter behind a real tracer provider) into
 * the SpanRecords the collector would decode from the same spans sent over OTLP: hex ids, epoch
 * ns as bigint, attribute values as OTLP flattens them. Lets tests run real instrumentation
 * libraries and analyse exactly what they emit, without a network hop.
 */
export function readableSpanToRecord(span: ReadableSpan): SpanRecord {
  const context = span.spanContext();
  const record: SpanRecord = {
    traceId: context.traceId,
    spanId: context.spanId,
    name: span.name,
    kind: otlpKind(span.kind),
    startTimeUnixNano: hrTimeToNs(span.startTime),
    endTimeUnixNano: hrTimeToNs(span.endTime),
    statusCode: span.status.code as StatusCode,
    service: String(span.resource.attributes['service.name'] ?? 'unknown_service'),
    attributes: toAttributes(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixNano: hrTimeToNs(event.time),
      attributes: toAttributes(event.attributes ?? {}),
    })),
  };
  const parentSpanId = span.parentSpanContext?.spanId;
  if (parentSpanId) record.parentSpanId = parentSpanId;
  if (span.status.message) record.statusMessage = span.status.message;
  if (span.instrumentationScope?.name) record.scope = span.instrumentationScope.name;
  return record;
}

export function readableSpansToRecords(spans: readonly ReadableSpan[]): SpanRecord[] {
  return spans.map(readableSpanToRecord);
}

export function hrTimeToNs(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

/** The API's SpanKind enum starts at INTERNAL = 0; OTLP's at UNSPECIFIED = 0, INTERNAL = 1. */
function otlpKind(kind: number): number {
  return kind + 1;
}

function toAttributes(attributes: Record<string, unknown>): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    const converted = toAttributeValue(value);
    if (converted !== undefined) result[key] = converted;
  }
  return result;
}

function toAttributeValue(value: unknown): AttributeValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((item) => toAttributeValue(item) ?? null);
  return String(value);
}
