import fc from 'fast-check';
import { analyseRecords, BREAKDOWN_CATEGORIES, type SpanRecord } from '@threshold/core';
import { analyseTrace } from '../../packages/core/src/analysis/analyse-trace.js';
import { buildTraceSpans } from '../../packages/core/src/analysis/build-trace-spans.js';
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
    fc.assert(fc.property(traceArbitrary, checkInvariants), { numRuns: 300 });
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

/** Every key some classifier or extractor reads, so random values hit every reading path. */
const KNOWN_KEYS = [
  'threshold.category',
  'threshold.state.operation',
  'threshold.orchestration.kind',
  'threshold.task.class',
  'threshold.task.budget_ms',
  'threshold.turn',
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.request.model',
  'gen_ai.request.stream',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.response.time_to_first_chunk',
  'gen_ai.tool.name',
  'gen_ai.tool.call.arguments',
  'gen_ai.conversation.id',
  'ai.operationId',
  'ai.response.msToFirstChunk',
  'ai.model.provider',
  'ai.toolCall.args',
  'openinference.span.kind',
  'llm.invocation_parameters',
  'llm.token_count.prompt',
  'traceloop.span.kind',
  'llm.request.type',
  'mastra.span.type',
  'mastra.completion_start_time',
  'completion_start_time',
  'langsmith.span.kind',
  'db.system',
  'db.operation.name',
  'messaging.system',
  'http.request.method',
  'session.id',
  'threshold.tool.cache_hit',
];

const attributeValue = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    'llm',
    'tool',
    'chat',
    'execute_tool',
    'invoke_agent',
    'LLM',
    'TOOL',
    'workflow',
    'true',
    '1e400',
    '-5',
    '2023-11-14T22:13:20Z',
  ),
  fc.array(fc.string(), { maxLength: 3 }),
);

describe('normalisation over arbitrary attribute values', () => {
  it('never throws, whatever type each convention’s keys hold, and keeps the breakdown exact', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.constantFrom(...KNOWN_KEYS), attributeValue, { maxKeys: 8 }), { minLength: 1, maxLength: 8 }),
        (attributeSets) => {
          const spans: FixtureSpan[] = attributeSets.map((attributes, i) => ({
            id: `s${i}`,
            parent: i === 0 ? undefined : `s${Math.floor(i / 2)}`,
            startMs: i * 3,
            endMs: 100 - i,
            attributes,
            events: i % 3 === 0 ? [{ name: 'ai.stream.firstChunk', atMs: i * 3 + 1 }] : [],
          }));
          checkInvariants(fixtureRecords(spans));
        },
      ),
      { numRuns: 200 },
    );
  });
});
