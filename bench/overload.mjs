#!/usr/bin/env node
/**
 * Overload: three times the sustainable load for a minute, sent by the official OTel exporter
 * (OTLP/HTTP protobuf, its own retries on 503 + Retry-After).
 *
 * Every request carries 100 new traces of 5 spans (an agent run, two chat calls, two tool calls),
 * timed to end at the moment it is sent, as a fleet of agents would send them: no trace id is ever
 * sent twice, so each trace is assembled and analysed once, as in production.
 *
 * 1. Sustainable rate S: what the collector can keep up with indefinitely, spans acknowledged AND
 *    analysed. Keep-alive clients post fresh requests as fast as answers come back for MEASURE_MS;
 *    then the bench waits until every acknowledged trace is analysed. S = acknowledged spans / time
 *    from the first request until the last of those traces was analysed (it includes the quiet
 *    period a trace waits before its analysis). The acknowledgement rate alone is printed too: it
 *    is higher, because acknowledging only needs the spans durable, and analysis then falls behind.
 * 2. Overload: exports of 500 spans are started on a timer at 3 × S for OVERLOAD_SECONDS (60), each
 *    with a 120 s export timeout; a raw probe counts the 503s and their Retry-After.
 * 3. Recovery: time until every export has settled, then one fresh request must get a 200, then
 *    the time until every delivered trace is analysed (the collector working off its backlog).
 *
 * Reports the offered and accepted rates, 503 counts, the collector's peak RSS against the
 * documented cap (1.5 GiB with the default settings; sampled through the whole run, peak per phase),
 * delivered vs offered spans, and the recovery. Exits with 1 if RSS reached the cap in any phase,
 * an export failed after the exporter's retries, the fresh request was refused, or the delivered
 * traces were not all analysed in time.
 *
 *   node bench/overload.mjs   (after `npx tsc -b`; OVERLOAD_SECONDS=10 for a quick run)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { freePort, startCollectorProcess, stopCollectorProcess } from './_loopback.mjs';

const OVERLOAD_SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 60);
const MEASURE_MS = 8_000;
const MEASURE_CLIENTS = 24;
const TRACES_PER_EXPORT = 100;
const SPANS_PER_TRACE = 5;
const SPANS_PER_EXPORT = TRACES_PER_EXPORT * SPANS_PER_TRACE;
/** Wall time of one trace, root start to root end. */
const TRACE_MS = 100;
const LOAD_FACTOR = 3;
/**
 * Documented cap for the default settings (README, "Overload and limits"): at most 64 ingest
 * requests (64 MiB of bodies) in flight, the rest answered 503 at once; at most 100,000 spans
 * queued for a commit; at most 100,000 spans held in memory awaiting analysis (the rest wait in
 * the store) and 50,000 recently analysed spans kept for late arrivals; DuckDB limited to 128 MiB;
 * plus the process itself, the statistics index of stored traces and allocator slack.
 */
const RSS_CAP_BYTES = 1.5 * 1024 * 1024 * 1024;
/** How long the sustainable measurement waits for its traces to be analysed. */
const MEASURE_ANALYSIS_WAIT_MS = 180_000;
/** How long recovery waits for the delivered traces to be analysed: the overload offered 3 × S for OVERLOAD_SECONDS, which takes 3 × OVERLOAD_SECONDS to analyse at S. */
const BACKLOG_WAIT_MS = 180_000 + LOAD_FACTOR * OVERLOAD_SECONDS * 1000;

/**
 * One request's worth of agent runs, recorded once with a real tracer: per trace an `agent.run`
 * root and four children (chat, tool, chat, tool) parented to it. Each span comes with its start
 * and end as ms from its trace's start, so copies can be placed at any time.
 */
function recordTemplate() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'overload' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bench-overload');
  const baseMs = Date.now();
  const traceOf = new Map();
  for (let traceIndex = 0; traceIndex < TRACES_PER_EXPORT; traceIndex++) {
    const rootSpan = tracer.startSpan('agent.run', { startTime: baseMs }, ROOT_CONTEXT);
    traceOf.set(rootSpan.spanContext().traceId, traceIndex);
    const inRoot = trace.setSpan(ROOT_CONTEXT, rootSpan);
    for (let child = 0; child < SPANS_PER_TRACE - 1; child++) {
      const span = tracer.startSpan(
        child % 2 ? 'tool.search' : 'llm.chat',
        {
          startTime: baseMs + child * 20,
          attributes:
            child % 2
              ? { 'gen_ai.tool.name': 'search' }
              : { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'model-a', 'gen_ai.usage.input_tokens': 900 },
        },
        inRoot,
      );
      span.end(baseMs + child * 20 + 15);
    }
    rootSpan.end(baseMs + TRACE_MS);
  }
  const msOf = ([seconds, nanos]) => seconds * 1000 + Math.round(nanos / 1e6);
  const spans = exporter.getFinishedSpans();
  if (spans.length !== SPANS_PER_EXPORT || traceOf.size !== TRACES_PER_EXPORT)
    throw new Error(`recorded ${spans.length} spans in ${traceOf.size} traces`);
  return spans.map((span) => {
    const traceIndex = traceOf.get(span.spanContext().traceId);
    if (traceIndex === undefined) throw new Error(`span ${span.name} is not in a recorded trace`);
    return { span, traceIndex, startMs: msOf(span.startTime) - baseMs, endMs: msOf(span.endTime) - baseMs };
  });
}

const template = recordTemplate();
/** Trace ids are this run's random 8 bytes followed by a counter: new in every request, unique across runs. */
const RUN_ID = randomBytes(8).toString('hex');
let tracesIssued = 0;
const hrTime = (ms) => [Math.floor(ms / 1000), (ms % 1000) * 1e6];

/**
 * The template's spans as a new request: copies of the recorded ReadableSpans with 100 new trace
 * ids (parents still the root of the same trace) and times shifted so every trace ends now; the
 * attributes, resource and scope are shared with the recording. Plain objects of one shape, not
 * `Object.create(span)` views: 500 views with 500 different prototypes make the serializer's
 * property reads megamorphic, and serializing them cost about 4× as much as these copies.
 */
function freshSpans() {
  const traceStartMs = Date.now() - TRACE_MS;
  const first = tracesIssued;
  tracesIssued += TRACES_PER_EXPORT;
  const traceIds = Array.from({ length: TRACES_PER_EXPORT }, (_, index) => RUN_ID + (first + index).toString(16).padStart(16, '0'));
  return template.map(({ span, traceIndex, startMs, endMs }) => {
    const traceId = traceIds[traceIndex];
    const context = { ...span.spanContext(), traceId };
    return {
      name: span.name,
      kind: span.kind,
      spanContext: () => context,
      parentSpanContext: span.parentSpanContext && { ...span.parentSpanContext, traceId },
      startTime: hrTime(traceStartMs + startMs),
      endTime: hrTime(traceStartMs + endMs),
      status: span.status,
      attributes: span.attributes,
      links: span.links,
      events: span.events,
      duration: span.duration,
      ended: true,
      resource: span.resource,
      instrumentationScope: span.instrumentationScope,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  });
}

/** A fresh request serialized by the official OTLP protobuf serializer (what the exporter sends). */
const freshBody = () => ProtobufTraceSerializer.serializeRequest(freshSpans());

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const post = (url, body) => fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const rate = (spansPerSecond) => `${Math.round(spansPerSecond).toLocaleString('en-US')} spans/s`;

/** Analysed traces (`total` of the trace list). */
async function analysedTraces(url) {
  const response = await fetch(`${url}/api/traces?limit=1`);
  if (response.status !== 200) throw new Error(`GET /api/traces answered ${response.status}`);
  return (await response.json()).total;
}

/** Polls until at least `expected` traces are analysed or `boundMs` passed; `at` is when it saw them. */
async function waitForAnalysis(url, expected, boundMs) {
  const giveUpAt = performance.now() + boundMs;
  for (;;) {
    const analysed = await analysedTraces(url);
    const at = performance.now();
    if (analysed >= expected || at >= giveUpAt) return { analysed, at, caughtUp: analysed >= expected };
    await sleep(100);
  }
}

/** Span counts of the newest `limit` analysed traces that differ from SPANS_PER_TRACE. */
async function tracesNotOfFiveSpans(url, limit) {
  const { traces } = await (await fetch(`${url}/api/traces?limit=${limit}`)).json();
  return {
    checked: traces.length,
    odd: traces.filter((summary) => summary.spanCount !== SPANS_PER_TRACE).map((summary) => summary.spanCount),
  };
}

/**
 * The collector's RSS sampled every 250 ms for the whole run; the peak is kept per phase, set with
 * `enter` (which also notes the RSS the phase began with).
 */
function rssMonitor(pid, url) {
  const phases = new Map();
  let current;
  let highest = 0;
  const sample = () => {
    const rss = rssOf(pid);
    current.peak = Math.max(current.peak, rss);
    return rss;
  };
  // Once a second, the collector's own memory gauges; those read at the highest RSS are kept.
  const gauges = { atPeak: undefined };
  const readGauges = async () => {
    try {
      const text = await (await fetch(`${url}/metrics`)).text();
      const value = (line) => Number(new RegExp(`^${line} (\\S+)$`, 'm').exec(text)?.[1]);
      const reading = {
        rss: value('process_resident_memory_bytes'),
        heapUsed: value('nodejs_heap_size_used_bytes'),
        heapTotal: value('nodejs_heap_size_total_bytes'),
        external: value('nodejs_external_memory_bytes'),
        pending: value('threshold_assembly_spans\\{state="pending"\\}'),
        recent: value('threshold_assembly_spans\\{state="recent"\\}'),
        queued: value('threshold_ingest_queue_depth'),
      };
      if (reading.rss >= highest) {
        highest = reading.rss;
        gauges.atPeak = reading;
      }
    } catch {
      // A scrape that fails under load is skipped.
    }
  };
  const gaugeTimer = setInterval(() => void readGauges(), 1_000);
  const enter = (name) => {
    current = { peak: 0, began: 0 };
    phases.set(name, current);
    current.began = sample();
  };
  enter('measurement');
  const timer = setInterval(sample, 250);
  return {
    enter,
    phases,
    now: sample,
    peak: () => Math.max(...[...phases.values()].map((phase) => phase.peak)),
    gauges,
    stop: () => {
      clearInterval(timer);
      clearInterval(gaugeTimer);
    },
  };
}

async function run(url, child) {
  const rss = rssMonitor(child.pid, url);
  try {
    return await overload(url, rss);
  } finally {
    rss.stop();
  }
}

const mib = (bytes) => `${Math.round(bytes / 1048576)} MiB`;

async function overload(url, rss) {
  // 1. Sustainable rate: acknowledged and analysed.
  let measureAcked = 0;
  let measureRefused = 0;
  const measureStart = performance.now();
  const measureEnd = measureStart + MEASURE_MS;
  await Promise.all(
    Array.from({ length: MEASURE_CLIENTS }, async () => {
      while (performance.now() < measureEnd) {
        const response = await post(url, freshBody());
        await response.arrayBuffer();
        if (response.status === 200) measureAcked++;
        else if (response.status === 503) {
          measureRefused++;
          await sleep(20);
        } else throw new Error(`unexpected status ${response.status} while measuring`);
      }
    }),
  );
  const postingMs = performance.now() - measureStart;
  const measureTraces = measureAcked * TRACES_PER_EXPORT;
  const measureSpans = measureAcked * SPANS_PER_EXPORT;
  const ackRate = measureSpans / (postingMs / 1000);
  console.log(
    `acknowledged: ${rate(ackRate)} (${MEASURE_CLIENTS} keep-alive clients, ${seconds(postingMs)}, ${measureRefused} answered 503): spans durable, not yet analysed`,
  );
  const measured = await waitForAnalysis(url, measureTraces, MEASURE_ANALYSIS_WAIT_MS);
  if (!measured.caughtUp) {
    console.log(
      `sustainable: not measured, ${measured.analysed} of ${measureTraces} acknowledged traces analysed ${seconds(measured.at - measureStart)} after posting began`,
    );
    console.log(`peak collector RSS ${mib(rss.peak())} (cap ${mib(RSS_CAP_BYTES)}) while measuring`);
    return 1;
  }
  const sustainable = measureSpans / ((measured.at - measureStart) / 1000);
  console.log(
    `sustainable: ${rate(sustainable)} = ${measureSpans.toLocaleString('en-US')} spans acknowledged / ${seconds(measured.at - measureStart)} ` +
      `from the first request until the last of their ${measureTraces.toLocaleString('en-US')} traces was analysed ` +
      `(${seconds(measured.at - measureStart - postingMs)} after posting stopped): the rate the collector can acknowledge and analyse indefinitely`,
  );

  // 2. Overload through the official exporter.
  rss.enter('overload');
  const offered = sustainable * LOAD_FACTOR;
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis: 120_000, concurrencyLimit: 100_000 });
  const outcomes = { success: 0, failed: 0 };
  const failures = new Set();
  const settled = [];
  const exportsPerSecond = offered / SPANS_PER_EXPORT;
  const startedAt = performance.now();
  let started = 0;
  const probe = { ok: 0, refused: 0, retryAfter: new Set() };
  let probing = true;
  const probeLoop = (async () => {
    while (probing) {
      const response = await post(url, freshBody());
      await response.arrayBuffer();
      if (response.status === 200) probe.ok++;
      else {
        probe.refused++;
        probe.retryAfter.add(`${response.status} Retry-After ${response.headers.get('retry-after')}`);
      }
      await sleep(200);
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
        settled.push(
          new Promise((done) =>
            exporter.export(freshSpans(), (result) => {
              if (result.code === 0) outcomes.success++;
              else {
                outcomes.failed++;
                failures.add(result.error?.message ?? 'no error given');
              }
              done();
            }),
          ),
        );
      }
    }, 50);
  });
  const loadEndedAt = performance.now();
  probing = false;
  await probeLoop;
  await Promise.all(settled);
  const settledAt = performance.now();

  // 3. Recovery: a fresh request, then the analysis backlog.
  rss.enter('recovery');
  const fresh = performance.now();
  const after = await post(url, freshBody());
  await after.arrayBuffer();
  const freshMs = performance.now() - fresh;
  const deliveredTraces = (measureAcked + outcomes.success + probe.ok + (after.status === 200 ? 1 : 0)) * TRACES_PER_EXPORT;
  const drained = await waitForAnalysis(url, deliveredTraces, BACKLOG_WAIT_MS);
  const shape = await tracesNotOfFiveSpans(url, 1000);
  const rssAfter = rss.now();
  await exporter.shutdown();

  const offeredSpans = started * SPANS_PER_EXPORT;
  const delivered = outcomes.success * SPANS_PER_EXPORT;
  console.log(
    `offered: ${rate(offered)} (${LOAD_FACTOR}x) for ${OVERLOAD_SECONDS} s = ${offeredSpans} spans in ${started} exports of ${SPANS_PER_EXPORT}`,
  );
  console.log(`accepted during overload: ${rate(delivered / ((settledAt - startedAt) / 1000))} averaged until every export settled`);
  console.log(`probe during overload: ${probe.ok} accepted, ${probe.refused} refused (${[...probe.retryAfter].join(', ') || 'none'})`);
  console.log(
    `delivered: ${delivered} of ${offeredSpans} spans (${outcomes.success} exports succeeded, ${outcomes.failed} failed after the exporter's retries` +
      `${failures.size > 0 ? `: ${[...failures].join('; ')}` : ''})`,
  );
  console.log(`all exports settled ${seconds(settledAt - loadEndedAt)} after the load stopped`);
  const phaseRss = [...rss.phases].map(([name, phase]) => `${name} ${mib(phase.peak)} (${mib(phase.began)} when it began)`).join(', ');
  console.log(
    `peak collector RSS ${mib(rss.peak())} (cap ${mib(RSS_CAP_BYTES)}): ${rss.peak() < RSS_CAP_BYTES ? 'within' : 'OVER'}; by phase: ${phaseRss}`,
  );
  const at = rss.gauges.atPeak;
  if (at) {
    console.log(
      `at the highest RSS scraped (${mib(at.rss)}): JS heap ${mib(at.heapUsed)} used of ${mib(at.heapTotal)}, external ${mib(at.external)}, ` +
        `${at.pending.toLocaleString('en-US')} spans awaiting analysis, ${at.recent.toLocaleString('en-US')} recent, ${at.queued.toLocaleString('en-US')} queued for commit`,
    );
  }
  console.log(`recovery: a fresh request got ${after.status} in ${Math.round(freshMs)} ms`);
  console.log(
    `analysis backlog: ${drained.analysed.toLocaleString('en-US')} of ${deliveredTraces.toLocaleString('en-US')} delivered traces analysed ` +
      `${seconds(drained.at - settledAt)} after every export settled (${seconds(drained.at - loadEndedAt)} after the load stopped)` +
      `${drained.caughtUp ? '' : `: gave up after ${seconds(BACKLOG_WAIT_MS)}`}`,
  );
  console.log(`collector RSS once the backlog was analysed: ${mib(rssAfter)}`);
  console.log(
    `trace shape: ${shape.checked - shape.odd.length} of the newest ${shape.checked} analysed traces have ${SPANS_PER_TRACE} spans` +
      `${shape.odd.length > 0 ? ` (others: ${[...new Set(shape.odd)].join(', ')} spans)` : ''}`,
  );
  return rss.peak() >= RSS_CAP_BYTES || after.status !== 200 || outcomes.failed > 0 || !drained.caughtUp ? 1 : 0;
}

const dataDir = mkdtempSync(join(tmpdir(), 'threshold-overload-'));
const port = await freePort();
const child = await startCollectorProcess(port, ['--data-dir', dataDir]);
try {
  process.exitCode = await run(`http://127.0.0.1:${port}`, child);
} finally {
  await stopCollectorProcess(child);
  rmSync(dataDir, { recursive: true, force: true });
}
