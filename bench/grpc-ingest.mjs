#!/usr/bin/env node
/**
 * OTLP/gRPC ingest against OTLP/HTTP, same collector, same requests, same durability.
 *
 * For each transport a fresh collector runs as its own process on loopback; CLIENTS concurrent
 * senders export pre-built protobuf requests (25 traces × 20 GenAI spans, serialized by the
 * official OpenTelemetry serializer, fresh trace ids and current times on every copy) as fast as
 * the answers come back, like CLIENTS agents each with its own exporter: over HTTP each on its
 * keep-alive connection, over gRPC each on its own channel (connection), uncompressed and gzip (the
 * senders compress, on the same two cores). An answer counts only once the collector has committed the spans. Reported:
 * spans acknowledged per second and the acknowledgement latency (P50, P99) of each.
 *
 *   node bench/grpc-ingest.mjs   (after `npx tsc -b`)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, postProtobuf, requestCopies, startCollectorProcess, stopCollectorProcess } from './_loopback.mjs';
import { agentRequestBodies } from './decode.mjs';

// @grpc/grpc-js is the collector's dependency; load it from there.
const { Client, credentials, Metadata } = createRequire(new URL('../collector/package.json', import.meta.url))('@grpc/grpc-js');

const CLIENTS = Number(process.env.GRPC_BENCH_CLIENTS ?? 24);
const WARM_UP_MS = 2_000;
const MEASURE_MS = Number(process.env.GRPC_BENCH_MEASURE_MS ?? 8_000);
const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const GZIP = 2;

const { protobuf, spanCount } = agentRequestBodies({ traces: 25, spansPerTrace: 20 });
const template = Buffer.from(protobuf);
const copyOf = requestCopies(template);
let sequence = 0;
console.log(
  `request: ${spanCount} spans (25 traces × 20), ${(template.length / 1024).toFixed(0)} KiB protobuf, ${CLIENTS} concurrent senders`,
);

/** One gRPC export call; resolves with the status code. */
function grpcCall(client, body) {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      EXPORT_PATH,
      (bytes) => bytes,
      (bytes) => bytes,
      body,
      new Metadata(),
      { deadline: Date.now() + 10_000 },
      (error) => resolve(error ? error.code : 0),
    );
  });
}

/**
 * Runs CLIENTS sender loops (`send(body, sender)`) for the warm-up then the measured time; spans/s
 * and latency percentiles of the measured part.
 */
async function measure(send, isAck, isRetry) {
  const latenciesMs = [];
  let ackedSpans = 0;
  let refused = 0;
  let measuring = false;
  const stopAt = Date.now() + WARM_UP_MS + MEASURE_MS;
  const loop = async (_, sender) => {
    while (Date.now() < stopAt) {
      const sentAt = performance.now();
      const answer = await send(copyOf(++sequence), sender);
      if (isAck(answer)) {
        if (measuring) {
          ackedSpans += spanCount;
          latenciesMs.push(performance.now() - sentAt);
        }
      } else if (isRetry(answer)) {
        refused++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      } else throw new Error(`unexpected answer ${answer}`);
    }
  };
  const loops = Array.from({ length: CLIENTS }, loop);
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  measuring = true;
  const startedAt = performance.now();
  await Promise.all(loops);
  const elapsedMs = performance.now() - startedAt;
  latenciesMs.sort((a, b) => a - b);
  const at = (q) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(q * latenciesMs.length))];
  return { spansPerSecond: (ackedSpans * 1000) / elapsedMs, p50Ms: at(0.5), p99Ms: at(0.99), refused };
}

/** A fresh collector (HTTP on `port`, gRPC on `grpcPort`) for one transport's run. */
async function withCollector(run) {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-bench-grpc-'));
  const [port, grpcPort] = [await freePort(), await freePort()];
  const collector = await startCollectorProcess(port, [
    '--data-dir',
    dataDir,
    '--quiet-period-ms',
    '1000',
    '--grpc-port',
    String(grpcPort),
  ]);
  try {
    return await run(port, grpcPort);
  } finally {
    await stopCollectorProcess(collector, 'SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const runs = {
  'OTLP/HTTP protobuf': () =>
    withCollector(async (port) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
      try {
        return await measure(
          (body) => postProtobuf(agent, port, body),
          (status) => status === 200,
          (status) => status === 503,
        );
      } finally {
        agent.destroy();
      }
    }),
  ...Object.fromEntries(
    [
      ['OTLP/gRPC', {}],
      ['OTLP/gRPC gzip', { 'grpc.default_compression_algorithm': GZIP }],
    ].map(([name, channelOptions]) => [
      name,
      () =>
        withCollector(async (_port, grpcPort) => {
          // A local subchannel pool: each sender its own connection, as separate exporters have.
          const options = { ...channelOptions, 'grpc.use_local_subchannel_pool': 1 };
          const clients = Array.from({ length: CLIENTS }, () => new Client(`127.0.0.1:${grpcPort}`, credentials.createInsecure(), options));
          try {
            // UNAVAILABLE (14) is the gRPC 503: retried after a pause, counted as refused.
            return await measure(
              (body, sender) => grpcCall(clients[sender], body),
              (code) => code === 0,
              (code) => code === 14,
            );
          } finally {
            for (const client of clients) client.close();
          }
        }),
    ]),
  ),
};

const results = {};
for (const [name, run] of Object.entries(runs)) {
  const result = await run();
  results[name] = result;
  console.log(
    `${name.padEnd(19)} ${Math.round(result.spansPerSecond).toLocaleString('en-US').padStart(9)} spans/s acknowledged durable, ` +
      `ack P50 ${result.p50Ms.toFixed(1)} ms, P99 ${result.p99Ms.toFixed(1)} ms (${result.refused} refused)`,
  );
}
const httpRate = results['OTLP/HTTP protobuf'].spansPerSecond;
console.log(
  `gRPC vs HTTP: ${(results['OTLP/gRPC'].spansPerSecond / httpRate).toFixed(2)}× uncompressed, ${(results['OTLP/gRPC gzip'].spansPerSecond / httpRate).toFixed(2)}× gzip`,
);
