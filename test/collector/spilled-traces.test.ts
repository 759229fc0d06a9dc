import type { SpanRecord } from '@threshold/core';
import { describe, expect, test } from 'vitest';
import { SpilledTraces, type HeldTraces } from '../../collector/src/assembly/spilled-traces.js';

/**
 * Traces waiting in the store only are looked for in bounded looks, once the backlog is below half
 * its cap and ingest is idle. A store of stored-but-unanalysed traces and a holder stand in for the
 * store and the assembler (the whole path runs against DuckDB in trace-assembly.test.ts).
 */
function storeOf(pendingIds: string[]) {
  const looks: number[] = [];
  return {
    looks,
    pendingIds,
    pendingTraceIds: async (limit?: number) => {
      looks.push(limit ?? Infinity);
      return pendingIds.slice(0, limit);
    },
    loadTraceSpans: async (ids: string[]) => new Map(ids.map((id) => [id, [{ traceId: id, spanId: `${id}-root` } as SpanRecord]])),
  };
}

function holder(heldSpans = 0): HeldTraces & { taken: string[]; held: Set<string> } {
  const taken: string[] = [];
  const held = new Set<string>();
  return {
    taken,
    held,
    has: (traceId) => held.has(traceId),
    spans: () => heldSpans + taken.length,
    resume: (spansByTrace, savedSince) => {
      for (const traceId of spansByTrace.keys()) if (!savedSince.has(traceId)) taken.push(traceId);
    },
  };
}

describe('traces waiting in the store only', () => {
  test('nothing is looked for until traces are spilled or a look is asked for', async () => {
    const store = storeOf(['t1']);
    const spilled = new SpilledTraces({ store, maxPendingSpans: 100 });
    expect(await spilled.look(holder(), false)).toBe(false);
    expect(store.looks).toEqual([]);
  });

  test('spilled spans are counted with the time they began waiting, and a look takes every trace back', async () => {
    const store = storeOf(['t1', 't2']);
    const spilled = new SpilledTraces({ store, maxPendingSpans: 100 });
    spilled.spill(3, 500);
    spilled.spill(2, 700);
    expect([spilled.spans, spilled.waitingSinceMs]).toEqual([5, 500]);
    const held = holder();
    expect(await spilled.look(held, false)).toBe(true);
    expect(held.taken).toEqual(['t1', 't2']);
    expect([spilled.spans, spilled.waitingSinceMs]).toEqual([0, undefined]);
  });

  test('waits while ingest is busy or the backlog holds half its cap or more', async () => {
    const store = storeOf(['t1']);
    const spilled = new SpilledTraces({ store, maxPendingSpans: 100 });
    spilled.lookSoon(0);
    expect(await spilled.look(holder(), true)).toBe(false);
    expect(await spilled.look(holder(51), false)).toBe(false);
    expect(store.looks).toEqual([]);
    expect(await spilled.look(holder(50), false)).toBe(true);
  });

  test('a look is bounded; a full look leaves the next one due', async () => {
    const store = storeOf(['t1', 't2', 't3']);
    const spilled = new SpilledTraces({ store, maxPendingSpans: 100, idsPerLook: 2 });
    spilled.lookSoon(0);
    const held = holder();
    expect(await spilled.look(held, false)).toBe(true);
    expect(held.taken).toEqual(['t1', 't2']);
    expect(spilled.waitingSinceMs).toBe(0);
    store.pendingIds.splice(0, 2);
    expect(await spilled.look(held, false)).toBe(true);
    expect(held.taken).toEqual(['t1', 't2', 't3']);
    expect(spilled.waitingSinceMs).toBeUndefined();
  });

  test('traces held already, or saved while the look ran, are not taken back', async () => {
    const store = storeOf(['held', 'saved', 'waiting']);
    const spilled = new SpilledTraces({ store, maxPendingSpans: 100 });
    const original = store.loadTraceSpans;
    store.loadTraceSpans = async (ids) => {
      spilled.saved(['saved']);
      return original(ids);
    };
    spilled.lookSoon(0);
    const held = holder();
    held.held.add('held');
    await spilled.look(held, false);
    expect(held.taken).toEqual(['waiting']);
  });

  test('a failed batch is looked for from the next sweep on, not within the sweep that failed', async () => {
    const store = storeOf(['t1']);
    const spilled = new SpilledTraces({ store, maxPendingSpans: 100 });
    spilled.failed();
    expect(await spilled.look(holder(), false)).toBe(false);
    spilled.sweepEnded();
    expect(await spilled.look(holder(), false)).toBe(true);
  });

  test('a look asked for without knowing whether anything waits counts as waiting only once it finds traces', async () => {
    const empty = new SpilledTraces({ store: storeOf([]), maxPendingSpans: 100 });
    empty.lookSoon(1_000);
    expect(empty.waitingSinceMs).toBeUndefined(); // an empty store is no lag, however long ingest keeps the look waiting
    expect(await empty.look(holder(), false)).toBe(false);
    expect(empty.waitingSinceMs).toBeUndefined();

    const store = storeOf(['t1', 't2']);
    const left = new SpilledTraces({ store, maxPendingSpans: 100, idsPerLook: 1 });
    left.lookSoon(1_000);
    expect(left.waitingSinceMs).toBeUndefined();
    await left.look(holder(), false);
    expect(left.waitingSinceMs).toBe(1_000); // found traces left by the last run: they have waited since start-up
  });
});
