import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf } from './otlp-json-body.js';

/**
 * One session, two turns (ms after each turn's start):
 *
 *   turn 1   0                                         2000
 *            |task ......................................|
 *            |chat gpt-4o (streamed, TTFT 200, 41 tokens)| 1000     41 chunks, longest pause 120
 *                                  1000 |search (cached)| 1500
 *                                                   1500 |load session| 1600
 *
 *   turn 2   0                      1000
 *            |task ...................|
 *            |chat gpt-4o-mini| 500
 *                         500 |search (cold)| 900
 */
const baseMs = Math.floor(Date.now() / 60_000) * 60_000 - 600_000;
const turn1 = traceIdOf(0x101);
const turn2 = traceIdOf(0x102);
const task = (turn: number) => ({
  'gen_ai.operation.name': 'invoke_agent',
  'gen_ai.conversation.id': 'sess-1',
  'threshold.turn': turn,
});

const get = async (url: string, path: string) => (await fetch(`${url}${path}`)).json();

describe('the dashboard views', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector();
    const first = otlpJsonBody('views', baseMs, [
      { traceId: turn1, spanId: spanIdOf(1), name: 'answer', startMs: 0, endMs: 2000, attributes: task(1) },
      {
        traceId: turn1,
        spanId: spanIdOf(2),
        parentSpanId: spanIdOf(1),
        name: 'chat gpt-4o',
        startMs: 0,
        endMs: 1000,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.stream': true,
          'gen_ai.response.time_to_first_chunk': 0.2,
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.output_tokens': 41,
          'threshold.llm.chunks': 41,
          'threshold.llm.max_chunk_gap_ms': 120,
          'threshold.llm.max_chunk_gap_start_ms': 400,
        },
      },
      {
        traceId: turn1,
        spanId: spanIdOf(3),
        parentSpanId: spanIdOf(1),
        name: 'execute_tool search',
        startMs: 1000,
        endMs: 1500,
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search', 'threshold.tool.cache_hit': true },
      },
      {
        traceId: turn1,
        spanId: spanIdOf(4),
        parentSpanId: spanIdOf(1),
        name: 'load session',
        startMs: 1500,
        endMs: 1600,
        attributes: { 'threshold.category': 'state', 'threshold.state.operation': 'load' },
      },
    ]);
    const second = otlpJsonBody('views', baseMs + 10_000, [
      { traceId: turn2, spanId: spanIdOf(1), name: 'answer', startMs: 0, endMs: 1000, attributes: task(2) },
      {
        traceId: turn2,
        spanId: spanIdOf(2),
        parentSpanId: spanIdOf(1),
        name: 'chat gpt-4o-mini',
        startMs: 0,
        endMs: 500,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.provider.name': 'openai',
          'gen_ai.usage.input_tokens': 300,
          'gen_ai.usage.output_tokens': 10,
        },
      },
      {
        traceId: turn2,
        spanId: spanIdOf(3),
        parentSpanId: spanIdOf(1),
        name: 'execute_tool search',
        startMs: 500,
        endMs: 900,
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search', 'threshold.tool.cold_start': true },
      },
    ]);
    expect((await postJson(collector.url, first)).status).toBe(200);
    expect((await postJson(collector.url, second)).status).toBe(200);
    await waitForTraces(collector.url, 2);
  });
  afterAll(() => collector.close());

  test('models: calls, streaming rate, TTFT, TPOT and longest-pause percentiles, tokens per model', async () => {
    expect(await get(collector.url, '/api/models')).toEqual({
      models: [
        {
          model: 'gpt-4o',
          provider: 'openai',
          calls: 1,
          streamingRate: 1,
          ttft: { p50Ms: 200, p95Ms: 200, p99Ms: 200 },
          tpot: { p50Ms: 20, p95Ms: 20, p99Ms: 20 },
          duration: { p50Ms: 1000, p95Ms: 1000, p99Ms: 1000 },
          maxChunkGap: { p50Ms: 120, p95Ms: 120, p99Ms: 120 },
          inputTokens: 100,
          outputTokens: 41,
        },
        {
          model: 'gpt-4o-mini',
          provider: 'openai',
          calls: 1,
          streamingRate: 0,
          ttft: null,
          tpot: null,
          duration: { p50Ms: 500, p95Ms: 500, p99Ms: 500 },
          maxChunkGap: null,
          inputTokens: 300,
          outputTokens: 10,
        },
      ],
    });
  });

  test('operations: tools with cache and cold-start rates, state operations by name', async () => {
    // search took 500 and 400 ms: P50 450, P95 400 + 0.95 × 100, P99 400 + 0.99 × 100.
    const answer = (await get(collector.url, '/api/operations')) as { operations: Array<Record<string, unknown>> };
    expect(answer.operations.map(({ duration, ...rest }) => rest)).toEqual([
      { category: 'tool', name: 'search', calls: 2, errorRate: 0, cacheHitRate: 0.5, coldStartRate: 0.5 },
      { category: 'state', name: 'load session', calls: 1, errorRate: 0 },
    ]);
    const search = answer.operations[0].duration as { p50Ms: number; p95Ms: number; p99Ms: number };
    expect(search.p50Ms).toBe(450);
    expect(search.p95Ms).toBeCloseTo(495, 9);
    expect(search.p99Ms).toBeCloseTo(499, 9);
    expect(await get(collector.url, '/api/operations?category=state')).toEqual({
      operations: [{ category: 'state', name: 'load session', calls: 1, errorRate: 0, duration: { p50Ms: 100, p95Ms: 100, p99Ms: 100 } }],
    });
  });

  test('sessions: one row per session and its turns in order', async () => {
    expect(await get(collector.url, '/api/sessions')).toEqual({
      sessions: [
        {
          sessionId: 'sess-1',
          service: 'views',
          turns: 2,
          firstStartTimeMs: baseMs,
          lastStartTimeMs: baseMs + 10_000,
          p50Ms: 1500,
          maxMs: 2000,
          lastInputTokens: 300,
        },
      ],
      total: 1,
    });
    expect(await get(collector.url, '/api/sessions/sess-1')).toEqual({
      sessionId: 'sess-1',
      turns: [
        { traceId: turn1, turn: 1, startTimeMs: baseMs, durationMs: 2000, perceivedMs: 200, inputTokens: 100, llmCalls: 1 },
        { traceId: turn2, turn: 2, startTimeMs: baseMs + 10_000, durationMs: 1000, perceivedMs: 1000, inputTokens: 300, llmCalls: 1 },
      ],
    });
    expect((await fetch(`${collector.url}/api/sessions/nope`)).status).toBe(404);
  });

  test('time series: one bucket holding both turns, with its budget', async () => {
    const answer = (await get(collector.url, `/api/timeseries?from=${baseMs}&to=${baseMs + 60_000}&bucketMs=60000`)) as {
      bucketMs: number;
      series: Array<{ key: string; budgetMs: number; points: Array<Record<string, number | boolean>> }>;
    };
    expect(answer.bucketMs).toBe(60_000);
    expect(answer.series.map((series) => [series.key, series.budgetMs, series.points.length])).toEqual([['simple', 2000, 1]]);
    const [point] = answer.series[0].points;
    expect([point.t, point.count, point.p50Ms, point.overBudget]).toEqual([baseMs, 2, 1500, false]);
    expect(point.p95Ms).toBeCloseTo(1950, 9);
    expect(point.p99Ms).toBeCloseTo(1990, 9);
    expect(point.perceivedP99Ms).toBeCloseTo(992, 9);
  });

  test('filters: services, task classes and their budgets', async () => {
    expect(await get(collector.url, '/api/filters')).toEqual({
      services: ['views'],
      taskClasses: ['complex', 'simple'],
      budgetsMs: { simple: 2000, complex: 5000 },
      moreServices: false,
      moreTaskClasses: false,
    });
  });

  test('the trace list filters by session', async () => {
    const list = (await get(collector.url, '/api/traces?sessionId=sess-1')) as {
      total: number;
      traces: Array<{ traceId: string; sessionId: string }>;
    };
    expect([list.total, list.traces.map((trace) => [trace.traceId, trace.sessionId])]).toEqual([
      2,
      [
        [turn2, 'sess-1'],
        [turn1, 'sess-1'],
      ],
    ]);
  });
});
