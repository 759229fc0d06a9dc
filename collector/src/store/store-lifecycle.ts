import type { StoreFaultState } from './store-fault.js';

/** What `/api/health` and `/metrics` read of the store: its engine and its faults. */
export interface StoreStatus {
  /** Engine name shown by `/api/health` (`duckdb`, `clickhouse`). */
  readonly kind: string;
  /** Faults in effect and counted since start (`/api/health`, `/metrics`); a store without them never reports one. */
  readonly faults?: StoreFaultState;
}

/** The store as the composition root holds it: status, recovery from faults, and closing. */
export interface StoreLifecycle extends StoreStatus {
  /** Calls `listener` each time the store has recovered from a fault by reopening; returns a function that removes it. */
  onRecovered?(listener: () => void): () => void;
  close(): Promise<void>;
}
