import { gzipSync } from 'node:zlib';
import type { HrTime } from '@opentelemetry/api';
import type { JsonSpanPlan } from './otlp-json-body.js';
import { handMadeSpan, officialProtobuf } from './otlp-recorded-spans.js';

const hrTime = (ms: number): HrTime => [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];

/** The same plans as `otlpJsonBody` (times in ms after `baseMs`), written by the official protobuf serializer. */
export function protobufBody(service: string, baseMs: number, plans: JsonSpanPlan[]): Uint8Array {
  return officialProtobuf(
    plans.map((plan) =>
      handMadeSpan({
        traceId: plan.traceId,
        spanId: plan.spanId,
        ...(plan.parentSpanId ? { parentSpanId: plan.parentSpanId } : {}),
        name: plan.name,
        startTime: hrTime(baseMs + plan.startMs),
        endTime: hrTime(baseMs + plan.endMs),
        attributes: plan.attributes ?? {},
        serviceName: service,
      }),
    ),
  );
}

/** POSTs an OTLP/protobuf body to `/v1/traces` (gzipped on the wire with `gzip`); the status. */
export async function postProtobuf(url: string, body: Uint8Array, { gzip = false } = {}): Promise<number> {
  const headers = { 'content-type': 'application/x-protobuf', ...(gzip ? { 'content-encoding': 'gzip' } : {}) };
  const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers, body: gzip ? gzipSync(body) : body });
  await response.arrayBuffer();
  return response.status;
}
