import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceDetail } from '@threshold/core';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { pollUntil } from './acknowledged-traces.js';

const BASE_NS = BigInt(Date.UTC(2026, 0, 10, 9, 0, 0)) * 1_000_000n;
const TRACE_ID = 'c0ffee00000000000000000000000001';
const LONG_VALUE = 'x'.repeat(20_000);

/** One span with a 20,000-character prompt, 300 attributes and 600 events. */
function oversizedBody(): string {
  const attributes = [
    { key: 'gen_ai.prompt', value: { stringValue: LONG_VALUE } },
    ...Array.from({ length: 299 }, (_, n) => ({ key: `extra.${String(n).padStart(3, '0')}`, value: { intValue: String(n) } })),
  ];
  const events = Array.from({ length: 600 }, (_, n) => ({ name: `tick.${n}`, timeUnixNano: String(BASE_NS + BigInt(n) * 1000n) }));
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'caps' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: TRACE_ID,
                spanId: '00000000000000a1',
                name: 'agent.run',
                startTimeUnixNano: String(BASE_NS),
                endTimeUnixNano: String(BASE_NS + 50_000_000n),
                attributes,
                events,
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('span caps', () => {
  let collector: CollectorProcess;
  beforeAll(async () => {
    collector = await startCollectorProcess();
  });
  afterAll(() => collector.stop());

  it('keeps an oversized span, truncated, and says how much was cut in a 0-rejected partial success', async () => {
    const response = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: oversizedBody() });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '0',
        errorMessage: 'truncated: 1 values longer than 16384 characters, 44 attributes beyond 256 per span, 88 events beyond 512 per span',
      },
    });
    const detail = await pollUntil(
      async () => {
        const answer = await fetch(`${collector.url}/api/traces/${TRACE_ID}`);
        return answer.status === 200 ? ((await answer.json()) as TraceDetail) : undefined;
      },
      (value) => value !== undefined,
      15_000,
      'capped trace analysed',
    );
    const attributes = detail!.spans[0].attributes;
    expect(Object.keys(attributes).length).toBe(256);
    expect(attributes['gen_ai.prompt']).toBe(`${'x'.repeat(16_383)}…`);
    expect(attributes['extra.254']).toBe(254);
    expect(attributes['extra.255']).toBeUndefined();
  });
});
