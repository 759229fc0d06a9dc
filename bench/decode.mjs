#!/usr/bin/env node
/**
 * Decode-only throughput of the collector's OTLP wire layer: how many spans per second
 * `decodeTraceRequestProtobuf` / `decodeTraceRequestJson` turn into SpanRecords, on a request an
 * agent fleet really sends (100 traces × 20 spans of GenAI semconv attributes, serialized by the
 * official OpenTelemetry serializers). Ingest through HTTP must reach at least half of this rate,
 * so the ingest benchmark reuses `decodeOnlySpansPerSecond` on its own bytes.
 *
 * Then how long large hostile requests hold the event loop: decoded inline, and as ingest decodes
 * them (bodies above 1 MiB on the decode pool), in process and through a collector's HTTP ingest
 * while `/api/health` is polled.
 *
 *   node bench/decode.mjs            (after `npx tsc -b`; `npm run bench -- decode` builds first)
 */
import { SpanKind, SpanStatusCode, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import {
  DecodePool,
  decodeTraceRequest,
  decodeTraceRequestInline,
  decodeTraceRequestJson,
  decodeTraceRequestProtobuf,
  scanTraceRequestProtobuf,
} from '../collector/dist/otlp/index.js';
import { largeJsonRequest, manyAttributesRequest, manySpansRequest, poisonRequest } from './_hostile-requests.mjs';
import { freePort, startCollectorProcess, stopCollectorProcess } from './_loopback.mjs';

/** Timed runs per figure; the median is reported so one noisy neighbour does not skew it. */
const RUNS = 7;
/** Each run decodes repeatedly for at least this long. */
const MIN_RUN_MS = 300;

const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.5-flash'];
const TOOLS = ['search_docs', 'lookup_order', 'run_sql', 'send_email', 'fetch_url'];

/**
 * Records `traces` agent turns of `spansPerTrace` spans with a real tracer: an invoke_agent root,
 * then alternating chat (LLM, with a first-token event) and execute_tool spans, about ten
 * attributes each. Returns the SDK's ReadableSpans, ready for any OTLP serializer.
 */
export function recordAgentSpans({ traces = 100, spansPerTrace = 20 } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'support-agent',
      'service.version': '2.4.1',
      'deployment.environment.name': 'production',
      'telemetry.sdk.language': 'nodejs',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@threshold/sdk', '0.1.0');
  const epochMs = 1_750_000_000_000;
  for (let traceIndex = 0; traceIndex < traces; traceIndex++) {
    const startMs = epochMs + traceIndex * 10_000;
    const root = tracer.startSpan(
      'invoke_agent support-bot',
      {
        kind: SpanKind.SERVER,
        startTime: startMs,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': 'support-bot',
          'gen_ai.conversation.id': `conv-${traceIndex % 17}`,
          'threshold.task_class': 'chat',
          'threshold.turn': traceIndex % 5,
          'http.request.method': 'POST',
          'http.route': '/v1/chat',
          'user.id': `user-${traceIndex % 31}`,
        },
      },
      ROOT_CONTEXT,
    );
    const inRoot = trace.setSpan(ROOT_CONTEXT, root);
    let atMs = startMs + 5;
    for (let child = 1; child < spansPerTrace; child++) {
      const isChat = child % 2 === 1;
      const model = MODELS[(traceIndex + child) % MODELS.length];
      const tool = TOOLS[(traceIndex + child) % TOOLS.length];
      const durationMs = isChat ? 400 + ((traceIndex * 7 + child * 13) % 900) : 40 + ((traceIndex + child * 3) % 200);
      const span = tracer.startSpan(
        isChat ? `chat ${model}` : `execute_tool ${tool}`,
        {
          kind: isChat ? SpanKind.CLIENT : SpanKind.INTERNAL,
          startTime: atMs,
          attributes: isChat
            ? {
                'gen_ai.operation.name': 'chat',
                'gen_ai.system': 'openai',
                'gen_ai.request.model': model,
                'gen_ai.response.model': `${model}-2024-08-06`,
                'gen_ai.request.temperature': 0.2,
                'gen_ai.request.max_tokens': 1024,
                'gen_ai.usage.input_tokens': 800 + child * 37,
                'gen_ai.usage.output_tokens': 60 + child * 11,
                'gen_ai.response.finish_reasons': ['tool_calls'],
                'gen_ai.response.id': `chatcmpl-${traceIndex}-${child}`,
                'server.address': 'api.openai.com',
              }
            : {
                'gen_ai.operation.name': 'execute_tool',
                'gen_ai.tool.name': tool,
                'gen_ai.tool.call.id': `call_${traceIndex}_${child}`,
                'gen_ai.tool.type': 'function',
                'threshold.tool.attempt': 1,
                'threshold.tool.cached': child % 4 === 0,
                'db.system.name': 'postgresql',
                'db.operation.name': 'SELECT',
                'server.address': 'db.internal',
                'threshold.result.bytes': 512 + child,
              },
        },
        inRoot,
      );
      if (isChat) span.addEvent('gen_ai.first_token', { 'gen_ai.response.ttft_ms': 180 + child }, atMs + 180);
      if (child === spansPerTrace - 1 && traceIndex % 10 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
      span.end(atMs + durationMs);
      atMs += durationMs + 2;
    }
    root.end(atMs + 5);
  }
  return exporter.getFinishedSpans();
}

/**
 * The recorded spans as one ExportTraceServiceRequest in each encoding, as Buffers (what an HTTP
 * server hands the decoders, and searchable with indexOf for callers that patch ids).
 */
export function agentRequestBodies(options) {
  const spans = recordAgentSpans(options);
  const asBuffer = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    spanCount: spans.length,
    protobuf: asBuffer(ProtobufTraceSerializer.serializeRequest(spans)),
    json: asBuffer(JsonTraceSerializer.serializeRequest(spans)),
  };
}

/**
 * Median spans per second decoding `bytes` alone (no HTTP, no storage). The encoding is told by
 * the first byte: a JSON request opens with `{` (0x7b), which no ExportTraceServiceRequest can
 * (its only field is tag 0x0a), so `format` may be left out.
 */
export function decodeOnlySpansPerSecond(bytes, format = bytes[0] === 0x7b || bytes[0] === 0x20 ? 'json' : 'protobuf') {
  const rates = decodeRates(bytes, format);
  return rates[Math.floor(rates.length / 2)];
}

/** Each reader timed, as the number of spans it takes from a body; `scan` is what ingest runs on a protobuf request before acknowledging it (against the default span caps). */
const SPAN_READERS = {
  protobuf: (bytes) => decodeTraceRequestProtobuf(bytes).spans.length,
  json: (bytes) => decodeTraceRequestJson(bytes).spans.length,
  scan: (bytes) => scanTraceRequestProtobuf(bytes).acceptedSpans,
};

/** Spans per second of each timed run, slowest first. */
function decodeRates(bytes, format) {
  const read = SPAN_READERS[format];
  const spansPerRequest = read(bytes);
  if (spansPerRequest === 0) throw new Error('the benchmark request decodes to no spans');
  for (let warmUp = 0; warmUp < 20; warmUp++) read(bytes);
  const rates = [];
  // No forced gc() between runs: a full collection shrinks the young generation, and the next run
  // would then measure the heap regrowing (several times slower) rather than the decoder.
  for (let run = 0; run < RUNS; run++) {
    let decodedSpans = 0;
    const startedAt = process.hrtime.bigint();
    let elapsedNs = 0n;
    do {
      decodedSpans += read(bytes);
      elapsedNs = process.hrtime.bigint() - startedAt;
    } while (elapsedNs < BigInt(MIN_RUN_MS) * 1_000_000n);
    rates.push((decodedSpans * 1e9) / Number(elapsedNs));
  }
  return rates.sort((a, b) => a - b);
}

function formatRate(spansPerSecond) {
  return `${Math.round(spansPerSecond).toLocaleString('en-US')} spans/s`;
}

/**
 * Runs `work` and measures the longest the event loop went without a turn meanwhile (ms): a
 * timer re-armed at 1 ms records the largest gap between its calls, less the 1 ms it asked for
 * (perf_hooks.monitorEventLoopDelay samples the same way, but misses a block that starts right
 * after it is enabled).
 */
async function eventLoopHeld(work) {
  let longestMs = 0;
  let last = performance.now();
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    longestMs = Math.max(longestMs, now - last - 1);
    last = now;
    if (ticking) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  await sleep(10);
  const startedAt = performance.now();
  await work();
  const tookMs = performance.now() - startedAt;
  await sleep(10);
  ticking = false;
  return { longestMs, tookMs };
}

/** The large hostile requests: what each holds the event loop, decoded inline and as ingest decodes it. */
async function largeRequestFigures() {
  const pool = new DecodePool();
  const cases = [
    ['16 MiB OTLP/JSON (44,000 spans)', 'json', largeJsonRequest(16)],
    ['900,000 attributes on one span', 'protobuf', manyAttributesRequest(900_000)],
    ['100,000-span protobuf request', 'protobuf', manySpansRequest(100_000)],
    ['10 MiB service name and keys', 'protobuf', poisonRequest()],
  ];
  await decodeTraceRequest('protobuf', manySpansRequest(10_000), pool); // the thread started and warm
  // What the machine alone does to the probe: on a busy shared machine the OS parks the thread too,
  // so each figure is the least of three runs, with the most beside it.
  const idle = await eventLoopHeld(() => sleep(2_000));
  console.log(
    `\nevent loop held while decoding a large request (longest single block, ms: least of 3 runs, most in brackets; ${idle.longestMs.toFixed(0)} ms with nothing running):`,
  );
  const runs = async (work) => {
    const held = [];
    for (let run = 0; run < 3; run++) held.push(await eventLoopHeld(work));
    const longest = held.map((figure) => figure.longestMs).sort((a, b) => a - b);
    return { least: longest[0], most: longest[2], tookMs: Math.min(...held.map((figure) => figure.tookMs)) };
  };
  for (const [label, format, body] of cases) {
    const inline = await runs(() => decodeTraceRequestInline(format, body));
    const offThread = await runs(() => decodeTraceRequest(format, body, pool));
    console.log(
      `  ${label.padEnd(34)} ${(body.length / 1024 / 1024).toFixed(1).padStart(5)} MiB   inline ${inline.least.toFixed(0).padStart(5)} (${inline.most.toFixed(0)})` +
        `   as ingest decodes it (pool) ${offThread.least.toFixed(0).padStart(4)} (${offThread.most.toFixed(0)}), done in ${offThread.tookMs.toFixed(0)} ms`,
    );
  }
  await pool.close();
}

/**
 * Asks `url` every 10 ms from a thread of its own (so this process's own work never delays the
 * asking) until stopped; resolves with the slowest answer (ms) and how many were asked.
 */
function pollFromThread(url) {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     let slowestMs = 0, asked = 0, failed = 0, running = true;
     parentPort.once('message', () => { running = false; });
     (async () => {
       while (running) {
         const startedAt = performance.now();
         try {
           await (await fetch(workerData)).arrayBuffer();
           slowestMs = Math.max(slowestMs, performance.now() - startedAt);
           asked++;
         } catch {
           failed++; // a kept-alive connection the server closed as it was reused: asked again
         }
         await new Promise((resolve) => setTimeout(resolve, 10));
       }
       parentPort.postMessage({ slowestMs, asked, failed });
     })();`,
    { eval: true, workerData: url },
  );
  return {
    stop: () => {
      const result = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      return result.finally(() => worker.terminate());
    },
  };
}

/**
 * Sixteen hostile requests (built beforehand) through a collector's HTTP ingest, four at a time
 * (64 MiB of bodies are admitted at once), while another thread asks `/api/health` every 10 ms:
 * the slowest answer it got is what a probe or a dashboard would have waited.
 */
async function healthUnderHostileIngest(label, contentType, makeBody) {
  const bodies = Array.from({ length: 16 }, (_, index) => makeBody(index + 1));
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-decode-bench-'));
  const child = await startCollectorProcess(port, ['--data-dir', dataDir]);
  const base = `http://127.0.0.1:${port}`;
  try {
    const poller = pollFromThread(`${base}/api/health`);
    const statuses = {};
    let next = 0;
    const startedAt = performance.now();
    const sender = async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        let status;
        try {
          const response = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': contentType }, body });
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = 'refused before the body was read'; // a 503 sent early closes the connection under the upload
        }
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    const tookMs = performance.now() - startedAt;
    const { slowestMs, asked, failed } = await poller.stop();
    const failures = failed > 0 ? ` (${failed} connection resets, asked again)` : '';
    console.log(
      `  ${label.padEnd(34)} answers ${JSON.stringify(statuses)} in ${(tookMs / 1000).toFixed(1)} s; slowest of ${asked} /api/health: ${slowestMs.toFixed(0)} ms${failures}`,
    );
  } finally {
    await stopCollectorProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bodies = agentRequestBodies({ traces: 100, spansPerTrace: 20 });
  console.log(`request: ${bodies.spanCount} spans (100 traces × 20, ~10 GenAI attributes each)`);
  const medians = {};
  for (const format of ['protobuf', 'json', 'scan']) {
    const bytes = format === 'scan' ? bodies.protobuf : bodies[format];
    const rates = decodeRates(bytes, format);
    const median = rates[Math.floor(rates.length / 2)];
    medians[format] = median;
    const mbPerSecond = ((median / bodies.spanCount) * bytes.length) / 1e6;
    const label = format === 'scan' ? 'scan protobuf' : `decode ${format}`;
    console.log(
      `${label.padEnd(15)} ${formatRate(median).padStart(18)} median of ${RUNS}, best ${formatRate(rates.at(-1))}` +
        `  (${(bytes.length / 1024).toFixed(0)} KiB/request, ${mbPerSecond.toFixed(0)} MB/s)`,
    );
  }
  console.log(
    `scan (what ingest runs before acknowledging: checked and counted, not decoded) vs decode of the same bytes: ` +
      `${(medians.scan / medians.protobuf).toFixed(1)}×`,
  );
  await largeRequestFigures();
  console.log('\n16 hostile requests through HTTP ingest, 4 at a time, /api/health polled every 10 ms:');
  // Large requests of 20-span traces: what is measured is decoding, not the analysis of one huge trace.
  await healthUnderHostileIngest('900,000 attributes on one span', 'application/x-protobuf', (n) => manyAttributesRequest(900_000, n));
  await healthUnderHostileIngest('16 MiB OTLP/JSON, 20-span traces', 'application/json', (n) => largeJsonRequest(16, n, 20));
  await healthUnderHostileIngest('100,000 spans, 20-span traces', 'application/x-protobuf', (n) => manySpansRequest(100_000, n, 20));
}
