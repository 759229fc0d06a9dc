import type { Express } from 'express';
import type { TraceAnalysis } from '@threshold/core';
import type { TraceAssembler } from '../assembly/trace-assembler.js';
import type { CollectorOptions } from '../config.js';
import type { CommitQueue } from '../ingest/commit-queue.js';
import type { LiveHub } from '../live/live-hub.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { SpanReader } from '../store/span-log.js';
import type { StoreStatus } from '../store/store-lifecycle.js';
import type { TraceQueries } from '../store/trace-queries.js';

/** What route handlers may use. Routes stay thin: parse, validate, call one of these, answer. */
export interface RouteContext {
  /** The store's reads: queries behind the API, stored spans (what-if re-analyses them), health's status. */
  store: TraceQueries & SpanReader & StoreStatus;
  options: CollectorOptions;
  commitQueue: CommitQueue;
  assembler: TraceAssembler;
  live: LiveHub;
  startedAtMs: number;
  version: string;
  /** Counters behind `GET /metrics` (spans received and rejected are counted by ingest). */
  metrics?: CollectorMetrics;
  /** Analyses one stored trace afresh from its raw spans (for what-if); undefined if unknown. */
  analyseStoredTrace(traceId: string): Promise<TraceAnalysis | undefined>;
}

/** A group of routes; every module is registered from the list in `routes/index.ts`. */
export interface RouteModule {
  name: string;
  register(app: Express, context: RouteContext): void;
}
