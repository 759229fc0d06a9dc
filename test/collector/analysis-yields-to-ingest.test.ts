import { describe, expect, test } from 'vitest';
import { AnalysisSlicer, BUSY_WAIT_MAX_MS, SLICE_MS } from '../../collector/src/assembly/analysis-slicer.js';
import { ManualClock } from './manual-clock.js';

/**
 * Analysis shares the event loop with ingest in slices of SLICE_MS, measured by the injected
 * clock: the work below "takes" time by moving the clock, so no test spins the CPU or waits on a
 * real timer; the bounded wait for a busy ingest is the clock's timeout, fired by `advance`.
 */
interface IngestProbe {
  busy: boolean;
  /** What a subscription does: 'never' (ingest stays busy) or 'at-once' (ingest goes idle). */
  idle: 'never' | 'at-once';
  behind?: boolean;
  subscriptions: number;
  cancelled: number;
  called: number;
}

const probeOf = (busy: boolean, idle: IngestProbe['idle'], behind = false): IngestProbe => ({
  busy,
  idle,
  behind,
  subscriptions: 0,
  cancelled: 0,
  called: 0,
});

function slicerFor(clock: ManualClock, probe: IngestProbe): AnalysisSlicer {
  return new AnalysisSlicer({
    clock,
    ingestBusy: () => probe.busy,
    analysisFirst: () => probe.behind === true,
    onIngestIdle: (listener) => {
      probe.subscriptions++;
      let live = true;
      if (probe.idle === 'at-once') {
        setImmediate(() => {
          if (!live) return;
          live = false;
          probe.called++;
          listener();
        });
      }
      return () => {
        if (live) probe.cancelled++;
        live = false;
      };
    },
  });
}

/**
 * Runs `items` through the slicer, each "taking" `costMs` of clock time. While ingest never goes
 * idle, the clock is moved past every wait the slicer sets (its time bound is all that ends it).
 */
async function sliceAll(probe: IngestProbe, items: number, costMs: number): Promise<{ results: number[]; clock: ManualClock }> {
  const clock = new ManualClock();
  const running = slicerFor(clock, probe).map(
    Array.from({ length: items }, (_, i) => i),
    (item) => {
      clock.advance(costMs);
      return [item * 10];
    },
  );
  let done = false;
  void running.finally(() => (done = true));
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    if (probe.idle === 'never' && clock.pendingTimeouts > 0) clock.advance(BUSY_WAIT_MAX_MS);
  }
  return { results: await running, clock };
}

describe('analysis yields to ingest', () => {
  test('while ingest stays busy, every item is analysed, each slice followed by a wait that its time bound ends', async () => {
    const probe = probeOf(true, 'never');
    const { results, clock } = await sliceAll(probe, 5, SLICE_MS + 2);
    expect(results).toEqual([0, 10, 20, 30, 40]);
    // Every item fills a slice: a wait after each, each ended by its bound and its subscription cancelled.
    expect([probe.subscriptions, probe.cancelled, probe.called]).toEqual([5, 5, 0]);
    expect(clock.pendingTimeouts).toBe(0);
  });

  test('a wait ends as soon as ingest goes idle, its time bound cleared', async () => {
    const probe = probeOf(true, 'at-once');
    const { results, clock } = await sliceAll(probe, 5, SLICE_MS + 2);
    expect(results).toEqual([0, 10, 20, 30, 40]);
    expect([probe.subscriptions, probe.called, probe.cancelled]).toEqual([5, 5, 0]);
    expect(clock.pendingTimeouts).toBe(0);
  });

  test('short items share a slice: one yield per SLICE_MS of work', async () => {
    const probe = probeOf(true, 'at-once');
    const { results } = await sliceAll(probe, 8, 1);
    expect(results).toHaveLength(8);
    expect(probe.subscriptions).toBe(8 / SLICE_MS);
  });

  test('with ingest idle, analysis never waits for it', async () => {
    const probe = probeOf(false, 'never');
    expect((await sliceAll(probe, 5, SLICE_MS + 2)).results).toHaveLength(5);
    expect(probe.subscriptions).toBe(0);
  });

  test('when analysis is behind, it stops waiting for a busy ingest', async () => {
    const probe = probeOf(true, 'never', true);
    expect((await sliceAll(probe, 5, SLICE_MS + 2)).results).toHaveLength(5);
    expect(probe.subscriptions).toBe(0);
  });
});
