import type { Clock } from '@threshold/collector';

/** A clock that only moves when told; its timers never fire on their own (tests call `sweep`). */
export class ManualClock implements Clock {
  constructor(private currentMs = 1_000_000) {}
  nowMs(): number {
    return this.currentMs;
  }
  advance(ms: number): void {
    this.currentMs += ms;
  }
  setInterval(): unknown {
    return undefined;
  }
  clearInterval(): void {}
}
