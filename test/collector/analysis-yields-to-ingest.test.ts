import { DuckDbStore, decodeStoredRequest, resolveOptions } from '@threshold/collector';
import { analyseRecords, type SpanRecord } from '@threshold/core';
import { afterEach, describe, expect, test } from 'vitest';
import { TraceAssembler } from '../../collector/src/assembly/trace-assembler.js';
import { decodedIngestBatch, type IngestBatch } from '../../collector/src/store/store.js';
import { ManualClock } from './manual-clock.js';
import { otlpJsonBody, spanIdOf, traceIdOf } from './otlp-json-body.js';

const TRACES = 5;
const QUIET_MS = 100;
const { taskClasses } = resolveOptions({});

/** One request of TRACES single-span traces. */
function requestOfTraces(): IngestBatch {
  const spans = Array.from({ length: TRACES }, (_, i) => ({ traceId: traceIdOf(0x70 + i), spanId: spanIdOf(1), name: `task ${i}`, startMs: 0, endMs: 50 }));
  const bytes = new TextEncoder().encode(otlpJsonBody('yield', Date.now() - 60_000, spans));
  return decodedIngestBatch(decodeStoredRequest('json', bytes), bytes, { format: 'json', encoding: 'identity', bytes });
}

/** Analysis that takes longer than one slice (4 ms), so every trace ends a slice. */
function slowAnalysis(records: SpanRecord[]) {
  const until = performance.now() + 6;
  while (performance.now() < until);
  return analyseRecords(records, taskClasses);
}

interface IngestProbe {
  busy: boolean;
  /** What a subscription does: 'never' (ingest stays busy) or 'at-once' (ingest goes idle). */
  idle: 'never' | 'at-once';
  subscriptions: number;
  cancelled: number;
  called: number;
}

describe('analysis yields to ingest', () => {
  let store: DuckDbStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function analyseAll(probe: IngestProbe): Promise<number> {
    store = await DuckDbStore.open(':memory:', { taskClasses, decodeRequest: decodeStoredRequest });
    const clock = new ManualClock();
    const assembler = new TraceAssembler({
      store,
      decodeScanned: () => [],
      analyse: slowAnalysis,
      findings: () => [],
      onAnalysed: () => undefined,
      quietPeriodMs: QUIET_MS,
      clock,
      recentWindowMs: 60_000,
      maxRecentSpans: 1_000,
      maxBatchTraces: 100,
      maxPendingSpans: 1_000,
      ingestBusy: () => probe.busy,
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
    assembler.add([requestOfTraces()]);
    clock.advance(QUIET_MS);
    await assembler.sweep();
    const list = await store.listTraces({ limit: 100, offset: 0 });
    await assembler.stop();
    return list.total;
  }

  test('while ingest stays busy, analysis still finishes, waiting a bounded time between slices', async () => {
    const probe: IngestProbe = { busy: true, idle: 'never', subscriptions: 0, cancelled: 0, called: 0 };
    expect(await analyseAll(probe)).toBe(TRACES);
    // A wait after every slice but the last; each ended by its time bound, its subscription cancelled.
    expect(probe.subscriptions).toBeGreaterThanOrEqual(TRACES - 1);
    expect(probe.cancelled).toBe(probe.subscriptions);
  });

  test('a wait ends as soon as ingest goes idle', async () => {
    const probe: IngestProbe = { busy: true, idle: 'at-once', subscriptions: 0, cancelled: 0, called: 0 };
    expect(await analyseAll(probe)).toBe(TRACES);
    expect(probe.subscriptions).toBeGreaterThanOrEqual(TRACES - 1);
    expect([probe.called, probe.cancelled]).toEqual([probe.subscriptions, 0]);
  });

  test('with ingest idle, analysis never waits for it', async () => {
    const probe: IngestProbe = { busy: false, idle: 'never', subscriptions: 0, cancelled: 0, called: 0 };
    expect(await analyseAll(probe)).toBe(TRACES);
    expect(probe.subscriptions).toBe(0);
  });
});
