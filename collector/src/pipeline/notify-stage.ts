import type { TraceAnalysis } from '@threshold/core';

/** Listener for every analysed (or re-analysed) trace, once its analysis is stored. */
export type AnalysisListener = (analysis: TraceAnalysis) => void;

/**
 * The notify stage: tells whoever follows analysed traces — live updates (SSE), `/metrics`,
 * callers of `Collector.onAnalysed` — once each analysis is stored. A failing listener is logged
 * and never stops the others or the write path. (P99 alerts are evaluated on their own schedule
 * from stored analyses: see alerts/alert-evaluator.ts.)
 */
export class NotifyStage {
  private readonly listeners = new Set<AnalysisListener>();
  /** Listeners that may read the span views or the spans' attributes. */
  private readonly spanReaders = new Set<AnalysisListener>();

  /**
   * Adds a listener; returns a function that removes it. `readsSpans: false` (the built-in
   * listeners, which read the summary and the spans' facts) spares every analysis made on a thread
   * the work of restoring its span views and attributes (pipeline/analysis-job.ts `restoreViews`).
   */
  listen(listener: AnalysisListener, { readsSpans = true }: { readsSpans?: boolean } = {}): () => void {
    this.listeners.add(listener);
    if (readsSpans) this.spanReaders.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.spanReaders.delete(listener);
    };
  }

  /** True while a listener may read the span views or the spans' attributes. */
  get readsSpans(): boolean {
    return this.spanReaders.size > 0;
  }

  analysed(analysis: TraceAnalysis): void {
    for (const listener of this.listeners) {
      try {
        listener(analysis);
      } catch (error) {
        console.error('threshold: a trace listener failed:', error);
      }
    }
  }
}
