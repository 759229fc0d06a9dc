import type { SpanRecord } from '@threshold/core';
import type { SpanLog } from '../store/span-log.js';

/** What the assembler tells the look about the traces it holds. */
export interface HeldTraces {
  /** True when the trace is pending or being analysed here. */
  has(traceId: string): boolean;
  /** Spans held in memory awaiting analysis. */
  spans(): number;
  /** Takes every stored span of traces read back (`savedSince`: traces saved while the look ran, to leave alone). */
  resume(spansByTrace: Map<string, SpanRecord[]>, savedSince: ReadonlySet<string>): void;
}

export interface SpilledTracesOptions {
  store: Pick<SpanLog, 'pendingTraceIds' | 'loadTraceSpans'>;
  /** Most spans held in memory awaiting analysis: traces are taken back while fewer than half are. */
  maxPendingSpans: number;
  /** Most stored trace ids looked up at once (default 50,000). */
  idsPerLook?: number;
}

/**
 * Traces whose spans are durable in the store but not held in memory: spilled when the backlog was
 * full, left unanalysed by an earlier run (or by a store that reopened after a fault), or whose
 * batch failed to read back or save. They are looked for in the store once the backlog is below
 * half its cap and ingest is idle, in bounded looks, and handed back to the assembler.
 */
export class SpilledTraces {
  /** Set while traces may wait in the store only; cleared when a look finds them all. */
  private spilled = false;
  /** When traces began waiting in the store only; undefined once all are taken back. */
  private sinceMs: number | undefined;
  /**
   * When a look was asked for without knowing whether anything waits (start-up, a reopened store):
   * it counts as waiting since then only once a look finds traces. Counted at once, an empty store
   * read as a lag growing with uptime while ingest stayed busy and kept the look from running.
   */
  private maybeSinceMs: number | undefined;
  /** Spans left in the store only since then (counted as they were spilled; unknown after a restart). */
  private spanCount = 0;
  /** Set when a batch failed to read back or save: look again after the current sweep (not within it). */
  private lookAgain = false;
  /** Traces whose analysis was saved while a look was in flight: the look must not take them back. */
  private savedDuringLook: Set<string> | undefined;

  constructor(private readonly options: SpilledTracesOptions) {}

  /** Since when traces have waited in the store only (undefined when none do). */
  get waitingSinceMs(): number | undefined {
    return this.sinceMs;
  }

  /** Spans known to wait in the store only. */
  get spans(): number {
    return this.spanCount;
  }

  /** Spans of a trace not held (the backlog is full) were left in the store. */
  spill(count: number, nowMs: number): void {
    this.spilled = true;
    this.sinceMs ??= nowMs;
    this.spanCount += count;
  }

  /** Traces may wait in the store (start-up, a reopened store): look at the next chance. */
  lookSoon(nowMs: number): void {
    this.spilled = true;
    this.maybeSinceMs ??= nowMs;
  }

  /** A batch failed to read back or save; its traces are durable and looked for after this sweep. */
  failed(): void {
    this.lookAgain = true;
  }

  /** The sweep is over: a failure within it is looked at from the next one on (a store failing for good is retried once per sweep). */
  sweepEnded(): void {
    if (!this.lookAgain) return;
    this.lookAgain = false;
    this.spilled = true;
  }

  /** Analyses of these traces were saved. */
  saved(traceIds: Iterable<string>): void {
    if (!this.savedDuringLook) return;
    for (const traceId of traceIds) this.savedDuringLook.add(traceId);
  }

  /** `records` spans were taken back from the store otherwise (a trace read whole). */
  tookBack(records: number): void {
    this.spanCount = Math.max(0, this.spanCount - records);
  }

  /**
   * One bounded look: when traces may wait in the store, the backlog is below half its cap and
   * ingest is idle, reads their spans back into `held`. True when it took any.
   */
  async look(held: HeldTraces, ingestBusy: boolean): Promise<boolean> {
    if (!this.spilled || held.spans() > this.options.maxPendingSpans / 2) return false;
    // Reading stored requests back competes with ingest for the event loop and for DuckDB's memory
    // (its commits failed for want of memory with both at once): spilled traces wait for a lull.
    if (ingestBusy) return false;
    this.spilled = false;
    let resumed = false;
    const savedSince = new Set<string>();
    this.savedDuringLook = savedSince;
    try {
      // A bounded look each time (the backlog can be millions of traces); more are taken next time.
      const perLook = this.options.idsPerLook ?? 50_000;
      const found = await this.options.store.pendingTraceIds(perLook);
      if (found.length > 0 && this.maybeSinceMs !== undefined) this.sinceMs ??= this.maybeSinceMs;
      this.maybeSinceMs = undefined;
      if (found.length === perLook) this.spilled = true;
      const ids = found.filter((id) => !held.has(id));
      for (let i = 0; i < ids.length; i += 1_000) {
        if (held.spans() > this.options.maxPendingSpans / 2) {
          this.spilled = true;
          break;
        }
        held.resume(await this.options.store.loadTraceSpans(ids.slice(i, i + 1_000)), savedSince);
        resumed = true;
      }
      // Every stored trace is held again (its wait carried by its entry): none waits in the store only.
      if (!this.spilled) {
        this.sinceMs = undefined;
        this.spanCount = 0;
      }
    } catch (error) {
      this.spilled = true;
      console.error('threshold: reading back stored traces failed:', error);
    } finally {
      this.savedDuringLook = undefined;
    }
    return resumed;
  }
}
