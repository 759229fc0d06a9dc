import { emptyBandCounts, type WhatIfClassProjection } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { sessionTurnRows } from '../../dashboard/src/views/sessions/session-turns';
import { bandShareRows, p99Rows } from '../../dashboard/src/views/recommendations/projection-rows';
import { attributeText } from '../../dashboard/src/waterfall/attribute-text';
import { spanBarTitle } from '../../dashboard/src/waterfall/span-bar-label';
import { span } from './span-fixture';

describe('what-if window charts', () => {
  const simple: WhatIfClassProjection = {
    taskClass: 'simple',
    budgetMs: 2000,
    count: 4,
    before: { p50Ms: 900, p95Ms: 2600, p99Ms: 2900, bands: { ...emptyBandCounts(), noticeable: 2, frustrating: 2 } },
    after: { p50Ms: 700, p95Ms: 1500, p99Ms: 1800, bands: { ...emptyBandCounts(), responsive: 1, noticeable: 3 } },
    meetsBudgetBefore: false,
    meetsBudgetAfter: true,
  };

  it('give each class a before and an after row of band shares in percent', () => {
    expect(bandShareRows([simple])).toEqual([
      {
        label: 'simple · before',
        taskClass: 'simple',
        phase: 'before',
        instant: 0,
        responsive: 0,
        noticeable: 50,
        frustrating: 50,
        uncomfortable: 0,
        broken: 0,
      },
      {
        label: 'simple · after',
        taskClass: 'simple',
        phase: 'after',
        instant: 0,
        responsive: 25,
        noticeable: 75,
        frustrating: 0,
        uncomfortable: 0,
        broken: 0,
      },
    ]);
  });

  it('give each class its P99 before and after beside its budget', () => {
    expect(p99Rows([simple])).toEqual([{ taskClass: 'simple', before: 2900, after: 1800, budgetMs: 2000 }]);
  });
});

describe('session turns', () => {
  it('are labelled by recorded turn number, else by position', () => {
    const turn = (traceId: string, n: number | null) => ({
      traceId,
      turn: n,
      startTimeMs: 0,
      durationMs: 1,
      perceivedMs: 1,
      inputTokens: 0,
      llmCalls: 0,
    });
    expect(sessionTurnRows([turn('a', 3), turn('b', null)]).map((t) => t.label)).toEqual(['Turn 3', 'Turn 2']);
  });
});

describe('span text', () => {
  it('shows attribute values as the exact text sent, other values as JSON', () => {
    expect(attributeText('<img src=x onerror="alert(1)">')).toBe('<img src=x onerror="alert(1)">');
    expect(attributeText(42)).toBe('42');
    expect(attributeText(['a', 1, true])).toBe('["a",1,true]');
    expect(attributeText({ nested: null })).toBe('{"nested":null}');
  });

  it('describes an llm bar with its waiting and generating time', () => {
    const llm = span('s1', undefined, 40, 300, { name: 'chat intent', critical: true, llm: { ttftMs: 100 } });
    expect(spanBarTitle(llm)).toBe(
      'chat intent\n300 ms at +40 ms\nwaiting for first token 100 ms · generating 200 ms\non the critical path',
    );
  });
});
