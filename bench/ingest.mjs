#!/usr/bin/env node
/**
 * Sustained OTLP/HTTP ingest with durable acknowledgements, against decoding the same bytes alone.
 *
 * A collector runs as its own process on loopback (the way `threshold start` runs); several
 * keep-alive clients post pre-built protobuf requests of realistic agent spans (25 traces × 20
 * spans of GenAI attributes, serialized by the official OpenTelemetry serializer) as fast as the
 * answers come back. Every request carries fresh trace ids and current timestamps, so each trace
 * is new, assembled and analysed as in production. A 200 is counted only once the collector has committed the spans.
 *
 *   node bench/ingest.mjs   (after `npx tsc -b`)     targets: ≥ 100,000 spans/s, ≥ 0.5× decode-only
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, shiftTimestamps, timestampOffsets, traceIdOffsets } from './_loopback.mjs';
import { agentRequestBodies, decodeOnlySpansPerSecond } from './decode.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = Number(process.env.INGEST_CLIENTS ?? 6);
const WARM_UP_MS = 2_000;
const MEASURE_MS = Number(process.env.INGEST_MEASURE_MS ?? 10_000);
const TRACES_PER_REQUEST = 25;
const SPANS_PER_TRACE = 20;

function startCollector(port, dataDir) {
  const child = spawn(
    process.execPath,
    [...(process.env.INGEST_NODE_ARGS ?? '').split(' ').filter(Boolean), join(root, 'collector/dist/cli.js'), 'start', '--port', String(port), '--data-dir', dataDir, '--quiet-period-ms', process.env.INGEST_QUIET_MS ?? '1000'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      if (chunk.toString().includes('listening')) resolve(child);
    });
  });
}

function post(agent, port, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: '127.0.0.1', port, method: 'POST', path: '/v1/traces', headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const { protobuf, spanCount } = agentRequestBodies({ traces: TRACES_PER_REQUEST, spansPerTrace: SPANS_PER_TRACE });
const template = Buffer.from(protobuf);
const offsets = traceIdOffsets(template);
const timestamps = timestampOffsets(template);

console.log(`request: ${spanCount} spans (${TRACES_PER_REQUEST} traces × ${SPANS_PER_TRACE}), ${(template.length / 1024).toFixed(0)} KiB protobuf`);
const decodeRate = decodeOnlySpansPerSecond(template, 'protobuf');
console.log(`decode only:   ${Math.round(decodeRate).toLocaleString('en-US')} spans/s (median of 7, same bytes)`);

const dataDir = mkdtempSync(join(tmpdir(), 'threshold-bench-ingest-'));
const port = await freePort();
const collector = await startCollector(port, dataDir);
let sequence = 0;
/**
 * A copy of the request with every trace id made unique to this request, and its traces moved to
 * the present (its first trace started 5 minutes ago), as a fleet of agents sends them.
 */
function freshBody() {
  const body = Buffer.from(template);
  const seq = ++sequence;
  for (const at of offsets) body.writeUInt32BE(seq, at);
  shiftTimestamps(body, timestamps.offsets, BigInt(Date.now() - 300_000) * 1_000_000n - timestamps.earliestNs);
  return body;
}

try {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  let ackedSpans = 0;
  let refused = 0;
  let ackedRequests = 0;
  let measuring = false;
  const firstRequestAt = performance.now();
  const stopAt = Date.now() + WARM_UP_MS + MEASURE_MS;
  const client = async () => {
    while (Date.now() < stopAt) {
      const status = await post(agent, port, freshBody());
      if (status === 200) {
        ackedRequests++;
        if (measuring) ackedSpans += spanCount;
      } else if (status === 503) {
        refused++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      } else throw new Error(`unexpected status ${status}`);
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  measuring = true;
  const startedAt = performance.now();
  await Promise.all(clients);
  const elapsedMs = performance.now() - startedAt;
  const ingestRate = (ackedSpans * 1000) / elapsedMs;
  console.log(
    `HTTP ingest:   ${Math.round(ingestRate).toLocaleString('en-US')} spans/s acknowledged durable ` +
      `(${CLIENTS} keep-alive clients, ${(elapsedMs / 1000).toFixed(1)} s, ${refused} answered 503)`,
  );
  agent.destroy();

  // Every acknowledged trace must end up analysed; wait for that (bounded) and report how long it took.
  const expectedTraces = ackedRequests * TRACES_PER_REQUEST;
  const drainStart = performance.now();
  let analysed = 0;
  while (performance.now() - drainStart < 180_000) {
    analysed = (await (await fetch(`http://127.0.0.1:${port}/api/traces?limit=1`)).json()).total;
    if (analysed >= expectedTraces) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const analysedAt = performance.now();
  console.log(
    `analysis:      ${analysed.toLocaleString('en-US')} of ${expectedTraces.toLocaleString('en-US')} acknowledged traces analysed, ` +
      `${((analysedAt - drainStart) / 1000).toFixed(1)} s after the load stopped`,
  );
  const pipelineRate = (ackedRequests * spanCount * 1000) / (analysedAt - firstRequestAt);
  console.log(
    `ingest → analysed: ${Math.round(pipelineRate).toLocaleString('en-US')} spans/s (every acknowledged span, warm-up included, ` +
      `over the time from the first request until the last trace was analysed: the rate sustainable indefinitely)`,
  );
  // The machine is shared: measure decode-only again (collector idle now) and compare with the mean.
  const decodeAfter = decodeOnlySpansPerSecond(template, 'protobuf');
  const decodeMean = (decodeRate + decodeAfter) / 2;
  console.log(`decode only:   ${Math.round(decodeAfter).toLocaleString('en-US')} spans/s again, after the run`);
  console.log(`ratio:         ${(ingestRate / decodeMean).toFixed(2)}× decode-only, mean of both (target ≥ 0.5×; ≥ 100,000 spans/s)`);
} finally {
  collector.kill('SIGINT');
  await new Promise((resolve) => collector.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
