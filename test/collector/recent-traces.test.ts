import type { SpanRecord } from '@threshold/core';
import { describe, expect, test } from 'vitest';
import { RecentTraces } from '../../collector/src/assembly/recent-traces.js';

/** `count` spans of a trace (only their number matters here). */
const spans = (traceId: string, count: number): SpanRecord[] =>
  Array.from({ length: count }, (_, i) => ({ traceId, spanId: `${traceId}-${i}` }) as SpanRecord);
const analysed = (traceId: string, count: number) => ({ traceId, records: spans(traceId, count), storedSpanCount: count });

describe('recent traces kept for late spans', () => {
  test('a trace remembered is taken back once, with its spans and stored count', () => {
    const recent = new RecentTraces({ windowMs: 1_000, maxSpans: 100 });
    recent.remember([analysed('a', 3)], 0);
    expect(recent.spanCount).toBe(3);
    expect(recent.take('a')).toEqual({ records: spans('a', 3), storedSpanCount: 3, expiresAtMs: 1_000 });
    expect(recent.take('a')).toBeUndefined();
    expect(recent.spanCount).toBe(0);
  });

  test('remembering a trace again replaces what was held of it', () => {
    const recent = new RecentTraces({ windowMs: 1_000, maxSpans: 100 });
    recent.remember([analysed('a', 3)], 0);
    recent.remember([analysed('a', 5)], 10);
    expect(recent.spanCount).toBe(5);
    expect(recent.take('a')?.storedSpanCount).toBe(5);
  });

  test('traces past the window are dropped when others are remembered, by the clock given', () => {
    const recent = new RecentTraces({ windowMs: 1_000, maxSpans: 100 });
    recent.remember([analysed('old', 2)], 0);
    recent.remember([analysed('new', 2)], 1_000);
    expect(recent.take('old')).toBeUndefined();
    expect(recent.take('new')?.records).toHaveLength(2);
  });

  test('beyond the span bound the oldest traces go first', () => {
    const recent = new RecentTraces({ windowMs: 60_000, maxSpans: 5 });
    recent.remember([analysed('a', 2), analysed('b', 2)], 0);
    recent.remember([analysed('c', 2)], 1);
    expect(recent.spanCount).toBe(4);
    expect([recent.take('a'), recent.take('b')?.records.length, recent.take('c')?.records.length]).toEqual([undefined, 2, 2]);
  });

  test('a trace analysed on a thread is kept with the parts never decoded here, counted by its stored spans', () => {
    const recent = new RecentTraces({ windowMs: 60_000, maxSpans: 30 });
    const body = new Uint8Array([1, 2, 3]);
    recent.remember([{ traceId: 'a', records: spans('a', 1), later: [body, spans('a', 2)], storedSpanCount: 20 }], 0);
    expect(recent.spanCount).toBe(20);
    recent.remember([analysed('b', 15)], 1);
    expect(recent.take('a')).toBeUndefined(); // 35 spans: the oldest went
    expect(recent.take('b')?.records).toHaveLength(15);
    recent.remember([{ traceId: 'c', records: [], later: [body], storedSpanCount: 4 }], 2);
    expect(recent.take('c')).toEqual({ records: [], later: [body], storedSpanCount: 4, expiresAtMs: 60_002 });
  });
});
