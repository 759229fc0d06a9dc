import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { analyseRecords, type Finding, type TraceAnalysis } from '@threshold/core';
import { createAlerting, type Alerting } from './alerts/alerting.js';
import { createApp } from './app.js';
import { systemClock, type Clock } from './assembly/clock.js';
import { TraceAssembler } from './assembly/trace-assembler.js';
import { capTraceSpans, spanCapWarning } from './assembly/trace-span-cap.js';
import { resolveOptions, type CollectorOptions } from './config.js';
import { CommitQueue } from './ingest/commit-queue.js';
import { analysisBehind, analysisShouldLead, type AnalysisBacklog } from './ingest/analysis-backpressure.js';
import { storeReopening } from './store/store-fault.js';
import { LiveHub } from './live/live-hub.js';
import { CollectorMetrics } from './metrics/collector-metrics.js';
import { metricsRoutes } from './metrics/metrics-routes.js';
import { ROUTE_MODULES, type RouteContext, type RouteModule } from './routes/index.js';
import { RecommendationEngine } from './recommendations/recommendation-engine.js';
import { recommendationRoutes } from './recommendations/recommendation-routes.js';
import { decodeTraceRequestProtobuf } from './otlp/index.js';
import { openConfiguredStore } from './store/open-store.js';
import { compressForStorage } from './store/raw-request-codec.js';
import type { TraceStore } from './store/store.js';

/** Findings for one analysed trace (the recommendation engine plugs in here). */
export type FindingsProvider = (analysis: TraceAnalysis) => Finding[];

/** Listener for every analysed (or re-analysed) trace. */
export type AnalysisListener = (analysis: TraceAnalysis) => void;

export interface CreateCollectorOptions extends Partial<CollectorOptions> {
  /** Time source for trace assembly (tests drive the quiet period with a manual clock). */
  clock?: Clock;
  /** Route modules registered after the built-in ones (before the dashboard). */
  routes?: readonly RouteModule[];
  findingsProvider?: FindingsProvider;
  /** Opens the store instead of the DuckDB one under `dataDir` (another engine, or a wrapped store in tests). */
  openStore?: (options: CollectorOptions) => Promise<TraceStore>;
  /**
   * False: do not listen; requests reach `app` from another server (the project gateway in front
   * of one collector per project). `url` and `port` are then those given in `publicUrl`.
   */
  listen?: boolean;
  /** Base URL requests arrive at when `listen` is false (for links in alert notifications). */
  publicUrl?: string;
  /** Memory bounds of trace assembly (tests make them small to exercise spilling to the store). */
  assembly?: { maxPendingSpans?: number; recoverIdsPerLook?: number };
}

export interface Collector {
  /** `http://host:port` */
  url: string;
  port: number;
  options: CollectorOptions;
  app: Express;
  server: Server;
  store: TraceStore;
  assembler: TraceAssembler;
  commitQueue: CommitQueue;
  live: LiveHub;
  /** Alert rules, their evaluation (`alerting.evaluator.evaluate()` runs one now) and notifications. */
  alerting: Alerting;
  /** Counters and histograms behind `GET /metrics`. */
  metrics: CollectorMetrics;
  /** Replaces the findings provider; applies to traces analysed from now on. */
  setFindingsProvider(provider: FindingsProvider): void;
  /** Adds a listener called after each analysis is stored; returns a function that removes it. */
  onAnalysed(listener: AnalysisListener): () => void;
  /** Analyses one stored trace afresh from its raw spans; undefined if no span of it is stored. */
  analyseStoredTrace(traceId: string): Promise<TraceAnalysis | undefined>;
  /** Stops accepting requests, waits for commits, analyses every pending trace, closes the store. */
  close(): Promise<void>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Spans of analysed traces kept in memory for late spans: five minutes, at most 50,000 spans (older ones are read back from the store). */
const RECENT_WINDOW_MS = 300_000;
const MAX_RECENT_SPANS = 50_000;
const MAX_BATCH_TRACES = 2_000;
/**
 * Spans held in memory awaiting analysis (about 2 KiB each as decoded objects); beyond, they wait
 * in the store and are read back as the backlog goes down. With the recent spans, the ingest
 * queue and DuckDB's memory limit, this keeps the collector's memory bounded under any load.
 */
const MAX_PENDING_SPANS = 100_000;
/** A request finding the ingest queue full waits this long, in arrival order, before a 503. */
const ADMISSION_WAIT_MS = 2_000;

/**
 * Starts a collector: opens the store, re-queues traces whose analysis is missing or stale,
 * then listens. Port 0 picks a free port (see `url`).
 */
export async function createCollector(overrides: CreateCollectorOptions = {}): Promise<Collector> {
  const { clock = systemClock, routes = [], findingsProvider, openStore, listen = true, publicUrl = '', assembly = {}, ...optionOverrides } = overrides;
  const options = resolveOptions(optionOverrides);
  const store = openStore ? await openStore(options) : await openConfiguredStore(options);
  const live = new LiveHub();
  const listeners = new Set<AnalysisListener>();
  const recommendations = new RecommendationEngine({ taskClassConfig: options.taskClasses });
  let findings: FindingsProvider = findingsProvider ?? ((analysis) => recommendations.findingsFor(analysis));
  /** Analysis of at most `maxSpansPerTrace` spans; what the assembler stores is counted in `/metrics`. */
  const analyse = (records: Parameters<typeof analyseRecords>[0], counted = false) => {
    const capped = capTraceSpans(records, options.maxSpansPerTrace);
    const analysis = analyseRecords(capped.kept, options.taskClasses);
    if (capped.dropped > 0) {
      analysis.warnings.push(spanCapWarning(capped.dropped, options.maxSpansPerTrace));
      if (counted) metrics.recordSpansOverTraceCap(capped.dropped);
    }
    return analysis;
  };

  const assembler = new TraceAssembler({
    store,
    // The decoder applies the span caps itself (here they cut nothing: the scan found nothing to
    // cut), so these are the spans a stored request gives when it is read back later.
    decodeScanned: (body) => decodeTraceRequestProtobuf(body).spans,
    analyse: (records) => analyse(records, true),
    findings: (analysis) => findings(analysis),
    onAnalysed: (analysis) => {
      live.publish(analysis.summary);
      for (const listener of listeners) listener(analysis);
    },
    quietPeriodMs: options.quietPeriodMs,
    clock,
    recentWindowMs: RECENT_WINDOW_MS,
    maxRecentSpans: MAX_RECENT_SPANS,
    maxBatchTraces: MAX_BATCH_TRACES,
    maxPendingSpans: assembly.maxPendingSpans ?? MAX_PENDING_SPANS,
    ...(assembly.recoverIdsPerLook !== undefined ? { recoverIdsPerLook: assembly.recoverIdsPerLook } : {}),
    ingestBusy: () => commitQueue.depth > 0,
    analysisFirst: (): boolean => analysisShouldLead(backlogWithQueue(), options.maxAnalysisLagMs),
    onIngestIdle: (listener) => commitQueue.onIdle(listener),
  });
  /**
   * What analysis has to get through: what assembly holds or left in the store, and the spans still
   * waiting for their commit. Ingest is refused before the default in-memory bound is reached, so
   * under load traces do not spill to the store (tests that shrink the bound still exercise spilling).
   */
  const backlogWithQueue = (): AnalysisBacklog => {
    const backlog = assembler.backlog();
    return { ...backlog, spans: backlog.spans + commitQueue.depth, maxHeldSpans: MAX_PENDING_SPANS };
  };
  const commitQueue = new CommitQueue({
    commit: (batches) => store.appendBatches(batches),
    prepare: (batch) => ({ ...batch, request: compressForStorage(batch.request) }),
    onCommitted: (batches) => assembler.add(batches),
    maxQueuedSpans: options.maxQueuedSpans,
    admissionWaitMs: ADMISSION_WAIT_MS,
    refusal: (): Error | undefined => storeReopening(store) ?? analysisBehind(backlogWithQueue(), options.maxAnalysisLagMs),
  });

  const metrics = new CollectorMetrics();
  listeners.add((analysis) => metrics.observeAnalysis(analysis));
  let collectorUrl = '';
  const alerting = await createAlerting({
    store,
    clock,
    options: options.alerts,
    collectorUrl: () => collectorUrl,
    onDeliveryFinished: (status) => metrics.recordDelivery(status),
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  metrics.setSources({
    ingestQueueDepth: () => commitQueue.depth,
    heldSpans: () => assembler.heldSpans,
    alertStates: () => alerting.rules.list().map((rule) => ({ rule, state: alerting.evaluator.stateOf(rule) })),
    ...(store.faults ? { storeFaults: () => ({ active: store.faults!.current().map((fault) => fault.kind), totals: store.faults!.totals() }) } : {}),
    analysisLagMs: () => assembler.analysisLagMs(),
  });

  await recommendations.warmUp(store);
  // After the store reopens its database (a fatal error), every trace whose analysis is missing is taken back.
  const stopRecoveryListener = store.onRecovered?.(() => assembler.recoverFromStore());
  assembler.recoverFromStore();
  assembler.start();

  const analyseStoredTrace = async (traceId: string) => {
    const records = (await store.loadTraceSpans([traceId])).get(traceId);
    return records && records.length > 0 ? analyse(records) : undefined;
  };
  const context: RouteContext = {
    store,
    options,
    commitQueue,
    assembler,
    live,
    startedAtMs: Date.now(),
    version: VERSION,
    analyseStoredTrace,
    metrics,
  };
  const app = createApp(context, [...ROUTE_MODULES, alerting.routes, metricsRoutes(metrics), recommendationRoutes(recommendations), ...routes]);
  const server = listen ? app.listen(options.port, options.host) : createServer(app);
  if (listen) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    }).catch(async (error) => {
      await assembler.stop();
      await store.close();
      throw error;
    });
  }
  server.keepAliveTimeout = 65_000;
  const port = listen ? (server.address() as AddressInfo).port : Number(publicUrl ? new URL(publicUrl).port : 0);
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  collectorUrl = listen ? `http://${urlHost}:${port}` : publicUrl;
  alerting.start();

  let closing: Promise<void> | undefined;
  return {
    url: collectorUrl,
    port,
    options,
    app,
    server,
    store,
    assembler,
    commitQueue,
    live,
    alerting,
    metrics,
    setFindingsProvider: (provider) => {
      findings = provider;
    },
    onAnalysed: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    analyseStoredTrace,
    close: () =>
      (closing ??= (async () => {
        live.close();
        const stopped = listen ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
        server.closeIdleConnections();
        await commitQueue.drain();
        await assembler.flush();
        await assembler.stop();
        await alerting.close();
        stopRecoveryListener?.();
        server.closeAllConnections();
        await stopped;
        await store.close();
      })()),
  };
}
