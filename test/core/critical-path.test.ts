import { analyseRecords, type Breakdown } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { drawTimeline, drawing, fixtureRecords, type FixtureSpan } from '../support/span-records.js';

const as = (category: string) => ({ 'threshold.category': category });

interface Fixture {
  title: string;
  msPerColumn: number;
  drawing: string;
  spans: FixtureSpan[];
  criticalPath: string[];
  breakdown: Breakdown;
  selfMs: Record<string, number>;
}

const FIXTURES: Fixture[] = [
  {
    title: 'sequential calls: each is critical and the gaps are the task’s own time',
    msPerColumn: 20,
    drawing: `
      root   |========================|
      plan    |========|
      search           |=======|
      answer                   |=====|
    `,
    spans: [
      { id: 'root', startMs: 0, endMs: 500, attributes: as('task') },
      { id: 'plan', parent: 'root', startMs: 20, endMs: 200, attributes: as('llm') },
      { id: 'search', parent: 'root', startMs: 200, endMs: 350, attributes: as('tool') },
      { id: 'answer', parent: 'root', startMs: 360, endMs: 480, attributes: as('llm') },
    ],
    criticalPath: ['root', 'plan', 'search', 'answer'],
    breakdown: { llm: 300, tool: 150, state: 0, orchestration: 0, other: 50 },
    selfMs: { root: 50, plan: 180, search: 150, answer: 120 },
  },
  {
    title: 'parallel tools: only the one that ends last is critical',
    msPerColumn: 20,
    drawing: `
      root  |=============================|
      plan  |====|
      toolA      |===================|
      toolB      |=========|
      toolC       |================|
      reply                          |====|
    `,
    spans: [
      { id: 'root', startMs: 0, endMs: 600, attributes: as('task') },
      { id: 'plan', parent: 'root', startMs: 0, endMs: 100, attributes: as('llm') },
      { id: 'toolA', parent: 'root', startMs: 100, endMs: 500, attributes: as('tool') },
      { id: 'toolB', parent: 'root', startMs: 100, endMs: 300, attributes: as('tool') },
      { id: 'toolC', parent: 'root', startMs: 120, endMs: 450, attributes: as('tool') },
      { id: 'reply', parent: 'root', startMs: 500, endMs: 600, attributes: as('llm') },
    ],
    criticalPath: ['root', 'plan', 'toolA', 'reply'],
    breakdown: { llm: 200, tool: 400, state: 0, orchestration: 0, other: 0 },
    selfMs: { root: 0, plan: 100, toolA: 400, toolB: 200, toolC: 330, reply: 100 },
  },
  {
    title: 'staggered overlap: a child still running when the next critical child starts is critical until then',
    msPerColumn: 20,
    drawing: `
      root   |===================|
      fetch  |============|
      answer         |===========|
    `,
    spans: [
      { id: 'root', startMs: 0, endMs: 400, attributes: as('task') },
      { id: 'fetch', parent: 'root', startMs: 0, endMs: 250, attributes: as('tool') },
      { id: 'answer', parent: 'root', startMs: 150, endMs: 400, attributes: as('llm') },
    ],
    criticalPath: ['root', 'fetch', 'answer'],
    breakdown: { llm: 250, tool: 150, state: 0, orchestration: 0, other: 0 },
    selfMs: { root: 0, fetch: 250, answer: 250 },
  },
  {
    title: 'nested spans: the deepest critical span takes each stretch',
    msPerColumn: 25,
    drawing: `
      root |=======================================|
      step |===================================|
      load |===|
      llm      |=======================|
      save                             |=====|
    `,
    spans: [
      { id: 'root', startMs: 0, endMs: 1000, attributes: as('task') },
      { id: 'step', parent: 'root', startMs: 0, endMs: 900, attributes: as('orchestration') },
      { id: 'load', parent: 'step', startMs: 0, endMs: 100, attributes: as('state') },
      { id: 'llm', parent: 'step', startMs: 100, endMs: 700, attributes: as('llm') },
      { id: 'save', parent: 'step', startMs: 700, endMs: 850, attributes: as('state') },
    ],
    criticalPath: ['root', 'step', 'load', 'llm', 'save'],
    breakdown: { llm: 600, tool: 0, state: 250, orchestration: 50, other: 100 },
    selfMs: { root: 100, step: 50, load: 100, llm: 600, save: 150 },
  },
  {
    title: 'clock skew: children reaching outside the root are clamped to it',
    msPerColumn: 10,
    drawing: `
      root  |=================================================|
      llm  |=============================|
      tool                               |=======================|
    `,
    spans: [
      { id: 'root', startMs: 10, endMs: 510, attributes: as('task') },
      { id: 'llm', parent: 'root', startMs: 0, endMs: 300, attributes: as('llm') },
      { id: 'tool', parent: 'root', startMs: 300, endMs: 540, attributes: as('tool') },
    ],
    criticalPath: ['root', 'llm', 'tool'],
    breakdown: { llm: 290, tool: 210, state: 0, orchestration: 0, other: 0 },
    selfMs: { root: 0, llm: 300, tool: 240 },
  },
];

describe('critical path, self time and breakdown over fixture traces', () => {
  it.each(FIXTURES)('$title', (fixture) => {
    expect(drawTimeline(fixture.spans, fixture.msPerColumn)).toBe(drawing(fixture.drawing));
    const analysis = analyseRecords(fixtureRecords(fixture.spans));
    expect(analysis.criticalPath).toEqual(fixture.criticalPath);
    expect(analysis.summary.breakdown).toEqual(fixture.breakdown);
    expect(Object.fromEntries(analysis.spans.map((span) => [span.spanId, span.selfMs]))).toEqual(fixture.selfMs);
    expect(
      analysis.spans
        .filter((span) => span.critical)
        .map((span) => span.spanId)
        .sort(),
    ).toEqual([...fixture.criticalPath].sort());
  });
});

describe('tools held open beside a streamed llm span', () => {
  const chat = (extra: Record<string, unknown> = {}) => ({ 'gen_ai.operation.name': 'chat', ...extra }) as FixtureSpan['attributes'];

  it('analyses a tool run inside an open stream, ending just before it, as the call’s child', () => {
    //   agent   |========================|
    //   chat    |===================|            open until the consumer's loop ends
    //   lookup           |=========|             ran inside the loop
    //   answer                       |====|
    const spans: FixtureSpan[] = [
      { id: 'agent', startMs: 0, endMs: 500, attributes: as('task') },
      { id: 'chat', parent: 'agent', startMs: 0, endMs: 390, attributes: chat() },
      { id: 'lookup', parent: 'agent', startMs: 180, endMs: 380, attributes: as('tool') },
      { id: 'answer', parent: 'agent', startMs: 400, endMs: 500, attributes: chat() },
    ];
    const analysis = analyseRecords(fixtureRecords(spans));
    expect(analysis.criticalPath).toEqual(['agent', 'chat', 'lookup', 'answer']);
    expect(analysis.summary.breakdown).toEqual({ llm: 290, tool: 200, state: 0, orchestration: 0, other: 10 });
    expect(analysis.traceSpans.find((span) => span.spanId === 'chat')!.llm?.heldOpenMs).toBe(200);
    // the waterfall still shows the tool where the spans put it
    expect(analysis.spans.find((span) => span.spanId === 'lookup')!.parentSpanId).toBe('agent');
    expect(analysis.spans.find((span) => span.spanId === 'agent')!.selfMs).toBe(10);
  });

  it('leaves a tool that merely ran beside a long call as the call’s sibling', () => {
    //   agent   |==============================|
    //   chat    |==============================|   generating the whole time
    //   prefetch  |===|                            started alongside, done long before
    const spans: FixtureSpan[] = [
      { id: 'agent', startMs: 0, endMs: 2000, attributes: as('task') },
      { id: 'chat', parent: 'agent', startMs: 0, endMs: 2000, attributes: chat() },
      { id: 'prefetch', parent: 'agent', startMs: 10, endMs: 210, attributes: as('tool') },
    ];
    const analysis = analyseRecords(fixtureRecords(spans));
    expect(analysis.criticalPath).toEqual(['agent', 'chat']);
    expect(analysis.summary.breakdown).toEqual({ llm: 2000, tool: 0, state: 0, orchestration: 0, other: 0 });
  });

  it('never holds open a call known not to stream, nor counts a tool before its first token', () => {
    const notStreamed: FixtureSpan[] = [
      { id: 'agent', startMs: 0, endMs: 400, attributes: as('task') },
      { id: 'chat', parent: 'agent', startMs: 0, endMs: 400, attributes: chat({ 'gen_ai.request.stream': false }) },
      { id: 'tool', parent: 'agent', startMs: 100, endMs: 390, attributes: as('tool') },
    ];
    expect(analyseRecords(fixtureRecords(notStreamed)).summary.breakdown.tool).toBe(0);
    const beforeFirstToken: FixtureSpan[] = [
      { id: 'agent', startMs: 0, endMs: 400, attributes: as('task') },
      { id: 'chat', parent: 'agent', startMs: 0, endMs: 400, attributes: chat({ 'gen_ai.response.time_to_first_chunk': 0.2 }) },
      { id: 'tool', parent: 'agent', startMs: 100, endMs: 390, attributes: as('tool') },
    ];
    expect(analyseRecords(fixtureRecords(beforeFirstToken)).summary.breakdown.tool).toBe(0);
  });
});
