import { emptyBandCounts, type StatsGroup, type TraceSummary } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { slowest, slowTaskThresholdMs, sumBands, sumPerceivedBands } from '../../dashboard/src/views/overview/overview-data';

const group = (
  key: string,
  count: number,
  bands: Partial<StatsGroup['bands']>,
  percentiles: [number, number, number],
  perceived: Partial<StatsGroup['bands']> = bands,
): StatsGroup => ({
  key,
  count,
  p50Ms: percentiles[0],
  p95Ms: percentiles[1],
  p99Ms: percentiles[2],
  perceivedP99Ms: 0,
  bands: { ...emptyBandCounts(), ...bands },
  perceivedBands: { ...emptyBandCounts(), ...perceived },
  breakdownMeanMs: { llm: 0, tool: 0, state: 0, orchestration: 0, other: 0 },
  budgetMs: 2000,
  overBudgetRate: 0,
});

const summary = (traceId: string, durationMs: number, perceivedBand: TraceSummary['perceivedBand']): TraceSummary => ({
  traceId,
  service: 's',
  name: 'n',
  taskClass: 'simple',
  startTimeMs: 0,
  durationMs,
  perceivedMs: durationMs,
  band: 'instant',
  perceivedBand,
  budgetMs: 2000,
  overBudget: false,
  spanCount: 1,
  llmCalls: 0,
  toolCalls: 0,
  error: false,
  breakdown: { llm: 0, tool: 0, state: 0, orchestration: 0, other: durationMs },
});

describe('overview aggregates', () => {
  const simple = group('simple', 6, { instant: 2, noticeable: 3, broken: 1 }, [600, 9000, 11000], { instant: 5, broken: 1 });
  const complex = group('complex', 2, { frustrating: 2 }, [3000, 4000, 4200]);

  it('sum band counts over task classes', () => {
    expect(sumBands([simple, complex])).toEqual({ instant: 2, responsive: 0, noticeable: 3, frustrating: 2, uncomfortable: 0, broken: 1 });
  });

  it('sum perceived band counts over task classes', () => {
    expect(sumPerceivedBands([simple])).toEqual({ instant: 5, responsive: 0, noticeable: 0, frustrating: 0, uncomfortable: 0, broken: 1 });
    expect(sumPerceivedBands([simple, complex])).toEqual({
      instant: 5,
      responsive: 0,
      noticeable: 0,
      frustrating: 2,
      uncomfortable: 0,
      broken: 1,
    });
    expect(sumPerceivedBands([])).toEqual(emptyBandCounts());
  });

  it('fetch every task as a slow candidate when the window holds no more than a page', () => {
    expect(slowTaskThresholdMs([simple, complex], 8)).toBe(0);
  });

  it('raise the slow-task threshold to the lowest class percentile that leaves about a page', () => {
    const big = group('simple', 300, {}, [600.7, 9000, 11000]);
    const other = group('complex', 100, {}, [3000, 4000, 4200]);
    expect(slowTaskThresholdMs([big, other], 200)).toBe(600); // 400 tasks: half is 200 → P50
    expect(slowTaskThresholdMs([big, other], 50)).toBe(4000); // 5 % is 20 → P95
    expect(slowTaskThresholdMs([big, other], 10)).toBe(4200); // only P99 leaves ~4
  });

  it('order the slowest tasks by duration, longest first', () => {
    expect(
      slowest([summary('a', 5, 'instant'), summary('b', 50, 'instant'), summary('c', 20, 'instant')], 2).map((t) => t.traceId),
    ).toEqual(['b', 'c']);
  });
});
