/**
 * Pieces the collector benchmarks share (bench/run.mjs skips files starting with `_`): a free
 * loopback port, and where a request's trace ids sit so each copy can be given fresh ids by patching
 * bytes instead of encoding again.
 */
import { createServer } from 'node:net';
import { decodeTraceRequestProtobuf } from '../collector/dist/otlp/index.js';

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

/** Offsets of every trace id in a protobuf request body. */
export function traceIdOffsets(body) {
  const offsets = [];
  for (const traceId of new Set(decodeTraceRequestProtobuf(body).spans.map((span) => span.traceId))) {
    const needle = Buffer.from(traceId, 'hex');
    for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + 1)) offsets.push(at);
  }
  return offsets;
}

/**
 * Offsets of every timestamp (span start and end, event times: fixed64 nanoseconds) in a
 * protobuf request body, and the earliest of them, so each copy can be moved to the present.
 */
export function timestampOffsets(body) {
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
export function shiftTimestamps(body, offsets, shiftNs) {
  for (const at of offsets) body.writeBigUInt64LE(body.readBigUInt64LE(at) + shiftNs, at);
}
