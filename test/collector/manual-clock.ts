import type { Clock } from '@threshold/collector';

/**
 * A clock that only moves when told. Its intervals never fire on their own (tests call `sweep`);
 * its timeouts fire, in order of due time, when `advance` moves the clock past them.
 */
export class ManualClock implements Clock {
  private readonly timeouts = new Map<number, { dueMs: number; callback: () => void }>();
  private nextHandle = 1;

  constructor(private currentMs = 1_000_000) {}
  nowMs(): number {
    return this.currentMs;
  }
  advance(ms: number): void {
    this.currentMs += ms;
    const due = [...this.timeouts.entries()]
      .filter(([, timeout]) => timeout.dueMs <= this.currentMs)
      .sort(([, a], [, b]) => a.dueMs - b.dueMs);
    for (const [handle, timeout] of due) {
      if (!this.timeouts.delete(handle)) continue;
      timeout.callback();
    }
  }
  /** Timeouts set and not yet fired or cleared. */
  get pendingTimeouts(): number {
    return this.timeouts.size;
  }
  setInterval(): unknown {
    return undefined;
  }
  clearInterval(): void {}
  setTimeout(callback: () => void, delayMs: number): unknown {
    const handle = this.nextHandle++;
    this.timeouts.set(handle, { dueMs: this.currentMs + delayMs, callback });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.timeouts.delete(handle as number);
  }
}
