import fc from 'fast-check';
import { analyseRecords, analyseTrace, BREAKDOWN_CATEGORIES, buildTraceSpans, type SpanRecord } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { fixtureRecords, type FixtureSpan } from '../support/span-records.js';

const CATEGORIES = ['llm', 'tool', 'state', 'orchestration', 'other', 'task'] as const;

/**
 * Random traces: a root and up to 40 spans, each under a random earlier span, starting anywhere
 * from a little before its parent (skew) to past it, lasting 0 to a while, with fractional-ms
 * times (so ns/1e6 rounding is exercised), parallel and overlapping siblings, random categories,
 * sometimes a TTFT, sometimes an orphan.
 */
const traceArbitrary = fc
  .record({
    rootMs: fc.double({ min: 0.001, max: 20_000, noNaN: true }),
    spans: fc.array(
      fc.record({
        parentPick: fc.nat(),
        startShare: fc.double({ min: -0.1, max: 1.05, noNaN: true }),
        lengthShare: fc.double({ min: 0, max: 1.1, noNaN: true }),
        category: fc.constantFrom(...CATEGORIES),
        ttftShare: fc.option(fc.double({ min: 0, max: 1.2, noNaN: true }), { nil: undefined }),
        orphan: fc.boolean(),
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ rootMs, spans }) => {
    const fixture: FixtureSpan[] = [{ id: 'r', startMs: 0, endMs: rootMs, attributes: { 'threshold.category': 'task' } }];
    spans.forEach((span, i) => {
      const parent = fixture[span.parentPick % fixture.length];
      const parentLengthMs = parent.endMs - parent.startMs;
      const startMs = parent.startMs + span.startShare * parentLengthMs;
      const endMs = startMs + span.lengthShare * parentLengthMs;
      const attributes: FixtureSpan['attributes'] = { 'threshold.category': span.category };
      if (span.ttftShare !== undefined) attributes['gen_ai.response.time_to_first_chunk'] = (span.ttftShare * (endMs - startMs)) / 1000;
      fixture.push({ id: `s${i}`, parent: span.orphan && i % 7 === 0 ? 'missing' : parent.id, startMs, endMs, attributes });
    });
    return fixtureRecords(fixture);
  });

function checkInvariants(records: SpanRecord[]): void {
  const analysis = analyseRecords(records);
  const { breakdown, durationMs } = analysis.summary;
  const values = BREAKDOWN_CATEGORIES.map((category) => breakdown[category]);
  expect(values.reduce((sum, value) => sum + value, 0)).toBe(durationMs);
  expect([...values].reverse().reduce((sum, value) => sum + value, 0)).toBe(durationMs);
  expect(Object.values(breakdown).reduce((sum, value) => sum + value, 0)).toBe(durationMs);
  for (const value of values) expect(value).toBeGreaterThanOrEqual(0);
  const llm = analysis.llmTime!;
  expect(llm.waitingForFirstTokenMs + llm.generatingMs + llm.unsplitMs).toBe(breakdown.llm);
  expect(Math.min(llm.waitingForFirstTokenMs, llm.generatingMs, llm.unsplitMs)).toBeGreaterThanOrEqual(0);
  expect(analysis.summary.perceivedMs).toBeGreaterThanOrEqual(0);
  expect(analysis.summary.perceivedMs).toBeLessThanOrEqual(durationMs);
  // the critical stretches tile the task window: contiguous, in order, no gaps, no overlaps
  const segments = analysis.criticalSegments!;
  const root = analysis.traceSpans.find((span) => span.spanId === analysis.rootSpanId)!;
  let cursorNs = root.startNs;
  for (const segment of segments) {
    expect(segment.startNs).toBe(cursorNs);
    expect(segment.endNs).toBeGreaterThan(segment.startNs);
    cursorNs = segment.endNs;
  }
  expect(cursorNs - root.startNs).toBe(Math.round(durationMs * 1e6));
  expect(new Set(analysis.criticalPath).size).toBe(analysis.criticalPath.length);
  expect(analysis.criticalPath[0]).toBe(analysis.rootSpanId);
  for (const view of analysis.spans) expect(view.selfMs).toBeGreaterThanOrEqual(0);
}

describe('breakdown over random traces', () => {
  it('sums exactly to the task duration with every bucket non-negative, for parallel, overlapping and skewed children', () => {
    fc.assert(fc.property(traceArbitrary, checkInvariants), { numRuns: 400 });
  });

  it('gives the same answer when analysing the built spans again (what-if re-analysis is stable)', () => {
    fc.assert(
      fc.property(traceArbitrary, (records) => {
        const first = analyseRecords(records);
        const built = buildTraceSpans(records);
        const again = analyseTrace({ ...built, traceId: first.traceId });
        expect(again.summary).toEqual(first.summary);
        expect(again.criticalPath).toEqual(first.criticalPath);
      }),
      { numRuns: 100 },
    );
  });
});
