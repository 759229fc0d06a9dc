import { gzipSync } from 'node:zlib';
import { resolveOptions } from '@threshold/collector';
import type { HeldBody } from '../../collector/src/assembly/deferred-spans.js';
import { decodeTraceRequestProtobuf } from '../../collector/src/otlp/index.js';
import type { DueTrace } from '../../collector/src/assembly/trace-assembler.js';
import { analyseTrace } from '../../collector/src/pipeline/analyse-stage.js';
import { acquireAnalysisPool, AnalysisPool } from '../../collector/src/pipeline/analysis-pool.js';
import { compressForStorage } from '../../collector/src/store/raw-request-codec.js';
import type { Finding, ModelStats, StatsResponse, TraceAnalysis, TraceDetail, TraceList } from '@threshold/core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { STORE_ENGINES } from '../store/store-engines.js';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { ManualClock } from './manual-clock.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf, type JsonSpanPlan } from './otlp-json-body.js';
import { postProtobuf, protobufBody } from './otlp-protobuf-body.js';

/**
 * With `--workers N` the analyse stage (decoding the requests ingest only scanned, core's
 * analysis, rendering span views) runs on threads. Everything the API shows must be what the
 * event loop alone computes: the same traffic goes to a collector with two analysis threads and
 * to one with none, and every answer is compared whole.
 */
const QUIET_MS = 100;
const baseMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const agent = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'session-w' };
const tool = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' };
const chat = (output: number) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': 900,
  'gen_ai.usage.output_tokens': output,
});

/**
 *   0                                   1000 + n
 *   |task ....................................|
 *     50 |chat| 300
 *               300 |lookup| 600 + n
 *                            600 + n |chat| 900 + n
 */
const turn = (traceId: string, n: number): JsonSpanPlan[] => [
  { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 1000 + n, attributes: agent },
  { traceId, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'chat', startMs: 50, endMs: 300, attributes: chat(40) },
  { traceId, spanId: spanIdOf(3), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 300, endMs: 600 + n, attributes: tool },
  { traceId, spanId: spanIdOf(4), parentSpanId: spanIdOf(1), name: 'chat', startMs: 600 + n, endMs: 900 + n, attributes: chat(80 + n) },
];

/** A trace over the span cap (6 spans, the cap is 5). */
const wide = (traceId: string): JsonSpanPlan[] => [
  ...turn(traceId, 0),
  { traceId, spanId: spanIdOf(5), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 910, endMs: 950, attributes: tool },
  { traceId, spanId: spanIdOf(6), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 960, endMs: 990, attributes: tool },
];

const get = async <T>(url: string, path: string): Promise<T> => (await (await fetch(`${url}${path}`)).json()) as T;

/** Sends the same traffic, sweeping by the collector's clock: mixed requests, a trace split across formats, then a late span. */
async function sendTraffic(collector: TestCollector, clock: ManualClock): Promise<string[]> {
  const ids = Array.from({ length: 12 }, (_, i) => traceIdOf(0xa00 + i));
  // Three protobuf requests of three traces each (one body decoded per thread, or split across
  // two); the last one gzipped, held by the threads' collector as it came.
  for (let r = 0; r < 3; r++) {
    const plans = [0, 1, 2].flatMap((t) => turn(ids[3 * r + t], 10 * (3 * r + t)));
    const body = protobufBody('agent', baseMs, plans);
    expect(await postProtobuf(collector.url, body, { gzip: r === 2 })).toBe(200);
  }
  // A trace in protobuf, then JSON, then protobuf again; one in JSON only; one over the span cap.
  const [task, firstChat, lookup, secondChat] = turn(ids[9], 5);
  expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, [firstChat]))).toBe(200);
  expect((await postJson(collector.url, otlpJsonBody('agent', baseMs, [lookup]))).status).toBe(200);
  expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, [secondChat, task]))).toBe(200);
  expect((await postJson(collector.url, otlpJsonBody('agent', baseMs, turn(ids[10], 7)))).status).toBe(200);
  expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, wide(ids[11])))).toBe(200);
  clock.advance(QUIET_MS);
  await collector.collector.analysis.sweep();
  // A late span of a trace analysed moments ago: it is analysed again with all its spans.
  const late: JsonSpanPlan = {
    traceId: ids[0],
    spanId: spanIdOf(9),
    parentSpanId: spanIdOf(1),
    name: 'lookup',
    startMs: 920,
    endMs: 990,
    attributes: tool,
  };
  expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, [late]))).toBe(200);
  clock.advance(QUIET_MS);
  await collector.collector.analysis.sweep();
  return ids;
}

/** A request body as the store keeps it, and as trace assembly holds it for the threads: Brotli. */
const stored = (body: Uint8Array): HeldBody => compressForStorage({ format: 'protobuf', encoding: 'identity', bytes: body });

interface Answers {
  /** What `onAnalysed` listeners were given: every span view and every span's attributes. */
  heard: Array<{ traceId: string; views: string[]; attributes: unknown[] }>;
  /** Spans kept in memory for late spans. */
  recentSpans: number;
  list: TraceList;
  details: TraceDetail[];
  stats: StatsResponse;
  models: ModelStats[];
}

async function answers(url: string, ids: string[], heard: Answers['heard'], recentSpans: number): Promise<Answers> {
  const window = `from=${baseMs - 1_000}&to=${baseMs + 10_000}`;
  return {
    heard,
    recentSpans,
    list: await get<TraceList>(url, '/api/traces?limit=100&sort=startTimeMs&order=asc'),
    details: await Promise.all(ids.map((id) => get<TraceDetail>(url, `/api/traces/${id}`))),
    stats: await get<StatsResponse>(url, `/api/stats?${window}&groupBy=taskClass`),
    models: await get<ModelStats[]>(url, `/api/models?${window}`),
  };
}

describe.each(STORE_ENGINES)('analysis on worker threads ($engine.name)', ({ engine }) => {
  const started: TestCollector[] = [];
  beforeAll(() => engine.setUp(), 60_000);
  afterAll(() => engine.tearDown());
  afterEach(async () => {
    for (const collector of started.splice(0)) await collector.close();
  });

  /**
   * Who reads the analyses besides the built-in path: an `onAnalysed` listener (the default), a
   * findings provider given through the API, or nobody (then analyses made on a thread are never
   * made whole again, and what is stored must not change for it).
   */
  type Reader = 'listener' | 'findings provider' | 'none';

  async function run(workers: number, reader: Reader = 'listener'): Promise<{ answers: Answers; collector: TestCollector }> {
    const clock = new ManualClock();
    const heard: Answers['heard'] = [];
    const hear = (analysis: TraceAnalysis): void => {
      heard.push({
        traceId: analysis.traceId,
        views: analysis.spans.map((view) => view.spanId),
        attributes: analysis.traceSpans.map((span) => span.attributes),
      });
    };
    const collector = await startTestCollector({
      ...engine.collectorOptions(),
      quietPeriodMs: QUIET_MS,
      clock,
      analysisWorkers: workers,
      maxSpansPerTrace: 5,
      ...(reader === 'findings provider'
        ? {
            findingsProvider: (analysis: TraceAnalysis): Finding[] => {
              hear(analysis);
              return [];
            },
          }
        : {}),
    });
    started.push(collector);
    if (reader === 'listener') collector.collector.onAnalysed(hear);
    const ids = await sendTraffic(collector, clock);
    return { answers: await answers(collector.url, ids, heard, collector.collector.assembler.heldSpans.recent), collector };
  }

  test('two threads show exactly what the event loop alone shows', async () => {
    const inline = await run(0);
    const threads = await run(2);
    // One job per sweep: the twelve traces, then the one with the late span.
    expect(threads.collector.collector.analysis.poolJobs).toEqual({ onThreads: 2, inline: 0 });
    expect(inline.collector.collector.analysis.poolJobs).toBeUndefined();
    expect(threads.answers).toEqual(inline.answers);
    // The numbers themselves, so the comparison is not between two empty answers.
    const { list, details } = inline.answers;
    expect(list.total).toBe(12);
    // The late lookup (920–990 ms) runs after the last chat: 70 ms more tool time, 70 ms less of the task's own.
    expect(details[0].summary).toMatchObject({
      spanCount: 5,
      durationMs: 1000,
      breakdown: { llm: 550, tool: 370, state: 0, orchestration: 0, other: 80 },
    });
    expect(details[9].summary).toMatchObject({ spanCount: 4, durationMs: 1005 });
    expect(details[11].summary.spanCount).toBe(5); // 6 sent, the cap is 5
    expect(details.every((trace) => trace.spans.length >= 4)).toBe(true);
    // Listeners heard every trace whole (and the late one twice); late spans re-open traces from memory.
    expect(inline.answers.heard).toHaveLength(13);
    expect(inline.answers.heard[0].attributes[0]).toEqual(agent);
    // Ten 4-span traces, the one with its late span (5), the one over the cap (6 stored); ClickHouse is
    // shared by replicas, which may hold other spans of a trace: nothing is kept for late spans there.
    expect(inline.answers.recentSpans).toBe(engine.name === 'clickhouse' ? 0 : 4 * 10 + 5 + 6);
  });

  test('a findings provider given through the API reads every span view and attribute on threads, as on the event loop', async () => {
    const inline = await run(0, 'findings provider');
    const threads = await run(2, 'findings provider');
    expect(threads.answers.heard).toEqual(inline.answers.heard);
    expect(inline.answers.heard).toHaveLength(13);
    expect(inline.answers.heard[0].attributes[0]).toEqual(agent);
    expect(inline.answers.heard[0].views).toHaveLength(4);
  });

  test('with nobody reading spans, analyses made on threads are stored exactly as on the event loop', async () => {
    const inline = await run(0, 'none');
    const threads = await run(2, 'none');
    expect(threads.collector.collector.analysis.poolJobs).toEqual({ onThreads: 2, inline: 0 });
    expect(threads.answers).toEqual(inline.answers);
    expect(inline.answers.heard).toHaveLength(0);
    expect(inline.answers.list.total).toBe(12);
    expect(inline.answers.details.every((trace) => trace.spans.length >= 4 && trace.spans[0].attributes !== undefined)).toBe(true);
  });
});

describe('the analysis thread pool', () => {
  test('a thread lost in the middle of a job has the job run on the main thread, and is replaced', async () => {
    const settings = { maxSpansPerTrace: 50_000, taskClasses: resolveOptions({}).taskClasses };
    const body = protobufBody('agent', baseMs, [...turn(traceIdOf(0xb01), 0), ...turn(traceIdOf(0xb02), 20)]);
    // Compressed: the main thread decompresses it too when it runs the job.
    const held = stored(body);
    const due = (traceId: string): DueTrace => ({
      traceId,
      storedSpanCount: 4,
      replacesStored: false,
      spans: () => [],
      sources: () => [[], held],
    });
    const expected = [traceIdOf(0xb01), traceIdOf(0xb02)].map((traceId) => {
      const records = decodeTraceRequestProtobuf(body).spans.filter((span) => span.traceId === traceId);
      return JSON.parse(JSON.stringify(analyseTrace(records, settings).analysis.summary));
    });
    const pool = new AnalysisPool(1);
    const errors: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const answering = pool.analyse([due(traceIdOf(0xb01)), due(traceIdOf(0xb02))], settings);
      // The thread is ended before it can answer: the job was posted synchronously.
      await (pool as unknown as { threads: Array<{ worker: { terminate(): Promise<number> } }> }).threads[0].worker.terminate();
      const lost = await answering;
      expect(lost.map((result) => result?.analysis.summary)).toEqual(expected);
      expect(pool.jobs).toEqual({ onThreads: 0, inline: 1 });
      expect(errors).toHaveLength(1);
      const again = await pool.analyse([due(traceIdOf(0xb02))], settings);
      expect(again.map((result) => result?.analysis.summary)).toEqual([expected[1]]);
      expect(pool.jobs).toEqual({ onThreads: 1, inline: 1 });
    } finally {
      console.error = originalError;
      await pool.close();
    }
  });

  test('a batch is cut into jobs of at most 100 consecutive traces, answered in the order of the batch', async () => {
    const settings = { maxSpansPerTrace: 50_000, taskClasses: resolveOptions({}).taskClasses };
    const ids = Array.from({ length: 250 }, (_, i) => traceIdOf(0xc00 + i));
    // Requests of 25 traces, as exporters batch them, held as Brotli, as the gzip they came in, or decompressed.
    const bodies = Array.from({ length: 10 }, (_, r): HeldBody => {
      const body = protobufBody(
        'agent',
        baseMs,
        ids.slice(25 * r, 25 * r + 25).flatMap((id, i) => turn(id, i)),
      );
      return r % 3 === 0 ? stored(body) : r % 3 === 1 ? { encoding: 'gzip', bytes: gzipSync(body) } : { encoding: 'identity', bytes: body };
    });
    const due = ids.map((traceId, i): DueTrace => ({
      traceId,
      storedSpanCount: 4,
      replacesStored: false,
      spans: () => [],
      sources: () => [[], bodies[Math.floor(i / 25)]],
    }));
    const pool = new AnalysisPool(2);
    try {
      const results = await pool.analyse(due, settings);
      expect(results.map((result) => result?.analysis.summary.traceId)).toEqual(ids);
      expect(results.map((result) => result?.analysis.summary.durationMs)).toEqual(ids.map((_, i) => 1000 + (i % 25)));
      expect(pool.jobs).toEqual({ onThreads: 3, inline: 0 });
    } finally {
      await pool.close();
    }
  });

  test('one pool of N threads serves every collector of the process (every project), closed by the last to let go', async () => {
    const first = acquireAnalysisPool(3);
    const second = acquireAnalysisPool(3);
    expect(second.pool).toBe(first.pool);
    await first.release();
    await first.release(); // twice is once
    const third = acquireAnalysisPool(3);
    expect(third.pool).toBe(first.pool);
    await second.release();
    await third.release();
    const after = acquireAnalysisPool(3);
    expect(after.pool).not.toBe(first.pool);
    await after.release();
  });
});
