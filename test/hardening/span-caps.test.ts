import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FiltersResponse, TraceDetail, TraceList } from '@threshold/core';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { arrayOf, hostileRequest, kvlistOf, spanAttribute, textField, type HostileSpan } from '../support/hostile-requests.js';
import { pollUntil } from './acknowledged-traces.js';

const BASE_NS = BigInt(Date.UTC(2026, 0, 10, 9, 0, 0)) * 1_000_000n;
const TRACE_ID = 'c0ffee00000000000000000000000001';
const LONG_VALUE = 'x'.repeat(20_000);
const MIB = 1024 * 1024;
/** Room for the 30 MiB poison request (the default limit is 16 MiB; it arrives gzipped to 30 KB). */
const MAX_BODY_BYTES = 40 * MIB;

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

const hostileSpan = (traceId: string, spanId: string, extra: Buffer[] = []): HostileSpan => ({
  traceId,
  spanId,
  name: 'agent.run',
  startNs: BASE_NS,
  endNs: BASE_NS + 40_000_000n,
  extra: [spanAttribute('gen_ai.operation.name', textField(1, 'invoke_agent')), ...extra],
});

async function postProtobuf(
  url: string,
  body: Buffer,
  gzip = false,
): Promise<{ status: number; answer: ReturnType<typeof ProtobufTraceSerializer.deserializeResponse> }> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: gzip ? gzipSync(body) : body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, answer: ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer())) };
}

async function analysed(url: string, traceId: string, spanCount = 1): Promise<TraceDetail> {
  const detail = await pollUntil(
    async () => {
      const answer = await fetch(`${url}/api/traces/${traceId}`);
      return answer.status === 200 ? ((await answer.json()) as TraceDetail) : undefined;
    },
    (value) => value !== undefined && value.summary.spanCount === spanCount,
    20_000,
    `trace ${traceId} analysed with ${spanCount} spans`,
  );
  return detail!;
}

describe('span caps', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-span-caps-'));
  let collector: CollectorProcess;
  beforeAll(async () => {
    collector = await startCollectorProcess({ dataDir, args: ['--max-body-bytes', String(MAX_BODY_BYTES)] });
  });
  afterAll(async () => {
    await collector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps an oversized span, truncated, and says how much was cut in a 0-rejected partial success', async () => {
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: oversizedBody(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '0',
        errorMessage:
          'truncated: 1 values longer than 16384 characters, 172 attributes beyond 128 per span, 472 events beyond 128 per span',
      },
    });
    const detail = await analysed(collector.url, TRACE_ID);
    const attributes = detail.spans[0].attributes;
    expect(Object.keys(attributes).length).toBe(128);
    expect(attributes['gen_ai.prompt']).toBe(`${'x'.repeat(16_383)}…`);
    expect(attributes['extra.126']).toBe(126);
    expect(attributes['extra.127']).toBeUndefined();
  });

  it('takes a poison request (a 10 MiB service name, two 10 MiB keys) with a truncation notice, keeps only the capped values, and analysis goes on for it, its neighbours, later traces and after a restart', async () => {
    const poisonTrace = 'c0ffee00000000000000000000000002';
    const neighbours = ['c0ffee00000000000000000000000003', 'c0ffee00000000000000000000000004'];
    const poison = hostileRequest('s'.repeat(10 * MIB), [
      hostileSpan(poisonTrace, '00000000000000b1', [
        spanAttribute('k'.repeat(10 * MIB), textField(1, 'one')),
        spanAttribute('q'.repeat(10 * MIB), textField(1, 'two')),
      ]),
    ]);
    // Two ResourceSpans in one request: the poison one and a well-behaved one with two traces.
    const body = Buffer.concat([
      poison,
      hostileRequest(
        'neighbour',
        neighbours.map((traceId, index) => hostileSpan(traceId, `00000000000000c${index}`)),
      ),
    ]);

    const { status, answer } = await postProtobuf(collector.url, body, true);

    expect(status).toBe(200);
    expect(answer.partialSuccess?.errorMessage).toBe(
      'truncated: 1 service names longer than 256 characters, 2 attribute keys longer than 256 characters',
    );
    expect(Number(answer.partialSuccess?.rejectedSpans ?? 0)).toBe(0);

    const cappedService = `${'s'.repeat(255)}…`;
    const detail = await analysed(collector.url, poisonTrace);
    expect(detail.summary.service).toBe(cappedService);
    expect(detail.spans.map((span) => span.attributes)).toEqual([
      { 'gen_ai.operation.name': 'invoke_agent', [`${'k'.repeat(255)}…`]: 'one', [`${'q'.repeat(255)}…`]: 'two' },
    ]);
    for (const traceId of neighbours) expect((await analysed(collector.url, traceId)).summary.service).toBe('neighbour');
    const list = (await (await fetch(`${collector.url}/api/traces?limit=100`)).json()) as TraceList;
    expect(list.traces.filter((trace) => trace.traceId === poisonTrace).map((trace) => trace.service)).toEqual([cappedService]);
    const filters = (await (await fetch(`${collector.url}/api/filters`)).json()) as FiltersResponse;
    expect(filters.services).toContain(cappedService);
    expect(Math.max(...filters.services.map((service) => service.length))).toBeLessThanOrEqual(256);

    // A trace sent after it is analysed as usual.
    const after = 'c0ffee00000000000000000000000005';
    expect((await postProtobuf(collector.url, hostileRequest('after', [hostileSpan(after, '00000000000000d1')]))).status).toBe(200);
    expect((await analysed(collector.url, after)).summary.service).toBe('after');

    // After a restart, a late span makes the poison trace be read back from the store and analysed again: still capped.
    await collector.terminate();
    collector = await startCollectorProcess({ dataDir, port: collector.port, args: ['--max-body-bytes', String(MAX_BODY_BYTES)] });
    const late = hostileRequest('late', [{ ...hostileSpan(poisonTrace, '00000000000000b2'), startNs: BASE_NS + 10_000_000n }]);
    expect((await postProtobuf(collector.url, late)).status).toBe(200);
    const reanalysed = await analysed(collector.url, poisonTrace, 2);
    expect(reanalysed.summary.service).toBe(cappedService);
    expect(reanalysed.spans.map((span) => [span.spanId, Object.keys(span.attributes).map((key) => key.length)])).toEqual([
      ['00000000000000b1', [21, 256, 256]],
      ['00000000000000b2', [21]],
    ]);
  }, 120_000);

  it('keeps 4,096 items of a million-entry kvlist and of a three-million-item array, with a notice of what was cut', async () => {
    const kvlistTrace = 'c0ffee00000000000000000000000006';
    const arrayTrace = 'c0ffee00000000000000000000000007';
    const body = hostileRequest('lists', [
      hostileSpan(kvlistTrace, '00000000000000e1', [spanAttribute('big', kvlistOf(1_000_000))]),
      hostileSpan(arrayTrace, '00000000000000e2', [spanAttribute('many', arrayOf(3_000_000))]),
    ]);

    const { status, answer } = await postProtobuf(collector.url, body, true);

    expect(status).toBe(200);
    expect(answer.partialSuccess?.errorMessage).toBe('truncated: 3991808 list items beyond 4096 per span or 128 per event');
    const kvlist = (await analysed(collector.url, kvlistTrace)).spans[0].attributes.big as Record<string, number>;
    expect(Object.keys(kvlist).length).toBe(4_096);
    expect([kvlist.k0, kvlist.k4095]).toEqual([0, 4_095]);
    expect((await analysed(collector.url, arrayTrace)).spans[0].attributes.many).toEqual(new Array(4_096).fill(1));
  }, 120_000);

  it('rejects spans dated after 2100-01-01 (times up to 2554 arrive), one by one with the reason, and keeps the rest', async () => {
    const kept = 'c0ffee00000000000000000000000008';
    const future = 'c0ffee00000000000000000000000009';
    const span = (traceId: string, spanId: string, startNs: bigint, endNs: bigint) => ({
      traceId,
      spanId,
      name: 'step',
      startTimeUnixNano: String(startNs),
      endTimeUnixNano: String(endNs),
    });
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'clock' } }] },
          scopeSpans: [
            {
              spans: [
                span(kept, '00000000000000f1', BASE_NS, BASE_NS + 1_000_000n),
                span(kept, '00000000000000f2', BASE_NS, 18_446_744_073_709_551_615n), // ends in 2554
                span(future, '00000000000000f3', 4_133_980_800_000_000_000n, 4_133_980_800_500_000_000n), // 2101
              ],
            },
          ],
        },
      ],
    });

    const response = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: '2 spans rejected: time after 2100-01-01 (2)' },
    });
    expect((await analysed(collector.url, kept)).spans.map((record) => record.spanId)).toEqual(['00000000000000f1']);
    expect((await fetch(`${collector.url}/api/traces/${future}`)).status).toBe(404);
  });
});
