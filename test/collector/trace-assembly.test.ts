import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore, decodeStoredRequest, type TraceStore } from '@threshold/collector';
import type { StatsResponse, TraceDetail, TraceList } from '@threshold/core';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { ManualClock } from './manual-clock.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf, type JsonSpanPlan } from './otlp-json-body.js';

const QUIET_MS = 100;
const baseMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const tool = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' };
const agent = { 'gen_ai.operation.name': 'invoke_agent' };

const list = async (url: string) => (await (await fetch(`${url}/api/traces`)).json()) as TraceList;
const detail = async (url: string, traceId: string) => (await (await fetch(`${url}/api/traces/${traceId}`)).json()) as TraceDetail;

describe('trace assembly', () => {
  /** Data dirs of tests that restart a collector over the same data; each test has its own. */
  const dataDirs: string[] = [];
  const newDataDir = () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'threshold-assembly-'));
    dataDirs.push(dataDir);
    return dataDir;
  };
  let collector: TestCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });
  afterAll(() => {
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  });

  /** An earlier run over `dataDir`: it receives `spans`, analyses them after the quiet period and stops. */
  const analysedInEarlierRun = async (dataDir: string, spans: JsonSpanPlan[]) => {
    const clock = new ManualClock();
    const earlier = await startTestCollector({ dataDir, quietPeriodMs: QUIET_MS, clock });
    try {
      expect((await postJson(earlier.url, otlpJsonBody('assembly', baseMs, spans))).status).toBe(200);
      clock.advance(QUIET_MS);
      await earlier.collector.analysis.sweep();
      expect((await detail(earlier.url, spans[0].traceId)).summary.spanCount).toBe(spans.length);
    } finally {
      await earlier.close();
    }
  };

  /**
   *   0                    1000
   *   |task ................|
   *     100 |lookup| 400
   * then, late:
   *             500 |lookup| 900
   */
  const traceId = traceIdOf(0xa1);
  const firstSpans = [
    { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 1000, attributes: agent },
    { traceId, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 100, endMs: 400, attributes: tool },
  ];
  const lateSpan = { traceId, spanId: spanIdOf(3), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 500, endMs: 900, attributes: tool };

  test('a trace is analysed only once the quiet period has passed since its last span', async () => {
    const clock = new ManualClock();
    collector = await startTestCollector({ quietPeriodMs: QUIET_MS, clock });
    expect((await postJson(collector.url, otlpJsonBody('assembly', baseMs, firstSpans))).status).toBe(200);
    clock.advance(QUIET_MS - 1);
    await collector.collector.analysis.sweep();
    expect((await list(collector.url)).total).toBe(0);
    clock.advance(1);
    await collector.collector.analysis.sweep();
    const summary = (await detail(collector.url, traceId)).summary;
    expect([summary.spanCount, summary.breakdown]).toEqual([2, { llm: 0, tool: 300, state: 0, orchestration: 0, other: 700 }]);
  });

  test('a late span after a restart re-opens the trace and replaces its analysis', async () => {
    const dataDir = newDataDir();
    await analysedInEarlierRun(dataDir, firstSpans);
    const clock = new ManualClock();
    collector = await startTestCollector({ dataDir, quietPeriodMs: QUIET_MS, clock });
    expect((await postJson(collector.url, otlpJsonBody('assembly', baseMs, [lateSpan]))).status).toBe(200);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();
    const traces = await list(collector.url);
    expect(traces.total).toBe(1);
    const after = await detail(collector.url, traceId);
    expect([after.summary.spanCount, after.summary.toolCalls, after.summary.breakdown]).toEqual([
      3,
      2,
      { llm: 0, tool: 700, state: 0, orchestration: 0, other: 300 },
    ]);
    expect(after.spans.map((span) => span.startOffsetMs)).toEqual([0, 100, 500]);
  });

  test('spans stored but not yet analysed when the collector stopped are analysed after a restart', async () => {
    const pendingTrace = traceIdOf(0xb2);
    const dataDir = newDataDir();
    // A trace analysed whole by an earlier run, which the restart must leave as it is.
    await analysedInEarlierRun(dataDir, [...firstSpans, lateSpan]);
    const first = new ManualClock();
    // The first run stores spans but never an analysis (as if it died before analysing them).
    collector = await startTestCollector({
      dataDir,
      quietPeriodMs: QUIET_MS,
      clock: first,
      openStore: async (options) => {
        const real = await DuckDbStore.open(options.dataDir, { taskClasses: options.taskClasses, decodeRequest: decodeStoredRequest });
        const failing: TraceStore = Object.create(real);
        failing.saveAnalyses = () => Promise.reject(new Error('disk full'));
        return failing;
      },
    });
    const body = otlpJsonBody('assembly', baseMs + 5_000, [
      { traceId: pendingTrace, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 250, attributes: agent },
      { traceId: pendingTrace, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 50, endMs: 150, attributes: tool },
    ]);
    expect((await postJson(collector.url, body)).status).toBe(200);
    await collector.close();

    const second = new ManualClock();
    collector = await startTestCollector({ dataDir, quietPeriodMs: QUIET_MS, clock: second });
    expect((await list(collector.url)).total).toBe(1);
    second.advance(QUIET_MS);
    await collector.collector.analysis.sweep();
    const traces = await list(collector.url);
    expect(traces.traces.map((trace) => [trace.traceId, trace.spanCount, trace.durationMs])).toEqual([
      [pendingTrace, 2, 250],
      [traceId, 3, 1000],
    ]);
    const stats = (await (await fetch(`${collector.url}/api/stats`)).json()) as StatsResponse;
    expect(stats.groups.map((group) => [group.key, group.count, group.p50Ms])).toEqual([['simple', 2, 625]]);
    expect((await detail(collector.url, pendingTrace)).summary.breakdown).toEqual({
      llm: 0,
      tool: 100,
      state: 0,
      orchestration: 0,
      other: 150,
    });
  });

  test('beyond the spans it may hold for analysis, new traces wait in the store and are all taken back, a bounded look at a time', async () => {
    const clock = new ManualClock();
    // Room for 4 spans in memory and 2 trace ids per look into the store: of 6 traces of 2 spans,
    // 2 are held, 4 wait in the store and come back over several looks.
    collector = await startTestCollector({ quietPeriodMs: QUIET_MS, clock, assembly: { maxPendingSpans: 4, recoverIdsPerLook: 2 } });
    const ids = Array.from({ length: 6 }, (_, i) => traceIdOf(0xe0 + i));
    for (const [i, id] of ids.entries()) {
      const body = otlpJsonBody('assembly', baseMs + i * 1_000, [
        { traceId: id, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 200 + i, attributes: agent },
        { traceId: id, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 20, endMs: 120, attributes: tool },
      ]);
      expect((await postJson(collector.url, body)).status).toBe(200);
    }
    expect(collector.collector.assembler.heldSpans.pending).toBe(4);
    clock.advance(QUIET_MS);
    for (let sweep = 0; sweep < 10 && (await list(collector.url)).total < ids.length; sweep++) await collector.collector.analysis.sweep();
    const traces = await list(collector.url);
    expect(traces.traces.map((trace) => [trace.traceId, trace.spanCount, trace.durationMs]).sort()).toEqual(
      ids.map((id, i) => [id, 2, 200 + i]).sort(),
    );
    expect(collector.collector.assembler.heldSpans.pending).toBe(0);
    for (const id of ids) expect((await detail(collector.url, id)).summary.breakdown.tool).toBe(100);
  });

  test('a batch whose save failed is analysed again at the next sweep, without a restart', async () => {
    const clock = new ManualClock();
    let failures = 1;
    collector = await startTestCollector({
      quietPeriodMs: QUIET_MS,
      clock,
      openStore: async (options) => {
        const real = await DuckDbStore.open(options.dataDir, { taskClasses: options.taskClasses, decodeRequest: decodeStoredRequest });
        const store: TraceStore = Object.create(real);
        store.saveAnalyses = (analyses) =>
          failures-- > 0 ? Promise.reject(new Error('Out of Memory Error (as DuckDB under its limit)')) : real.saveAnalyses(analyses);
        return store;
      },
    });
    await collector.collector.analysis.sweep(); // the look for traces left by an earlier run, made at start
    const id = traceIdOf(0xc7);
    const body = otlpJsonBody('assembly', baseMs, [
      { traceId: id, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 400, attributes: agent },
      { traceId: id, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 100, endMs: 300, attributes: tool },
    ]);
    expect((await postJson(collector.url, body)).status).toBe(200);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();
    expect((await list(collector.url)).total).toBe(0);
    await collector.collector.analysis.sweep();

    expect((await detail(collector.url, id)).summary.breakdown).toEqual({ llm: 0, tool: 200, state: 0, orchestration: 0, other: 200 });
    expect(failures).toBe(-1);
  });

  test('a look into the store that began while a batch was being saved does not take that batch back', async () => {
    const clock = new ManualClock();
    let batchSaved!: () => void;
    const firstSave = new Promise<void>((resolve) => (batchSaved = resolve));
    // The store's answer to the look is held until the batch in memory has been saved and let go,
    // so the answer still lists those traces as waiting for analysis.
    collector = await startTestCollector({
      quietPeriodMs: QUIET_MS,
      clock,
      assembly: { maxPendingSpans: 4 },
      openStore: async (options) => {
        const real = await DuckDbStore.open(options.dataDir, { taskClasses: options.taskClasses, decodeRequest: decodeStoredRequest });
        const store: TraceStore = Object.create(real);
        store.saveAnalyses = async (analyses) => {
          await real.saveAnalyses(analyses);
          setImmediate(batchSaved); // after the assembler has finished with the batch
        };
        store.pendingTraceIds = async (limit) => {
          const ids = await real.pendingTraceIds(limit);
          await firstSave;
          return ids;
        };
        return store;
      },
    });
    const analysedTimes = new Map<string, number>();
    collector.collector.onAnalysed((analysis) => analysedTimes.set(analysis.traceId, (analysedTimes.get(analysis.traceId) ?? 0) + 1));
    // Two traces held in memory (4 spans), two more left in the store.
    const ids = Array.from({ length: 4 }, (_, i) => traceIdOf(0xf0 + i));
    for (const [i, id] of ids.entries()) {
      const body = otlpJsonBody('assembly', baseMs + i * 1_000, [
        { traceId: id, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 300 },
        { traceId: id, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 50, endMs: 250, attributes: tool },
      ]);
      expect((await postJson(collector.url, body)).status).toBe(200);
    }
    expect(collector.collector.assembler.heldSpans.pending).toBe(4);
    clock.advance(QUIET_MS);
    for (let sweep = 0; sweep < 10 && (await list(collector.url)).total < ids.length; sweep++) await collector.collector.analysis.sweep();

    expect((await list(collector.url)).total).toBe(4);
    expect([...analysedTimes].sort()).toEqual(ids.map((id) => [id, 1]));
  });

  test('a trace whose root never arrives is analysed from its earliest span after the quiet period', async () => {
    const clock = new ManualClock();
    collector = await startTestCollector({ quietPeriodMs: QUIET_MS, clock });
    const orphanTrace = traceIdOf(0xc3);
    const body = otlpJsonBody('assembly', baseMs + 9_000, [
      { traceId: orphanTrace, spanId: spanIdOf(7), parentSpanId: spanIdOf(99), name: 'lookup', startMs: 20, endMs: 80, attributes: tool },
    ]);
    expect((await postJson(collector.url, body)).status).toBe(200);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();
    const orphan = await detail(collector.url, orphanTrace);
    expect([orphan.summary.startTimeMs, orphan.summary.durationMs, orphan.summary.spanCount]).toEqual([baseMs + 9_020, 60, 1]);
  });

  test('a late span re-analyses a trace analysed moments ago in the same process', async () => {
    const clock = new ManualClock();
    collector = await startTestCollector({ quietPeriodMs: QUIET_MS, clock });
    const sameProcess = traceIdOf(0xd4);
    const spans = [...firstSpans, lateSpan].map((span) => ({ ...span, traceId: sameProcess }));
    expect((await postJson(collector.url, otlpJsonBody('assembly', baseMs, spans.slice(0, 2)))).status).toBe(200);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();
    expect((await detail(collector.url, sameProcess)).summary.spanCount).toBe(2);
    const summaries: string[] = [];
    collector.collector.onAnalysed((analysis) => summaries.push(`${analysis.traceId}:${analysis.summary.spanCount}`));
    expect((await postJson(collector.url, otlpJsonBody('assembly', baseMs, spans.slice(2)))).status).toBe(200);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();
    expect(summaries).toEqual([`${sameProcess}:3`]);
    expect((await detail(collector.url, sameProcess)).summary.breakdown.tool).toBe(700);
    expect((await list(collector.url)).total).toBe(1);
  });
});
