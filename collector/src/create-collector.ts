import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { TraceAnalysis } from '@threshold/core';
import { createAlerting, type Alerting } from './alerts/alerting.js';
import { createApp } from './app.js';
import { systemClock, type Clock } from './assembly/clock.js';
import type { TraceAssembler } from './assembly/trace-assembler.js';
import { resolveOptions, type CollectorOptions } from './config.js';
import type { CommitQueue } from './ingest/commit-queue.js';
import type { AnalysisSweep } from './pipeline/analysis-sweep.js';
import type { AnalysisListener } from './pipeline/notify-stage.js';
import { WritePath, type FindingsProvider } from './pipeline/write-path.js';
import { LiveHub } from './live/live-hub.js';
import { CollectorMetrics } from './metrics/collector-metrics.js';
import { metricsRoutes } from './metrics/metrics-routes.js';
import { ROUTE_MODULES, type RouteContext, type RouteModule } from './routes/index.js';
import { RecommendationEngine } from './recommendations/recommendation-engine.js';
import { recommendationRoutes } from './recommendations/recommendation-routes.js';
import { openConfiguredStore } from './store/open-store.js';
import type { TraceStore } from './store/store.js';

export type { FindingsProvider } from './pipeline/write-path.js';
export type { AnalysisListener } from './pipeline/notify-stage.js';

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
  /** Traces gathered from committed spans until they are due for analysis. */
  assembler: TraceAssembler;
  /** Analyses, saves and announces due traces (`analysis.sweep()` runs one sweep now). */
  analysis: AnalysisSweep;
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

/**
 * Starts a collector: opens the store, re-queues traces whose analysis is missing or stale,
 * then listens. Port 0 picks a free port (see `url`).
 */
export async function createCollector(overrides: CreateCollectorOptions = {}): Promise<Collector> {
  const {
    clock = systemClock,
    routes = [],
    findingsProvider,
    openStore,
    listen = true,
    publicUrl = '',
    assembly = {},
    ...optionOverrides
  } = overrides;
  const options = resolveOptions(optionOverrides);
  const store = openStore ? await openStore(options) : await openConfiguredStore(options);
  const live = new LiveHub();
  const recommendations = new RecommendationEngine({ taskClassConfig: options.taskClasses });
  const metrics = new CollectorMetrics();
  const writePath = new WritePath({
    store,
    options,
    clock,
    // The built-in findings read the spans' facts, never their views or attributes.
    findings: findingsProvider ?? ((analysis) => recommendations.findingsFor(analysis)),
    findingsReadSpans: findingsProvider !== undefined,
    onSpansOverCap: (spans) => metrics.recordSpansOverTraceCap(spans),
    assembly,
  });
  const { assembler, commitQueue, analysis } = writePath;
  writePath.notify.listen((analysed) => live.publish(analysed.summary), { readsSpans: false });
  writePath.notify.listen((analysed) => metrics.observeAnalysis(analysed), { readsSpans: false });
  let collectorUrl = '';
  const alerting = await createAlerting({
    store,
    clock,
    options: options.alerts,
    collectorUrl: () => collectorUrl,
    onDeliveryFinished: (status) => metrics.recordDelivery(status),
  }).catch(async (error: unknown) => {
    await writePath.stop();
    await store.close();
    throw error;
  });
  metrics.setSources({
    ingestQueueDepth: () => commitQueue.depth,
    heldSpans: () => assembler.heldSpans,
    alertStates: () => alerting.rules.list().map((rule) => ({ rule, state: alerting.evaluator.stateOf(rule) })),
    ...(store.faults
      ? { storeFaults: () => ({ active: store.faults!.current().map((fault) => fault.kind), totals: store.faults!.totals() }) }
      : {}),
    analysisLagMs: () => assembler.analysisLagMs(),
  });

  await recommendations.warmUp(store);
  // After the store reopens its database (a fatal error), every trace whose analysis is missing is taken back.
  const stopRecoveryListener = store.onRecovered?.(() => assembler.recoverFromStore());
  writePath.start();

  const analyseStoredTrace = async (traceId: string): Promise<TraceAnalysis | undefined> => {
    const records = (await store.loadTraceSpans([traceId])).get(traceId);
    return records && records.length > 0 ? writePath.analyse(records) : undefined;
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
  const app = createApp(context, [
    ...ROUTE_MODULES,
    alerting.routes,
    metricsRoutes(metrics),
    recommendationRoutes(recommendations),
    ...routes,
  ]);
  const server = listen ? app.listen(options.port, options.host) : createServer(app);
  if (listen) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    }).catch(async (error) => {
      await writePath.stop();
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
    analysis,
    commitQueue,
    live,
    alerting,
    metrics,
    setFindingsProvider: (provider) => writePath.setFindingsProvider(provider),
    onAnalysed: (listener) => writePath.notify.listen(listener),
    analyseStoredTrace,
    close: () =>
      (closing ??= (async () => {
        live.close();
        const stopped = listen ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
        server.closeIdleConnections();
        await writePath.drain();
        await alerting.close();
        stopRecoveryListener?.();
        server.closeAllConnections();
        await stopped;
        await store.close();
      })()),
  };
}
