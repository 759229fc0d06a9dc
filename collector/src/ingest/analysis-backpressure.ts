import { MAX_RETRY_AFTER_SECONDS } from './retry-after.js';

/** Default bound on how far analysis may fall behind what was acknowledged (`--max-analysis-lag`). */
export const DEFAULT_MAX_ANALYSIS_LAG_MS = 30_000;

/**
 * Rate assumed before analysis has measured its own (a 20-span agent turn takes about 1 ms to
 * analyse and store on one core): errs low, so a burst at start-up is refused rather than left
 * minutes behind.
 */
const ASSUMED_SPANS_PER_SECOND = 10_000;

/** What ingest knows about the work acknowledged but not yet analysed. */
export interface AnalysisBacklog {
  /** How long the oldest acknowledged span still waiting for analysis has waited, in ms. */
  lagMs: number;
  /** Spans acknowledged and not yet analysed (held in memory and waiting in the store). */
  spans: number;
  /** Spans analysed per second while analysis is busy; undefined before it has been measured. */
  spansPerSecond: number | undefined;
  /**
   * Most spans assembly holds in memory awaiting analysis; beyond, traces wait in the store and
   * are read back and decoded a second time, much more slowly. Undefined: no such bound.
   */
  maxHeldSpans?: number;
}

/**
 * How long the backlog would take to analyse, with a margin: the rate is measured while analysis
 * has the event loop to itself as much as while ingest competes for it, and under load it was seen
 * to overstate what analysis then reaches by about half (a soak's lag rose to twice the bound).
 */
const DRAIN_MARGIN = 2;

/** Estimated time to analyse the whole backlog at the measured rate, the margin included, in ms. */
export function drainTimeMs(backlog: AnalysisBacklog): number {
  const rate = backlog.spansPerSecond ?? ASSUMED_SPANS_PER_SECOND;
  return ((DRAIN_MARGIN * backlog.spans) / Math.max(1, rate)) * 1000;
}

/**
 * True once analysis is half-way to its bound: from then on it no longer waits for ingest to go
 * idle between its slices (ingest is refused soon anyway, and every acknowledged span waits on it).
 */
export function analysisShouldLead(backlog: AnalysisBacklog, maxLagMs: number): boolean {
  return Math.max(backlog.lagMs, drainTimeMs(backlog)) > maxLagMs / 2;
}

/** Thrown instead of acknowledging more: the backlog would take longer than the bound to analyse. */
export class AnalysisBehindError extends Error {
  override readonly name = 'AnalysisBehindError';
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Backpressure tied to freshness, not to queue bytes: ingest refuses (503 + Retry-After; the OTLP
 * exporters retry) while the oldest unanalysed span is older than `maxLagMs`, or while the backlog
 * would take longer than that to analyse at the measured rate. So what is acknowledged becomes
 * visible within about `maxLagMs`, and a sender is told to slow down instead of the views and
 * P99 alerts going stale by minutes. Returns undefined when ingest may go on.
 */
export function analysisBehind(backlog: AnalysisBacklog, maxLagMs: number): AnalysisBehindError | undefined {
  const drainMs = drainTimeMs(backlog);
  const behindMs = Math.max(backlog.lagMs, drainMs);
  if (backlog.maxHeldSpans !== undefined && backlog.spans >= backlog.maxHeldSpans && behindMs <= maxLagMs) {
    // Within the bound by the estimate, but more would wait in the store, where reading it back
    // costs more than the estimate knows (a 10-minute soak saw the lag reach 80 s that way).
    return new AnalysisBehindError(
      1,
      `analysis is behind (${backlog.spans} spans wait for analysis, as many as it holds in memory): retry later`,
    );
  }
  if (behindMs <= maxLagMs) return undefined;
  const retryAfterSeconds = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil((behindMs - maxLagMs) / 1000)));
  const reason =
    backlog.lagMs >= drainMs
      ? `the oldest unanalysed span was acknowledged ${Math.round(backlog.lagMs / 1000)} s ago`
      : `${backlog.spans} spans wait for analysis, about ${Math.round(drainMs / 1000)} s of work`;
  return new AnalysisBehindError(
    retryAfterSeconds,
    `analysis is behind (${reason}; the bound is ${Math.round(maxLagMs / 1000)} s): retry later`,
  );
}
