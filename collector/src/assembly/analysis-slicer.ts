import type { Clock } from './clock.js';

/**
 * Analysis runs in slices of this much event-loop time, yielding between them. Every step of a
 * span commit (BEGIN, appends, COMMIT) waits for the event loop, so a slice is added to each:
 * 4 ms slices measured 214,000 spans/s acknowledged where 8 ms slices gave 196,000 (both with
 * analysis at a fixed 20 % share, before it waited for ingest to go idle).
 */
export const SLICE_MS = 4;
/**
 * While ingest is busy, the longest wait after a slice for it to go idle: analysis always gets at
 * least SLICE / (SLICE + WAIT) = 4 % of the event loop, and takes every moment ingest leaves.
 */
export const BUSY_WAIT_MAX_MS = 96;

export interface AnalysisSlicerOptions {
  /** Measures slices and times the wait for ingest (tests move it by hand). */
  clock: Clock;
  /** True while ingest has work queued: analysis then waits for it between slices. */
  ingestBusy: () => boolean;
  /** Calls the listener once ingest has no work queued; returns a function that cancels the call. */
  onIngestIdle: (listener: () => void) => () => void;
  /**
   * True while analysis is behind enough that ingest is (or is about to be) refused: analysis then
   * stops waiting for ingest between slices and shares the event loop evenly with it, since
   * acknowledging more would only be refused.
   */
  analysisFirst?: () => boolean;
}

/**
 * Analysis is CPU work on the event loop that also serves ingest. The slicer runs it item by item
 * and, once a slice's time is used, yields: at once (the next turn of the event loop) when ingest
 * is idle or analysis is behind; otherwise until ingest is idle, at most BUSY_WAIT_MAX_MS. So
 * acknowledgements keep flowing at full speed under a burst and analysis still progresses.
 */
export class AnalysisSlicer {
  constructor(private readonly options: AnalysisSlicerOptions) {}

  /** `work` on each item in order, its results concatenated, yielding between slices. */
  async map<T, R>(items: readonly T[], work: (item: T) => readonly R[]): Promise<R[]> {
    const results: R[] = [];
    const { clock } = this.options;
    let sliceStartMs = clock.nowMs();
    for (const item of items) {
      for (const result of work(item)) results.push(result);
      if (clock.nowMs() - sliceStartMs >= SLICE_MS) {
        await this.yieldToIngest();
        sliceStartMs = clock.nowMs();
      }
    }
    return results;
  }

  private async yieldToIngest(): Promise<void> {
    const { clock, ingestBusy, onIngestIdle, analysisFirst } = this.options;
    if (!ingestBusy() || analysisFirst?.()) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = clock.setTimeout(() => {
        cancel();
        resolve();
      }, BUSY_WAIT_MAX_MS);
      const cancel = onIngestIdle(() => {
        clock.clearTimeout(timer);
        resolve();
      });
    });
  }
}
