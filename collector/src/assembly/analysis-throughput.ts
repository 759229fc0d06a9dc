/** Weight of the newest sample in the moving average (about the last ten batches count). */
const SMOOTHING = 0.2;
/**
 * Smallest batch whose time says something about the rate: a batch of a few traces costs mostly
 * its save's round trip (a ClickHouse insert, a commit), so its spans per second are a fraction of
 * what a backlog is analysed at. Rated as such, 21 spans of a quiet test collector read as 30 s of
 * work and ingest was refused. A backlog worth refusing for fills batches far larger than this.
 */
const MIN_SAMPLE_SPANS = 1_000;

/**
 * How many spans per second analysis gets through while it has work: a moving average of the
 * rate of each batch, measured from the previous batch's save (or the start of the sweep) to its
 * own. Batches overlap their saves with the next analysis, so the gap between two saves is what a
 * batch really costs under the current load, ingest's share of the event loop included.
 */
export class AnalysisThroughput {
  private rate: number | undefined;
  private lastMs: number | undefined;

  /** A sweep starts with work due: the first batch is timed from now. */
  begin(nowMs: number): void {
    this.lastMs = nowMs;
  }

  /** A batch of `spans` was saved at `nowMs`. */
  record(spans: number, nowMs: number): void {
    if (this.lastMs === undefined) {
      this.lastMs = nowMs;
      return;
    }
    const elapsedMs = nowMs - this.lastMs;
    this.lastMs = nowMs;
    if (spans < MIN_SAMPLE_SPANS || elapsedMs <= 0) return;
    const sample = (spans * 1000) / elapsedMs;
    this.rate = this.rate === undefined ? sample : this.rate + SMOOTHING * (sample - this.rate);
  }

  /** The sweep ran out of due work: the time until the next one is idle, not analysis. */
  end(): void {
    this.lastMs = undefined;
  }

  /** Spans analysed per second while busy; undefined until a batch has been measured. */
  spansPerSecond(): number | undefined {
    return this.rate;
  }
}
