import type { SpanRecord } from '@threshold/core';
import type { RequestRange } from '../store/span-log.js';
import type { HeldBody } from './deferred-spans.js';

/** A trace analysed a short while ago, kept so a late span re-analyses it without a read. */
export interface RecentTrace {
  records: SpanRecord[];
  /**
   * Parts that follow `records` in arrival order when the trace was analysed on a thread: request
   * bodies the event loop never decoded (they are decoded again only if a late span comes), or
   * spans another trace's analysis decoded here.
   */
  later?: Array<SpanRecord[] | HeldBody>;
  /** Stored span rows the records stand for: the "analysed up to" marker of its analysis. */
  storedSpanCount: number;
  /** The stored requests holding those spans, when known (see PendingTrace.requests). */
  requests: RequestRange | undefined;
  expiresAtMs: number;
}

export interface RecentTracesLimits {
  /** How long an analysed trace's spans stay for late spans. */
  windowMs: number;
  /** Most spans kept, oldest trace dropped first. */
  maxSpans: number;
}

/**
 * The spans of traces analysed in the last few minutes. Late spans are common (a span exported
 * in the batch after its siblings, a trace that goes on after a pause); with its spans here, the
 * trace re-analyses without reading the store. Bounded in time and spans; what falls out is read
 * back from the store when a late span comes.
 */
export class RecentTraces {
  private readonly traces = new Map<string, RecentTrace>();
  private spans = 0;

  constructor(private readonly limits: RecentTracesLimits) {}

  /** Spans held. */
  get spanCount(): number {
    return this.spans;
  }

  /** Removes and returns the trace's spans, if held. */
  take(traceId: string): RecentTrace | undefined {
    const recent = this.traces.get(traceId);
    if (recent) this.forget(traceId, recent);
    return recent;
  }

  /** Keeps analysed traces (replacing what was held of them), then drops expired and surplus ones, oldest first. */
  remember(
    traces: ReadonlyArray<{
      traceId: string;
      records: SpanRecord[];
      later?: Array<SpanRecord[] | HeldBody>;
      storedSpanCount: number;
      requests: RequestRange | undefined;
    }>,
    nowMs: number,
  ): void {
    const expiresAtMs = nowMs + this.limits.windowMs;
    for (const { traceId, records, later, storedSpanCount, requests } of traces) {
      const previous = this.traces.get(traceId);
      if (previous) this.forget(traceId, previous);
      const recent: RecentTrace = { records, storedSpanCount, requests, expiresAtMs };
      if (later && later.length > 0) recent.later = later;
      this.traces.set(traceId, recent);
      this.spans += heldSpans(recent);
    }
    for (const [traceId, recent] of this.traces) {
      if (recent.expiresAtMs > nowMs && this.spans <= this.limits.maxSpans) break;
      this.forget(traceId, recent);
    }
  }

  private forget(traceId: string, recent: RecentTrace): void {
    this.traces.delete(traceId);
    this.spans -= heldSpans(recent);
  }
}

/** Spans a recent trace stands for: its records, or, with parts never decoded here, its stored span count. */
function heldSpans(recent: RecentTrace): number {
  return recent.later ? Math.max(recent.storedSpanCount, recent.records.length) : recent.records.length;
}
