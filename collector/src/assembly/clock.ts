/** Time and timers for trace assembly, injectable so tests drive the quiet period by hand. */
export interface Clock {
  nowMs(): number;
  setInterval(callback: () => void, intervalMs: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setInterval: (callback, intervalMs) => {
    const handle = setInterval(callback, intervalMs);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};
