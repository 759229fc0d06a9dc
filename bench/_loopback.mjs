/**
 * Pieces the collector benchmarks share (bench/run.mjs skips files starting with `_`): a free
 * loopback port, a collector started as its own process (the way `threshold start` runs) and
 * stopped, a protobuf export over a keep-alive agent (with the `Retry-After` of its answer), the
 * collector's resident memory, and where a request's trace ids and timestamps sit so each copy can
 * be given fresh ones by patching bytes instead of encoding again (and its ids told from its number).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeTraceRequestProtobuf } from '../collector/dist/otlp/index.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'collector/dist/cli.js');

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * `threshold start --port <port> ...args` as a child process (stdout piped and read, so its logs
 * never block it); resolves with the child once the collector says it is listening. Node flags for
 * the collector alone come from `THRESHOLD_BENCH_NODE_ARGS` (space-separated), e.g.
 * `THRESHOLD_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` to profile it under a bench's load.
 */
export function startCollectorProcess(port, args = [], nodeArgs = benchNodeArgs()) {
  const child = spawn(process.execPath, [...nodeArgs, cli, 'start', '--port', String(port), '--grpc-port', 'off', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      if (chunk.toString().includes('listening')) resolve(child);
    });
  });
}

function benchNodeArgs() {
  return (process.env.THRESHOLD_BENCH_NODE_ARGS ?? '').split(' ').filter((flag) => flag !== '');
}

/** Stops a collector started by `startCollectorProcess` (SIGTERM drains it) and waits for its exit. */
export function stopCollectorProcess(child, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill(signal);
  });
}

/** POSTs a protobuf export request on a keep-alive agent; resolves with the HTTP status. */
export async function postProtobuf(agent, port, body) {
  return (await postExport(agent, port, body)).status;
}

/**
 * POSTs a protobuf export request on a keep-alive agent; resolves with the HTTP status and the
 * `Retry-After` it came with, in seconds (undefined when missing or not a number of seconds).
 */
export function postExport(agent, port, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/traces',
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (response) => {
        response.resume();
        const retryAfterS = Number(response.headers['retry-after'] ?? Number.NaN);
        response.on('end', () =>
          resolve({ status: response.statusCode, retryAfterS: Number.isFinite(retryAfterS) && retryAfterS >= 0 ? retryAfterS : undefined }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Resident memory of process `pid` in bytes (VmRSS), 0 once it has exited. */
export function residentBytes(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0;
  }
}

/** Offsets of every trace id in a protobuf request body. */
function traceIdOffsets(body) {
  const offsets = [];
  for (const traceId of new Set(decodeTraceRequestProtobuf(body).spans.map((span) => span.traceId))) {
    const needle = Buffer.from(traceId, 'hex');
    for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + 1)) offsets.push(at);
  }
  return offsets;
}

/**
 * Copies of a protobuf request as a fleet of agents sends them: `copy(sequence)` has every trace id
 * made unique to `sequence` (its last four bytes) and its traces moved to the present (the first
 * started 5 minutes ago), by patching bytes rather than encoding again.
 */
export function requestCopies(template) {
  const ids = traceIdOffsets(template);
  const times = timestampOffsets(template);
  return (sequence) => {
    const body = Buffer.from(template);
    for (const at of ids) body.writeUInt32BE(sequence, at);
    shiftTimestamps(body, times.offsets, BigInt(Date.now() - 300_000) * 1_000_000n - times.earliestNs);
    return body;
  };
}

/**
 * The trace ids of `requestCopies(template)(sequence)`, in the template's order: each copy has
 * the sequence written over the first four bytes of every id.
 */
export function copyTraceIds(template) {
  const ids = [...new Set(decodeTraceRequestProtobuf(template).spans.map((span) => span.traceId))];
  return (sequence) => ids.map((id) => sequence.toString(16).padStart(8, '0') + id.slice(8));
}

/**
 * Offsets of every timestamp (span start and end, event times: fixed64 nanoseconds) in a
 * protobuf request body, and the earliest of them, so each copy can be moved to the present.
 */
function timestampOffsets(body) {
  const values = new Set();
  for (const span of decodeTraceRequestProtobuf(body).spans) {
    values.add(span.startTimeUnixNano);
    values.add(span.endTimeUnixNano);
    for (const event of span.events) values.add(event.timeUnixNano);
  }
  const offsets = [];
  const needle = Buffer.alloc(8);
  for (const value of values) {
    needle.writeBigUInt64LE(value);
    for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + 1)) offsets.push(at);
  }
  let earliest = -1n;
  for (const value of values) if (earliest < 0n || value < earliest) earliest = value;
  return { offsets, earliestNs: earliest };
}

/** Moves every timestamp at `offsets` by `shiftNs` (a bigint), in place. */
function shiftTimestamps(body, offsets, shiftNs) {
  for (const at of offsets) body.writeBigUInt64LE(body.readBigUInt64LE(at) + shiftNs, at);
}
