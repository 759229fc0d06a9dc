import { DuckDbStore, decodeStoredRequest, type AnalysedTrace } from '@threshold/collector';
import { DEFAULT_TASK_CLASS_CONFIG, uxBand, type StatsResponse, type TraceSummary } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/** A deterministic pseudo-random sequence (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(7);
const CLASSES = ['simple', 'complex', 'research'];
const SERVICES = ['support', 'coder'];

function summary(index: number, version = 0): TraceSummary {
  // Durations on a 10 ms grid so equal values (ties) are common.
  const durationMs = Math.round(next() * 800) * 10 + version;
  const perceivedMs = Math.round(durationMs * next());
  const taskClass = CLASSES[index % 3];
  const budgetMs = taskClass === 'research' ? 30_000 + version : taskClass === 'simple' ? 2000 : 5000;
  const llm = Math.round(durationMs * 0.5);
  return {
    traceId: index.toString(16).padStart(32, '0'),
    service: SERVICES[index % 2],
    name: `task-${index % 5}`,
    taskClass,
    startTimeMs: 1_700_000_000_000 + index * 1_000,
    durationMs,
    perceivedMs,
    band: uxBand(durationMs),
    perceivedBand: uxBand(perceivedMs),
    budgetMs,
    overBudget: durationMs > budgetMs,
    spanCount: 1,
    llmCalls: 1,
    toolCalls: 0,
    error: false,
    breakdown: { llm, tool: 0, state: 0, orchestration: 0, other: durationMs - llm },
  };
}

const analysed = (trace: TraceSummary, replacesStored: boolean): AnalysedTrace => ({
  analysis: { traceId: trace.traceId, traceStartUnixNano: 0n, summary: trace, spans: [], traceSpans: [], criticalPath: [], warnings: [] },
  findings: [],
  analysedSpanCount: 1,
  replacesStored,
});

/** Rounds every number to 9 decimals: DuckDB's avg and a JS sum/count may differ in the last bit. */
const rounded = (response: StatsResponse) =>
  JSON.parse(JSON.stringify(response), (_key, value) => (typeof value === 'number' ? Math.round(value * 1e9) / 1e9 : value));

describe('the in-memory stats index', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await DuckDbStore.open(':memory:', { taskClasses: DEFAULT_TASK_CLASS_CONFIG, decodeRequest: decodeStoredRequest });
    await store.saveAnalyses(Array.from({ length: 600 }, (_, i) => analysed(summary(i), false)));
    // Re-analyse every seventh trace with new numbers: the old values must leave the index.
    await store.saveAnalyses(Array.from({ length: 86 }, (_, k) => analysed(summary(k * 7, 1), true)));
  });
  afterAll(() => store.close());

  test.each([
    { groupBy: 'taskClass' as const },
    { groupBy: 'service' as const },
    { groupBy: 'name' as const },
    { groupBy: 'taskClass' as const, from: 1_700_000_100_000, to: 1_700_000_400_000 },
    { groupBy: 'name' as const, service: 'coder' },
    { groupBy: 'service' as const, taskClass: 'research', from: 1_700_000_250_000 },
    { groupBy: 'taskClass' as const, from: 1_800_000_000_000 },
  ])('answers %o exactly as quantile_cont over the stored rows', async (query) => {
    const fromIndex = await store.stats(query);
    expect(rounded(fromIndex)).toEqual(rounded(await store.statsBySql(query)));
  });

  test('holds each trace once after re-analysis', async () => {
    const { groups } = await store.stats({ groupBy: 'taskClass' });
    expect(groups.map((group) => [group.key, group.count])).toEqual([
      ['complex', 200],
      ['research', 200],
      ['simple', 200],
    ]);
  });
});
