import type { CriticalPathResponse } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import {
  addedMs,
  chartHeightPx,
  chartRows,
  shortLabel,
  tableRows,
  tailPercentileOf,
  tailRows,
} from '../../dashboard/src/views/tail/tail-rows';

/** The designed window of test/store/tail-workload.ts as the API answers it. */
const ANSWER: CriticalPathResponse = {
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
      exampleTraceIds: ['a', 'b'],
    },
    {
      category: 'orchestration',
      name: 'rate-limit wait',
      tailMeanCriticalMs: 1_000,
      typicalMeanCriticalMs: 0,
      excessMs: 1_000,
      tailCriticalRate: 0.5,
      exampleTraceIds: ['b'],
    },
    {
      category: 'llm',
      name: 'gpt-4o',
      tailMeanCriticalMs: 700,
      typicalMeanCriticalMs: 700,
      excessMs: 0,
      tailCriticalRate: 1,
      exampleTraceIds: ['a', 'b'],
    },
    {
      category: 'other',
      name: 'answer-ticket',
      tailMeanCriticalMs: 125,
      typicalMeanCriticalMs: 150,
      excessMs: -25,
      tailCriticalRate: 1,
      exampleTraceIds: ['a', 'b'],
    },
    {
      category: 'state',
      name: 'load session',
      tailMeanCriticalMs: 25,
      typicalMeanCriticalMs: 50,
      excessMs: -25,
      tailCriticalRate: 0.5,
      exampleTraceIds: ['a'],
    },
  ],
};

describe('the slow tail’s rows', () => {
  it('keep the API’s ranking and give each operation its share of the time the tail adds', () => {
    const rows = tailRows(ANSWER);
    expect(rows.map(({ key, label, color, excessMs, shareOfAdded }) => ({ key, label, color, excessMs, shareOfAdded }))).toEqual([
      { key: 'tool/search', label: 'Tool · search', color: '#0891b2', excessMs: 1_450, shareOfAdded: 1_450 / 2_450 },
      {
        key: 'orchestration/rate-limit wait',
        label: 'Orchestration · rate-limit wait',
        color: '#db2777',
        excessMs: 1_000,
        shareOfAdded: 1_000 / 2_450,
      },
      { key: 'llm/gpt-4o', label: 'LLM · gpt-4o', color: '#7c3aed', excessMs: 0, shareOfAdded: 0 },
      { key: 'other/answer-ticket', label: 'Other · answer-ticket', color: '#94a3b8', excessMs: -25, shareOfAdded: 0 },
      { key: 'state/load session', label: 'State · load session', color: '#ca8a04', excessMs: -25, shareOfAdded: 0 },
    ]);
    expect(rows[0]).toEqual({
      key: 'tool/search',
      category: 'tool',
      name: 'search',
      label: 'Tool · search',
      color: '#0891b2',
      tailMs: 1_600,
      typicalMs: 150,
      excessMs: 1_450,
      shareOfAdded: 1_450 / 2_450,
      tailCriticalRate: 1,
      exampleTraceIds: ['a', 'b'],
    });
  });

  it('chart only the operations that add time, at most the limit', () => {
    const rows = tailRows(ANSWER);
    expect(chartRows(rows).map((row) => row.key)).toEqual(['tool/search', 'orchestration/rate-limit wait']);
    expect(chartRows(rows, 1).map((row) => row.key)).toEqual(['tool/search']);
  });

  it('list in the table what tail tasks waited on, and count what only typical tasks did', () => {
    const typicalOnly = {
      category: 'tool' as const,
      name: 'cache',
      tailMeanCriticalMs: 0,
      typicalMeanCriticalMs: 5,
      excessMs: -5,
      tailCriticalRate: 0,
      exampleTraceIds: [],
    };
    const table = tableRows(tailRows({ ...ANSWER, operations: [...ANSWER.operations, typicalOnly] }));
    expect([table.rows.map((row) => row.key), table.typicalOnly]).toEqual([
      ['tool/search', 'orchestration/rate-limit wait', 'llm/gpt-4o', 'other/answer-ticket', 'state/load session'],
      1,
    ]);
  });

  it('cut long operation names on the chart’s axis, by characters', () => {
    expect([shortLabel('search'), shortLabel('x'.repeat(31)), shortLabel('é'.repeat(30)), shortLabel('🙂'.repeat(40), 4)]).toEqual([
      'search',
      `${'x'.repeat(29)}…`,
      'é'.repeat(30),
      '🙂🙂🙂…',
    ]);
  });

  it('say how much longer a tail task takes than a typical one (the excesses summed), when both groups exist', () => {
    expect(addedMs(ANSWER)).toBe(2_400);
    expect(addedMs({ ...ANSWER, typical: { traces: 0 } })).toBeNull();
    expect(addedMs({ tail: { percentile: 95, thresholdMs: null, traces: 0 }, typical: { traces: 0 }, operations: [] })).toBeNull();
  });

  it('read the tail percentile from the URL, offering P90, P95 and P99 only', () => {
    expect([tailPercentileOf('99'), tailPercentileOf('90'), tailPercentileOf(null), tailPercentileOf('97'), tailPercentileOf('x')]).toEqual(
      [99, 90, 95, 95, 95],
    );
  });

  it('size the chart to its bars', () => {
    expect([chartHeightPx(0), chartHeightPx(2), chartHeightPx(8)]).toEqual([140, 168, 504]);
  });
});
