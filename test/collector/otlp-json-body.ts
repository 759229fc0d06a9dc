/** Builds OTLP/JSON request bodies with exact times (ms after a base), for raw HTTP tests. */
export interface JsonSpanPlan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes?: Record<string, string | number | boolean>;
}

function attributeValue(value: string | number | boolean) {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

export function otlpJsonBody(service: string, baseMs: number, spans: JsonSpanPlan[]): string {
  const nanos = (ms: number) => (BigInt(baseMs) * 1_000_000n + BigInt(Math.round(ms * 1e6))).toString();
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'threshold-tests' },
            spans: spans.map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
              name: span.name,
              kind: 1,
              startTimeUnixNano: nanos(span.startMs),
              endTimeUnixNano: nanos(span.endMs),
              attributes: Object.entries(span.attributes ?? {}).map(([key, value]) => ({ key, value: attributeValue(value) })),
            })),
          },
        ],
      },
    ],
  });
}

/** POSTs an OTLP/JSON body; returns status and parsed answer. */
export async function postJson(url: string, body: string): Promise<{ status: number; answer: unknown }> {
  const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, answer: await response.json() };
}

/** A 32-hex trace id from a small number, readable in failures. */
export const traceIdOf = (n: number) => n.toString(16).padStart(32, '0');
/** A 16-hex span id from a small number. */
export const spanIdOf = (n: number) => n.toString(16).padStart(16, '0');
