/** Weight of the newest sample in the moving average (about the last ten samples count). */
const SMOOTHING = 0.2;
/**
 * Fewest spans a sample covers: a batch of a few traces costs mostly its save's round trip (a
 * ClickHouse insert, a commit), so one such batch alone says little about the rate (rated alone,
 * 21 spans of a quiet test collector read as 30 s of work and ingest was refused). Consecutive
 * small batches of one sweep are measured together until they reach this many spans, so small
 * traces under load are still measured, their round trips included, as they are really paid.
 */
const MIN_SAMPLE_SPANS = 1_000;

/**
 * How many spans per second analysis gets through while it has work: a moving average of samples
 * of at least MIN_SAMPLE_SPANS spans, each timed from the save that ended the previous sample (or
 * the start of the sweep) to the save that ends it. Batches overlap their saves with the next
 * analysis, so the gap between saves is what batches really cost under the current load,
 * ingest's share of the event loop included.
 */
export class AnalysisThroughput {
  private rate: number | undefined;
  /** When the sample being gathered began; undefined between sweeps. */
  private sinceMs: number | undefined;
  /** Spans saved since then. */
  private spans = 0;

  /** A sweep starts with work due: the first batch is timed from now. */
  begin(nowMs: number): void {
    this.sinceMs = nowMs;
    this.spans = 0;
  }

  /** A batch of `spans` was saved at `nowMs`. */
  record(spans: number, nowMs: number): void {
    if (this.sinceMs === undefined) {
      this.begin(nowMs);
      return;
    }
    this.spans += spans;
    if (this.spans < MIN_SAMPLE_SPANS) return;
    const elapsedMs = nowMs - this.sinceMs;
    const sampled = this.spans;
    this.begin(nowMs);
    if (elapsedMs <= 0) return;
    const sample = (sampled * 1000) / elapsedMs;
    this.rate = this.rate === undefined ? sample : this.rate + SMOOTHING * (sample - this.rate);
  }

  /** The sweep ran out of due work: the time until the next one is idle, not analysis. */
  end(): void {
    this.sinceMs = undefined;
    this.spans = 0;
  }

  /** Spans analysed per second while busy; undefined until a sample has been measured. */
  spansPerSecond(): number | undefined {
    return this.rate;
  }
}
