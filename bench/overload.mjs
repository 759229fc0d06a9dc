#!/usr/bin/env node
/**
 * Overload: three times the sustainable ingest load for a minute, sent by the official OTel
 * exporter (OTLP/HTTP protobuf, its own retries on 503 + Retry-After).
 *
 * 1. Sustainable load: keep-alive clients post the same export requests as fast as answers come
 *    back for a few seconds; the accepted spans/s is the sustainable rate S.
 * 2. Overload: exports of 500 spans are started on a timer at 3 × S for OVERLOAD_SECONDS (60),
 *    each with a 120 s export timeout; a raw probe counts the 503s and their Retry-After.
 * 3. Recovery: time until every export has settled, then one fresh request must get a 200.
 *
 * Reports the offered and accepted rates, 503 counts, the collector's peak RSS against the
 * documented cap (1 GiB with the default settings), delivered vs offered spans, and the recovery.
 *
 *   node bench/overload.mjs   (after `npx tsc -b`; OVERLOAD_SECONDS=10 for a quick run)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OVERLOAD_SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 60);
const MEASURE_MS = 6_000;
const SPANS_PER_EXPORT = 500;
const MEASURE_CLIENTS = 24;
/** Documented cap for the default settings (200,000 queued spans + 100,000 waiting for admission, 64 MiB of bodies in flight, the spans held for analysis and DuckDB's cache). */
const RSS_CAP_BYTES = 1024 * 1024 * 1024;
const LOAD_FACTOR = 3;

function buildSpans() {
  const spans = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'overload' }),
    spanProcessors: [{ onStart() {}, onEnd: (span) => spans.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer('bench-overload');
  const base = Date.now() - 60_000;
  for (let trace = 0; trace < SPANS_PER_EXPORT / 5; trace++) {
    const rootSpan = tracer.startSpan('agent.run', { startTime: base, root: true });
    const context = { getValue: () => undefined, setValue() { return this; }, deleteValue() { return this; } };
    for (let child = 0; child < 4; child++) {
      const parentContext = { ...context, getValue: (key) => (String(key).includes('span') ? rootSpan : undefined) };
      const span = tracer.startSpan(child % 2 ? 'tool.search' : 'llm.chat', {
        startTime: base + child * 20,
        attributes: child % 2 ? { 'gen_ai.tool.name': 'search' } : { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'model-a', 'gen_ai.usage.input_tokens': 900 },
      }, parentContext);
      span.end(base + child * 20 + 15);
    }
    rootSpan.end(base + 100);
  }
  return spans;
}

async function startCollector(dataDir) {
  const child = spawn(process.execPath, ['collector/dist/cli.js', 'start', '--port', '0', '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
  return { child, url };
}

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const post = (url, body) => fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });

const dataDir = mkdtempSync(join(tmpdir(), 'threshold-overload-'));
const { child, url } = await startCollector(dataDir);
try {
  const spans = buildSpans();
  const body = ProtobufTraceSerializer.serializeRequest(spans);

  // 1. Sustainable rate.
  let accepted = 0;
  const measureEnd = performance.now() + MEASURE_MS;
  await Promise.all(Array.from({ length: MEASURE_CLIENTS }, async () => {
    while (performance.now() < measureEnd) {
      const response = await post(url, body);
      await response.arrayBuffer();
      if (response.status === 200) accepted += SPANS_PER_EXPORT;
    }
  }));
  const sustainable = accepted / (MEASURE_MS / 1000);
  const offered = sustainable * LOAD_FACTOR;
  console.log(`sustainable: ${Math.round(sustainable)} spans/s accepted (${MEASURE_CLIENTS} clients, ${MEASURE_MS / 1000} s)`);

  // 2. Overload through the official exporter.
  let peakRss = rssOf(child.pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(child.pid))), 250);
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis: 120_000, concurrencyLimit: 100_000 });
  const outcomes = { success: 0, failed: 0 };
  const settled = [];
  const exportsPerSecond = offered / SPANS_PER_EXPORT;
  const startedAt = performance.now();
  let started = 0;
  const probe = { ok: 0, refused: 0, retryAfter: new Set() };
  let probing = true;
  const probeLoop = (async () => {
    while (probing) {
      const response = await post(url, body);
      await response.arrayBuffer();
      if (response.status === 200) probe.ok++;
      else {
        probe.refused++;
        probe.retryAfter.add(`${response.status} Retry-After ${response.headers.get('retry-after')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsedS = (performance.now() - startedAt) / 1000;
      if (elapsedS >= OVERLOAD_SECONDS) {
        clearInterval(timer);
        resolve();
        return;
      }
      while (started < elapsedS * exportsPerSecond) {
        started++;
        settled.push(new Promise((done) => exporter.export(spans, (result) => {
          outcomes[result.code === 0 ? 'success' : 'failed']++;
          done();
        })));
      }
    }, 50);
  });
  const loadEndedAt = performance.now();
  probing = false;
  await probeLoop;
  await Promise.all(settled);
  const settledAt = performance.now();
  clearInterval(sampler);
  const fresh = performance.now();
  const after = await post(url, body);
  await after.arrayBuffer();
  const freshMs = performance.now() - fresh;

  const offeredSpans = started * SPANS_PER_EXPORT;
  const delivered = outcomes.success * SPANS_PER_EXPORT;
  console.log(`offered: ${Math.round(offered)} spans/s (${LOAD_FACTOR}x) for ${OVERLOAD_SECONDS} s = ${offeredSpans} spans in ${started} exports of ${SPANS_PER_EXPORT}`);
  console.log(`accepted during overload: ${Math.round(delivered / ((settledAt - startedAt) / 1000))} spans/s averaged until every export settled`);
  console.log(`probe during overload: ${probe.ok} accepted, ${probe.refused} refused (${[...probe.retryAfter].join(', ') || 'none'})`);
  console.log(`delivered: ${delivered} of ${offeredSpans} spans (${outcomes.success} exports succeeded, ${outcomes.failed} failed after the exporter's retries)`);
  console.log(`all exports settled ${Math.round((settledAt - loadEndedAt) / 1000)} s after the load stopped`);
  console.log(`peak collector RSS ${Math.round(peakRss / 1048576)} MiB (cap ${RSS_CAP_BYTES / 1048576} MiB): ${peakRss < RSS_CAP_BYTES ? 'within' : 'OVER'}`);
  console.log(`recovery: a fresh request got ${after.status} in ${Math.round(freshMs)} ms`);
  await exporter.shutdown();
  if (peakRss >= RSS_CAP_BYTES || after.status !== 200) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
