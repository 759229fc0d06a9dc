import { describe, expect, it } from 'vitest';
import { bandCountsOfSorted, DEFAULT_TASK_CLASS_CONFIG, emptyBandCounts, uxBand, type TraceSpan } from '@threshold/core';
import { analyseTrace } from '../../packages/core/src/analysis/analyse-trace.js';
import { analysed, sketch } from './recommendations-fixtures.js';

describe('UX bands: lower bounds inclusive', () => {
  it.each([
    [0, 'instant'],
    [99.999999, 'instant'],
    [100, 'responsive'],
    [499.999999, 'responsive'],
    [500, 'noticeable'],
    [1_999.999999, 'noticeable'],
    [2_000, 'frustrating'],
    [4_999.999999, 'frustrating'],
    [5_000, 'uncomfortable'],
    [9_999.999999, 'uncomfortable'],
    [10_000, 'broken'],
    [600_000, 'broken'],
  ] as const)('%s ms is %s', (latencyMs, band) => {
    expect(uxBand(latencyMs)).toBe(band);
  });

  it('a task of exactly 2,000 ms is frustrating and, against the 2,000 ms simple budget, not over it', () => {
    expect(analysed([sketch('task', 0, 2_000)]).summary).toMatchObject({
      durationMs: 2_000,
      band: 'frustrating',
      taskClass: 'simple',
      budgetMs: 2_000,
      overBudget: false,
    });
    expect(analysed([sketch('task', 0, 2_000.000001)]).summary.overBudget).toBe(true);
  });
});

describe('band counts of sorted latencies', () => {
  it('counts each boundary value in the band it opens, the same as uxBand', () => {
    const sorted = [0, 99.999999, 100, 499.999999, 500, 500, 1_999.999999, 2_000, 5_000, 9_999.999999, 10_000, 600_000];
    const oneByOne = emptyBandCounts();
    for (const latencyMs of sorted) oneByOne[uxBand(latencyMs)]++;
    expect(bandCountsOfSorted(sorted)).toEqual({ instant: 2, responsive: 2, noticeable: 3, frustrating: 1, uncomfortable: 2, broken: 2 });
    expect(bandCountsOfSorted(sorted)).toEqual(oneByOne);
  });

  it('counts nothing for no latencies', () => {
    expect(bandCountsOfSorted([])).toEqual(emptyBandCounts());
  });
});

describe('task class fallbacks', () => {
  /** A task with `llm` llm calls then `tools` tool calls, 10 ms each, back to back. */
  const calls = (llm: number, tools: number, extra: TraceSpan[] = []): TraceSpan[] => {
    const spans = [sketch('task', 0, 10 * (llm + tools), { name: 'support' })];
    for (let i = 0; i < llm; i++) spans.push(sketch(`llm${i}`, 10 * i, 10 * i + 10, { parent: 'task', llm: { model: 'm' } }));
    for (let i = 0; i < tools; i++)
      spans.push(sketch(`tool${i}`, 10 * (llm + i), 10 * (llm + i) + 10, { parent: 'task', tool: { name: 't' } }));
    return [...spans, ...extra];
  };

  it('is simple at 5 llm and 5 tool calls, complex at 6 of either', () => {
    expect(analysed(calls(5, 5)).summary).toMatchObject({ llmCalls: 5, toolCalls: 5, taskClass: 'simple', budgetMs: 2_000 });
    expect(analysed(calls(6, 5)).summary).toMatchObject({ llmCalls: 6, taskClass: 'complex', budgetMs: 5_000 });
    expect(analysed(calls(5, 6)).summary).toMatchObject({ toolCalls: 6, taskClass: 'complex', budgetMs: 5_000 });
  });

  it('does not count a wrapper llm span or a tool’s inner tool span as another call', () => {
    //  llm0..4 as above; `step` wraps llm0 (aggregate); `inner` runs inside tool0
    const spans = calls(5, 5, [
      sketch('step', 0, 10, { parent: 'task', llm: { model: 'm', aggregate: true } }),
      sketch('inner', 50, 55, { parent: 'tool0', tool: { name: 'http' } }),
    ]);
    expect(analysed(spans).summary).toMatchObject({ llmCalls: 5, toolCalls: 5, taskClass: 'simple' });
  });

  it('takes the stated class, then the name mapping, and a stated budget over the configured one', () => {
    const config = {
      ...DEFAULT_TASK_CLASS_CONFIG,
      classByTaskName: { support: 'support' },
      budgetsMs: { ...DEFAULT_TASK_CLASS_CONFIG.budgetsMs, support: 3_000 },
    };
    const analyse = (spans: TraceSpan[]) => analyseTrace({ spans, traceStartUnixNano: 0n, traceId: 't' }, config).summary;
    expect(analyse(calls(1, 0))).toMatchObject({ taskClass: 'support', budgetMs: 3_000 });
    const stated = calls(1, 0);
    stated[0].task = { taskClass: 'batch', budgetMs: 60_000 };
    expect(analyse(stated)).toMatchObject({ taskClass: 'batch', budgetMs: 60_000 });
    stated[0].task = { taskClass: 'batch' };
    expect(analyse(stated)).toMatchObject({ taskClass: 'batch', budgetMs: 5_000 }); // unknown class: the default budget
  });

  it('a task named like an Object.prototype member falls back to call counts, not to the prototype', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(analysed([sketch('task', 0, 100, { name })]).summary).toMatchObject({ name, taskClass: 'simple', budgetMs: 2_000 });
    }
  });
});

describe('perceived latency', () => {
  //  0        300               1000      1500
  //  task   |=============================|
  //  plan   |===|                              llm, streamed, TTFT 80
  //  answer     |===============|              llm (streaming and TTFT vary below)
  //  save                       |=========|    state
  const trace = (answer: { streaming?: boolean; ttftMs?: number }, firstOutputMs?: number) =>
    analysed([
      sketch('task', 0, 1500, firstOutputMs === undefined ? {} : { firstOutputMs }),
      sketch('plan', 0, 300, { parent: 'task', llm: { model: 'm', streaming: true, ttftMs: 80 } }),
      sketch('answer', 300, 1000, { parent: 'task', llm: { model: 'm', ...answer } }),
      sketch('save', 1000, 1500, { parent: 'task', category: 'state' }),
    ]).summary;

  it('is the explicit first-output event when there is one', () => {
    expect(trace({ streaming: true, ttftMs: 200 }, 700)).toMatchObject({ perceivedMs: 700, perceivedBand: 'noticeable' });
  });

  it('else the last critical llm call’s start + TTFT when it streamed: 300 + 200 = 500 ms', () => {
    expect(trace({ streaming: true, ttftMs: 200 })).toMatchObject({ perceivedMs: 500, perceivedBand: 'noticeable', durationMs: 1500 });
  });

  it('else the duration: the last call did not stream, or its TTFT is unknown (an earlier streamed call does not count)', () => {
    expect(trace({ streaming: false }).perceivedMs).toBe(1500);
    expect(trace({ streaming: true }).perceivedMs).toBe(1500);
  });
});

describe('perceived latency with stream-chunk spans inside the call (Mastra)', () => {
  //  0    200 201                  990  1000
  //  task |================================|
  //  call |================================|   llm, streamed, TTFT 200
  //  chunk     |=|                               llm operation chunk
  //  chunk                          |====|       llm operation chunk, critical at the end
  it('is measured against the call, not a chunk span after it started: 200 ms', () => {
    const summary = analysed([
      sketch('task', 0, 1000),
      sketch('call', 0, 1000, { parent: 'task', llm: { model: 'm', streaming: true, ttftMs: 200 } }),
      sketch('chunk1', 200, 201, { parent: 'call', llm: { operation: 'chunk' } }),
      sketch('chunk2', 990, 1000, { parent: 'call', llm: { operation: 'chunk' } }),
    ]).summary;
    expect(summary).toMatchObject({ llmCalls: 1, perceivedMs: 200, perceivedBand: 'responsive', durationMs: 1000 });
  });
});
