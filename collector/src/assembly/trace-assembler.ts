import type { SpanRecord } from '@threshold/core';
import type { AnalysisStore } from '../store/analysis-store.js';
import type { IngestBatch, RequestRange, SpanLog } from '../store/span-log.js';
import type { Clock } from './clock.js';
import { DeferredSpans, type DecodeScanned, type HeldBody } from './deferred-spans.js';
import { RecentTraces } from './recent-traces.js';
import { SpilledTraces, type HeldTraces } from './spilled-traces.js';

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
  /** The stored requests its spans came in (`IngestBatch.requestId`), while `requestsKnown`. */
  requests: RequestRange | undefined;
  /** False once some of its spans came from requests it has no number for (read back from the store, say). */
  requestsKnown: boolean;
  lastArrivalMs: number;
  /** When the first of its spans held here arrived (or was read back): how long it has waited. */
  firstArrivalMs: number;
  /** True when `records` are known to hold every stored span of the trace. */
  complete: boolean;
  /** True when an analysis of the trace may already be stored. */
  replacesStored: boolean;
  /** Parts given to an analysis thread after `records` (`DueTrace.sources`): `records` do not hold them. */
  later?: Array<SpanRecord[] | HeldBody>;
}

/** A trace taken for analysis: its spans (decoded on `spans()`), and what its analysis stands for. */
export interface DueTrace {
  readonly traceId: string;
  /** Stored span rows the analysis stands for. */
  readonly storedSpanCount: number;
  /** The stored requests those spans are in, when every one of them is known (see `IngestBatch.requestId`). */
  readonly requests: RequestRange | undefined;
  /** True when an analysis of the trace may already be stored (it is replaced). */
  readonly replacesStored: boolean;
  /** Every span of the trace, in arrival order; requests ingest only scanned are decoded here, once. */
  spans(): SpanRecord[];
  /**
   * The trace's spans without decoding here: in arrival order, spans already decoded and the
   * bodies of requests ingest only scanned (to decode on an analysis thread). Its spans are not
   * kept for late spans then: a late span reads the trace back from the store.
   */
  sources(): Array<SpanRecord[] | HeldBody>;
}

export interface TraceAssemblerOptions {
  store: Pick<SpanLog, 'shared' | 'loadTraceSpans' | 'storedSpanCounts' | 'pendingTraceIds'> & Pick<AnalysisStore, 'analysedTraceIds'>;
  /** Decodes a committed request that ingest only scanned. */
  decodeScanned: DecodeScanned;
  /**
   * Hold the requests ingest only scanned as the store keeps them (compressed, about a ninth of
   * their size) rather than decompressed: for analysis threads, which decompress them as they
   * decode. The event loop would pay that decompression itself (about 4.7 ms per 1 MiB request).
   */
  holdStored?: boolean;
  quietPeriodMs: number;
  clock: Clock;
  /** How long an analysed trace's spans stay in memory for late spans. */
  recentWindowMs: number;
  /** Most spans kept in the recent cache, oldest dropped first. */
  maxRecentSpans: number;
  /**
   * Most spans held in memory waiting for analysis. Beyond, spans of new traces are left in the
   * store only (they are durable) and picked up from there once the backlog has gone down.
   */
  maxPendingSpans: number;
  /** Most stored trace ids looked up at once when taking back spilled traces (default 50,000). */
  recoverIdsPerLook?: number;
}

/**
 * Turns a stream of committed spans into traces due for analysis. A trace is due once no span of
 * it has arrived for the quiet period (with a root or not: a root-less trace is analysed from its
 * earliest span and core records a warning). A span that arrives later re-opens the trace, which
 * is analysed again from all its spans and its stored analysis replaced: from the recent traces
 * kept in memory, or read whole from the store. Beyond its memory bound, traces wait in the store
 * (SpilledTraces) and are taken back as the backlog goes down.
 *
 * It only holds traces: the analysis sweep (pipeline/analysis-sweep.ts) takes due ones, analyses
 * and saves them, and hands them back with `finished`.
 */
export class TraceAssembler {
  private readonly pending = new Map<string, PendingTrace>();
  private readonly processing = new Set<string>();
  private readonly recent: RecentTraces;
  private readonly spilled: SpilledTraces;
  private pendingSpans = 0;

  constructor(private readonly options: TraceAssemblerOptions) {
    this.recent = new RecentTraces({ windowMs: options.recentWindowMs, maxSpans: options.maxRecentSpans });
    this.spilled = new SpilledTraces({
      store: options.store,
      maxPendingSpans: options.maxPendingSpans,
      idsPerLook: options.recoverIdsPerLook,
    });
  }

  /** Spans held in memory: awaiting analysis, and of recently analysed traces. */
  get heldSpans(): { pending: number; recent: number } {
    return { pending: this.pendingSpans, recent: this.recent.spanCount };
  }

  /** Traces waiting for their quiet period or being analysed. */
  get pendingCount(): number {
    return this.pending.size + this.processing.size;
  }

  /**
   * How long the oldest acknowledged span still waiting for analysis has waited (quiet period
   * included), in ms: the oldest trace held in memory (they are kept in order of arrival), or the
   * time since traces began waiting in the store only, whichever is longer. 0 when nothing waits.
   */
  analysisLagMs(nowMs = this.options.clock.nowMs()): number {
    const oldestHeld = this.pending.values().next().value?.firstArrivalMs ?? Infinity;
    const oldestMs = Math.min(oldestHeld, this.spilled.waitingSinceMs ?? Infinity);
    return oldestMs === Infinity ? 0 : Math.max(0, nowMs - oldestMs);
  }

  /** Spans acknowledged and not analysed yet: held in memory, and known to wait in the store only. */
  get unanalysedSpans(): number {
    return this.pendingSpans + this.spilled.spans;
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
          if (entry.deferred) materialize(entry);
          entry.records.push(span);
          inRequest(entry, batch.requestId);
        }
        continue;
      }
      const deferred = new DeferredSpans(this.heldBody(batch), this.options.decodeScanned);
      for (const [traceId, count] of batch.traceSpanCounts) {
        const entry = this.entryFor(traceId, nowMs, count);
        if (!entry) continue;
        inRequest(entry, batch.requestId);
        (entry.deferred ??= []).push(deferred);
        deferred.hold();
      }
    }
  }

  /**
   * Looks in the store, at the next sweep, for traces whose spans are stored but whose analysis is
   * missing or stale (left by an earlier run, or by a store that reopened); they are analysed then.
   */
  recoverFromStore(): void {
    this.spilled.lookSoon(this.options.clock.nowMs());
  }

  /**
   * Up to `maxTraces` traces due for analysis (every pending one when `all`, quiet period or not),
   * in order of arrival. They stay `processing` until `finished`: no trace is in two batches at once.
   */
  takeDue(maxTraces: number, all = false): DueTrace[] {
    const nowMs = this.options.clock.nowMs();
    const due: PendingTrace[] = [];
    for (const entry of this.pending.values()) {
      if (due.length >= maxTraces) break;
      if (!all && nowMs - entry.lastArrivalMs < this.options.quietPeriodMs) continue;
      if (this.processing.has(entry.traceId)) continue;
      due.push(entry);
    }
    for (const entry of due) {
      this.pending.delete(entry.traceId);
      this.processing.add(entry.traceId);
      this.pendingSpans -= entry.heldSpans;
    }
    return due.map(dueTrace);
  }

  /**
   * Traces this process has not seen whole: if analysed before, read all their stored spans. With
   * a shared store, every trace of which other replicas stored spans this process does not hold.
   */
  async completeFromStore(due: readonly DueTrace[]): Promise<void> {
    const unknown = due.map(entryOf).filter((entry) => !entry.complete);
    if (unknown.length === 0) return;
    const ids = unknown.map((entry) => entry.traceId);
    const known = this.options.store.shared ? await this.storedElsewhere(unknown) : await this.options.store.analysedTraceIds(ids);
    if (known.size === 0) return;
    const stored = await this.options.store.loadTraceSpans([...known]);
    for (const entry of unknown) {
      const records = stored.get(entry.traceId);
      if (!known.has(entry.traceId) || !records) continue;
      release(entry);
      entry.records = records;
      entry.storedSpanCount = records.length;
      entry.replacesStored = true;
      entry.requestsKnown = false;
    }
  }

  /**
   * The sweep is done with these traces: `saved` when their analyses are stored (their spans are
   * then kept a while for late spans), otherwise durable but unanalysed and looked for in the
   * store after this sweep.
   */
  finished(due: readonly DueTrace[], saved: boolean): void {
    if (saved) {
      this.spilled.saved(due.map((trace) => trace.traceId));
      if (!this.options.store.shared) {
        const entries = due.map(entryOf);
        // Done with: what the recent cache keeps of the requests is the range, when known.
        for (const entry of entries) entry.requests = knownRequests(entry);
        this.recent.remember(entries, this.options.clock.nowMs());
      }
    } else {
      this.spilled.failed();
    }
    for (const trace of due) this.processing.delete(trace.traceId);
  }

  /** The sweep ended: a failure within it is looked at from the next one on. */
  sweepEnded(): void {
    this.spilled.sweepEnded();
  }

  /** One bounded look for traces waiting in the store only (see SpilledTraces.look); true when it took any. */
  takeBackSpilled(ingestBusy: boolean): Promise<boolean> {
    return this.spilled.look(this.held, ingestBusy);
  }

  /** What is held of a scanned request's body until its traces are analysed (see `holdStored`). */
  private heldBody({ body, request }: IngestBatch): HeldBody {
    return this.options.holdStored && request.encoding !== 'identity'
      ? { encoding: request.encoding, bytes: request.bytes }
      : { encoding: 'identity', bytes: body };
  }

  private readonly held: HeldTraces = {
    has: (traceId) => this.pending.has(traceId) || this.processing.has(traceId),
    spans: () => this.pendingSpans,
    resume: (spansByTrace, savedSince) => this.resume(spansByTrace, savedSince),
  };

  /**
   * The pending entry that takes `count` more spans of the trace, counted as held; undefined when
   * the backlog is full and the trace is not held yet (its spans wait in the store).
   */
  private entryFor(traceId: string, nowMs: number, count: number): PendingTrace | undefined {
    let entry = this.pending.get(traceId);
    if (!entry) {
      if (this.pendingSpans >= this.options.maxPendingSpans) {
        this.spilled.spill(count, nowMs);
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

  private open(traceId: string, nowMs: number): PendingTrace {
    const recent = !this.processing.has(traceId) && !this.options.store.shared ? this.recent.take(traceId) : undefined;
    let entry: PendingTrace;
    if (recent) {
      const held = recent.later ? recent.storedSpanCount : recent.records.length;
      this.pendingSpans += held;
      entry = {
        traceId,
        records: [...recent.records],
        deferred: recent.later?.map((part) => {
          const deferred = DeferredSpans.ofSource(traceId, part, this.options.decodeScanned);
          deferred.hold();
          return deferred;
        }),
        heldSpans: held,
        storedSpanCount: recent.storedSpanCount,
        requests: recent.requests && { ...recent.requests },
        requestsKnown: recent.requests !== undefined,
        lastArrivalMs: 0,
        firstArrivalMs: nowMs,
        complete: true,
        replacesStored: true,
      };
    } else {
      // Unknown here: it may have been analysed before this process started or left the recent cache.
      const replacesStored = this.processing.has(traceId);
      entry = {
        traceId,
        records: [],
        deferred: undefined,
        heldSpans: 0,
        storedSpanCount: 0,
        requests: undefined,
        requestsKnown: true,
        lastArrivalMs: 0,
        firstArrivalMs: nowMs,
        complete: false,
        replacesStored,
      };
    }
    this.pending.set(traceId, entry);
    return entry;
  }

  /** Takes every stored span of traces read back from the store; they are due at once. */
  private resume(spansByTrace: Map<string, SpanRecord[]>, savedSince: ReadonlySet<string>): void {
    const dueMs = this.options.clock.nowMs() - this.options.quietPeriodMs;
    for (const [traceId, records] of spansByTrace) {
      if (this.pending.has(traceId) || this.processing.has(traceId) || savedSince.has(traceId)) continue;
      this.pendingSpans += records.length;
      this.spilled.tookBack(records.length);
      this.pending.set(traceId, {
        traceId,
        records,
        deferred: undefined,
        heldSpans: records.length,
        storedSpanCount: records.length,
        requests: undefined,
        requestsKnown: false,
        lastArrivalMs: dueMs,
        firstArrivalMs: this.spilled.waitingSinceMs ?? dueMs,
        complete: true,
        replacesStored: true,
      });
    }
  }

  /** Traces of which the shared store holds more spans than this process (all, if it cannot count). */
  private async storedElsewhere(entries: PendingTrace[]): Promise<Set<string>> {
    const ids = entries.map((entry) => entry.traceId);
    const counts = await this.options.store.storedSpanCounts?.(ids);
    if (!counts) return new Set(ids);
    return new Set(entries.filter((entry) => (counts.get(entry.traceId) ?? 0) > entry.storedSpanCount).map((entry) => entry.traceId));
  }
}

/** The due view of a pending entry; the assembler reaches the entry behind it. */
class DueEntry implements DueTrace {
  constructor(readonly entry: PendingTrace) {}
  get traceId(): string {
    return this.entry.traceId;
  }
  get storedSpanCount(): number {
    return this.entry.storedSpanCount;
  }
  get replacesStored(): boolean {
    return this.entry.replacesStored;
  }
  get requests(): RequestRange | undefined {
    return knownRequests(this.entry);
  }
  spans(): SpanRecord[] {
    materialize(this.entry);
    return this.entry.records;
  }
  sources(): Array<SpanRecord[] | HeldBody> {
    const { entry } = this;
    const later = (entry.deferred ?? []).map((deferred) => deferred.source(entry.traceId));
    entry.deferred = undefined;
    entry.later = later;
    return [entry.records, ...later];
  }
}

function dueTrace(entry: PendingTrace): DueTrace {
  return new DueEntry(entry);
}

function entryOf(trace: DueTrace): PendingTrace {
  return (trace as DueEntry).entry;
}

/**
 * The entry's spans came in this request too: its range reaches it, or is unknown from now on if
 * the request has no number. Requests are numbered as they are committed and taken here in that
 * order, so a range only grows at its end.
 */
function inRequest(entry: PendingTrace, requestId: number | undefined): void {
  if (requestId === undefined) entry.requestsKnown = false;
  else if (!entry.requests) entry.requests = { first: requestId, last: requestId };
  else entry.requests.last = Math.max(entry.requests.last, requestId);
}

/** The entry's request range, when every request it has spans from is known. */
function knownRequests(entry: PendingTrace): RequestRange | undefined {
  return entry.requestsKnown ? entry.requests : undefined;
}

/** Decodes (once per request) the trace's spans still in deferred requests, after those it holds. */
function materialize(entry: PendingTrace): void {
  if (!entry.deferred) return;
  for (const deferred of entry.deferred) {
    for (const span of deferred.take(entry.traceId)) entry.records.push(span);
  }
  entry.deferred = undefined;
}

/** Lets go of deferred requests whose spans the entry no longer needs (it read them all from the store). */
function release(entry: PendingTrace): void {
  if (!entry.deferred) return;
  for (const deferred of entry.deferred) deferred.release();
  entry.deferred = undefined;
}
