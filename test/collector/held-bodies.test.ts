import { gzipSync } from 'node:zlib';
import type { TraceList } from '@threshold/core';
import { afterEach, describe, expect, test } from 'vitest';
import type { HeldBody } from '../../collector/src/assembly/deferred-spans.js';
import { TraceAssembler } from '../../collector/src/assembly/trace-assembler.js';
import { decodeTraceRequestProtobuf } from '../../collector/src/otlp/index.js';
import { decodeHeldBody } from '../../collector/src/pipeline/analysis-job.js';
import { compressForStorage } from '../../collector/src/store/raw-request-codec.js';
import type { IngestBatch, RawRequest } from '../../collector/src/store/span-log.js';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { ManualClock } from './manual-clock.js';
import { spanIdOf, traceIdOf, type JsonSpanPlan } from './otlp-json-body.js';
import { postProtobuf, protobufBody } from './otlp-protobuf-body.js';

/**
 * With analysis threads, trace assembly holds each request ingest only scanned as the store keeps
 * it (Brotli, or the gzip it came in) until its traces are analysed, and the threads decompress
 * it; on the event loop alone it holds the decompressed body. What is held must decode to exactly
 * the request's spans either way.
 */
const baseMs = Date.UTC(2026, 11, 1);
const plans = (traceId: string): JsonSpanPlan[] => [
  { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 1000, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
  {
    traceId,
    spanId: spanIdOf(2),
    parentSpanId: spanIdOf(1),
    name: 'chat',
    startMs: 50,
    endMs: 900,
    attributes: { 'gen_ai.operation.name': 'chat' },
  },
];
const first = traceIdOf(0xe1);
const second = traceIdOf(0xe2);
const body = protobufBody('agent', baseMs, [...plans(first), ...plans(second)]);

/** A committed protobuf request of the two traces, its stored form `request`, as ingest hands it over. */
const batch = (request: RawRequest): IngestBatch => ({
  traceSpanCounts: new Map([
    [first, 2],
    [second, 2],
  ]),
  spanCount: 4,
  body,
  request,
});

function assembler(holdStored: boolean): TraceAssembler {
  return new TraceAssembler({
    store: {
      shared: false,
      loadTraceSpans: () => Promise.resolve(new Map()),
      pendingTraceIds: () => Promise.resolve([]),
      analysedTraceIds: () => Promise.resolve(new Set()),
    },
    decodeScanned: decodeHeldBody,
    holdStored,
    quietPeriodMs: 100,
    clock: new ManualClock(),
    recentWindowMs: 60_000,
    maxRecentSpans: 1_000,
    maxPendingSpans: 1_000,
  });
}

/** What each due trace's analysis is given (after its decoded spans, none here): one held body each. */
function heldBodies(held: TraceAssembler): HeldBody[] {
  return held.takeDue(10, true).map((trace) => {
    const [decoded, ...bodies] = trace.sources();
    expect(decoded).toEqual([]);
    expect(bodies).toHaveLength(1);
    return bodies[0] as HeldBody;
  });
}

describe('request bodies held until their traces are analysed', () => {
  test('for analysis threads, a request the store compressed is held compressed, once for all its traces', () => {
    const stored = compressForStorage({ format: 'protobuf', encoding: 'identity', bytes: body });
    expect(stored.encoding).toBe('br');
    const held = assembler(true);
    held.add([batch(stored)]);
    const [firstBody, secondBody] = heldBodies(held);
    expect(firstBody).toBe(secondBody);
    expect(firstBody.encoding).toBe('br');
    expect(firstBody.bytes).toBe(stored.bytes);
    expect(firstBody.bytes.length).toBeLessThan(body.length);
    expect(decodeHeldBody(firstBody)).toEqual(decodeTraceRequestProtobuf(body).spans);
  });

  test('a gzip request is held as it came', () => {
    const wire = gzipSync(body);
    const held = assembler(true);
    held.add([batch({ format: 'protobuf', encoding: 'gzip', bytes: wire })]);
    const [heldBody] = heldBodies(held);
    expect(heldBody).toEqual({ encoding: 'gzip', bytes: wire });
    expect(decodeHeldBody(heldBody)).toEqual(decodeTraceRequestProtobuf(body).spans);
  });

  test('without threads, or when the store kept the request uncompressed, the decompressed body is held', () => {
    const stored = compressForStorage({ format: 'protobuf', encoding: 'identity', bytes: body });
    const onEventLoop = assembler(false);
    onEventLoop.add([batch(stored)]);
    const uncompressed = assembler(true);
    uncompressed.add([batch({ format: 'protobuf', encoding: 'identity', bytes: body })]);
    for (const held of [onEventLoop, uncompressed]) {
      const [heldBody] = heldBodies(held);
      expect(heldBody.encoding).toBe('identity');
      expect(heldBody.bytes).toBe(body);
    }
  });

  test('the spans of a held body, decoded on the event loop when a trace needs them there, are the same', () => {
    const held = assembler(true);
    held.add([batch(compressForStorage({ format: 'protobuf', encoding: 'identity', bytes: body }))]);
    const due = held.takeDue(10, true);
    expect(due.map((trace) => trace.spans().map((span) => span.spanId))).toEqual([
      [spanIdOf(1), spanIdOf(2)],
      [spanIdOf(1), spanIdOf(2)],
    ]);
    expect(due[1].spans()).toEqual(decodeTraceRequestProtobuf(body).spans.filter((span) => span.traceId === second));
  });
});

describe('what a collector holds of the requests it acknowledged', () => {
  let collector: TestCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  test.each([
    { workers: 1, held: ['br', 'gzip'] },
    { workers: 0, held: ['identity', 'identity'] },
  ])('analysis threads: $workers; bodies held: $held; the traces analysed all the same', async ({ workers, held }) => {
    const clock = new ManualClock();
    collector = await startTestCollector({ quietPeriodMs: 100, clock, analysisWorkers: workers });
    expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, plans(first)))).toBe(200);
    expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, plans(second)), { gzip: true })).toBe(200);
    const { assembler } = collector.collector;
    const due = assembler.takeDue(10, true);
    expect(due.map((trace) => trace.traceId)).toEqual([first, second]);
    expect(due.map((trace) => (trace.sources()[1] as HeldBody).encoding)).toEqual(held);
    // Handed back unanalysed: the next sweep takes them from the store, as after any failed save.
    assembler.finished(due, false);
    clock.advance(100);
    await collector.collector.analysis.sweep();
    const list = (await (await fetch(`${collector.url}/api/traces?limit=10`)).json()) as TraceList;
    expect(list.traces.map((trace) => [trace.traceId, trace.spanCount, trace.durationMs]).sort()).toEqual([
      [first, 2, 1000],
      [second, 2, 1000],
    ]);
  });
});
