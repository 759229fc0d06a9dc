import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore, DUCKDB_FILE_NAME, decodeStoredRequest, type CollectorOptions } from '@threshold/collector';
import { DEFAULT_TASK_CLASS_CONFIG, parseMappingRules, type TraceAnalysis, type TraceDetail } from '@threshold/core';
import { afterEach, describe, expect, test } from 'vitest';
import { FileBlobLog } from '../../collector/src/store/blob-log/file-blob-log.js';
import { BLOB_LOG_DIR } from '../../collector/src/store/duckdb/duckdb-store.js';
import { parseStoredDetail } from '../../collector/src/store/duckdb/trace-row.js';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { ManualClock } from './manual-clock.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf, type JsonSpanPlan } from './otlp-json-body.js';
import { postProtobuf, protobufBody } from './otlp-protobuf-body.js';

/**
 * DuckDB keeps each span once, in the span log: a trace's detail stores its findings and warnings,
 * and its span views are derived when the trace is read, from the first `analysed_span_count`
 * stored spans. What the API shows must be what a store that keeps the views shows, whatever
 * analysed the trace (the event loop, or threads that leave the views out).
 */
const QUIET_MS = 100;
const baseMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const agent = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'session-d' };
const tool = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' };
const chat = (output: number) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.usage.input_tokens': 1200,
  'gen_ai.usage.output_tokens': output,
});

/**
 *   0                                      1200
 *   |task .......................................|
 *     40 |chat| 340
 *                340 |search| 700 + n
 *                                700 + n |chat| 1100
 */
const turn = (traceId: string, n: number): JsonSpanPlan[] => [
  { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 1200, attributes: agent },
  { traceId, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'chat', startMs: 40, endMs: 340, attributes: chat(30) },
  { traceId, spanId: spanIdOf(3), parentSpanId: spanIdOf(1), name: 'search', startMs: 340, endMs: 700 + n, attributes: tool },
  { traceId, spanId: spanIdOf(4), parentSpanId: spanIdOf(1), name: 'chat', startMs: 700 + n, endMs: 1100, attributes: chat(60 + n) },
];

/** The late span of trace 0: a second search, 1120–1190 ms. */
const lateSpan = (traceId: string): JsonSpanPlan => ({
  traceId,
  spanId: spanIdOf(9),
  parentSpanId: spanIdOf(1),
  name: 'search',
  startMs: 1120,
  endMs: 1190,
  attributes: tool,
});

const ids = Array.from({ length: 8 }, (_, i) => traceIdOf(0xd00 + i));

/**
 * Sends the traffic, sweeping by the collector's clock: two protobuf requests of three traces, a
 * trace sent twice in one request (the duplicates analysis drops), one in JSON, one over the span
 * cap (5), then a late span that is stored and, once its quiet period passes, re-analysed.
 * `beforeLateSweep` runs while the late span is stored but not yet analysed.
 */
async function sendTraffic(collector: TestCollector, clock: ManualClock, beforeLateSweep?: () => Promise<void>): Promise<void> {
  for (let r = 0; r < 2; r++) {
    const plans = [0, 1, 2].flatMap((t) => turn(ids[3 * r + t], 10 * (3 * r + t)));
    expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, plans))).toBe(200);
  }
  expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, [...turn(ids[6], 5), ...turn(ids[6], 5).slice(1, 3)]))).toBe(200);
  const wide = [
    ...turn(ids[7], 0),
    { ...lateSpan(ids[7]), spanId: spanIdOf(5) },
    { ...lateSpan(ids[7]), spanId: spanIdOf(6), startMs: 1195, endMs: 1199 },
  ];
  expect((await postJson(collector.url, otlpJsonBody('agent', baseMs, wide))).status).toBe(200);
  clock.advance(QUIET_MS);
  await collector.collector.analysis.sweep();
  expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, [lateSpan(ids[0])]))).toBe(200);
  await beforeLateSweep?.();
  clock.advance(QUIET_MS);
  await collector.collector.analysis.sweep();
}

const detailOf = async (collector: TestCollector, traceId: string): Promise<TraceDetail> =>
  (await (await fetch(`${collector.url}/api/traces/${traceId}`)).json()) as TraceDetail;

const details = (collector: TestCollector): Promise<TraceDetail[]> => Promise.all(ids.map((id) => detailOf(collector, id)));

describe('span views derived when a trace is read (DuckDB)', () => {
  const started: TestCollector[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const collector of started.splice(0)) await collector.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A collector on a fresh DuckDB store: the configured one (views derived), or one opened without `spanViews` (views kept). */
  async function start(views: 'derived' | 'kept', workers: number): Promise<{ collector: TestCollector; clock: ManualClock }> {
    const clock = new ManualClock();
    const dataDir = mkdtempSync(join(tmpdir(), 'threshold-derived-views-'));
    dirs.push(dataDir);
    const openStore =
      views === 'kept'
        ? (options: CollectorOptions) =>
            DuckDbStore.open(options.dataDir, { taskClasses: options.taskClasses, decodeRequest: decodeStoredRequest })
        : undefined;
    const collector = await startTestCollector({
      dataDir,
      quietPeriodMs: QUIET_MS,
      clock,
      analysisWorkers: workers,
      maxSpansPerTrace: 5,
      ...(openStore ? { openStore } : {}),
    });
    started.push(collector);
    return { collector, clock };
  }

  test('every detail is what a store that keeps the views shows, on threads and on the event loop, before and after a late span is analysed', async () => {
    const runs = await Promise.all([start('kept', 0), start('derived', 2), start('derived', 0)]);
    expect(runs.map(({ collector }) => collector.collector.store.derivesSpanViews === true)).toEqual([false, true, true]);
    // While the late span is stored but not analysed, trace 0 shows the four spans its analysis covered.
    const beforeLate: TraceDetail[][] = [];
    for (const { collector, clock } of runs)
      await sendTraffic(collector, clock, async () => void beforeLate.push(await details(collector)));
    const after = await Promise.all(runs.map(({ collector }) => details(collector)));
    const [kept, ...derived] = after;
    for (const answer of derived) expect(answer).toEqual(kept);
    for (const answer of beforeLate.slice(1)) expect(answer).toEqual(beforeLate[0]);

    // The views themselves, so the comparison is not between two empty answers.
    expect(beforeLate[0][0].summary.spanCount).toBe(4);
    expect(beforeLate[0][0].spans.map((view) => view.name)).toEqual(['task', 'chat', 'search', 'chat']);
    expect(kept[0].summary.spanCount).toBe(5);
    expect(kept[0].spans.map((view) => view.name)).toEqual(['task', 'chat', 'search', 'chat', 'search']);
    expect(kept[0].spans.find((view) => view.spanId === spanIdOf(9))).toMatchObject({ durationMs: 70, attributes: tool });
    expect(kept[6].spans).toHaveLength(4); // sent with two duplicates, one copy of each kept
    expect(kept[7].summary.spanCount).toBe(5); // 6 sent, the cap is 5
    expect(kept[7].spans).toHaveLength(5);
    expect(kept[1].spans[1].attributes).toEqual(chat(30));
  });

  test('the stored detail keeps the findings and warnings, and no span views', async () => {
    const runs = await Promise.all([start('kept', 2), start('derived', 2)]);
    for (const { collector, clock } of runs) await sendTraffic(collector, clock);
    const shown = await Promise.all(runs.map(({ collector }) => detailOf(collector, ids[0])));
    expect(shown[1]).toEqual(shown[0]);
    const stored: Array<{ length: number; detail: ReturnType<typeof parseStoredDetail> }> = [];
    for (const { collector } of runs) {
      const { dataDir } = collector.collector.options;
      await collector.close();
      started.splice(started.indexOf(collector), 1);
      const instance = await DuckDBInstance.create(join(dataDir, DUCKDB_FILE_NAME));
      const connection = await instance.connect();
      const [[segment, offset, length]] = (
        await connection.runAndReadAll('SELECT detail_segment, detail_offset, detail_length FROM traces WHERE trace_id = $1', [ids[0]])
      ).getRowsJS() as [number, bigint, number][];
      connection.closeSync();
      instance.closeSync();
      const values = await FileBlobLog.open(join(dataDir, BLOB_LOG_DIR));
      stored.push({ length, detail: parseStoredDetail(await values.read({ segment, offset: Number(offset), length })) });
      await values.close();
    }
    const [kept, derived] = stored;
    expect(kept.detail.spans).toEqual(shown[0].spans);
    expect(derived.detail.spans).toBeUndefined();
    expect(derived.detail.findings).toEqual(kept.detail.findings);
    expect(derived.detail.findings).toEqual(shown[0].findings);
    expect(derived.detail.warnings).toEqual(kept.detail.warnings);
    // Every stored byte accounted for: the mark and length, the findings, the warnings and the settings' key; no views.
    if (!('settingsKey' in derived.detail)) throw new Error('the detail keeps span views');
    const { findings, warnings, settingsKey, requests } = derived.detail;
    // Trace 0's spans came in the first request and in the late span's, the fifth.
    expect(requests).toEqual({ first: 1, last: 5 });
    expect(derived.length).toBe(
      5 +
        Buffer.byteLength(JSON.stringify(findings)) +
        Buffer.byteLength(JSON.stringify({ warnings, settings: settingsKey, requests: [requests!.first, requests!.last] })),
    );
    expect(derived.length).toBeLessThan(kept.length);
  });

  test('a trace analysed before the settings changed shows the views its analysis had', async () => {
    const parsed = parseMappingRules({
      rules: [{ name: 'search-is-state', match: { spanName: '^search$' }, category: 'state', stateOperation: 'load' }],
    });
    if (!('rules' in parsed)) throw new Error(parsed.errors.join('; '));
    const searchIsState = parsed.rules;
    const dataDir = mkdtempSync(join(tmpdir(), 'threshold-derived-views-'));
    dirs.push(dataDir);
    const clock = new ManualClock();
    const options = { dataDir, quietPeriodMs: QUIET_MS, clock, analysisWorkers: 2 };
    let collector = await startTestCollector({ ...options, maxSpansPerTrace: 5 });
    started.push(collector);
    await sendTraffic(collector, clock);
    const before = await details(collector);
    expect(before[0].spans).toHaveLength(5);
    expect(before[0].spans.filter((view) => view.name === 'search').map((view) => view.category)).toEqual(['tool', 'tool']);
    await collector.close();
    started.splice(0);

    // Restarted with a cap of 3 spans a trace and a mapping rule that makes `search` spans state loads.
    collector = await startTestCollector({
      ...options,
      maxSpansPerTrace: 3,
      taskClasses: { ...DEFAULT_TASK_CLASS_CONFIG, mapping: searchIsState },
    });
    started.push(collector);
    expect(await details(collector)).toEqual(before);
    const fresh = traceIdOf(0xdff);
    expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, turn(fresh, 0)))).toBe(200);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();
    const now = await detailOf(collector, fresh);
    expect(now.summary.spanCount).toBe(3);
    expect(now.spans).toHaveLength(3);
    expect(now.spans.filter((view) => view.name === 'search').map((view) => view.category)).toEqual(['state']);
    expect(now.spans.find((view) => view.name === 'search')?.classifiedBy).toBe('mapping:search-is-state');
    await collector.close();
    started.splice(0);

    // Back to the first settings: the trace analysed with the mapping rule (its pattern kept as a pattern) keeps its views.
    collector = await startTestCollector({ ...options, maxSpansPerTrace: 5 });
    started.push(collector);
    expect(await detailOf(collector, fresh)).toEqual(now);
    expect(await details(collector)).toEqual(before);
  });

  test('a trace re-analysed from its stored spans after a restart (its requests then unknown) shows what a store that keeps the views shows', async () => {
    const shown: TraceDetail[] = [];
    for (const views of ['kept', 'derived'] as const) {
      const dataDir = mkdtempSync(join(tmpdir(), 'threshold-derived-views-'));
      dirs.push(dataDir);
      const clock = new ManualClock();
      const options = { dataDir, quietPeriodMs: QUIET_MS, clock, analysisWorkers: 2 };
      const openStore =
        views === 'kept'
          ? (resolved: CollectorOptions) =>
              DuckDbStore.open(resolved.dataDir, { taskClasses: resolved.taskClasses, decodeRequest: decodeStoredRequest })
          : undefined;
      let collector = await startTestCollector({ ...options, ...(openStore ? { openStore } : {}) });
      expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, turn(ids[0], 0)))).toBe(200);
      clock.advance(QUIET_MS);
      await collector.collector.analysis.sweep();
      await collector.close();
      collector = await startTestCollector({ ...options, ...(openStore ? { openStore } : {}) });
      started.push(collector);
      expect(await postProtobuf(collector.url, protobufBody('agent', baseMs, [lateSpan(ids[0])]))).toBe(200);
      clock.advance(QUIET_MS);
      await collector.collector.analysis.sweep();
      shown.push(await detailOf(collector, ids[0]));
    }
    expect(shown[1]).toEqual(shown[0]);
    expect(shown[0].spans.map((view) => view.name)).toEqual(['task', 'chat', 'search', 'chat', 'search']);
  });

  test('a listener that comes after its batch was taken still hears every span view and attribute', async () => {
    const reference = await start('kept', 0);
    const heardFromStart: Array<{ traceId: string; views: string[]; attributes: unknown[] }> = [];
    const hear = (into: typeof heardFromStart) => (analysis: TraceAnalysis) =>
      void into.push({
        traceId: analysis.traceId,
        views: analysis.spans.map((view) => `${view.spanId}:${JSON.stringify(view.attributes)}`),
        attributes: analysis.traceSpans.map((span) => span.attributes),
      });
    reference.collector.collector.onAnalysed(hear(heardFromStart));
    await sendTraffic(reference.collector, reference.clock);

    const late = await start('derived', 2);
    const heardLate: typeof heardFromStart = [];
    for (let r = 0; r < 2; r++) {
      const plans = [0, 1, 2].flatMap((t) => turn(ids[3 * r + t], 10 * (3 * r + t)));
      expect(await postProtobuf(late.collector.url, protobufBody('agent', baseMs, plans))).toBe(200);
    }
    late.clock.advance(QUIET_MS);
    // The batch is taken (with nobody reading spans, the threads leave the views out) before the listener comes.
    const sweeping = late.collector.collector.analysis.sweep();
    late.collector.collector.onAnalysed(hear(heardLate));
    await sweeping;
    expect(heardLate).toHaveLength(6);
    expect(heardLate).toEqual(heardFromStart.slice(0, 6));
    expect(heardLate[0].views).toHaveLength(4);
    expect(heardLate[0].attributes[0]).toEqual(agent);
  });
});
