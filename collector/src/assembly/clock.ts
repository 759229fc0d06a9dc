/** Time and timers for trace assembly, injectable so tests drive the quiet period and analysis slices by hand. */
export interface Clock {
  nowMs(): number;
  setInterval(callback: () => void, intervalMs: number): unknown;
  clearInterval(handle: unknown): void;
  /** Calls `callback` once after `delayMs`; the handle cancels it. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setInterval: (callback, intervalMs) => {
    const handle = setInterval(callback, intervalMs);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
