import { describe, expect, it } from 'vitest';
import { projectTrace, projectWindow, rankRecommendations, type TraceSummary } from '@threshold/core';
import { type WindowFinding } from '../../packages/core/src/recommendations/index.js';
import { analysed, sketch } from './recommendations-fixtures.js';

describe('projectTrace', () => {
  //  before                                    after: a and b start together
  //  0           1200         2400 2500        0           1200 1300
  //  task |==========================|         task |=============|
  //  a    |===========|                        a    |===========|
  //  b                |===========|            b    |===========|
  //  2,500 ms: frustrating, over the           1,300 ms: noticeable, within budget
  //  simple class's 2,000 ms budget
  const trace = analysed([
    sketch('task', 0, 2500),
    sketch('a', 0, 1200, { parent: 'task', tool: { name: 'flights' } }),
    sketch('b', 1200, 2400, { parent: 'task', tool: { name: 'hotels' } }),
  ]);

  it('parallelizing a known sequential pair gives the known duration, band and breakdown', () => {
    const after = projectTrace(trace, [{ kind: 'start-with', anchorSpanId: 'a', spanIds: ['b'] }]);
    expect([trace.summary.durationMs, trace.summary.band, trace.summary.overBudget]).toEqual([2500, 'frustrating', true]);
    expect({
      durationMs: after.summary.durationMs,
      perceivedMs: after.summary.perceivedMs,
      band: after.summary.band,
      overBudget: after.summary.overBudget,
      breakdown: after.summary.breakdown,
      taskClass: after.summary.taskClass,
    }).toEqual({
      durationMs: 1300,
      perceivedMs: 1300,
      band: 'noticeable',
      overBudget: false,
      breakdown: { llm: 0, tool: 1200, state: 0, orchestration: 0, other: 100 },
      taskClass: 'simple',
    });
    expect(after.criticalPath[0]).toEqual('task');
    expect(after.criticalPath.length).toEqual(2);
    expect(after.spans.map((span) => [span.spanId, span.startOffsetMs, span.durationMs])).toEqual([
      ['task', 0, 1300],
      ['a', 0, 1200],
      ['b', 0, 1200],
    ]);
  });

  it('with no edits the projection is the trace itself', () => {
    expect(projectTrace(trace, []).summary).toEqual(trace.summary);
  });
});

describe('projectWindow', () => {
  const summary = (traceId: string, taskClass: string, durationMs: number, perceivedMs = durationMs): TraceSummary =>
    analysed([sketch('task', 0, durationMs, { firstOutputMs: perceivedMs, task: { taskClass } })], { traceId }).summary;

  it('gives percentiles, bands and budget verdicts per class before and after', () => {
    const pairs = [
      { before: summary('1', 'simple', 3000), after: summary('1', 'simple', 1500) },
      { before: summary('2', 'simple', 1000), after: summary('2', 'simple', 1000) },
      { before: summary('3', 'complex', 4000, 1000), after: summary('3', 'complex', 4000, 500) },
    ];
    expect(projectWindow(pairs)).toEqual([
      {
        taskClass: 'complex',
        budgetMs: 5000,
        count: 1,
        before: {
          p50Ms: 4000,
          p95Ms: 4000,
          p99Ms: 4000,
          bands: { instant: 0, responsive: 0, noticeable: 0, frustrating: 1, uncomfortable: 0, broken: 0 },
        },
        after: {
          p50Ms: 4000,
          p95Ms: 4000,
          p99Ms: 4000,
          bands: { instant: 0, responsive: 0, noticeable: 0, frustrating: 1, uncomfortable: 0, broken: 0 },
        },
        perceivedP99MsBefore: 1000,
        perceivedP99MsAfter: 500,
        meetsBudgetBefore: true,
        meetsBudgetAfter: true,
      },
      {
        taskClass: 'simple',
        budgetMs: 2000,
        count: 2,
        // P95 of [1000, 3000] = 1000 + 0.95 × 2000 = 2900; P99 = 2980.
        before: {
          p50Ms: 2000,
          p95Ms: 2900,
          p99Ms: 2980,
          bands: { instant: 0, responsive: 0, noticeable: 1, frustrating: 1, uncomfortable: 0, broken: 0 },
        },
        after: {
          p50Ms: 1250,
          p95Ms: 1475,
          p99Ms: 1495,
          bands: { instant: 0, responsive: 0, noticeable: 2, frustrating: 0, uncomfortable: 0, broken: 0 },
        },
        perceivedP99MsBefore: 2980,
        perceivedP99MsAfter: 1495,
        meetsBudgetBefore: false,
        meetsBudgetAfter: true,
      },
    ]);
  });
});

describe('rankRecommendations', () => {
  const trace = (traceId: string, taskClass: string, durationMs: number) => ({ traceId, taskClass, durationMs, perceivedMs: durationMs });
  const finding = (
    traceId: string,
    ruleId: WindowFinding['ruleId'],
    savingMs: number,
    durationMs: number,
    perceived = false,
  ): WindowFinding => ({
    traceId,
    taskClass: 'simple',
    durationMs,
    perceivedMs: durationMs,
    ruleId,
    title: 't',
    detail: 'd',
    savingMs,
    evidenceSpanIds: [],
    ...(perceived ? { perceived: true } : {}),
  });

  it('ranks by the drop in the affected classes’ P99, with counts, totals and examples', () => {
    // simple: 1000, 1000, 3000 ms. Caching saves 2000 on the slowest (P99 2960 → 1000);
    // parallelizing saves 100 on each of the two fast ones: R-7 interpolates between the two
    // slowest (900 + 0.98 × 2100 = 2958), so the P99 moves by only 2 ms.
    const traces = [trace('a', 'simple', 1000), trace('b', 'simple', 1000), trace('c', 'simple', 3000), trace('d', 'complex', 9000)];
    const findings = [
      finding('a', 'parallelize-tools', 60, 1000),
      finding('a', 'parallelize-tools', 40, 1000),
      finding('b', 'parallelize-tools', 100, 1000),
      finding('c', 'cache-tool-results', 2000, 3000),
    ];
    const ranked = rankRecommendations(traces, findings);
    expect(
      ranked.map((r) => [
        r.ruleId,
        r.tracesAffected,
        r.totalSavingMs,
        r.meanSavingMs,
        Math.round(r.p99SavingMs * 1e6) / 1e6,
        r.taskClasses,
        r.exampleTraceIds,
        r.perceived,
      ]),
    ).toEqual([
      ['cache-tool-results', 1, 2000, 2000, 1960, ['simple'], ['c'], false],
      ['parallelize-tools', 2, 200, 100, 2, ['simple'], ['a', 'b'], false],
    ]);
    expect(ranked[0].title).toEqual('Cache repeated tool calls');
  });
});
