/**
 * A fixed number of slots handed out first come, first served: the sandbox pool and the
 * summariser pool of the demo. Under many users the wait for a slot is a real queue wait, which
 * is what `orchestration.queue` spans show.
 */
export class SlotPool {
  private available: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.available = size;
  }

  /** Resolves when a slot is free; call the returned function once to give it back. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.release();
        });
      };
      if (this.available > 0) {
        this.available--;
        grant();
      } else {
        this.waiting.push(grant);
      }
    });
  }

  /** Requests waiting for a slot. */
  get queueLength(): number {
    return this.waiting.length;
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.available++;
  }
}
