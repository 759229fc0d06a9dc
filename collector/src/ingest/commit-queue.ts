import type { IngestBatch } from '../store/span-log.js';

/** Thrown by `enqueue` when the queue holds its maximum: the route answers 503 + Retry-After. */
export class QueueFullError extends Error {
  constructor(readonly queuedSpans: number) {
    super(`ingest queue is full (${queuedSpans} spans waiting to be stored)`);
    this.name = 'QueueFullError';
  }
}

interface Waiting {
  batch: IngestBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface CommitQueueOptions {
  /** Stores requests durably (one transaction). */
  commit: (batches: IngestBatch[]) => Promise<void>;
  /** Called with the requests of each transaction once they are durable (hands them to trace assembly). */
  onCommitted: (batches: IngestBatch[]) => void;
  /**
   * Turns a request let into the queue into the form it is stored in (compressed). Done on entry, so
   * that work overlaps the transaction in flight instead of delaying the start of the next.
   */
  prepare?: (batch: IngestBatch) => IngestBatch;
  /** Most spans waiting at once; beyond, `enqueue` throws QueueFullError. */
  maxQueuedSpans: number;
  /**
   * How long a request may wait, in arrival order, for room in a full queue before it is refused
   * (0: refused at once). Waiting spans are bounded by half of `maxQueuedSpans`, so memory stays
   * bounded; waiting turns a retry lottery under overload into first come, first stored.
   */
  admissionWaitMs?: number;
  /**
   * Asked before a request is let in: an error to refuse it with (analysis too far behind what was
   * acknowledged), or undefined. Thrown by `enqueue` like QueueFullError.
   */
  refusal?: () => Error | undefined;
}

interface Admission {
  count: number;
  admit: () => void;
}

/**
 * Group commit. Requests enqueue their spans and wait; one writer loop takes everything queued,
 * stores it in one transaction, then resolves every waiting request together. Under load the
 * batches grow, so the per-transaction cost (WAL sync) is shared by many requests.
 */
export class CommitQueue {
  private waiting: Waiting[] = [];
  private queuedSpans = 0;
  private writing: Promise<void> | undefined;
  private readonly idleListeners = new Set<() => void>();
  private readonly admissions: Admission[] = [];
  private admissionSpans = 0;
  /** When requests began finding the queue full (undefined while they find room). */
  private congestedSinceMs: number | undefined;

  constructor(private readonly options: CommitQueueOptions) {}

  /** Why a request would be refused now, before it is even read (see the `refusal` option); undefined when it would not. */
  refusalNow(): Error | undefined {
    return this.options.refusal?.();
  }

  /** Spans waiting to be stored. */
  get depth(): number {
    return this.queuedSpans;
  }

  /**
   * How long requests have been finding the queue full, in seconds (0 when they find room): what
   * a refusal's Retry-After grows with, so retries spread out over a long stall (a DuckDB
   * checkpoint, a burst) instead of using up an exporter's few attempts within it.
   */
  congestionSeconds(nowMs = performance.now()): number {
    return this.congestedSinceMs === undefined ? 0 : (nowMs - this.congestedSinceMs) / 1000;
  }

  /**
   * Resolves once the request's spans are durable. When the queue is full: waits up to
   * `admissionWaitMs` for room, then rejects with QueueFullError (at once, thrown, when no waiting).
   */
  enqueue(batch: IngestBatch): Promise<void> {
    const count = batch.spanCount;
    if (count === 0) return Promise.resolve();
    const refusal = this.options.refusal?.();
    if (refusal) throw refusal;
    if (this.admissions.length === 0 && this.hasRoom(count)) {
      this.congestedSinceMs = undefined;
      return this.push(batch);
    }
    this.congestedSinceMs ??= performance.now();
    const waitMs = this.options.admissionWaitMs ?? 0;
    if (waitMs <= 0 || this.admissionSpans + count > this.options.maxQueuedSpans / 2) throw new QueueFullError(this.queuedSpans);
    return new Promise<void>((resolve, reject) => {
      const admission: Admission = {
        count,
        admit: () => {
          clearTimeout(timer);
          this.push(batch).then(resolve, reject);
        },
      };
      const timer = setTimeout(() => {
        const at = this.admissions.indexOf(admission);
        if (at < 0) return;
        this.admissions.splice(at, 1);
        this.admissionSpans -= count;
        reject(new QueueFullError(this.queuedSpans));
      }, waitMs);
      this.admissions.push(admission);
      this.admissionSpans += count;
    });
  }

  private hasRoom(count: number): boolean {
    return this.queuedSpans === 0 || this.queuedSpans + count <= this.options.maxQueuedSpans;
  }

  /** Lets waiting requests in, oldest first, while they fit. */
  private admitWaiting(): void {
    while (this.admissions.length > 0 && this.hasRoom(this.admissions[0].count)) {
      const admission = this.admissions.shift()!;
      this.admissionSpans -= admission.count;
      admission.admit();
    }
    if (this.admissions.length === 0 && this.queuedSpans < this.options.maxQueuedSpans / 2) this.congestedSinceMs = undefined;
  }

  private push(entering: IngestBatch): Promise<void> {
    let batch: IngestBatch;
    try {
      batch = this.options.prepare ? this.options.prepare(entering) : entering;
    } catch (error) {
      return Promise.reject(error);
    }
    const count = batch.spanCount;
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ batch, resolve, reject }));
    this.queuedSpans += count;
    this.writing ??= this.writeLoop();
    return done;
  }

  /** Resolves when everything enqueued so far is stored (or failed). */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /**
   * Calls `listener` once, when the queue is next idle (nothing waiting or being stored; at once
   * if it is idle now). Returns a function that cancels the call.
   */
  onIdle(listener: () => void): () => void {
    if (!this.writing) {
      listener();
      return () => undefined;
    }
    this.idleListeners.add(listener);
    return () => this.idleListeners.delete(listener);
  }

  private async writeLoop(): Promise<void> {
    // Let the requests that arrive in the same turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const waiting = this.waiting;
      this.waiting = [];
      const batches = waiting.map((entry) => entry.batch);
      let spanCount = 0;
      for (const batch of batches) spanCount += batch.spanCount;
      try {
        await this.options.commit(batches);
        this.queuedSpans -= spanCount;
        for (const entry of waiting) entry.resolve();
        this.admitWaiting();
      } catch (error) {
        this.queuedSpans -= spanCount;
        for (const entry of waiting) entry.reject(error);
        this.admitWaiting();
        continue;
      }
      try {
        this.options.onCommitted(batches);
      } catch (error) {
        // The spans are durable; assembly picks them up again on the next start.
        console.error('threshold: trace assembly failed to take a batch:', error);
      }
    }
    this.writing = undefined;
    const listeners = [...this.idleListeners];
    this.idleListeners.clear();
    for (const listener of listeners) listener();
  }
}
