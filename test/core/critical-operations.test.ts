import { analyseRecords, BREAKDOWN_CATEGORIES, criticalOperations, type CriticalOperation } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { drawTimeline, drawing, fixtureRecords, type FixtureSpan } from '../support/span-records.js';

const llm = (model?: string) => ({ 'gen_ai.operation.name': 'chat', ...(model ? { 'gen_ai.request.model': model } : {}) });
const tool = (name: string) => ({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name });
const as = (category: string) => ({ 'threshold.category': category });

interface Fixture {
  title: string;
  msPerColumn: number;
  drawing: string;
  spans: FixtureSpan[];
  operations: CriticalOperation[];
}

const FIXTURES: Fixture[] = [
  {
    title: 'two calls of one model add up; the task’s own gaps are its own operation',
    msPerColumn: 20,
    drawing: `
      root   |========================|
      plan    |========|
      search           |=======|
      answer                   |=====|
    `,
    spans: [
      { id: 'root', name: 'answer-ticket', startMs: 0, endMs: 500, attributes: as('task') },
      { id: 'plan', parent: 'root', name: 'chat gpt-4o', startMs: 20, endMs: 200, attributes: llm('gpt-4o') },
      { id: 'search', parent: 'root', name: 'execute_tool search', startMs: 200, endMs: 350, attributes: tool('search') },
      { id: 'answer', parent: 'root', name: 'chat gpt-4o', startMs: 360, endMs: 480, attributes: llm('gpt-4o') },
    ],
    operations: [
      { category: 'llm', name: 'gpt-4o', criticalMs: 300 },
      { category: 'tool', name: 'search', criticalMs: 150 },
      { category: 'other', name: 'answer-ticket', criticalMs: 50 },
    ],
  },
  {
    title: 'a parallel tool that ends earlier holds none of the path; a call without a model goes by its span name',
    msPerColumn: 20,
    drawing: `
      root    |=============================|
      plan    |====|
      weather      |===================|
      traffic      |=========|
      load                             |==|
      reply                               |=|
    `,
    spans: [
      { id: 'root', name: 'plan-trip', startMs: 0, endMs: 600, attributes: as('task') },
      { id: 'plan', parent: 'root', name: 'plan', startMs: 0, endMs: 100, attributes: llm() },
      { id: 'weather', parent: 'root', name: 'execute_tool weather', startMs: 100, endMs: 500, attributes: tool('weather') },
      { id: 'traffic', parent: 'root', name: 'execute_tool traffic', startMs: 100, endMs: 300, attributes: tool('traffic') },
      { id: 'load', parent: 'root', name: 'state.load session', startMs: 500, endMs: 560, attributes: as('state') },
      { id: 'reply', parent: 'root', name: 'chat small', startMs: 560, endMs: 600, attributes: llm('small-7b') },
    ],
    operations: [
      { category: 'tool', name: 'weather', criticalMs: 400 },
      { category: 'llm', name: 'plan', criticalMs: 100 },
      { category: 'state', name: 'state.load session', criticalMs: 60 },
      { category: 'llm', name: 'small-7b', criticalMs: 40 },
    ],
  },
];

describe('the critical path grouped by operation', () => {
  it.each(FIXTURES)('$title', (fixture) => {
    expect(drawTimeline(fixture.spans, fixture.msPerColumn)).toBe(drawing(fixture.drawing));
    const analysis = analyseRecords(fixtureRecords(fixture.spans));
    const operations = criticalOperations(analysis);
    expect(operations).toEqual(fixture.operations);
    expect(operations.reduce((sum, operation) => sum + operation.criticalMs, 0)).toBe(analysis.summary.durationMs);
    for (const category of BREAKDOWN_CATEGORIES) {
      const inCategory = operations
        .filter((operation) => operation.category === category)
        .reduce((sum, operation) => sum + operation.criticalMs, 0);
      expect([category, inCategory]).toEqual([category, analysis.summary.breakdown[category]]);
    }
  });

  it('sums to the duration exactly for fractional times', () => {
    const spans: FixtureSpan[] = [
      { id: 'root', name: 'task', startMs: 0, endMs: 1000.000001, attributes: as('task') },
      { id: 'a', parent: 'root', startMs: 0.1, endMs: 333.433334, attributes: llm('m') },
      { id: 'b', parent: 'root', startMs: 333.433334, endMs: 666.766667, attributes: tool('t') },
      { id: 'c', parent: 'root', startMs: 666.766667, endMs: 1000.000001, attributes: as('state') },
    ];
    const analysis = analyseRecords(fixtureRecords(spans));
    const operations = criticalOperations(analysis);
    const total = operations.reduce((sum, operation) => sum + operation.criticalMs, 0);
    expect([total, operations.map((operation) => operation.name)]).toEqual([analysis.summary.durationMs, ['m', 't', 'c', 'task']]);
  });

  it('is empty for a trace with no spans', () => {
    expect(criticalOperations(analyseRecords([]))).toEqual([]);
  });
});
