import { describe, expect, test } from 'vitest';
import { CommitQueue, QueueFullError } from '../../collector/src/ingest/commit-queue.js';
import { retryAfterSeconds } from '../../collector/src/ingest/retry-after.js';
import type { IngestBatch } from '../../collector/src/store/span-log.js';

const batchOf = (spans: number): IngestBatch => ({
  traceSpanCounts: new Map([['4bf92f3577b34da6a3ce929d0e0e4736', spans]]),
  spanCount: spans,
  body: new Uint8Array(),
  request: { format: 'protobuf', encoding: 'identity', bytes: new Uint8Array() },
});

/** A queue whose transactions finish only when the test calls `finish()` (the latest one started). */
function gatedQueue(options: { maxQueuedSpans: number; admissionWaitMs?: number }) {
  let finishCommit = () => {};
  const queue = new CommitQueue({
    commit: () => new Promise<void>((resolve) => (finishCommit = resolve)),
    onCommitted: () => undefined,
    ...options,
  });
  return { queue, finish: () => finishCommit() };
}

describe('ingest queue congestion and Retry-After', () => {
  test('counts from the first request that finds the queue full until requests find room again', async () => {
    const { queue, finish: finishCommit } = gatedQueue({ maxQueuedSpans: 4, admissionWaitMs: 60_000 });
    const first = queue.enqueue(batchOf(4));
    expect(queue.congestionSeconds()).toBe(0);
    const before = performance.now();
    const waiting = queue.enqueue(batchOf(2)); // full: waits for room
    expect(queue.congestionSeconds(before + 5_000)).toBeGreaterThan(4.9);
    expect(queue.congestionSeconds(before + 5_000)).toBeLessThanOrEqual(5);
    // Beyond half the queue waiting, a request is refused at once.
    expect(() => queue.enqueue(batchOf(1))).toThrow(QueueFullError);
    await new Promise((resolve) => setImmediate(resolve));
    finishCommit();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    finishCommit();
    await waiting;
    expect(queue.congestionSeconds()).toBe(0);
  });

  test('Retry-After is 1 s plus the congestion, in whole seconds, at most 30', () => {
    expect([0, 0.2, 2, 2.1, 29, 29.5, 600].map(retryAfterSeconds)).toEqual([1, 2, 3, 4, 30, 30, 30]);
  });
});

describe('ingest queue: preparing requests for storage', () => {
  test('commits each request in its prepared form; a request whose preparation fails is refused alone', async () => {
    const committed: IngestBatch[][] = [];
    const queue = new CommitQueue({
      commit: async (batches) => {
        committed.push(batches);
      },
      onCommitted: () => undefined,
      prepare: (batch) => {
        if (batch.spanCount === 3) throw new Error('cannot compress');
        return { ...batch, request: { ...batch.request, encoding: 'br' } };
      },
      maxQueuedSpans: 100,
    });
    const results = await Promise.allSettled([queue.enqueue(batchOf(1)), queue.enqueue(batchOf(3)), queue.enqueue(batchOf(2))]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('cannot compress'));
    expect(committed.flat().map((batch) => [batch.spanCount, batch.request.encoding])).toEqual([
      [1, 'br'],
      [2, 'br'],
    ]);
    expect(queue.depth).toBe(0);
  });
});

describe('ingest queue idleness', () => {
  test('calls an idle listener at once when idle, after the transaction in flight otherwise, never once cancelled', async () => {
    const { queue, finish } = gatedQueue({ maxQueuedSpans: 100 });
    const calls: string[] = [];
    queue.onIdle(() => calls.push('idle now'));
    expect(calls).toEqual(['idle now']);

    const stored = queue.enqueue(batchOf(5));
    queue.onIdle(() => calls.push('after commit'));
    const cancel = queue.onIdle(() => calls.push('cancelled'));
    cancel();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['idle now']);
    finish();
    await stored;
    await queue.drain();
    expect(calls).toEqual(['idle now', 'after commit']);
  });
});
