import { describe, expect, it } from 'vitest';
import { emptyBandCounts, type RecommendationSummary, type StatsGroup } from '@threshold/core';
import { renderReport } from '../../collector/src/commands/report-text.js';

const group: StatsGroup = {
  key: 'simple',
  count: 4,
  p50Ms: 900,
  p95Ms: 2_400,
  p99Ms: 2_480,
  perceivedP99Ms: 1_200,
  bands: { ...emptyBandCounts(), noticeable: 3, frustrating: 1 },
  breakdownMeanMs: { llm: 800, tool: 200, state: 0, orchestration: 0, other: 0 },
  budgetMs: 2_000,
  overBudgetRate: 0.25,
};

function recommendation(p99SavingMs: number): RecommendationSummary {
  return {
    ruleId: 'cache-tool-results',
    title: 'Cache repeated tool calls',
    detail: 'The same tool is called again with the same arguments.',
    tracesAffected: 2,
    totalSavingMs: 600,
    meanSavingMs: 300,
    p99SavingMs,
    perceived: false,
    taskClasses: ['simple'],
    exampleTraceIds: [],
  };
}

const recommendationLine = (text: string) => text.split('\n').find((line) => line.startsWith('  1. '));

describe('threshold report text', () => {
  it('shows the P99 saving of a recommendation that lowers P99', () => {
    const text = renderReport({ groups: [group], recommendations: [recommendation(80)], top: 5 });
    expect(recommendationLine(text)).toBe(
      '  1. Cache repeated tool calls — 2 traces (simple), 300 ms less wall time per trace, P99 −80 ms',
    );
  });

  it('says P99 is unchanged when the affected tasks are not the slowest, never "−0 ms"', () => {
    const text = renderReport({ groups: [group], recommendations: [recommendation(0)], top: 5 });
    expect(recommendationLine(text)).toBe(
      '  1. Cache repeated tool calls — 2 traces (simple), 300 ms less wall time per trace, P99 unchanged',
    );
  });
});
