#!/usr/bin/env node
/**
 * Soak: the collector at its defaults (`threshold start`, DuckDB's 128 MiB limit) under flat-out
 * ingest for SOAK_SECONDS (600), with the views read all the while, as a team would use it on a
 * busy day. 16 keep-alive clients post requests of 100 agent turns × 20 GenAI spans (serialized
 * by the official OpenTelemetry serializer, fresh trace ids and current timestamps each time) as
 * fast as answers come back, honouring 503/429 + Retry-After as the OTLP exporters do; two
 * readers loop over the overview's queries, the trace list, a trace's detail, /metrics and
 * /api/health.
 *
 * Passes (exit 0) when: no answer is a 5xx other than a retryable 503, no request waits longer
 * than an exporter's 10 s timeout, /api/health never answers degraded, and once the load stops
 * every acknowledged trace is analysed (counted by /api/traces) and a sample of them is served by
 * /api/traces/:id. Reports acknowledged and analysed rates, refusals, the analysis lag seen,
 * health samples and the collector's peak RSS, with what the largest RSS sampled and the RSS at the
 * end were made of (V8 heap pages, malloc arenas, other anonymous memory, mapped files:
 * bench/_resident-memory.mjs).
 *
 *   node bench/soak.mjs   (after `npx tsc -b`; SOAK_SECONDS=60 for a short run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  copyTraceIds,
  freePort,
  postExport,
  requestCopies,
  residentBytes,
  startCollectorProcess,
  stopCollectorProcess,
} from './_loopback.mjs';
import { agentRequestBodies } from './decode.mjs';
import { compositionText, residentComposition } from './_resident-memory.mjs';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CLIENTS = 16;
const TRACES_PER_REQUEST = 100;
const SPANS_PER_TRACE = 20;
/** An OTLP exporter gives up on a request after this long. */
const EXPORTER_TIMEOUT_MS = 10_000;
/** How long the collector may take, after the load, to analyse what it acknowledged. */
const DRAIN_WAIT_MS = 180_000;
const SAMPLE_TRACES = 200;

const { protobuf } = agentRequestBodies({ traces: TRACES_PER_REQUEST, spansPerTrace: SPANS_PER_TRACE });
const template = Buffer.from(protobuf);
const copyOf = requestCopies(template);
const idsOf = copyTraceIds(template);

const dataDir = mkdtempSync(join(tmpdir(), 'threshold-soak-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const collector = await startCollectorProcess(port, ['--data-dir', dataDir]);
const rssMiB = () => residentBytes(collector.pid) / 1024 / 1024;

const statuses = new Map();
const count = (key) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
const failures = [];
let sequence = 0;
let ackedRequests = 0;
let slowest = 0;
const ackedSequences = [];
let peakRss = 0;
/** The largest RSS seen by the 10 s monitor, and what it was made of. */
let largestSample = { rssMiB: 0, composition: undefined };
let maxLagMs = 0;
const health = { ok: 0, degraded: 0, reasons: new Set() };

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const started = performance.now();
const stopAt = started + SOAK_SECONDS * 1000;

async function client() {
  while (performance.now() < stopAt) {
    const mine = ++sequence;
    const sent = performance.now();
    let status;
    let retryAfterS;
    try {
      ({ status, retryAfterS } = await postExport(agent, port, copyOf(mine)));
    } catch (error) {
      status = `error ${error.code ?? error.message}`;
    }
    const tookMs = performance.now() - sent;
    slowest = Math.max(slowest, tookMs);
    count(status);
    if (tookMs > EXPORTER_TIMEOUT_MS) failures.push(`a request took ${Math.round(tookMs)} ms`);
    if (status === 200) {
      ackedRequests++;
      ackedSequences.push(mine);
    } else if (status === 503 || status === 429) {
      await sleep(Math.min(retryAfterS ?? 1, 5) * 1000);
    } else {
      failures.push(`ingest answered ${status}`);
    }
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function reader() {
  const paths = ['/api/stats', '/api/traces?limit=50', '/api/models', '/api/operations', '/api/filters', '/metrics', '/api/sessions'];
  let turn = 0;
  while (performance.now() < stopAt) {
    const recent = ackedSequences.at(-1);
    const path = turn % (paths.length + 1) === paths.length && recent ? `/api/traces/${idsOf(recent)[0]}` : paths[turn % paths.length];
    turn++;
    try {
      const response = await fetch(url + path);
      await response.arrayBuffer();
      count(`read ${response.status}`);
      if (response.status >= 500 && response.status !== 503) failures.push(`GET ${path} answered ${response.status}`);
    } catch (error) {
      failures.push(`GET ${path} failed: ${error.message}`);
    }
    await sleep(50);
  }
}

async function sampleHealth() {
  const response = await fetch(`${url}/api/health`);
  const body = await response.json();
  maxLagMs = Math.max(maxLagMs, body.analysisLagMs ?? 0);
  if (response.status === 200) health.ok++;
  else {
    health.degraded++;
    for (const reason of body.reasons ?? []) health.reasons.add(reason.replace(/since \S+/, 'since …'));
  }
  return body;
}

const monitor = setInterval(async () => {
  const rss = rssMiB();
  peakRss = Math.max(peakRss, rss);
  if (rss > largestSample.rssMiB) largestSample = { rssMiB: rss, composition: residentComposition(collector.pid) };
  try {
    const body = await sampleHealth();
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${seconds.toFixed(0).padStart(4)} s  acknowledged ${(ackedRequests * TRACES_PER_REQUEST * SPANS_PER_TRACE).toLocaleString('en-US')} spans  ` +
        `health ${body.status}  lag ${(body.analysisLagMs / 1000).toFixed(1)} s  pending ${body.pendingTraces} traces  RSS ${rssMiB().toFixed(0)} MiB  ` +
        `answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  } catch (error) {
    failures.push(`health check failed: ${error.message}`);
  }
}, 10_000);

try {
  await Promise.all([...Array.from({ length: CLIENTS }, client), reader(), reader()]);
  const loadSeconds = (performance.now() - started) / 1000;
  const ackedTraces = ackedRequests * TRACES_PER_REQUEST;
  // Drain: every acknowledged trace analysed.
  const drainStarted = performance.now();
  let analysed = 0;
  while (performance.now() - drainStarted < DRAIN_WAIT_MS) {
    const list = await (await fetch(`${url}/api/traces?limit=1&from=0&to=${Date.now() + 3_600_000}`)).json();
    analysed = list.total ?? 0;
    if (analysed >= ackedTraces) break;
    peakRss = Math.max(peakRss, rssMiB());
    await sleep(1_000);
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const totalSeconds = (performance.now() - started) / 1000;
  clearInterval(monitor);
  await sampleHealth();
  if (analysed < ackedTraces)
    failures.push(`${ackedTraces - analysed} of ${ackedTraces} acknowledged traces not analysed ${DRAIN_WAIT_MS / 1000} s after the load`);
  // A sample of acknowledged traces, each served whole.
  const step = Math.max(1, Math.floor(ackedSequences.length / SAMPLE_TRACES));
  let served = 0;
  for (let i = 0; i < ackedSequences.length; i += step) {
    const id = idsOf(ackedSequences[i])[i % TRACES_PER_REQUEST];
    const response = await fetch(`${url}/api/traces/${id}`);
    const detail = response.status === 200 ? await response.json() : undefined;
    if (detail?.spans?.length === SPANS_PER_TRACE) served++;
    else failures.push(`acknowledged trace ${id} served ${response.status} with ${detail?.spans?.length ?? 0} spans`);
  }
  const spans = ackedTraces * SPANS_PER_TRACE;
  console.log(
    `\nload:        ${loadSeconds.toFixed(0)} s flat out, ${CLIENTS} clients × ${TRACES_PER_REQUEST} traces × ${SPANS_PER_TRACE} spans per request, views read by 2 readers`,
  );
  console.log(`acknowledged: ${spans.toLocaleString('en-US')} spans, ${Math.round(spans / loadSeconds).toLocaleString('en-US')} spans/s`);
  console.log(
    `analysed:    ${(analysed * SPANS_PER_TRACE).toLocaleString('en-US')} spans, ${Math.round((analysed * SPANS_PER_TRACE) / totalSeconds).toLocaleString('en-US')} spans/s end to end; last one ${drainSeconds.toFixed(1)} s after the load`,
  );
  console.log(`answers:     ${JSON.stringify(Object.fromEntries(statuses))}; slowest ingest answer ${Math.round(slowest)} ms`);
  console.log(
    `health:      ${health.ok} samples ok, ${health.degraded} degraded${health.reasons.size ? `: ${[...health.reasons].join(' | ')}` : ''}; largest analysis lag ${(maxLagMs / 1000).toFixed(1)} s`,
  );
  console.log(`served:      ${served} sampled acknowledged traces whole by /api/traces/:id`);
  console.log(`peak RSS:    ${peakRss.toFixed(0)} MiB`);
  console.log(`largest RSS sampled every 10 s: ${largestSample.rssMiB.toFixed(0)} MiB: ${compositionText(largestSample.composition)}`);
  console.log(`RSS at the end: ${rssMiB().toFixed(0)} MiB: ${compositionText(residentComposition(collector.pid))}`);
  if (health.degraded > 0) failures.push(`/api/health answered degraded ${health.degraded} times`);
} finally {
  clearInterval(monitor);
  await stopCollectorProcess(collector);
  rmSync(dataDir, { recursive: true, force: true });
}
const unique = [...new Set(failures)];
if (unique.length > 0) {
  console.error(`\nFAILED (${failures.length}):\n  ${unique.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
console.log('\nsoak passed');
