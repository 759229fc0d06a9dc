import { analyseRecords, type SpanRecord, type TraceSortKey } from '@threshold/core';
import type { TraceStore } from '@threshold/collector';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector } from '../support/collector-harness.js';
import { STORE_ENGINES } from './store-engines.js';

const BASE_NS = 1_700_000_000_000n * 1_000_000n;

/** One root task span: `id` names the trace, started `startMs` after the base, lasting `durationMs`. */
function task(id: string, startMs: number, durationMs: number, name: string, sessionId?: string): SpanRecord {
  const startNs = BASE_NS + BigInt(startMs) * 1_000_000n;
  return {
    traceId: id.repeat(32),
    spanId: id.repeat(16),
    name,
    kind: 1,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + BigInt(durationMs) * 1_000_000n,
    statusCode: 0,
    service: 'svc',
    attributes: { 'gen_ai.operation.name': 'invoke_agent', ...(sessionId ? { 'gen_ai.conversation.id': sessionId } : {}) },
    events: [],
  };
}

/**
 * Newest first (start 40, 30, 20, 10 ms after the base): a, b, c, d.
 *   a  plan      300 ms   responsive   session s2
 *   b  answer 12000 ms    broken
 *   c  classify  300 ms   responsive   session s1
 *   d  answer   2500 ms   frustrating
 */
const TASKS = [
  task('a', 40, 300, 'plan', 's2'),
  task('b', 30, 12_000, 'answer'),
  task('c', 20, 300, 'classify', 's1'),
  task('d', 10, 2_500, 'answer'),
];

const ORDERS: Array<[TraceSortKey | undefined, 'asc' | 'desc' | undefined, string[]]> = [
  [undefined, undefined, ['a', 'b', 'c', 'd']],
  ['startTimeMs', 'asc', ['d', 'c', 'b', 'a']],
  // ties keep newest first
  ['durationMs', 'desc', ['b', 'd', 'a', 'c']],
  ['durationMs', 'asc', ['a', 'c', 'd', 'b']],
  // bands by severity, not by name
  ['band', 'desc', ['b', 'd', 'a', 'c']],
  ['name', 'asc', ['b', 'd', 'c', 'a']],
  // tasks without a session first
  ['sessionId', 'asc', ['b', 'd', 'c', 'a']],
  ['overBudget', 'desc', ['b', 'd', 'a', 'c']],
];

describe.each(STORE_ENGINES)('trace list order on the $engine.name store', ({ engine }) => {
  let store: TraceStore;
  beforeAll(async () => {
    await engine.setUp();
    store = await engine.openStore();
    await store.saveAnalyses(
      TASKS.map((span) => ({ analysis: analyseRecords([span]), findings: [], analysedSpanCount: 1, replacesStored: false })),
    );
  });
  afterAll(async () => {
    await store.close();
    await engine.tearDown();
  });

  test.each(ORDERS)('sort %s %s lists %j', async (sort, order, expected) => {
    const list = await store.listTraces({ sort, order, limit: 10, offset: 0 });
    expect(list.traces.map((trace) => trace.traceId[0])).toEqual(expected);
    expect(list.total).toBe(4);
  });

  test('pages follow one order over every match', async () => {
    const pages = [0, 2].map((offset) => store.listTraces({ sort: 'durationMs', order: 'asc', limit: 2, offset }));
    expect((await Promise.all(pages)).flatMap((page) => page.traces.map((trace) => trace.traceId[0]))).toEqual(['a', 'c', 'd', 'b']);
  });

  test('a page past the end is empty and still counts every match', async () => {
    expect(await store.listTraces({ sort: 'durationMs', order: 'asc', limit: 2, offset: 4 })).toEqual({ traces: [], total: 4 });
    expect((await store.listTraces({ limit: 2, offset: 0, service: 'no-such-service' })).total).toBe(0);
  });
});

describe('GET /api/traces sort parameters', () => {
  test('an unknown sort or order is a 400 naming the allowed values', async () => {
    const collector = await startTestCollector();
    try {
      const badSort = await fetch(`${collector.url}/api/traces?sort=trace_id;drop`);
      expect(badSort.status).toBe(400);
      expect(((await badSort.json()) as { error: string }).error).toBe(
        'sort must be one of startTimeMs, name, service, taskClass, durationMs, perceivedMs, band, overBudget, llmCalls, toolCalls, sessionId, got "trace_id;drop"',
      );
      const badOrder = await fetch(`${collector.url}/api/traces?sort=durationMs&order=up`);
      expect(badOrder.status).toBe(400);
      expect(((await badOrder.json()) as { error: string }).error).toBe('order must be one of asc, desc, got "up"');
    } finally {
      await collector.close();
    }
  });
});
