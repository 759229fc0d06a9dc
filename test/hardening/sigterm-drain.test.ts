import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceList } from '@threshold/core';
import { startCollectorProcess } from '../support/collector-process.js';
import { sendTrace, workloadTraceId } from './acknowledged-traces.js';

const BASE_MS = Date.UTC(2026, 0, 6, 9, 0, 0);
const EXPORTERS = 4;
const SIGNAL_AFTER_ACKS = 30;

describe('SIGTERM', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-sigterm-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes in-flight requests, analyses pending traces and stores them, then exits 0', async () => {
    // A quiet period of an hour: only the drain can analyse these traces before the exit.
    const collector = await startCollectorProcess({ dataDir, args: ['--quiet-period-ms', '3600000'] });
    const outcomes: Array<number | string> = [];
    let exitCode: Promise<number | string> | undefined;
    const exporter = async (index: number) => {
      for (let sequence = 0; sequence < 10_000; sequence++) {
        try {
          outcomes.push(await sendTrace(collector.url, workloadTraceId(20 + index, sequence), BASE_MS + sequence));
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause?.code;
          outcomes.push(cause === 'ECONNREFUSED' || cause === 'ECONNRESET' || cause === 'UND_ERR_SOCKET' ? 'closed' : String(error));
          return;
        }
        if (outcomes.filter((outcome) => outcome === 200).length >= SIGNAL_AFTER_ACKS) exitCode ??= collector.terminate();
      }
    };
    await Promise.all(Array.from({ length: EXPORTERS }, (_, index) => exporter(index)));
    expect(await exitCode).toBe(0);
    const answered = outcomes.filter((outcome) => outcome === 200).length;
    // Every request was stored (200), told to retry elsewhere or later because the collector is
    // shutting down (503 + Retry-After, sent only to requests that arrived after the signal), or
    // found the connection closed: nothing hangs, nothing is answered 200 and lost.
    expect(outcomes.filter((outcome) => outcome !== 200 && outcome !== 503 && outcome !== 'closed')).toEqual([]);
    expect(answered).toBeGreaterThanOrEqual(SIGNAL_AFTER_ACKS);

    // Reopened with the same hour-long quiet period and nothing new sent: the drain stored the analyses.
    const reopened = await startCollectorProcess({ dataDir, args: ['--quiet-period-ms', '3600000'] });
    try {
      const list = (await (await fetch(`${reopened.url}/api/traces?limit=1000`)).json()) as TraceList;
      expect(list.total).toBe(answered);
      expect(list.traces.filter((trace) => trace.spanCount !== 3 || trace.durationMs !== 100)).toEqual([]);
    } finally {
      await reopened.stop();
    }
  }, 60_000);
});
