/**
 * Faults of a store that make it refuse work for a while, and what the collector answers: never
 * a 500 (OTLP exporters drop data on a 500; they retry a 503 with Retry-After), and `/api/health`
 * says what is wrong until the store has recovered by itself.
 *
 * - `invalidated`: DuckDB hit a fatal error (a failed checkpoint) and refuses every statement
 *   until it is reopened; the store reopens it, replaying the write-ahead log.
 * - `disk-full`: a write found no space (or the file-size limit); each later write tries again.
 * - `out-of-memory`: one transaction did not fit DuckDB's memory limit; the next may.
 * - `recovering`: the store is being reopened; nothing runs until it is.
 */
export type StoreFaultKind = 'invalidated' | 'disk-full' | 'out-of-memory' | 'recovering';

/** What each fault asks the sender to wait before retrying, in seconds. */
const RETRY_AFTER_SECONDS: Record<StoreFaultKind, number> = { invalidated: 5, recovering: 5, 'disk-full': 30, 'out-of-memory': 2 };

/** Thrown by a store that cannot take the operation now; the caller answers 503 + Retry-After. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly retryAfterSeconds: number;

  constructor(
    readonly kind: StoreFaultKind,
    message: string,
  ) {
    super(message);
    this.retryAfterSeconds = RETRY_AFTER_SECONDS[kind];
  }
}

/** The fault an error of the store's engine or file system stands for, if any. */
export function storeFaultOf(error: unknown): StoreFaultKind | undefined {
  if (error instanceof StoreUnavailableError) return error.kind;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT') return 'disk-full';
  const message = error instanceof Error ? error.message : String(error);
  if (/no space left on device|disk full|file too large|quota exceeded/i.test(message)) return 'disk-full';
  if (/FATAL Error|database has been invalidated/i.test(message)) return 'invalidated';
  if (/Out of Memory Error|failed to pin block|could not allocate/i.test(message)) return 'out-of-memory';
  return undefined;
}

/**
 * The refusal for work the store would refuse at once: its database invalidated and being reopened.
 * (A full disk is not refused ahead: each write tries again, and the first that succeeds ends it.)
 */
export function storeReopening(store: { readonly faults?: StoreFaultState }): StoreUnavailableError | undefined {
  if (!store.faults?.has('invalidated')) return undefined;
  return new StoreUnavailableError('recovering', 'the store is recovering from a fault');
}

/** One fault as `/api/health` shows it. */
export interface StoreFaultReport {
  kind: StoreFaultKind;
  message: string;
  /** When it was first seen (epoch ms). */
  sinceMs: number;
}

/** Counters of a store's faults and recoveries since start (`/metrics`). */
export interface StoreFaultCounts {
  faults: Record<StoreFaultKind, number>;
  recoveries: number;
}

/**
 * The faults a store has now and has had: a fault is set when an operation fails with it and
 * cleared when the store recovers from it (a reopen, or the next write that succeeds).
 */
export class StoreFaultState {
  private readonly active = new Map<StoreFaultKind, StoreFaultReport>();
  private readonly counts: StoreFaultCounts = {
    faults: { invalidated: 0, 'disk-full': 0, 'out-of-memory': 0, recovering: 0 },
    recoveries: 0,
  };

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Records a fault (counted each time; reported once while it lasts). */
  set(kind: StoreFaultKind, message: string): void {
    this.counts.faults[kind]++;
    if (!this.active.has(kind)) this.active.set(kind, { kind, message: firstLine(message), sinceMs: this.nowMs() });
  }

  /** Clears faults the store has recovered from; counts a recovery when any was set. */
  clear(...kinds: StoreFaultKind[]): void {
    let cleared = false;
    for (const kind of kinds) cleared = this.active.delete(kind) || cleared;
    if (cleared) this.counts.recoveries++;
  }

  has(kind: StoreFaultKind): boolean {
    return this.active.has(kind);
  }

  /** Faults in effect now. */
  current(): StoreFaultReport[] {
    return [...this.active.values()];
  }

  totals(): StoreFaultCounts {
    return { faults: { ...this.counts.faults }, recoveries: this.counts.recoveries };
  }
}

/** The first line of an engine's message, at most 300 characters (DuckDB appends advice and links). */
function firstLine(message: string): string {
  const line = message.split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
