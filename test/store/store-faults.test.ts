import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TASK_CLASS_CONFIG } from '@threshold/core';
import { afterAll, describe, expect, test } from 'vitest';
import { DuckDbStore, decodeStoredRequest } from '@threshold/collector';
import { StoreUnavailableError } from '../../collector/src/store/store-fault.js';
import { agentWorkload, ingestBatch, traceBody } from './agent-workload.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const open = (dataDir: string) => DuckDbStore.open(dataDir, { taskClasses: DEFAULT_TASK_CLASS_CONFIG, decodeRequest: decodeStoredRequest });

/** Span ids stored for each trace, sorted. */
async function storedSpanIds(store: DuckDbStore, traceIds: readonly string[]): Promise<Record<string, string[]>> {
  const spans = await store.loadTraceSpans(traceIds);
  return Object.fromEntries(traceIds.map((id) => [id, (spans.get(id) ?? []).map((span) => span.spanId).sort()]));
}

describe('a DuckDB store whose database DuckDB invalidates', () => {
  test('refuses work with a retryable fault, reopens the database by itself and keeps everything committed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'threshold-fault-'));
    dirs.push(dataDir);
    const store = await open(dataDir);
    const traces = agentWorkload(6);
    for (const trace of traces.slice(0, 3)) await store.appendBatches([ingestBatch(traceBody(trace))]);
    let recovered = 0;
    store.onRecovered(() => recovered++);

    // A checkpoint that aborts: DuckDB's own fatal error, after which it refuses every statement.
    await store.invalidateForTest();
    const refused = await store.appendBatches([ingestBatch(traceBody(traces[3]))]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(['invalidated', 'recovering']).toContain((refused as StoreUnavailableError).kind);
    expect((refused as StoreUnavailableError).retryAfterSeconds).toBe(5);
    expect(store.faults.current().map((fault) => fault.kind)).toEqual(['invalidated']);
    expect(store.faults.current()[0].message).toMatch(/^FATAL Error: Failed to create checkpoint/);

    await store.settled();
    expect(recovered).toBe(1);
    expect(store.faults.current()).toEqual([]);
    expect(store.faults.totals()).toEqual({ faults: { invalidated: 1, 'disk-full': 0, 'out-of-memory': 0, recovering: 0 }, recoveries: 1 });
    for (const trace of traces.slice(3)) await store.appendBatches([ingestBatch(traceBody(trace))]);
    const expected = Object.fromEntries(traces.map((trace) => [trace.traceId, trace.spans.map((span) => span.spanId).sort()]));
    expect(
      await storedSpanIds(
        store,
        traces.map((trace) => trace.traceId),
      ),
    ).toEqual(expected);
    expect(new Set(await store.pendingTraceIds())).toEqual(new Set(traces.map((trace) => trace.traceId)));
    await store.close();

    // And after a restart, the same.
    const reopened = await open(dataDir);
    expect(
      await storedSpanIds(
        reopened,
        traces.map((trace) => trace.traceId),
      ),
    ).toEqual(expected);
    await reopened.close();
  });
});

/** Mounts a tmpfs of `megabytes` (the collector's tests run as root, as CI does). */
function smallDisk(megabytes: number): { dir: string; unmount: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'threshold-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  return { dir, unmount: () => execFileSync('umount', ['-l', dir]) };
}

describe('a DuckDB store on a full disk', () => {
  test('answers a write with a retryable disk-full fault, keeps what it acknowledged, and takes writes again once there is room', async () => {
    const disk = smallDisk(24);
    try {
      const dataDir = join(disk.dir, 'data');
      mkdirSync(dataDir);
      const store = await open(dataDir);
      const traces = agentWorkload(200);
      const acknowledged: typeof traces = [];
      await store.appendBatches([ingestBatch(traceBody(traces[0]))]);
      acknowledged.push(traces[0]);
      // Fill the disk to the last byte.
      let chunk = 0;
      try {
        for (;;) writeFileSync(join(disk.dir, `filler-${chunk++}`), Buffer.alloc(256 * 1024, 1));
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      for (let small = 0; ; small++) {
        try {
          writeFileSync(join(disk.dir, `filler-tail-${small}`), Buffer.alloc(512, 1));
        } catch {
          break;
        }
      }
      // A write may still fit in the slack of a file's last page; the first that needs a page is refused.
      let refused: unknown;
      let next = 1;
      while (refused === undefined && next < traces.length) {
        const trace = traces[next++];
        refused = await store.appendBatches([ingestBatch(traceBody(trace))]).then(
          () => {
            acknowledged.push(trace);
            return undefined;
          },
          (error: unknown) => error,
        );
      }
      expect(refused).toBeInstanceOf(StoreUnavailableError);
      expect((refused as StoreUnavailableError).kind).toBe('disk-full');
      expect((refused as StoreUnavailableError).retryAfterSeconds).toBe(30);
      expect(store.faults.current().map((fault) => fault.kind)).toEqual(['disk-full']);

      // Room again: the next writes go through and the fault is gone.
      for (let i = 0; i < chunk; i++) rmSync(join(disk.dir, `filler-${i}`), { force: true });
      await store.settled();
      for (const trace of traces.slice(next, next + 3)) {
        await store.appendBatches([ingestBatch(traceBody(trace))]);
        acknowledged.push(trace);
      }
      expect(store.faults.current()).toEqual([]);
      expect(store.faults.totals().recoveries).toBeGreaterThanOrEqual(1);
      // Every acknowledged trace is stored whole.
      const ids = acknowledged.map((trace) => trace.traceId);
      expect(await storedSpanIds(store, ids)).toEqual(
        Object.fromEntries(acknowledged.map((trace) => [trace.traceId, trace.spans.map((span) => span.spanId).sort()])),
      );
      await store.close();
    } finally {
      disk.unmount();
    }
  });
});
