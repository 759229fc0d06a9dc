#!/usr/bin/env node
/**
 * The analysis side of the collector alone: how fast a backlog of acknowledged traces is turned
 * into stored analyses (assembly, decoding the spans ingest only scanned → `analyseRecords` →
 * recommendation rules → detail, facts and findings appended to DuckDB). This is what bounds the rate a collector sustains indefinitely;
 * acknowledging is measured by bench/ingest.mjs.
 *
 * An in-process collector (embedded DuckDB in a temporary directory, a quiet period longer than the
 * run so nothing is analysed early) receives 100,000 spans over HTTP as real agent traces (fresh
 * ids, current timestamps); then `analysis.flush()` analyses and stores them all, timed. Twice, in
 * the same collector: the first round finds the analysis threads just started (each compiles the
 * analysis afresh and grows its heap: some 2 s of CPU in all with two threads), the second finds
 * them as a collector that has been running has them. Both are printed; the second is the figure. Two trace
 * shapes: 20-span agent turns and 5-span ones (the per-trace costs weigh more on small traces),
 * each with analysis on the event loop (`--workers 0`) and on 1 and 2 analysis threads, in one run
 * so their ratio holds on a noisy machine. The CPU time the process spent per trace (every thread:
 * the event loop, analysis threads, DuckDB's, the garbage collector's) is steadier than the wall
 * clock on a shared machine, and is what a change in the work itself moves. The event loop's own
 * CPU per trace is printed beside it: with analysis threads it bounds a machine with cores to spare.
 *
 *   node --expose-gc bench/backlog.mjs   (after `npx tsc -b`)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector } from '../collector/dist/index.js';
import { requestCopies } from './_loopback.mjs';
import { profileWindow } from './_profile-window.mjs';
import { cpuTimes } from './_visibility.mjs';
import { agentRequestBodies } from './decode.mjs';

const SPANS_PER_REQUEST = 500;
const REQUESTS = 200;

async function backlog(spansPerTrace, analysisWorkers) {
  const tracesPerRequest = SPANS_PER_REQUEST / spansPerTrace;
  const { protobuf } = agentRequestBodies({ traces: tracesPerRequest, spansPerTrace });
  const copyOf = requestCopies(Buffer.from(protobuf));
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-bench-backlog-'));
  const collector = await createCollector({ port: 0, dataDir, quietPeriodMs: 3_600_000, analysisWorkers });
  try {
    for (const round of ['first (threads just started)', 'second']) await backlogRound(collector, round, round === 'second' ? REQUESTS : 0);
  } finally {
    await collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  /** One round: REQUESTS requests sent (numbered from `first`), then every trace analysed and stored, timed. */
  async function backlogRound(collector, round, first) {
    for (let request = first + 1; request <= first + REQUESTS; request++) {
      const response = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: copyOf(request),
      });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
      await response.arrayBuffer();
    }
    globalThis.gc?.();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    // The event loop's own CPU: with analysis threads, what bounds a machine with cores to spare.
    const eventLoopBefore = cpuTimes(process.pid).eventLoopMs;
    // The profile, when asked for, is of the second round.
    if (first > 0) await profileWindow(() => collector.analysis.flush());
    else await collector.analysis.flush();
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const eventLoopMs = cpuTimes(process.pid).eventLoopMs - eventLoopBefore;
    const traces = REQUESTS * tracesPerRequest;
    const stored = (await (await fetch(`${collector.url}/api/traces?limit=1`)).json()).total;
    const expected = ((first + REQUESTS) / REQUESTS) * traces;
    if (stored !== expected) throw new Error(`${stored} of ${expected} traces stored`);
    console.log(
      `${String(spansPerTrace).padStart(2)}-span traces, ${analysisWorkers} analysis thread${analysisWorkers === 1 ? ', ' : 's,'} ${round} round: ${traces.toLocaleString('en-US')} analysed and stored in ${(elapsedMs / 1000).toFixed(1)} s = ` +
        `${Math.round((traces * 1000) / elapsedMs).toLocaleString('en-US')} traces/s, ` +
        `${Math.round((traces * spansPerTrace * 1000) / elapsedMs).toLocaleString('en-US')} spans/s (${Math.round((elapsedMs * 1000) / traces)} µs per trace; CPU ${Math.round((cpu.user + cpu.system) / traces)} µs per trace, every thread, ` +
        `${Math.round((eventLoopMs * 1000) / traces)} µs on the event loop)`,
    );
  }
}

// `--only <spans per trace>:<threads>` (e.g. `--only 20:0`) runs one case, to profile it (see _profile-window.mjs).
const only = process.argv.indexOf('--only');
const cases =
  only === -1 ? [20, 5].flatMap((spans) => [0, 1, 2].map((workers) => [spans, workers])) : [process.argv[only + 1].split(':').map(Number)];
for (const [spansPerTrace, workers] of cases) await backlog(spansPerTrace, workers);
