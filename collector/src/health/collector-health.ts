import type { HealthResponse } from '@threshold/core';
import type { RouteContext } from '../routes/route-module.js';

/**
 * Analysis lag past which the collector reports itself degraded, as a multiple of the bound ingest
 * keeps it under (`maxAnalysisLagMs`): spans acknowledged this long ago are still not visible, so
 * the views and P99 alerts are that stale although ingest has been refusing to add to it.
 */
export const DEGRADED_LAG_FACTOR = 2;

/**
 * What `/api/health` answers: `ok`, or `degraded` with one reason a line (the store invalidated
 * and being reopened, the disk full, DuckDB out of memory, analysis minutes behind). A probe reads
 * the status code: 200 while ok, 503 while degraded.
 */
export function collectorHealth(context: RouteContext, nowMs = Date.now()): HealthResponse {
  const faults = context.store.faults?.current() ?? [];
  const analysisLagMs = Math.round(context.assembler.analysisLagMs());
  const reasons = faults.map((fault) => `${FAULT_TEXT[fault.kind]} since ${new Date(fault.sinceMs).toISOString()}: ${fault.message}`);
  if (analysisLagMs > DEGRADED_LAG_FACTOR * context.options.maxAnalysisLagMs)
    reasons.push(`analysis is ${Math.round(analysisLagMs / 1000)} s behind ingest`);
  return {
    status: reasons.length === 0 ? 'ok' : 'degraded',
    reasons,
    version: context.version,
    store: context.store.kind,
    uptimeMs: nowMs - context.startedAtMs,
    pendingTraces: context.assembler.pendingCount,
    ingestQueueDepth: context.commitQueue.depth,
    analysisLagMs,
    spansOverTraceCap: context.metrics?.spansOverTraceCap ?? 0,
  };
}

const FAULT_TEXT = {
  invalidated: 'the store hit a fatal error and is being reopened',
  recovering: 'the store is being reopened',
  'disk-full': 'the disk is full: ingest is refused until there is room',
  'out-of-memory': 'the store ran out of memory',
} as const;
