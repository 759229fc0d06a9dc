/** Removal of old traces, run on a schedule by `retention/retention-schedule.ts`. */
export interface TraceRetention {
  /**
   * Removes up to `maxTraces` analysed traces that started before `cutoffMs` (epoch ms), oldest
   * first, with their spans, stored requests no longer needed, facts and findings, in one short
   * transaction; returns how many traces it removed (the caller repeats while it is `maxTraces`).
   * Optional: a store without it keeps everything.
   */
  deleteTracesBefore?(cutoffMs: number, maxTraces: number): Promise<number>;
}
