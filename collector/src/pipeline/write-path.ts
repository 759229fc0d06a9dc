import type { Finding, SpanRecord, TraceAnalysis } from '@threshold/core';
import type { Clock } from '../assembly/clock.js';
import { TraceAssembler } from '../assembly/trace-assembler.js';
import type { CollectorOptions } from '../config.js';
import { analysisBehind, analysisShouldLead, type AnalysisBacklog } from '../ingest/analysis-backpressure.js';
import { CommitQueue } from '../ingest/commit-queue.js';
import { compressForStorage } from '../store/raw-request-codec.js';
import { storeReopening } from '../store/store-fault.js';
import type { AnalysisStore } from '../store/analysis-store.js';
import type { SpanLog } from '../store/span-log.js';
import type { StoreStatus } from '../store/store-lifecycle.js';
import { analyseTrace, type AnalyseSettings } from './analyse-stage.js';
import { decodeHeldBody } from './analysis-job.js';
import { acquireAnalysisPool, type AnalysisPool } from './analysis-pool.js';
import { AnalysisSweep } from './analysis-sweep.js';
import { NotifyStage } from './notify-stage.js';

/** Findings for one analysed trace (the recommendation engine plugs in here). */
export type FindingsProvider = (analysis: TraceAnalysis) => Finding[];

/** Spans of analysed traces kept in memory for late spans: five minutes, at most 50,000 spans (older ones are read back from the store). */
const RECENT_WINDOW_MS = 300_000;
const MAX_RECENT_SPANS = 50_000;
const MAX_BATCH_TRACES = 2_000;
/**
 * Spans held in memory awaiting analysis (about 2 KiB each as decoded objects); beyond, they wait
 * in the store and are read back as the backlog goes down. With the recent spans, the ingest
 * queue and DuckDB's memory limit, this keeps the collector's memory bounded under any load.
 */
export const MAX_PENDING_SPANS = 100_000;
/** A request finding the ingest queue full waits this long, in arrival order, before a 503. */
const ADMISSION_WAIT_MS = 2_000;

export interface WritePathOptions {
  /** The span log it appends to and reads back, where analyses are saved, and its faults (ingest refuses while it reopens). */
  store: SpanLog & AnalysisStore & StoreStatus;
  options: CollectorOptions;
  clock: Clock;
  findings: FindingsProvider;
  /**
   * False when the findings provider reads no span views and no span attributes (the built-in
   * one): analyses made on a thread are then not restored for it. Default true.
   */
  findingsReadSpans?: boolean;
  /** Spans left out of analyses by the per-trace cap (counted in `/metrics`). */
  onSpansOverCap?: (spans: number) => void;
  /** Memory bounds of trace assembly (tests make them small to exercise spilling to the store). */
  assembly?: { maxPendingSpans?: number; recoverIdsPerLook?: number };
}

/**
 * One span's way from `POST /v1/traces` (or gRPC `Export`) to the waterfall, in order:
 *
 *   receive   ingest/export-traces.ts      read, check and admit the request (caps, auth, backpressure)
 *   log       ingest/commit-queue.ts       group commit: the request is durable (blob log + DuckDB) → 200
 *   assemble  assembly/trace-assembler.ts  spans gathered per trace until it is quiet; late spans re-open it
 *   analyse   pipeline/analyse-stage.ts    core's analysis (critical path, breakdown, bands), then findings
 *   save      pipeline/analysis-sweep.ts   one transaction per batch: trace rows, span facts, findings
 *   notify    pipeline/notify-stage.ts     live updates, /metrics; alerts read the saved analyses
 *
 * Each stage is a module with a typed input and output; this function is the only place they meet.
 * docs/ARCHITECTURE.md draws it.
 */
export class WritePath {
  readonly commitQueue: CommitQueue;
  readonly assembler: TraceAssembler;
  readonly analysis: AnalysisSweep;
  readonly notify = new NotifyStage();
  /** The process's analysis threads, when `analysisWorkers` > 0. */
  private readonly pool: { pool: AnalysisPool; release: () => Promise<void> } | undefined;
  private findings: FindingsProvider;
  private findingsReadSpans: boolean;
  private readonly settings: AnalyseSettings;
  private readonly maxHeldSpans: number;

  constructor(private readonly config: WritePathOptions) {
    const { store, options, clock, assembly = {} } = config;
    this.findings = config.findings;
    this.findingsReadSpans = config.findingsReadSpans ?? true;
    this.settings = {
      maxSpansPerTrace: options.maxSpansPerTrace,
      taskClasses: options.taskClasses,
      spanViews: store.derivesSpanViews === true ? 'none' : options.store === 'duckdb' ? 'compressed' : 'json',
    };
    this.maxHeldSpans = assembly.maxPendingSpans ?? MAX_PENDING_SPANS;
    this.pool = options.analysisWorkers > 0 ? acquireAnalysisPool(options.analysisWorkers) : undefined;
    this.commitQueue = new CommitQueue({
      commit: (batches) => store.appendBatches(batches),
      prepare: (batch) => ({ ...batch, request: compressForStorage(batch.request) }),
      onCommitted: (batches) => this.assembler.add(batches),
      maxQueuedSpans: options.maxQueuedSpans,
      admissionWaitMs: ADMISSION_WAIT_MS,
      refusal: (): Error | undefined => storeReopening(store) ?? analysisBehind(this.backlog(), options.maxAnalysisLagMs),
    });
    this.assembler = new TraceAssembler({
      store,
      decodeScanned: decodeHeldBody,
      holdStored: this.pool !== undefined,
      quietPeriodMs: options.quietPeriodMs,
      clock,
      recentWindowMs: RECENT_WINDOW_MS,
      maxRecentSpans: MAX_RECENT_SPANS,
      maxPendingSpans: this.maxHeldSpans,
      ...(assembly.recoverIdsPerLook !== undefined ? { recoverIdsPerLook: assembly.recoverIdsPerLook } : {}),
    });
    this.analysis = new AnalysisSweep({
      assembler: this.assembler,
      settings: this.settings,
      ...(this.pool ? { pool: this.pool.pool } : {}),
      findings: (analysis) => this.findings(analysis),
      readsSpans: () => this.findingsReadSpans || this.notify.readsSpans,
      store,
      notify: this.notify,
      clock,
      maxBatchTraces: MAX_BATCH_TRACES,
      ingestBusy: () => this.commitQueue.depth > 0,
      onIngestIdle: (listener) => this.commitQueue.onIdle(listener),
      analysisFirst: () => analysisShouldLead(this.backlog(), options.maxAnalysisLagMs),
      onSpansOverCap: config.onSpansOverCap,
    });
  }

  /**
   * What analysis has to get through: what assembly holds or left in the store, and the spans still
   * waiting for their commit. Ingest is refused before the default in-memory bound is reached, so
   * under load traces do not spill to the store (tests that shrink the bound still exercise spilling).
   */
  backlog(): AnalysisBacklog {
    return {
      lagMs: this.assembler.analysisLagMs(),
      spans: this.assembler.unanalysedSpans + this.commitQueue.depth,
      spansPerSecond: this.analysis.spansPerSecond(),
      maxHeldSpans: MAX_PENDING_SPANS,
    };
  }

  /** Replaces the findings provider (which may read the spans' views and attributes); applies to traces analysed from now on. */
  setFindingsProvider(provider: FindingsProvider): void {
    this.findings = provider;
    this.findingsReadSpans = true;
  }

  /** Analyses spans afresh (a stored trace read back), as the analyse stage does. */
  analyse(records: SpanRecord[]): TraceAnalysis {
    return analyseTrace(records, this.settings).analysis;
  }

  /** Takes back traces left unanalysed by an earlier run, then sweeps on the quiet period's schedule. */
  start(): void {
    this.assembler.recoverFromStore();
    this.analysis.start(this.config.options.quietPeriodMs);
  }

  /** Waits for commits, analyses and stores every pending trace, then stops sweeping. */
  async drain(): Promise<void> {
    await this.commitQueue.drain();
    await this.analysis.flush();
    await this.stop();
  }

  /** Stops sweeping (pending traces stay stored for the next start) and lets go of the analysis threads. */
  async stop(): Promise<void> {
    await this.analysis.stop();
    await this.pool?.release();
  }
}
