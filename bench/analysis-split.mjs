#!/usr/bin/env node
/**
 * How the work of analysing a trace divides between an analysis thread and the event loop (the
 * collector's `--workers N` path), each part measured alone in this one thread: on a 2-core
 * machine the threads, the event loop and DuckDB compete for the cores, and the figures
 * bench/backlog.mjs takes from the running collector move by a fifth between runs; here a change
 * that moves work from one side to the other is measured without that noise.
 *
 * 6,000 distinct 20-span GenAI agent turns, 25 per request (the requests held as the store keeps
 * them, Brotli), in jobs of 100 traces:
 *   - the thread's part: `runAnalysisJob` (decompress and decode each request once, core's
 *     analysis, the analysis sent back). The span views are left out, as for the collector's
 *     DuckDB store, which derives them when a trace is read; the same work with the views
 *     rendered and compressed as a store that keeps them wants it is measured beside it;
 *   - the event loop's part: the analysis received (the JSON parsed; the message's own copy, a
 *     string and bytes, is not counted), the built-in recommendation engine's findings
 *     (the cross-trace history warmed with the first 3,000 turns, the next 3,000 measured), and the
 *     rows DuckDB is given (trace row with its facts and detail, span facts, critical-path
 *     operations). Appending them to DuckDB is left out: it is the same whatever the split.
 * CPU time of this process, per trace; the best of 5 rounds (the machine is shared: a slower
 * round is a neighbour, not the code).
 *
 *   node bench/analysis-split.mjs   (after `npx tsc -b`)
 */
import { decodeTraceRequestProtobuf } from '../collector/dist/otlp/index.js';
import { receiveAnalysed, runAnalysisJob } from '../collector/dist/pipeline/analysis-job.js';
import { resolveOptions } from '../collector/dist/config.js';
import { RecommendationEngine } from '../collector/dist/recommendations/recommendation-engine.js';
import { compressForStorage } from '../collector/dist/store/raw-request-codec.js';
import { toCriticalPathOperationRows } from '../collector/dist/store/duckdb/critical-path-row.js';
import { toSpanFactRows } from '../collector/dist/store/duckdb/span-fact-row.js';
import { toTraceRowInputs } from '../collector/dist/store/duckdb/trace-row.js';
import { requestCopies } from './_loopback.mjs';
import { agentRequestBodies } from './decode.mjs';

const REQUESTS = 240;
const TRACES_PER_REQUEST = 25;
const JOB_TRACES = 100;
const WARM_TRACES = 3_000;
const ROUNDS = 5;

const { protobuf } = agentRequestBodies({ traces: TRACES_PER_REQUEST, spansPerTrace: 20 });
const copyOf = requestCopies(Buffer.from(protobuf));
const requests = Array.from({ length: REQUESTS }, (_, r) => {
  const body = copyOf(r + 1);
  const traceIds = [...new Set(decodeTraceRequestProtobuf(body).spans.map((span) => span.traceId))];
  return { held: compressForStorage({ format: 'protobuf', encoding: 'identity', bytes: body }), traceIds };
});
const base = { maxSpansPerTrace: 50_000, taskClasses: resolveOptions({}).taskClasses };
const traceCount = REQUESTS * TRACES_PER_REQUEST;
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** The jobs a pool would post: 4 requests' traces each, their bodies given as held (copied: a job moves them). */
function jobs(settings) {
  const perJob = JOB_TRACES / TRACES_PER_REQUEST;
  const all = [];
  for (let first = 0; first < REQUESTS; first += perJob) {
    const mine = requests.slice(first, first + perJob);
    all.push({
      traces: mine.flatMap(({ traceIds }, body) => traceIds.map((traceId) => ({ traceId, parts: [body] }))),
      bodies: mine.map(({ held }) => ({ encoding: held.encoding, bytes: held.bytes.slice().buffer })),
      settings,
    });
  }
  return all;
}

/** One round with the span views sent as `spanViews` says ('none': the store derives them; 'compressed': it keeps them). */
function round(spanViews) {
  const settings = { ...base, spanViews };
  const posted = jobs(settings);
  let started = cpuMs();
  const sent = posted.flatMap((job) => runAnalysisJob(job));
  const threadUs = ((cpuMs() - started) * 1000) / traceCount;
  const failed = sent.filter((result) => !('sent' in result));
  if (failed.length > 0) throw new Error(`${failed.length} traces failed: ${failed[0].error}`);
  // What postMessage hands the event loop: a structured clone of the thread's results.
  const arrived = structuredClone(sent);
  const engine = new RecommendationEngine({ taskClassConfig: settings.taskClasses });
  const eventLoop = (result) => {
    const analysed = receiveAnalysed(result.sent);
    const trace = {
      analysis: analysed.analysis,
      findings: engine.findingsFor(analysed.analysis),
      analysedSpanCount: analysed.analysis.summary.spanCount,
      replacesStored: false,
      compressedSpans: analysed.compressedSpans,
    };
    const [row] = toTraceRowInputs([trace], spanViews === 'none' ? 'settings' : undefined);
    return toSpanFactRows(row).length + toCriticalPathOperationRows(trace).length;
  };
  for (const result of arrived.slice(0, WARM_TRACES)) eventLoop(result);
  started = cpuMs();
  let rows = 0;
  for (const result of arrived.slice(WARM_TRACES)) rows += eventLoop(result);
  const eventLoopUs = ((cpuMs() - started) * 1000) / (traceCount - WARM_TRACES);
  return { threadUs, eventLoopUs, rowsPerTrace: rows / (traceCount - WARM_TRACES) };
}

const kept = [];
const rounds = [];
for (let index = 0; index < ROUNDS; index++) {
  rounds.push(round('none'));
  kept.push(round('compressed'));
}
const best = (results, key) => Math.min(...results.map((result) => result[key]));
const threadUs = best(rounds, 'threadUs');
const eventLoopUs = best(rounds, 'eventLoopUs');
console.log(
  `20-span agent turns, ${traceCount.toLocaleString('en-US')} (${WARM_TRACES.toLocaleString('en-US')} to warm the history), best of ${ROUNDS} rounds, CPU per trace:`,
);
console.log(
  `  analysis thread's part  ${threadUs.toFixed(0).padStart(5)} µs  (decompress, decode, analyse, send; the span views are derived when a trace is read)`,
);
console.log(
  `  with the views kept     ${best(kept, 'threadUs').toFixed(0).padStart(5)} µs  and ${best(kept, 'eventLoopUs').toFixed(0)} µs on the event loop (the views rendered and compressed as a store that keeps them stores them)`,
);
console.log(
  `  event loop's part       ${eventLoopUs.toFixed(0).padStart(5)} µs  (receive, findings, rows: ${rounds[0].rowsPerTrace.toFixed(1)} span-fact and critical-path rows a trace; DuckDB appends not included)`,
);
console.log(
  `  with cores to spare, one event loop analyses at most ${Math.round((20 * 1e6) / eventLoopUs).toLocaleString('en-US')} spans/s before ingest and DuckDB take their share of it`,
);
console.log(
  JSON.stringify({
    bench: 'analysis-split',
    traces: traceCount,
    threadUs: Math.round(threadUs),
    eventLoopUs: Math.round(eventLoopUs),
    viewsKept: { threadUs: Math.round(best(kept, 'threadUs')), eventLoopUs: Math.round(best(kept, 'eventLoopUs')) },
    rounds,
  }),
);
