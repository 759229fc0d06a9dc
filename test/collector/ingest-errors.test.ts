import { gzipSync } from 'node:zlib';
import { DuckDbStore, decodeStoredRequest, type TraceStore } from '@threshold/collector';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf } from './otlp-json-body.js';

const MAX_BODY_BYTES = 64 * 1024;

async function post(url: string, body: Uint8Array | string, headers: Record<string, string>) {
  const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers, body });
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}

describe('POST /v1/traces refuses bad input with the OTLP status codes', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ maxBodyBytes: MAX_BODY_BYTES });
  });
  afterAll(() => collector.close());

  test('garbage protobuf is a 400 google.rpc.Status in protobuf', async () => {
    const answer = await post(collector.url, Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), {
      'content-type': 'application/x-protobuf',
    });
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('application/x-protobuf');
    expect(answer.body[0]).toBe(0x08); // field 1 (code), varint
    expect(answer.body[1]).toBe(3); // INVALID_ARGUMENT
  });

  test('invalid JSON is a 400 google.rpc.Status in JSON', async () => {
    const answer = await post(collector.url, '{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/json/);
    const status = JSON.parse(answer.body.toString()) as { code: number; message: string; details: unknown[] };
    expect(status.code).toBe(3);
    expect(status.message.length).toBeGreaterThan(0);
  });

  test('a content type other than protobuf or JSON is a 415', async () => {
    const answer = await post(collector.url, 'hello', { 'content-type': 'text/plain' });
    expect(answer.status).toBe(415);
  });

  test('an unknown content encoding is a 415', async () => {
    const answer = await post(collector.url, '{}', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(answer.status).toBe(415);
  });

  test('a body over the cap is a 413', async () => {
    const answer = await post(collector.url, 'x'.repeat(MAX_BODY_BYTES + 1), { 'content-type': 'application/json' });
    expect(answer.status).toBe(413);
  });

  test('a gzip bomb is a 413 although its compressed size is far under the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    const answer = await post(collector.url, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(answer.status).toBe(413);
    expect((await fetch(`${collector.url}/api/health`)).status).toBe(200);
  });

  test('corrupt gzip is a 400', async () => {
    const answer = await post(collector.url, Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(answer.status).toBe(400);
  });

  test('gzip JSON within the cap is accepted', async () => {
    const body = otlpJsonBody('gz', Date.now() - 5_000, [
      { traceId: traceIdOf(0x9a), spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 40 },
    ]);
    const answer = await post(collector.url, gzipSync(body), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect([answer.status, answer.body.toString()]).toEqual([200, '{}']);
  });

  test('spans rejected one by one give partialSuccess while the rest are stored', async () => {
    const traceId = traceIdOf(0x51);
    const body = otlpJsonBody('partial', Date.now() - 10_000, [
      { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 300 },
      { traceId, spanId: 'not-hex', parentSpanId: spanIdOf(1), name: 'bad id', startMs: 10, endMs: 20 },
      { traceId, spanId: spanIdOf(3), parentSpanId: spanIdOf(1), name: 'backwards', startMs: 50, endMs: 40 },
    ]);
    const answer = await postJson(collector.url, body);
    expect(answer).toEqual({
      status: 200,
      answer: {
        partialSuccess: { rejectedSpans: '2', errorMessage: '2 spans rejected: invalid span id (1), end before start (1)' },
      },
    });
    const list = await waitForTraces(collector.url, 1, { query: 'service=partial' });
    expect(list.traces.map((trace) => [trace.traceId, trace.spanCount, trace.durationMs])).toEqual([[traceId, 1, 300]]);
  });
});

describe('a full ingest queue', () => {
  test('answers 503 with Retry-After while the store is busy, then accepts again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const collector = await startTestCollector({
      maxQueuedSpans: 2,
      openStore: async (options) => {
        const real = await DuckDbStore.open(options.dataDir, { taskClasses: options.taskClasses, decodeRequest: decodeStoredRequest });
        const gated: TraceStore = Object.create(real);
        gated.appendBatches = async (batches) => {
          await gate;
          return real.appendBatches(batches);
        };
        return gated;
      },
    });
    try {
      const baseMs = Date.now() - 1_000;
      const first = postJson(
        collector.url,
        otlpJsonBody('queue', baseMs, [
          { traceId: traceIdOf(1), spanId: spanIdOf(1), name: 'a', startMs: 0, endMs: 1 },
          { traceId: traceIdOf(1), spanId: spanIdOf(2), name: 'b', startMs: 0, endMs: 1 },
        ]),
      );
      await expect
        .poll(async () => ((await (await fetch(`${collector.url}/api/health`)).json()) as { ingestQueueDepth: number }).ingestQueueDepth)
        .toBe(2);
      const sentAt = performance.now();
      const refused = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: otlpJsonBody('queue', baseMs, [{ traceId: traceIdOf(2), spanId: spanIdOf(3), name: 'c', startMs: 0, endMs: 1 }]),
      });
      const waitedS = (performance.now() - sentAt) / 1000;
      expect([refused.status, ((await refused.json()) as { code: number }).code]).toEqual([503, 14]);
      // It waited 2 s for room, then is told 1 s plus how long the queue has been full.
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(3);
      expect(retryAfter).toBeLessThanOrEqual(1 + Math.ceil(waitedS));
      release();
      expect(await first).toEqual({ status: 200, answer: {} });
    } finally {
      release();
      await collector.close();
    }
  });
});
