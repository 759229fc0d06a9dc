import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceDetail } from '@threshold/core';
import { startCollectorProcess } from '../support/collector-process.js';
import { pollUntil, sendTrace, SPANS_PER_TRACE, TRACE_DURATION_MS, workloadTraceId } from './acknowledged-traces.js';

const EXPORTERS = 4;
/** Acknowledged requests after which the collector is killed with SIGKILL, one round each. */
const KILL_POINTS = [5, 40, 120];
const BASE_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

/**
 * Several exporters send traces until the process dies under them; every trace whose request got
 * a 200 is recorded as acknowledged. Returns when the kill has happened and every exporter stopped.
 */
async function ingestUntilKilled(url: string, round: number, killAfterAcks: number, kill: () => Promise<unknown>): Promise<string[]> {
  const acknowledged: string[] = [];
  let killing: Promise<unknown> | undefined;
  const exporter = async (index: number) => {
    for (let sequence = 0; sequence < 100_000; sequence++) {
      const traceId = workloadTraceId(round * 10 + index, sequence);
      let status: number;
      try {
        status = await sendTrace(url, traceId, BASE_MS + round * 60_000 + sequence);
      } catch {
        return; // the connection died with the process: this request was never acknowledged
      }
      if (status === 200) acknowledged.push(traceId);
      if (acknowledged.length >= killAfterAcks) killing ??= kill();
    }
  };
  await Promise.all(Array.from({ length: EXPORTERS }, (_, index) => exporter(index)));
  await killing;
  return acknowledged;
}

describe('kill -9 during sustained ingest', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-kill-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged span at every kill point, and every trace re-analyses after restart', async () => {
    const acknowledged: string[] = [];
    for (const [round, killPoint] of KILL_POINTS.entries()) {
      const collector = await startCollectorProcess({ dataDir });
      const acks = await ingestUntilKilled(collector.url, round, killPoint, () => collector.kill9());
      expect(await collector.exited).toBe('SIGKILL');
      expect(acks.length).toBeGreaterThanOrEqual(killPoint);
      acknowledged.push(...acks);
    }

    const collector = await startCollectorProcess({ dataDir });
    try {
      const missing: string[] = [];
      const wrong: string[] = [];
      for (const traceId of acknowledged) {
        const detail = await pollUntil(
          async () => {
            const response = await fetch(`${collector.url}/api/traces/${traceId}`);
            return response.status === 200 ? ((await response.json()) as TraceDetail) : undefined;
          },
          (value) => value !== undefined,
          15_000,
          `analysis of ${traceId}`,
        ).catch(() => undefined);
        if (!detail) missing.push(traceId);
        else if (detail.summary.spanCount !== SPANS_PER_TRACE || detail.summary.durationMs !== TRACE_DURATION_MS) wrong.push(traceId);
      }
      console.log(
        `kill -9 at ${KILL_POINTS.join(', ')} acknowledged requests: ${acknowledged.length} traces (${acknowledged.length * SPANS_PER_TRACE} spans) acknowledged, ${missing.length} missing`,
      );
      expect({ missing, wrong }).toEqual({ missing: [], wrong: [] });
    } finally {
      await collector.stop();
    }
  }, 120_000);
});
