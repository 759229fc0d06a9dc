import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceSpan } from '@threshold/core';
import type { TraceEdit } from '../../packages/core/src/what-if/index.js';
import { applyEdits } from '../../packages/core/src/what-if/apply-edits.js';
import { sketch } from './recommendations-fixtures.js';

/**
 * Random well-nested traces (every child inside its parent) and random edits. Whatever the
 * edits, projection only ever moves time out: nothing starts later, lasts longer or leaves its
 * parent, and without edits nothing moves at all.
 */
const traceArbitrary = fc
  .array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
    minLength: 1,
    maxLength: 25,
  })
  .map((shape) => {
    const spans: TraceSpan[] = [sketch('s0', 0, 10_000)];
    shape.forEach(([parentPick, a, b], i) => {
      const parent = spans[parentPick % spans.length];
      const parentStartMs = parent.startNs / 1e6;
      const lengthMs = (parent.endNs - parent.startNs) / 1e6;
      const startMs = Math.round(parentStartMs + Math.min(a, b) * lengthMs);
      const endMs = Math.max(startMs, Math.round(parentStartMs + Math.max(a, b) * lengthMs));
      spans.push(sketch(`s${i + 1}`, startMs, endMs, { parent: parent.spanId }));
    });
    return spans;
  });

const editsArbitrary = (spans: TraceSpan[]) =>
  fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant('shorten' as const),
        spanId: fc.constantFrom(...spans.map((s) => s.spanId)),
        durationMs: fc.nat({ max: 5_000 }),
      }),
      fc.record({
        kind: fc.constant('start-with' as const),
        anchorSpanId: fc.constantFrom(...spans.map((s) => s.spanId)),
        spanIds: fc.subarray(spans.map((s) => s.spanId)),
      }),
    ),
    { maxLength: 6 },
  ) as fc.Arbitrary<TraceEdit[]>;

describe('applyEdits (properties)', () => {
  it('without edits every span keeps its timing', () => {
    fc.assert(
      fc.property(traceArbitrary, (spans) => {
        expect(applyEdits(spans, [])).toEqual(spans);
      }),
    );
  });

  it('edits never start a span later, lengthen it, or move it outside its parent', () => {
    fc.assert(
      fc.property(
        traceArbitrary.chain((spans) => fc.tuple(fc.constant(spans), editsArbitrary(spans))),
        ([spans, edits]) => {
          const after = new Map(applyEdits(spans, edits).map((span) => [span.spanId, span]));
          for (const before of spans) {
            const moved = after.get(before.spanId)!;
            expect(moved.startNs).toBeLessThanOrEqual(before.startNs);
            expect(moved.endNs - moved.startNs).toBeLessThanOrEqual(before.endNs - before.startNs);
            expect(moved.endNs).toBeGreaterThanOrEqual(moved.startNs);
            if (before.parentSpanId !== undefined) {
              const parent = after.get(before.parentSpanId)!;
              expect(moved.startNs).toBeGreaterThanOrEqual(parent.startNs);
              expect(moved.endNs).toBeLessThanOrEqual(parent.endNs);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
