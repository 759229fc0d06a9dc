import { analyseRecords } from '@threshold/core';
import { START_JITTER_TOLERANCE_NS } from '../../packages/core/src/analysis/critical-path.js';
import { describe, expect, it } from 'vitest';
import { sequentialCriticalMs } from '../support/sequential-overlap.js';
import { drawTimeline, drawing, fixtureRecords, type FixtureSpan } from '../support/span-records.js';

/**
 * Two tools a model asked for at once start within clock jitter of each other, in either order.
 * Only the longer one is what the user waited on; the shorter one must not become critical for
 * the µs by which it happened to start first (START_JITTER_TOLERANCE_NS, 1 ms).
 *
 *   turn    |==================================|
 *   call    |==================================|   streamed llm span held open by its tools
 *   long         |=======================|         tool, 300 ms
 *   short        |=========|                       tool, 100 ms, starting 3 µs before or after long
 */
const as = (category: string, extra: Record<string, string> = {}) => ({ 'threshold.category': category, ...extra });

function parallelTools(shortStartMs: number, longStartMs: number): FixtureSpan[] {
  return [
    { id: 'turn', startMs: 0, endMs: 500, attributes: as('task') },
    { id: 'call', parent: 'turn', startMs: 0, endMs: 500, attributes: as('llm') },
    { id: 'long', parent: 'call', startMs: longStartMs, endMs: longStartMs + 300, attributes: as('tool', { 'gen_ai.tool.name': 'long' }) },
    {
      id: 'short',
      parent: 'call',
      startMs: shortStartMs,
      endMs: shortStartMs + 100,
      attributes: as('tool', { 'gen_ai.tool.name': 'short' }),
    },
  ];
}

describe('critical path under clock jitter between parallel tools', () => {
  it('is drawn as described', () => {
    expect(drawTimeline(parallelTools(100, 100), 14)).toBe(
      drawing(`
        turn  |===================================|
        call  |===================================|
        long         |=====================|
        short        |======|
      `),
    );
  });

  it('keeps only the longer tool critical when the shorter one started 3 µs earlier', () => {
    const analysis = analyseRecords(fixtureRecords(parallelTools(99.997, 100)));
    expect(analysis.criticalPath).toEqual(['turn', 'call', 'long']);
    expect(analysis.criticalSegments).toEqual([
      { spanId: 'call', startNs: 0, endNs: 100_000_000 },
      { spanId: 'long', startNs: 100_000_000, endNs: 400_000_000 },
      { spanId: 'call', startNs: 400_000_000, endNs: 500_000_000 },
    ]);
    expect(analysis.summary.breakdown).toEqual({ llm: 200, tool: 300, state: 0, orchestration: 0, other: 0 });
  });

  it('keeps only the longer tool critical when the shorter one started 3 µs later', () => {
    const analysis = analyseRecords(fixtureRecords(parallelTools(100.003, 100)));
    expect(analysis.criticalPath).toEqual(['turn', 'call', 'long']);
    expect(analysis.spans.map((span) => [span.spanId, span.critical])).toEqual([
      ['turn', true],
      ['call', true],
      ['long', true],
      ['short', false],
    ]);
    expect(analysis.summary.breakdown).toEqual({ llm: 200, tool: 300, state: 0, orchestration: 0, other: 0 });
  });

  it('treats a whole-millisecond rounding (exactly the tolerance) as simultaneous', () => {
    expect(START_JITTER_TOLERANCE_NS).toBe(1_000_000);
    const analysis = analyseRecords(fixtureRecords(parallelTools(99, 100)));
    expect(analysis.criticalPath).toEqual(['turn', 'call', 'long']);
    expect(analysis.summary.breakdown).toEqual({ llm: 200, tool: 300, state: 0, orchestration: 0, other: 0 });
  });

  it('still gives a tool that really started earlier its stretch up to the next critical start', () => {
    const analysis = analyseRecords(fixtureRecords(parallelTools(95, 100)));
    expect(analysis.criticalPath).toEqual(['turn', 'call', 'short', 'long']);
    expect(analysis.criticalSegments).toEqual([
      { spanId: 'call', startNs: 0, endNs: 95_000_000 },
      { spanId: 'short', startNs: 95_000_000, endNs: 100_000_000 },
      { spanId: 'long', startNs: 100_000_000, endNs: 400_000_000 },
      { spanId: 'call', startNs: 400_000_000, endNs: 500_000_000 },
    ]);
    expect(analysis.summary.breakdown).toEqual({ llm: 195, tool: 305, state: 0, orchestration: 0, other: 0 });
  });

  it('gives steps recorded overlapping by a fraction of a ms (whole-ms starts) the overlap to the later one', () => {
    // A LangGraph node: the model call ends 0.044 ms after the routing step that follows it was recorded as starting.
    const steps: FixtureSpan[] = [
      { id: 'graph', startMs: 0, endMs: 400, attributes: as('task') },
      { id: 'agent', parent: 'graph', startMs: 1, endMs: 399, attributes: as('orchestration') },
      { id: 'sequence', parent: 'agent', startMs: 2, endMs: 200.044, attributes: as('orchestration') },
      { id: 'call', parent: 'sequence', startMs: 3, endMs: 200.044, attributes: as('llm') },
      { id: 'route', parent: 'agent', startMs: 200, endMs: 201, attributes: as('orchestration') },
    ];
    const analysis = analyseRecords(fixtureRecords(steps));
    expect(analysis.criticalPath).toEqual(['graph', 'agent', 'sequence', 'call', 'route']);
    expect(analysis.summary.breakdown.llm).toBeCloseTo(197, 9);
    const call = analysis.spans.find((span) => span.spanId === 'call')!;
    expect(call.durationMs).toBeCloseTo(197.044, 9);
    expect(sequentialCriticalMs(analysis.spans, call)).toBeCloseTo(197, 9);
  });
});
