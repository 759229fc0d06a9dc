import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TASK_CLASS_CONFIG, type TraceList } from '@threshold/core';
import { DuckDbStore, decodeStoredRequest } from '@threshold/collector';
import { runRefusedStart, startCollectorProcess } from '../support/collector-process.js';
import { pollUntil, sendTrace, workloadTraceId } from './acknowledged-traces.js';

const listIds = async (url: string) =>
  ((await (await fetch(`${url}/api/traces?limit=1000`)).json()) as TraceList).traces.map((trace) => trace.traceId).sort();

describe('retention', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-retention-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('removes traces older than the configured age on its schedule, spans included, and keeps ingesting meanwhile', async () => {
    const nowMs = Date.now();
    // --retention 60s: traces that started 30 s ago expire half a minute into the test, fresh ones stay.
    const collector = await startCollectorProcess({ dataDir, args: ['--retention', '60s'] });
    const ageing = [0, 1, 2].map((sequence) => workloadTraceId(40, sequence));
    const fresh = [0, 1].map((sequence) => workloadTraceId(41, sequence));
    const ancient = workloadTraceId(42, 0);
    try {
      for (const traceId of ageing) expect(await sendTrace(collector.url, traceId, nowMs - 30_000)).toBe(200);
      expect(await sendTrace(collector.url, ancient, nowMs - 86_400_000)).toBe(200);
      for (const traceId of fresh) expect(await sendTrace(collector.url, traceId, nowMs + 60_000)).toBe(200);
      // The day-old trace goes at the first pass after its analysis; the others are all there.
      await pollUntil(
        () => listIds(collector.url),
        (ids) => ids.length === 5 && !ids.includes(ancient),
        20_000,
        'first retention pass',
      );
      expect(await listIds(collector.url)).toEqual([...ageing, ...fresh].sort());
      // Ingest goes on while retention runs.
      let sequence = 0;
      const expired = await pollUntil(
        async () => {
          expect(await sendTrace(collector.url, workloadTraceId(43, sequence++), Date.now() + 60_000)).toBe(200);
          return listIds(collector.url);
        },
        (ids) => !ids.some((id) => ageing.includes(id)),
        60_000,
        'ageing traces expired',
      );
      expect(expired.filter((id) => fresh.includes(id))).toEqual(fresh.sort());
    } finally {
      await collector.terminate();
    }
    // Their spans went with them: the stored data a restart starts from holds nothing of the removed
    // traces, so nothing of them can be analysed again (asked of the store, not waited for).
    const removed = [...ageing, ancient];
    const store = await DuckDbStore.open(dataDir, { taskClasses: DEFAULT_TASK_CLASS_CONFIG, decodeRequest: decodeStoredRequest });
    try {
      expect((await store.pendingTraceIds(10_000)).filter((id) => removed.includes(id))).toEqual([]);
      expect([...(await store.loadTraceSpans(removed)).keys()]).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('refuses a retention it cannot read', async () => {
    const refused = await runRefusedStart(['--retention', 'a week']);
    expect(refused.exitCode).toBe(2);
    expect(refused.output).toContain('retention must look like 90s, 30m, 12h or 7d, got "a week"');
  });
});
