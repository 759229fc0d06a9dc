import { otlpJsonBody, spanIdOf, traceIdOf } from '../collector/otlp-json-body.js';

/**
 * One small agent trace per request, the shape every hardening test sends:
 *
 *   agent.run  |==========================|  0..100 ms
 *   llm.chat     |=============|              5..60 ms
 *   tool.search                 |=========|  60..95 ms
 */
export const SPANS_PER_TRACE = 3;
export const TRACE_DURATION_MS = 100;

/** A trace id unique to an exporter and its n-th request. */
export const workloadTraceId = (exporter: number, sequence: number) => traceIdOf(exporter * 1_000_000 + sequence + 1);

export function workloadBody(traceId: string, baseMs: number, service = 'hardening'): string {
  const root = BigInt(`0x${traceId}`);
  const spanId = (offset: number) => spanIdOf(Number((root * 3n + BigInt(offset)) % 2n ** 48n) + 1);
  return otlpJsonBody(service, baseMs, [
    { traceId, spanId: spanId(0), name: 'agent.run', startMs: 0, endMs: 100, attributes: { 'threshold.task.name': 'answer' } },
    {
      traceId,
      spanId: spanId(1),
      parentSpanId: spanId(0),
      name: 'llm.chat',
      startMs: 5,
      endMs: 60,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'model-a' },
    },
    {
      traceId,
      spanId: spanId(2),
      parentSpanId: spanId(0),
      name: 'tool.search',
      startMs: 60,
      endMs: 95,
      attributes: { 'gen_ai.tool.name': 'search' },
    },
  ]);
}

/** Posts one trace; true only on a 200 (the collector's promise that the spans are durable). */
export async function sendTrace(url: string, traceId: string, baseMs: number, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: workloadBody(traceId, baseMs),
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Polls until `check` is true or `timeoutMs` passes; returns the last value of `read`. */
export async function pollUntil<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
