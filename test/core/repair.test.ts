import { analyseRecords } from '@threshold/core';
import { buildTraceSpans } from '../../packages/core/src/analysis/build-trace-spans.js';
import { describe, expect, it } from 'vitest';
import { fixtureRecord, fixtureRecords, type FixtureSpan } from '../support/span-records.js';

const as = (category: string) => ({ 'threshold.category': category });
const parents = (spans: { spanId: string; parentSpanId?: string }[]) =>
  Object.fromEntries(spans.map((span) => [span.spanId, span.parentSpanId ?? null]));

describe('tree repair', () => {
  it('attaches an orphan whose parent never arrived to the root, with a warning', () => {
    // root   |==========|
    // lost?     (never arrived)
    // orphan    |===|
    const built = buildTraceSpans(
      fixtureRecords([
        { id: 'root', startMs: 0, endMs: 100, attributes: as('task') },
        { id: 'orphan', parent: 'lost', startMs: 30, endMs: 60, attributes: as('tool') },
      ]),
    );
    expect(parents(built.spans)).toEqual({ root: null, orphan: 'root' });
    expect(built.warnings).toEqual(['1 span whose parent never arrived: attached to the root']);
    const analysis = analyseRecords(
      fixtureRecords([
        { id: 'root', startMs: 0, endMs: 100, attributes: as('task') },
        { id: 'orphan', parent: 'lost', startMs: 30, endMs: 60, attributes: as('tool') },
      ]),
    );
    expect(analysis.summary.breakdown).toEqual({ llm: 0, tool: 30, state: 0, orchestration: 0, other: 70 });
  });

  it('keeps one copy of a duplicated span id, the one that saw the span end last', () => {
    const built = buildTraceSpans([
      fixtureRecord({ id: 'root', startMs: 0, endMs: 100 }),
      fixtureRecord({ id: 'call', parent: 'root', startMs: 10, endMs: 40, attributes: as('llm') }),
      fixtureRecord({ id: 'call', parent: 'root', startMs: 10, endMs: 70, attributes: as('llm') }),
      fixtureRecord({ id: 'call', parent: 'root', startMs: 10, endMs: 70, attributes: as('llm') }),
    ]);
    expect(built.spans.map((span) => [span.spanId, span.endNs])).toEqual([
      ['root', 100_000_000],
      ['call', 70_000_000],
    ]);
    expect(built.warnings).toEqual(['2 duplicate span ids: kept one copy of each']);
  });

  it('cuts a parent cycle and hangs the cut span under the root', () => {
    // a → b → c → a, beside a proper root
    const built = buildTraceSpans(
      fixtureRecords([
        { id: 'root', startMs: 0, endMs: 100 },
        { id: 'a', parent: 'c', startMs: 10, endMs: 50 },
        { id: 'b', parent: 'a', startMs: 20, endMs: 40 },
        { id: 'c', parent: 'b', startMs: 25, endMs: 30 },
      ]),
    );
    expect(parents(built.spans)).toEqual({ root: null, a: 'root', b: 'a', c: 'b' });
    expect(built.warnings).toEqual(['parent cycle through 3 spans: cut above a']);
  });

  it('treats a span that names itself as parent as top-level', () => {
    const built = buildTraceSpans(fixtureRecords([{ id: 'self', parent: 'self', startMs: 0, endMs: 10 }]));
    expect(parents(built.spans)).toEqual({ self: null });
    expect(built.warnings).toEqual(['span self names itself as parent: link cut', 'no root span: analysed from the earliest span self']);
  });

  it('analyses a trace with no root from its earliest span, over the window of all top-level spans', () => {
    //   (root never arrived)
    //   first  |=====|
    //   second         |==========|
    const records = fixtureRecords([
      { id: 'first', parent: 'gone', startMs: 0, endMs: 50, attributes: as('llm') },
      { id: 'second', parent: 'gone', startMs: 80, endMs: 180, attributes: as('tool') },
    ]);
    const analysis = analyseRecords(records);
    expect(analysis.warnings).toEqual([
      'no root span: analysed from the earliest span first',
      '2 spans whose parent never arrived: left top-level',
    ]);
    expect(analysis.rootSpanId).toBe('first');
    expect(analysis.summary.durationMs).toBe(180);
    expect(analysis.summary.breakdown).toEqual({ llm: 80, tool: 100, state: 0, orchestration: 0, other: 0 });
    expect(analysis.criticalPath).toEqual(['first', 'second']);
    expect(analysis.spans.map((span) => span.parentSpanId)).toEqual([undefined, undefined]);
  });

  it('clamps a child reaching outside its parent for analysis, keeps its real times, and warns of skew across services', () => {
    //   root     |==========|          service agent
    //   late          |========|      service tools, clock 30 ms ahead
    const spans: FixtureSpan[] = [
      { id: 'root', startMs: 0, endMs: 100, attributes: as('task') },
      { id: 'late', parent: 'root', startMs: 50, endMs: 130, attributes: as('tool'), service: 'tools' },
    ];
    const analysis = analyseRecords(fixtureRecords(spans));
    expect(analysis.warnings).toEqual(['1 span outside its parent (clock skew or detached work): clamped for analysis']);
    expect(analysis.spans.find((span) => span.spanId === 'late')!.durationMs).toBe(80);
    expect(analysis.summary.durationMs).toBe(100);
    expect(analysis.summary.breakdown).toEqual({ llm: 0, tool: 50, state: 0, orchestration: 0, other: 50 });
  });

  it('clamps an in-process child a little past its parent silently (callback order, one clock)', () => {
    const spans: FixtureSpan[] = [
      { id: 'root', startMs: 0, endMs: 100, attributes: as('task') },
      { id: 'call', parent: 'root', startMs: 50, endMs: 104, attributes: as('llm') },
    ];
    const analysis = analyseRecords(fixtureRecords(spans));
    expect(analysis.warnings).toEqual([]);
    expect(analysis.summary.breakdown).toEqual({ llm: 50, tool: 0, state: 0, orchestration: 0, other: 50 });
    const detached = analyseRecords(fixtureRecords([spans[0], { ...spans[1], endMs: 250 }]));
    expect(detached.warnings).toEqual(['1 span outside its parent (clock skew or detached work): clamped for analysis']);
  });

  it('takes a span ending before it starts as lasting 0', () => {
    const built = buildTraceSpans(fixtureRecords([{ id: 'root', startMs: 10, endMs: 5 }]));
    expect(built.spans.map((span) => [span.startNs, span.endNs])).toEqual([[0, 0]]);
    expect(built.warnings).toEqual(['1 span ending before start: duration taken as 0']);
    expect(analyseRecords(fixtureRecords([{ id: 'root', startMs: 10, endMs: 5 }])).summary.durationMs).toBe(0);
  });

  it('analyses several roots from the earliest, covering all of them', () => {
    const analysis = analyseRecords(
      fixtureRecords([
        { id: 'main', startMs: 0, endMs: 100, attributes: as('task') },
        { id: 'extra', startMs: 60, endMs: 150, attributes: as('orchestration') },
      ]),
    );
    expect(analysis.warnings).toEqual(['2 root spans: analysed from main, the earliest']);
    expect(analysis.summary.durationMs).toBe(150);
    expect(analysis.summary.breakdown).toEqual({ llm: 0, tool: 0, state: 0, orchestration: 90, other: 60 });
  });

  it('answers an empty trace without throwing', () => {
    const analysis = analyseRecords([]);
    expect(analysis.summary).toMatchObject({
      durationMs: 0,
      spanCount: 0,
      breakdown: { llm: 0, tool: 0, state: 0, orchestration: 0, other: 0 },
    });
    expect(analysis.warnings).toEqual(['empty trace']);
  });
});
