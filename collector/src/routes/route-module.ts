import type { Express } from 'express';
import type { TraceAnalysis } from '@threshold/core';
import type { TraceAssembler } from '../assembly/trace-assembler.js';
import type { CollectorOptions } from '../config.js';
import type { CommitQueue } from '../ingest/commit-queue.js';
import type { LiveHub } from '../live/live-hub.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { TraceStore } from '../store/store.js';

/** What route handlers may use. Routes stay thin: parse, validate, call one of these, answer. */
export interface RouteContext {
  store: TraceStore;
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
