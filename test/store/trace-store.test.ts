import {
  analyseRecords,
  percentile,
  type AlertDelivery,
  type AlertEvent,
  type AlertRule,
  type Finding,
  type SpanRecord,
} from '@threshold/core';
import { windowStatsFromSamples, type AlertTaskSample } from '../../packages/core/src/alerts/index.js';
import type { AnalysedTrace, TraceStore } from '@threshold/collector';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spanIdOf } from '../collector/otlp-json-body.js';
import { agentWorkload, ingestBatch, traceBody, type AgentTrace } from './agent-workload.js';
import { STORE_ENGINES } from './store-engines.js';

const analysed = (records: SpanRecord[], findings: Finding[] = [], replacesStored = false): AnalysedTrace => ({
  analysis: analyseRecords(records),
  findings,
  analysedSpanCount: records.length,
  replacesStored,
});

const spansOf = (trace: AgentTrace) => ingestBatch(traceBody(trace)).spans as SpanRecord[];

const finding = (ruleId: string, savingMs: number): Finding => ({
  ruleId,
  title: `title of ${ruleId}`,
  detail: 'it\'s "quoted" \\ and ünïcödé',
  savingMs,
  evidenceSpanIds: [spanIdOf(2)],
});

const rule = (id: string, threshold: number): AlertRule => ({
  id,
  name: `rule ${id}`,
  kind: 'threshold',
  statistic: 'p99',
  target: { kind: 'taskClass', value: 'simple' },
  threshold,
  windowMs: 300_000,
  minSamples: 5,
  holdMs: 0,
  severity: 'page',
  enabled: true,
});

describe.each(STORE_ENGINES)('the $engine.name store', ({ engine }) => {
  let store: TraceStore;
  beforeAll(async () => {
    await engine.setUp();
  });
  afterAll(async () => {
    await engine.tearDown();
  });
  const fresh = async () => {
    store = await engine.openStore();
    return store;
  };

  test('spans appended in several requests load back per trace in arrival order, duplicates kept', async () => {
    const [a, b] = agentWorkload(2);
    await fresh();
    await store.appendBatches([ingestBatch(traceBody(a, a.spans.slice(0, 2))), ingestBatch(traceBody(b))]);
    await store.appendBatches([ingestBatch(traceBody(a, [a.spans[3], a.spans[0]]))]);
    const loaded = await store.loadTraceSpans([a.traceId, b.traceId, 'f'.repeat(32)]);
    expect([...loaded.keys()].sort()).toEqual([a.traceId, b.traceId].sort());
    expect(loaded.get(a.traceId)!.map((span) => span.spanId)).toEqual([
      a.spans[0].spanId,
      a.spans[1].spanId,
      a.spans[3].spanId,
      a.spans[0].spanId,
    ]);
    expect(loaded.get(b.traceId)!.map((span) => span.spanId)).toEqual(b.spans.map((span) => span.spanId));
    expect(loaded.get(b.traceId)).toEqual(spansOf(b));
    await store.close();
  });

  test('pending traces are those with stored spans and no analysis, or an analysis of fewer spans, in order of arrival', async () => {
    // `b` arrives first but sorts after `a` by id, so arrival order is not id order.
    const [a, b] = agentWorkload(2).sort((x, y) => (x.traceId < y.traceId ? -1 : 1));
    await fresh();
    await store.appendBatches([ingestBatch(traceBody(b)), ingestBatch(traceBody(a, a.spans.slice(0, 3)))]);
    expect(await store.pendingTraceIds()).toEqual([b.traceId, a.traceId]);
    await store.saveAnalyses([analysed(spansOf(a).slice(0, 3))]);
    expect(await store.pendingTraceIds()).toEqual([b.traceId]);
    expect(await store.analysedTraceIds([a.traceId, b.traceId])).toEqual(new Set([a.traceId]));
    await store.appendBatches([ingestBatch(traceBody(a, [a.spans[3]]))]);
    expect(await store.pendingTraceIds()).toEqual([b.traceId, a.traceId]);
    expect(await store.pendingTraceIds(1)).toEqual([b.traceId]);
    await store.close();
  });

  test('a re-analysis with more spans replaces the stored one in the list, the detail, stats and findings', async () => {
    const [a] = agentWorkload(1);
    const spans = spansOf(a);
    await fresh();
    await store.saveAnalyses([analysed(spans.slice(1), [finding('first', 10)])]);
    await store.saveAnalyses([analysed(spans, [finding('second', 20)], true)]);
    const list = await store.listTraces({ limit: 10, offset: 0 });
    expect([list.total, list.traces.map((trace) => [trace.traceId, trace.spanCount, trace.name])]).toEqual([1, [[a.traceId, 4, 'answer']]]);
    const detail = await store.getTraceDetail(a.traceId);
    expect(detail!.spans.map((span) => span.spanId)).toEqual(analyseRecords(spans).spans.map((span) => span.spanId));
    expect(detail!.findings).toEqual([finding('second', 20)]);
    expect((await store.findings({})).map((stored) => [stored.traceId, stored.ruleId, stored.detail])).toEqual([
      [a.traceId, 'second', finding('second', 20).detail],
    ]);
    const stats = await store.stats({ groupBy: 'service' });
    expect(stats.groups.map((group) => [group.key, group.count, group.p99Ms])).toEqual([
      [a.service, 1, analyseRecords(spans).summary.durationMs],
    ]);
    expect(await store.getTraceDetail('0'.repeat(32))).toBeUndefined();
    await store.close();
  });

  test('retention removes the oldest analysed traces before the cutoff in steps, with their spans, keeping requests shared with newer traces', async () => {
    const [a, b, c, d, e] = agentWorkload(5);
    // One request holds spans of the oldest trace (a) and of a trace that stays (d).
    const shiftMs = d.startMs - a.startMs;
    const shared = traceBody(a, [
      ...a.spans,
      ...d.spans.map((span) => ({ ...span, startMs: span.startMs + shiftMs, endMs: span.endMs + shiftMs })),
    ]);
    const sharedSpans = ingestBatch(shared).spans as SpanRecord[];
    await fresh();
    await store.appendBatches([ingestBatch(shared), ...[b, c, e].map((trace) => ingestBatch(traceBody(trace)))]);
    const spansByTrace = new Map(
      [a, b, c, d, e].map((trace) => [trace.traceId, sharedSpans.filter((span) => span.traceId === trace.traceId)]),
    );
    for (const trace of [b, c, e]) spansByTrace.set(trace.traceId, spansOf(trace));
    await store.saveAnalyses([...spansByTrace.values()].map((spans) => analysed(spans)));
    expect(await store.pendingTraceIds()).toEqual([]);
    const cutoffMs = c.startMs + 1;
    expect(await store.deleteTracesBefore!(cutoffMs, 2)).toBe(2);
    expect((await store.listTraces({ limit: 10, offset: 0 })).traces.map((trace) => trace.traceId)).toEqual([
      e.traceId,
      d.traceId,
      c.traceId,
    ]);
    expect(await store.deleteTracesBefore!(cutoffMs, 2)).toBe(1);
    expect(await store.deleteTracesBefore!(cutoffMs, 2)).toBe(0);
    const list = await store.listTraces({ limit: 10, offset: 0 });
    expect([list.total, list.traces.map((trace) => trace.traceId)]).toEqual([2, [e.traceId, d.traceId]]);
    expect(await store.getTraceDetail(a.traceId)).toBeUndefined();
    expect(await store.pendingTraceIds()).toEqual([]);
    // (Spans of `a` are still inside the request kept for `d`; nothing indexes them by `a` any more.)
    const loaded = await store.loadTraceSpans([b, c, d, e].map((trace) => trace.traceId));
    expect([...loaded.keys()].sort()).toEqual([d.traceId, e.traceId].sort());
    expect(loaded.get(d.traceId)).toEqual(spansByTrace.get(d.traceId));
    expect((await store.stats({ groupBy: 'service' })).groups.reduce((sum, group) => sum + group.count, 0)).toBe(2);
    await store.close();
  });

  test('stats per task class are counts, bands and R-7 percentiles exactly as core computes them', async () => {
    const traces = agentWorkload(60, { seed: 11 });
    const analyses = traces.map((trace) => analysed(spansOf(trace)));
    await fresh();
    await store.saveAnalyses(analyses);
    const stats = await store.stats({ groupBy: 'taskClass' });
    const expected = ['simple', 'complex'].map((taskClass) => {
      const summaries = analyses.map((trace) => trace.analysis.summary).filter((summary) => summary.taskClass === taskClass);
      const durations = summaries.map((summary) => summary.durationMs);
      return {
        key: taskClass,
        count: summaries.length,
        p50Ms: percentile(durations, 0.5),
        p95Ms: percentile(durations, 0.95),
        p99Ms: percentile(durations, 0.99),
        perceivedP99Ms: percentile(
          summaries.map((summary) => summary.perceivedMs),
          0.99,
        ),
      };
    });
    expect(
      stats.groups.map(({ key, count, p50Ms, p95Ms, p99Ms, perceivedP99Ms }) => ({ key, count, p50Ms, p95Ms, p99Ms, perceivedP99Ms })),
    ).toEqual(expected);
    expect(expected.map((group) => group.count)).toEqual([48, 12]);
    await store.close();
  });

  test('alert window stats match core over the same tasks (ended in the window, R-7)', async () => {
    const traces = agentWorkload(40, { seed: 5 });
    const analyses = traces.map((trace) => analysed(spansOf(trace)));
    await fresh();
    await store.saveAnalyses(analyses);
    const tasks: AlertTaskSample[] = analyses.map(({ analysis: { summary } }) => ({
      traceId: summary.traceId,
      endTimeMs: summary.startTimeMs + summary.durationMs,
      durationMs: summary.durationMs,
      perceivedMs: summary.perceivedMs,
      budgetMs: summary.budgetMs,
      overBudget: summary.overBudget,
      taskClass: summary.taskClass,
      service: summary.service,
      name: summary.name,
    }));
    const from = traces[10].startMs;
    const to = traces[30].startMs;
    for (const query of [
      { from, to, target: { kind: 'all' as const }, measure: 'duration' as const, fraction: 0.99, examples: 'slowest' as const },
      {
        from,
        to,
        target: { kind: 'service' as const, value: 'support' },
        measure: 'perceived' as const,
        fraction: 0.5,
        examples: 'none' as const,
      },
      {
        from,
        to,
        target: { kind: 'taskClass' as const, value: 'simple' },
        measure: 'duration' as const,
        fraction: null,
        examples: 'slowest-over-budget' as const,
      },
    ]) {
      expect(await store.alertWindowStats(query)).toEqual(windowStatsFromSamples(query, tasks, []));
    }
    await store.close();
  });

  test('alert rules: saved, replaced, deleted for good (seeding skips deleted and known ids)', async () => {
    await fresh();
    await store.saveAlertRule(rule('p99-simple', 2_000));
    await store.saveAlertRule(rule('p99-simple', 2_500));
    await store.saveAlertRule(rule('gone', 1));
    expect(await store.deleteAlertRule('gone')).toBe(true);
    expect(await store.deleteAlertRule('never')).toBe(false);
    const seeded = await store.seedAlertRules([rule('gone', 5), rule('p99-simple', 9), rule('fresh', 3)]);
    expect(seeded).toEqual([rule('fresh', 3)]);
    expect(await store.listAlertRules()).toEqual([rule('fresh', 3), rule('p99-simple', 2_500)]);
    await store.close();
  });

  test('alert events newest first, the latest per rule, deliveries replaced by id', async () => {
    await fresh();
    const event = (id: string, ruleId: string, atMs: number): AlertEvent => ({
      id,
      ruleId,
      ruleName: `rule "${ruleId}"`,
      fromState: 'ok',
      toState: 'firing',
      atMs,
      value: 2_600.5,
      threshold: 2_000,
      windowMs: 300_000,
      sampleCount: 12,
      examples: [{ traceId: 'a'.repeat(32), valueMs: 3_000 }],
    });
    for (const [id, ruleId, atMs] of [
      ['e1', 'r1', 1_000],
      ['e2', 'r2', 2_000],
      ['e3', 'r1', 3_000],
    ] as const) {
      await store.appendAlertEvent(event(id, ruleId, atMs));
    }
    expect((await store.listAlertEvents({ limit: 10 })).map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
    expect((await store.listAlertEvents({ ruleId: 'r1', from: 1_500, limit: 10 })).map((e) => e.id)).toEqual(['e3']);
    expect(await store.latestAlertEvents()).toEqual([event('e3', 'r1', 3_000), event('e2', 'r2', 2_000)]);
    const delivery = (status: AlertDelivery['status'], attempts: number): AlertDelivery => ({
      id: 'd1',
      eventId: 'e3',
      ruleId: 'r1',
      destination: 'http://127.0.0.1:9/hook',
      status,
      attempts,
      lastAttemptAtMs: 3_100,
      responseStatus: null,
      error: null,
    });
    await store.saveAlertDelivery(delivery('pending', 1));
    await store.saveAlertDelivery(delivery('delivered', 2));
    expect(await store.alertDeliveries(['e3', 'e9'])).toEqual([delivery('delivered', 2)]);
    await store.close();
  });
});
