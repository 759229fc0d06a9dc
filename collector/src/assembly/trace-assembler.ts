import type { Finding, SpanRecord, TraceAnalysis } from '@threshold/core';
import type { AnalysedTrace, IngestBatch, TraceStore } from '../store/store.js';
import type { Clock } from './clock.js';
import { DeferredSpans, type DecodeScanned } from './deferred-spans.js';
import { AnalysisThroughput } from './analysis-throughput.js';
import type { AnalysisBacklog } from '../ingest/analysis-backpressure.js';

/** A trace whose spans are arriving, or that waits for its quiet period to pass. */
interface PendingTrace {
  traceId: string;
  records: SpanRecord[];
  /** Requests holding more spans of the trace, not decoded yet; they follow `records` in arrival order. */
  deferred: DeferredSpans[] | undefined;
  /** Spans held: `records` and those still in `deferred`. */
  heldSpans: number;
  /** Stored span rows these records stand for: the "analysed up to" marker once analysed. */
  storedSpanCount: number;
  lastArrivalMs: number;
  /** When the first of its spans held here arrived (or was read back): how long it has waited. */
  firstArrivalMs: number;
  /** True when `records` are known to hold every stored span of the trace. */
  complete: boolean;
  /** True when an analysis of the trace may already be stored. */
  replacesStored: boolean;
}

/** A trace analysed a short while ago, kept so a late span re-analyses it without a read. */
interface RecentTrace {
  records: SpanRecord[];
  storedSpanCount: number;
  expiresAtMs: number;
}

export interface TraceAssemblerOptions {
  store: TraceStore;
  /** Decodes a committed request that ingest only scanned. */
  decodeScanned: DecodeScanned;
  analyse: (records: SpanRecord[]) => TraceAnalysis;
  /** Findings for an analysed trace (recommendation rules); failures are logged, never thrown. */
  findings: (analysis: TraceAnalysis) => Finding[];
  /** Called after each analysis is stored. */
  onAnalysed: (analysis: TraceAnalysis) => void;
  quietPeriodMs: number;
  clock: Clock;
  /** How long an analysed trace's spans stay in memory for late spans. */
  recentWindowMs: number;
  /** Most spans kept in the recent cache, oldest dropped first. */
  maxRecentSpans: number;
  /** Most traces analysed and stored per transaction. */
  maxBatchTraces: number;
  /**
   * Most spans held in memory waiting for analysis. Beyond, spans of new traces are left in the
   * store only (they are durable) and picked up from there once the backlog has gone down.
   */
  maxPendingSpans: number;
  /** True while ingest has work queued: analysis then waits for it between slices. */
  ingestBusy: () => boolean;
  /** Calls the listener once ingest has no work queued; returns a function that cancels the call. */
  onIngestIdle: (listener: () => void) => () => void;
  /**
   * True while analysis is behind enough that ingest is (or is about to be) refused: analysis then
   * stops waiting for ingest between slices and shares the event loop evenly with it, since
   * acknowledging more would only be refused. Without it, analysis always yields to ingest.
   */
  analysisFirst?: () => boolean;
  /** Most stored trace ids looked up at once when taking back spilled traces (default 50,000). */
  recoverIdsPerLook?: number;
}

/** Most traces analysed and saved per batch while ingest is busy. */
const BUSY_BATCH_TRACES = 200;

/**
 * Analysis runs in slices of this much event-loop time, yielding between them. Every step of a
 * span commit (BEGIN, appends, COMMIT) waits for the event loop, so a slice is added to each:
 * 4 ms slices measured 214,000 spans/s acknowledged where 8 ms slices gave 196,000 (both with
 * analysis at a fixed 20 % share, before it waited for ingest to go idle).
 */
const SLICE_MS = 4;
/**
 * While ingest is busy, the longest wait after a slice for it to go idle: analysis always gets at
 * least SLICE / (SLICE + WAIT) = 4 % of the event loop, and takes every moment ingest leaves.
 */
const BUSY_WAIT_MAX_MS = 96;

/**
 * Turns a stream of committed spans into analysed traces. A trace is analysed once no span of it
 * has arrived for the quiet period (with a root or not: a root-less trace is analysed from its
 * earliest span and core records a warning). A span that arrives later re-opens the trace, which
 * is analysed again from all its spans and its stored analysis replaced.
 */
export class TraceAssembler {
  private readonly pending = new Map<string, PendingTrace>();
  private readonly processing = new Set<string>();
  private readonly recent = new Map<string, RecentTrace>();
  private recentSpans = 0;
  private pendingSpans = 0;
  /** Set when spans were left in the store only; cleared when they are taken back. */
  private spilled = false;
  /** When traces began waiting in the store only (spilled, or left by an earlier run); undefined once all are taken back. */
  private storeOnlySinceMs: number | undefined;
  /** Spans left in the store only since then (counted as they were spilled; unknown after a restart). */
  private storeOnlySpans = 0;
  private readonly throughput = new AnalysisThroughput();
  /** A look into the store for spilled traces, running while a batch is analysed. */
  private recovering: Promise<boolean> | undefined;
  /**
   * Set when a batch could not be read back or saved (a store error, DuckDB out of memory): its
   * traces, durable but unanalysed, are looked for in the store from the next sweep on.
   */
  private lookAgain = false;
  /** Traces whose analysis was saved while a look was in flight: the look must not take them back. */
  private savedDuringLook: Set<string> | undefined;
  private sweeping: Promise<void> | undefined;
  private timer: unknown;
  /** Set while `flush` runs: every pending trace is due, quiet period or not. */
  private flushing = false;

  constructor(private readonly options: TraceAssemblerOptions) {}

  /** Spans held in memory: awaiting analysis, and of recently analysed traces. */
  get heldSpans(): { pending: number; recent: number } {
    return { pending: this.pendingSpans, recent: this.recentSpans };
  }

  /**
   * How long the oldest acknowledged span still waiting for analysis has waited (quiet period
   * included), in ms: the oldest trace held in memory (they are kept in order of arrival), or the
   * time since traces began waiting in the store only, whichever is longer. 0 when nothing waits.
   */
  analysisLagMs(nowMs = this.options.clock.nowMs()): number {
    const oldestHeld = this.pending.values().next().value?.firstArrivalMs ?? Infinity;
    const oldestMs = Math.min(oldestHeld, this.storeOnlySinceMs ?? Infinity);
    return oldestMs === Infinity ? 0 : Math.max(0, nowMs - oldestMs);
  }

  /** The work acknowledged and not yet analysed, and the rate analysis gets through it (ingest's backpressure). */
  backlog(): AnalysisBacklog {
    return { lagMs: this.analysisLagMs(), spans: this.pendingSpans + this.storeOnlySpans, spansPerSecond: this.throughput.spansPerSecond() };
  }

  /** Traces waiting for their quiet period or being analysed. */
  get pendingCount(): number {
    return this.pending.size + this.processing.size;
  }

  /** Checks for due traces periodically (a quarter of the quiet period, at most every 250 ms). */
  start(): void {
    const intervalMs = Math.max(5, Math.min(250, this.options.quietPeriodMs / 4));
    this.timer = this.options.clock.setInterval(() => void this.sweep(), intervalMs);
  }

  /** Stops the timer and waits for an analysis in progress; pending traces stay stored for the next start. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) this.options.clock.clearInterval(this.timer);
    this.timer = undefined;
    while (this.sweeping) await this.sweeping;
  }

  /**
   * Takes requests whose spans are durable. Spans ingest decoded are held as they are; a request
   * ingest only checked is decoded once, when the first of its traces is analysed.
   */
  add(batches: readonly IngestBatch[]): void {
    const nowMs = this.options.clock.nowMs();
    for (const batch of batches) {
      if (batch.spans) {
        for (const span of batch.spans) {
          const entry = this.entryFor(span.traceId, nowMs, 1);
          if (!entry) continue;
          if (entry.deferred) this.materialize(entry);
          entry.records.push(span);
        }
        continue;
      }
      const deferred = new DeferredSpans(batch, this.options.decodeScanned);
      for (const [traceId, count] of batch.traceSpanCounts) {
        const entry = this.entryFor(traceId, nowMs, count);
        if (!entry) continue;
        (entry.deferred ??= []).push(deferred);
        deferred.hold();
      }
    }
  }

  /**
   * The pending entry that takes `count` more spans of the trace, counted as held; undefined when
   * the backlog is full and the trace is not held yet (its spans wait in the store).
   */
  private entryFor(traceId: string, nowMs: number, count: number): PendingTrace | undefined {
    let entry = this.pending.get(traceId);
    if (!entry) {
      if (this.pendingSpans >= this.options.maxPendingSpans) {
        this.spilled = true;
        this.storeOnlySinceMs ??= nowMs;
        this.storeOnlySpans += count;
        return undefined;
      }
      entry = this.open(traceId, nowMs);
    }
    entry.storedSpanCount += count;
    entry.heldSpans += count;
    entry.lastArrivalMs = nowMs;
    this.pendingSpans += count;
    return entry;
  }

  /** Decodes (once per request) the trace's spans still in deferred requests, after those it holds. */
  private materialize(entry: PendingTrace): void {
    if (!entry.deferred) return;
    for (const deferred of entry.deferred) {
      for (const span of deferred.take(entry.traceId)) entry.records.push(span);
    }
    entry.deferred = undefined;
  }

  /** Lets go of deferred requests whose spans the entry no longer needs (it read them all from the store). */
  private release(entry: PendingTrace): void {
    if (!entry.deferred) return;
    for (const deferred of entry.deferred) deferred.release();
    entry.deferred = undefined;
  }

  /**
   * Looks in the store, at the next sweep, for traces whose spans are stored but whose analysis is
   * missing or stale (left by an earlier run); they are analysed then.
   */
  recoverFromStore(): void {
    this.spilled = true;
    this.storeOnlySinceMs ??= this.options.clock.nowMs();
  }

  /** Takes every stored span of traces read back from the store; they are due at once. */
  private resume(spansByTrace: Map<string, SpanRecord[]>, savedSince: ReadonlySet<string>): void {
    const dueMs = this.options.clock.nowMs() - this.options.quietPeriodMs;
    for (const [traceId, records] of spansByTrace) {
      if (this.pending.has(traceId) || this.processing.has(traceId) || savedSince.has(traceId)) continue;
      this.pendingSpans += records.length;
      this.storeOnlySpans = Math.max(0, this.storeOnlySpans - records.length);
      this.pending.set(traceId, {
        traceId,
        records,
        deferred: undefined,
        heldSpans: records.length,
        storedSpanCount: records.length,
        lastArrivalMs: dueMs,
        firstArrivalMs: this.storeOnlySinceMs ?? dueMs,
        complete: true,
        replacesStored: true,
      });
    }
  }

  /**
   * Analyses and stores every pending trace now, whether its quiet period has passed or not (on
   * shutdown, so no trace waits for the next start). A span arriving later re-opens its trace.
   */
  async flush(): Promise<void> {
    this.flushing = true;
    try {
      // A sweep already running may have passed its last look; the second one starts afresh.
      await this.sweep();
      await this.sweep();
    } finally {
      this.flushing = false;
    }
  }

  /** Analyses and stores every trace whose quiet period has passed. Runs one sweep at a time. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepDue().finally(() => {
      this.sweeping = undefined;
      // Not within the sweep that failed: a store failing for good is retried once per sweep, not in a loop.
      if (this.lookAgain) {
        this.lookAgain = false;
        this.spilled = true;
      }
    });
    return this.sweeping;
  }

  private open(traceId: string, nowMs: number): PendingTrace {
    const recent = this.recent.get(traceId);
    let entry: PendingTrace;
    if (recent && !this.processing.has(traceId) && !this.options.store.shared) {
      this.forgetRecent(traceId, recent);
      this.pendingSpans += recent.records.length;
      entry = {
        traceId,
        records: [...recent.records],
        deferred: undefined,
        heldSpans: recent.records.length,
        storedSpanCount: recent.storedSpanCount,
        lastArrivalMs: 0,
        firstArrivalMs: nowMs,
        complete: true,
        replacesStored: true,
      };
    } else {
      // Unknown here: it may have been analysed before this process started or left the recent cache.
      const replacesStored = this.processing.has(traceId);
      entry = { traceId, records: [], deferred: undefined, heldSpans: 0, storedSpanCount: 0, lastArrivalMs: 0, firstArrivalMs: nowMs, complete: false, replacesStored };
    }
    this.pending.set(traceId, entry);
    return entry;
  }

  /**
   * Takes due traces batch by batch. A batch's save (a DuckDB or ClickHouse transaction, which
   * runs off the event loop) overlaps the analysis of the next batch; saves stay in order, and a
   * trace stays `processing` until its own batch is saved, so no trace is in two batches at once.
   */
  private async sweepDue(): Promise<void> {
    let saving: Promise<void> = Promise.resolve();
    this.throughput.begin(performance.now());
    try {
      for (;;) {
        const due = this.takeDue();
        if (due.length === 0) {
          await saving;
          if (this.recovering) {
            await this.recovering;
            continue;
          }
          if (await this.recoverSpilled()) continue;
          return;
        }
        // Read the next spilled traces back (DuckDB works off the event loop) while this batch is analysed.
        this.recovering ??= this.recoverSpilled().finally(() => {
          this.recovering = undefined;
        });
        let analysed: AnalysedTrace[];
        try {
          await this.completeFromStore(due);
          analysed = await this.analyseInSlices(due);
        } catch (error) {
          // The spans are durable: the traces are taken back from the store at the next sweep.
          console.error('threshold: reading back trace spans failed:', error);
          for (const entry of due) this.processing.delete(entry.traceId);
          this.lookAgain = true;
          continue;
        }
        const previous = saving;
        saving = (async () => {
          await previous;
          try {
            await this.options.store.saveAnalyses(analysed);
            this.throughput.record(spanCount(due), performance.now());
            if (this.savedDuringLook) for (const entry of due) this.savedDuringLook.add(entry.traceId);
            this.remember(due);
            for (const trace of analysed) this.notify(trace.analysis);
          } catch (error) {
            // The spans are durable: the traces are taken back from the store at the next sweep.
            console.error('threshold: storing trace analyses failed:', error);
            this.lookAgain = true;
          } finally {
            for (const entry of due) this.processing.delete(entry.traceId);
          }
        })();
      }
    } finally {
      await saving;
      await this.recovering;
      this.throughput.end();
    }
  }

  private takeDue(): PendingTrace[] {
    const nowMs = this.options.clock.nowMs();
    const due: PendingTrace[] = [];
    // While ingest has work queued, small batches: a batch's save is DuckDB and event-loop work that
    // ingest commits wait behind.
    const maxTraces = this.options.ingestBusy() ? Math.min(BUSY_BATCH_TRACES, this.options.maxBatchTraces) : this.options.maxBatchTraces;
    for (const entry of this.pending.values()) {
      if (due.length >= maxTraces) break;
      if (!this.flushing && nowMs - entry.lastArrivalMs < this.options.quietPeriodMs) continue;
      if (this.processing.has(entry.traceId)) continue;
      due.push(entry);
    }
    for (const entry of due) {
      this.pending.delete(entry.traceId);
      this.processing.add(entry.traceId);
      this.pendingSpans -= entry.heldSpans;
    }
    return due;
  }

  /** Between slices: at once when ingest is idle or analysis is behind; otherwise once ingest is idle, or after BUSY_WAIT_MAX_MS. */
  private async yieldToIngest(): Promise<void> {
    if (!this.options.ingestBusy() || this.options.analysisFirst?.()) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        cancel();
        resolve();
      }, BUSY_WAIT_MAX_MS);
      const cancel = this.options.onIngestIdle(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Analysis is CPU work on the event loop that also serves ingest. It runs in short slices; while
   * ingest has work queued it waits between slices until ingest is idle (at most BUSY_WAIT_MAX_MS),
   * so acknowledgements keep flowing at full speed under a burst and analysis still progresses
   * (spilling to the store if it falls behind, catching up once the burst is over).
   */
  private async analyseInSlices(due: PendingTrace[]): Promise<AnalysedTrace[]> {
    const analysed: AnalysedTrace[] = [];
    let sliceStart = performance.now();
    for (const entry of due) {
      analysed.push(...this.analyse(entry));
      if (performance.now() - sliceStart >= SLICE_MS) {
        await this.yieldToIngest();
        sliceStart = performance.now();
      }
    }
    return analysed;
  }

  /**
   * Once the backlog is below half its cap, takes back traces whose spans are stored but whose
   * analysis is missing or stale (spilled ones, and on start-up those left by the last run).
   * Returns true when it took any.
   */
  private async recoverSpilled(): Promise<boolean> {
    if (!this.spilled || this.pendingSpans > this.options.maxPendingSpans / 2) return false;
    // Reading stored requests back competes with ingest for the event loop and for DuckDB's memory
    // (its commits failed for want of memory with both at once): spilled traces wait for a lull.
    if (this.options.ingestBusy()) return false;
    this.spilled = false;
    let resumed = false;
    const savedSince = new Set<string>();
    this.savedDuringLook = savedSince;
    try {
      // A bounded look each time (the backlog can be millions of traces); more are taken next time.
      const perLook = this.options.recoverIdsPerLook ?? 50_000;
      const found = await this.options.store.pendingTraceIds(perLook);
      if (found.length === perLook) this.spilled = true;
      const ids = found.filter((id) => !this.pending.has(id) && !this.processing.has(id));
      for (let i = 0; i < ids.length; i += 1_000) {
        if (this.pendingSpans > this.options.maxPendingSpans / 2) {
          this.spilled = true;
          break;
        }
        this.resume(await this.options.store.loadTraceSpans(ids.slice(i, i + 1_000)), savedSince);
        resumed = true;
      }
      // Every stored trace is held again (its wait carried by its entry): none waits in the store only.
      if (!this.spilled) {
        this.storeOnlySinceMs = undefined;
        this.storeOnlySpans = 0;
      }
    } catch (error) {
      this.spilled = true;
      console.error('threshold: reading back stored traces failed:', error);
    } finally {
      this.savedDuringLook = undefined;
    }
    return resumed;
  }

  /**
   * Traces this process has not seen whole: if analysed before, read all their stored spans. With
   * a shared store, every trace of which other replicas stored spans this process does not hold.
   */
  private async completeFromStore(due: PendingTrace[]): Promise<void> {
    const unknown = due.filter((entry) => !entry.complete);
    if (unknown.length === 0) return;
    const ids = unknown.map((entry) => entry.traceId);
    const known = this.options.store.shared ? await this.storedElsewhere(unknown) : await this.options.store.analysedTraceIds(ids);
    if (known.size === 0) return;
    const stored = await this.options.store.loadTraceSpans([...known]);
    for (const entry of unknown) {
      const records = stored.get(entry.traceId);
      if (!known.has(entry.traceId) || !records) continue;
      this.release(entry);
      entry.records = records;
      entry.storedSpanCount = records.length;
      entry.replacesStored = true;
    }
  }

  /** Traces of which the shared store holds more spans than this process (all, if it cannot count). */
  private async storedElsewhere(entries: PendingTrace[]): Promise<Set<string>> {
    const ids = entries.map((entry) => entry.traceId);
    const counts = await this.options.store.storedSpanCounts?.(ids);
    if (!counts) return new Set(ids);
    return new Set(entries.filter((entry) => (counts.get(entry.traceId) ?? 0) > entry.storedSpanCount).map((entry) => entry.traceId));
  }

  private analyse(entry: PendingTrace): AnalysedTrace[] {
    this.materialize(entry);
    let analysis: TraceAnalysis;
    try {
      analysis = this.options.analyse(entry.records);
    } catch (error) {
      console.error(`threshold: analysing trace ${entry.traceId} failed:`, error);
      return [];
    }
    let findings: Finding[] = [];
    try {
      findings = this.options.findings(analysis);
    } catch (error) {
      console.error(`threshold: findings for trace ${entry.traceId} failed:`, error);
    }
    return [{ analysis, findings, analysedSpanCount: entry.storedSpanCount, replacesStored: entry.replacesStored }];
  }

  private remember(entries: PendingTrace[]): void {
    const expiresAtMs = this.options.clock.nowMs() + this.options.recentWindowMs;
    for (const entry of entries) {
      const previous = this.recent.get(entry.traceId);
      if (previous) this.forgetRecent(entry.traceId, previous);
      this.recent.set(entry.traceId, { records: entry.records, storedSpanCount: entry.storedSpanCount, expiresAtMs });
      this.recentSpans += entry.records.length;
    }
    const nowMs = this.options.clock.nowMs();
    for (const [traceId, recent] of this.recent) {
      if (recent.expiresAtMs > nowMs && this.recentSpans <= this.options.maxRecentSpans) break;
      this.forgetRecent(traceId, recent);
    }
  }

  private forgetRecent(traceId: string, recent: RecentTrace): void {
    this.recent.delete(traceId);
    this.recentSpans -= recent.records.length;
  }

  private notify(analysis: TraceAnalysis): void {
    try {
      this.options.onAnalysed(analysis);
    } catch (error) {
      console.error('threshold: a trace listener failed:', error);
    }
  }
}

/** Spans a batch of traces held (what its analysis got through). */
function spanCount(entries: readonly PendingTrace[]): number {
  let spans = 0;
  for (const entry of entries) spans += entry.storedSpanCount;
  return spans;
}
