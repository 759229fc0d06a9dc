import {
  analyseRecords,
  criticalOperations,
  percentile,
  type CriticalPathResponse,
  type SpanRecord,
  type TraceAnalysis,
} from '@threshold/core';
import type { AnalysedTrace } from '@threshold/collector';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { otlpJsonBody, postJson } from '../collector/otlp-json-body.js';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { agentWorkload, ingestBatch, traceBody } from './agent-workload.js';
import { STORE_ENGINES, setUpStoreEngines } from './store-engines.js';
import { tailWorkload } from './tail-workload.js';

setUpStoreEngines();

const baseMs = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const getJson = async <T>(url: string, path: string, status = 200): Promise<T> => {
  const response = await fetch(`${url}${path}`);
  expect([path, response.status]).toEqual([path, status]);
  return (await response.json()) as T;
};

/**
 * The answer computed from core's analyses alone: R-7 thresholds over the window's durations, and
 * per operation the sums of core's `criticalOperations` in each group, divided by the group size.
 */
function reference(analyses: readonly TraceAnalysis[], tail: number): CriticalPathResponse {
  const durations = analyses.map((analysis) => analysis.summary.durationMs);
  const tailMs = percentile(durations, tail / 100);
  const p50Ms = percentile(durations, 0.5);
  const inTail = analyses.filter((analysis) => analysis.summary.durationMs >= tailMs);
  const typical = analyses.filter((analysis) => analysis.summary.durationMs <= p50Ms);
  const operations = new Map<
    string,
    { category: string; name: string; tail: number; typical: number; seen: number; examples: Array<[number, string]> }
  >();
  const visit = (group: readonly TraceAnalysis[], into: 'tail' | 'typical') => {
    for (const analysis of group) {
      for (const operation of criticalOperations(analysis)) {
        const key = `${operation.category}/${operation.name}`;
        const entry = operations.get(key) ?? {
          category: operation.category,
          name: operation.name,
          tail: 0,
          typical: 0,
          seen: 0,
          examples: [],
        };
        entry[into] += operation.criticalMs;
        if (into === 'tail') {
          entry.seen++;
          entry.examples.push([operation.criticalMs, analysis.traceId]);
        }
        operations.set(key, entry);
      }
    }
  };
  visit(inTail, 'tail');
  visit(typical, 'typical');
  return {
    tail: { percentile: tail, thresholdMs: tailMs, traces: inTail.length },
    typical: { traces: typical.length },
    operations: [...operations.values()]
      .map((entry) => {
        const tailMeanCriticalMs = entry.tail / inTail.length;
        const typicalMeanCriticalMs = entry.typical / typical.length;
        return {
          category: entry.category as CriticalPathResponse['operations'][number]['category'],
          name: entry.name,
          tailMeanCriticalMs,
          typicalMeanCriticalMs,
          excessMs: tailMeanCriticalMs - typicalMeanCriticalMs,
          tailCriticalRate: entry.seen / inTail.length,
          exampleTraceIds: entry.examples
            .sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1))
            .slice(0, 3)
            .map(([, traceId]) => traceId),
        };
      })
      .sort((a, b) => b.excessMs - a.excessMs || (a.category < b.category ? -1 : a.category > b.category ? 1 : a.name < b.name ? -1 : 1)),
  };
}

/** Numbers to 12 significant digits: the engines and the reference sum in different orders. */
const toTwelveDigits = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'number' ? Number(item.toPrecision(12)) : item));

describe.each(STORE_ENGINES)('GET /api/critical-path on $engine.name', ({ engine }) => {
  const { tasks, tailA, tailB } = tailWorkload();
  const startOf = (index: number) => baseMs + index * 1_000;
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector(engine.collectorOptions());
    for (const [index, task] of tasks.entries()) {
      expect((await postJson(collector.url, otlpJsonBody('support', startOf(index), task.spans))).status).toBe(200);
    }
    await waitForTraces(collector.url, tasks.length);
  });
  afterAll(() => collector.close());

  test('names what holds the tail’s critical path and how much longer than in typical tasks', async () => {
    // Tail {A, B}; typical: the eleven fastest. Search: (3000 + 200) / 2 against (100 + … + 200) / 11 = 150;
    // the task's own time: (150 + 100) / 2 against 150; gpt-4o 700 in every task (a tie: the larger id first).
    const [first, second] = [tailA.traceId, tailB.traceId].sort();
    expect(await getJson(collector.url, '/api/critical-path')).toEqual({
      tail: { percentile: 95, thresholdMs: 3_000, traces: 2 },
      typical: { traces: 11 },
      operations: [
        {
          category: 'tool',
          name: 'search',
          tailMeanCriticalMs: 1_600,
          typicalMeanCriticalMs: 150,
          excessMs: 1_450,
          tailCriticalRate: 1,
          exampleTraceIds: [tailA.traceId, tailB.traceId],
        },
        {
          category: 'orchestration',
          name: 'rate-limit wait',
          tailMeanCriticalMs: 1_000,
          typicalMeanCriticalMs: 0,
          excessMs: 1_000,
          tailCriticalRate: 0.5,
          exampleTraceIds: [tailB.traceId],
        },
        {
          category: 'llm',
          name: 'gpt-4o',
          tailMeanCriticalMs: 700,
          typicalMeanCriticalMs: 700,
          excessMs: 0,
          tailCriticalRate: 1,
          exampleTraceIds: [second, first],
        },
        {
          category: 'other',
          name: 'answer-ticket',
          tailMeanCriticalMs: 125,
          typicalMeanCriticalMs: 150,
          excessMs: -25,
          tailCriticalRate: 1,
          exampleTraceIds: [tailA.traceId, tailB.traceId],
        },
        {
          category: 'state',
          name: 'load session',
          tailMeanCriticalMs: 25,
          typicalMeanCriticalMs: 50,
          excessMs: -25,
          tailCriticalRate: 0.5,
          exampleTraceIds: [tailA.traceId],
        },
      ],
    });
  });

  test('takes its thresholds over the window and filters asked for', async () => {
    // From the 12th task on: 1200…1900, 3000, 3900. P95 = 3000 + 0.55 × 900 leaves A alone; P50 = 1650.
    const window = `from=${startOf(11)}&to=${startOf(21) + 1}`;
    const windowed = await getJson<CriticalPathResponse>(
      collector.url,
      `/api/critical-path?${window}&service=support&taskClass=support-answer&name=answer-ticket`,
    );
    const durations = [1_200, 1_300, 1_400, 1_500, 1_600, 1_700, 1_800, 1_900, 3_000, 3_900];
    expect(windowed.tail).toEqual({ percentile: 95, thresholdMs: percentile(durations, 0.95), traces: 1 });
    expect(windowed.typical).toEqual({ traces: 5 });
    expect(windowed.operations.map(({ category, name, excessMs, exampleTraceIds }) => [category, name, excessMs, exampleTraceIds])).toEqual(
      [
        ['tool', 'search', 3_000 - 500, [tailA.traceId]],
        ['llm', 'gpt-4o', 0, [tailA.traceId]],
        ['other', 'answer-ticket', 0, [tailA.traceId]],
        ['state', 'load session', 0, [tailA.traceId]],
      ],
    );
    // P50 as the tail: the slower half, the eleventh task (1100) in both groups.
    const half = await getJson<CriticalPathResponse>(collector.url, '/api/critical-path?tail=50');
    expect([half.tail, half.typical]).toEqual([{ percentile: 50, thresholdMs: 1_100, traces: 11 }, { traces: 11 }]);
    // The slowest task alone.
    const slowest = await getJson<CriticalPathResponse>(collector.url, '/api/critical-path?tail=100');
    expect([slowest.tail, slowest.operations[0].name, slowest.operations[0].exampleTraceIds]).toEqual([
      { percentile: 100, thresholdMs: 3_900, traces: 1 },
      'search',
      [tailA.traceId],
    ]);
  });

  test('answers an empty window with no threshold and no operations', async () => {
    const empty = { tail: { percentile: 95, thresholdMs: null, traces: 0 }, typical: { traces: 0 }, operations: [] };
    expect(await getJson(collector.url, '/api/critical-path?taskClass=elsewhere')).toEqual(empty);
    expect(await getJson(collector.url, '/api/critical-path?service=elsewhere')).toEqual(empty);
    expect(await getJson(collector.url, `/api/critical-path?to=${startOf(0)}`)).toEqual(empty);
  });

  test('refuses a bad parameter with a 400 naming it', async () => {
    for (const [query, error] of [
      ['tail=49.9', 'tail must be at least 50, got 49.9'],
      ['tail=100.5', 'tail must be at most 100, got 100.5'],
      ['tail=p95', 'tail must be a number, got "p95"'],
      ['tail=95&tail=99', 'tail must be given once'],
      ['from=10&to=5', 'to must not be before from'],
      ['name=a&name=b', 'name must be given once'],
    ]) {
      expect(await getJson(collector.url, `/api/critical-path?${query}`, 400)).toEqual({ error });
    }
  });
});

describe.each(STORE_ENGINES)('GET /api/critical-path over an agent workload on $engine.name', ({ engine }) => {
  test('equals the answer computed from core’s analyses of the same spans', async () => {
    const traces = agentWorkload(40, { seed: 31 });
    const collector = await startTestCollector(engine.collectorOptions());
    try {
      for (const trace of traces) expect((await postJson(collector.url, traceBody(trace))).status).toBe(200);
      await waitForTraces(collector.url, traces.length);
      const analyses = traces.map((trace) => analyseRecords(ingestBatch(traceBody(trace)).spans as SpanRecord[]));
      for (const tail of [95, 80, 50]) {
        const answer = await getJson<CriticalPathResponse>(collector.url, `/api/critical-path?tail=${tail}`);
        expect(answer.operations.length).toBeGreaterThan(2);
        expect(toTwelveDigits(answer)).toEqual(toTwelveDigits(reference(analyses, tail)));
      }
      const support = analyses.filter((analysis) => analysis.summary.service === 'support');
      expect(toTwelveDigits(await getJson(collector.url, '/api/critical-path?service=support&tail=90'))).toEqual(
        toTwelveDigits(reference(support, 90)),
      );
    } finally {
      await collector.close();
    }
  });
});

describe.each(STORE_ENGINES)('critical paths kept by the $engine.name store', ({ engine }) => {
  const { tasks, tailA } = tailWorkload();
  const analysed = (index: number, replacesStored = false): AnalysedTrace => {
    const records = ingestBatch(otlpJsonBody('support', baseMs + index * 1_000, tasks[index].spans)).spans as SpanRecord[];
    return { analysis: analyseRecords(records), findings: [], analysedSpanCount: records.length, replacesStored };
  };

  test('are replaced with their trace’s analysis and removed with it by retention', async () => {
    const store = await engine.openStore();
    try {
      await store.saveAnalyses(tasks.map((_, index) => analysed(index)));
      const before = await store.criticalPath({ tail: 95 });
      // Analysing every trace again (a late span) replaces its operations rather than adding them.
      await store.saveAnalyses(tasks.map((_, index) => analysed(index, true)));
      expect(await store.criticalPath({ tail: 95 })).toEqual(before);
      expect(before.tail).toEqual({ percentile: 95, thresholdMs: 3_000, traces: 2 });
      // Retention takes the 11 typical traces (the earliest) with their operations: 10 stay, A and B the slowest.
      await store.deleteTracesBefore!(baseMs + 11 * 1_000, 1_000);
      const after = await store.criticalPath({ tail: 95 });
      expect([
        after.tail.traces,
        after.typical.traces,
        after.operations.find((operation) => operation.name === 'search')!.exampleTraceIds,
      ]).toEqual([1, 5, [tailA.traceId]]);
      expect(after.operations.some((operation) => operation.exampleTraceIds.includes(tasks[0].traceId))).toBe(false);
    } finally {
      await store.close();
    }
  });
});
