import type { Finding } from '@threshold/core';
import { AnalysisSlicer } from '../assembly/analysis-slicer.js';
import { AnalysisThroughput } from '../assembly/analysis-throughput.js';
import type { Clock } from '../assembly/clock.js';
import type { DueTrace, TraceAssembler } from '../assembly/trace-assembler.js';
import type { AnalysedTrace, AnalysisStore } from '../store/analysis-store.js';
import type { SpanLog } from '../store/span-log.js';
import { analyseTrace, spanViewsOf, type AnalyseSettings, type TraceAnalysed } from './analyse-stage.js';
import { restoreViews } from './analysis-job.js';
import type { AnalysisPool } from './analysis-pool.js';
import type { NotifyStage } from './notify-stage.js';

export interface AnalysisSweepOptions {
  assembler: TraceAssembler;
  /** What the analyse stage (pipeline/analyse-stage.ts) analyses with. */
  settings: AnalyseSettings;
  /** The analyse stage on worker threads (`--workers N`) instead of the event loop; findings stay on the event loop. */
  pool?: AnalysisPool;
  /** Findings for an analysed trace (recommendation rules, which keep cross-trace history); failures are logged, never thrown. */
  findings: (analysis: TraceAnalysed['analysis']) => Finding[];
  /**
   * True while the findings provider or a listener may read span views or span attributes: an
   * analysis made on a thread (light: see analysis-job.ts) is then restored before either sees it.
   */
  readsSpans: () => boolean;
  /** The save stage: one transaction per batch. */
  store: Pick<AnalysisStore, 'saveAnalyses'> & Pick<SpanLog, 'loadTraceSpans'>;
  notify: NotifyStage;
  clock: Clock;
  /** Most traces analysed and stored per transaction. */
  maxBatchTraces: number;
  /** True while ingest has work queued: smaller batches, and analysis waits for ingest between slices. */
  ingestBusy: () => boolean;
  /** Calls the listener once ingest has no work queued; returns a function that cancels the call. */
  onIngestIdle: (listener: () => void) => () => void;
  /** True while analysis is behind enough that ingest is refused: it then stops yielding to ingest. */
  analysisFirst?: () => boolean;
  /** Spans left out of analyses by the per-trace cap (counted in `/metrics`). */
  onSpansOverCap?: (spans: number) => void;
}

/** Traces taken for analysis together, and their analyses once the analyse stage is done. */
interface Batch {
  due: DueTrace[];
  results: Promise<Array<TraceAnalysed | undefined>>;
}

/** Most traces analysed and saved per batch while ingest is busy. */
const BUSY_BATCH_TRACES = 200;
/**
 * Most traces per batch with analysis threads: the threads analyse the next batch while this one's
 * findings and save run on the event loop, so smaller batches keep both busy (the first batch's
 * analysis and the last one's findings overlap nothing); 500 agent turns are still some 10,000
 * spans a transaction.
 */
const POOL_BATCH_TRACES = 500;

/**
 * The analysis sweep: assemble → analyse → save → notify, batch by batch. It takes the traces the
 * assembler has due, completes those it has not seen whole from the store, analyses them in slices
 * that yield to ingest, saves each batch in one transaction and tells listeners. A batch's save
 * (which runs off the event loop) overlaps the analysis of the next; saves stay in order. While
 * nothing is due it takes back traces waiting in the store only.
 */
export class AnalysisSweep {
  private readonly slicer: AnalysisSlicer;
  private readonly throughput = new AnalysisThroughput();
  /** A look into the store for spilled traces, running while a batch is analysed. */
  private recovering: Promise<boolean> | undefined;
  private sweeping: Promise<void> | undefined;
  private timer: unknown;
  /** Set while `flush` runs: every pending trace is due, quiet period or not. */
  private flushing = false;

  constructor(private readonly options: AnalysisSweepOptions) {
    this.slicer = new AnalysisSlicer(options);
  }

  /** Analysis jobs run by the thread pool (`--workers`): on its threads, and inline when a thread was lost. */
  get poolJobs(): { onThreads: number; inline: number } | undefined {
    return this.options.pool?.jobs;
  }

  /** Spans analysed per second while busy; undefined until a batch has been measured. */
  spansPerSecond(): number | undefined {
    return this.throughput.spansPerSecond();
  }

  /** Sweeps periodically: a quarter of the quiet period, at most every 250 ms. */
  start(quietPeriodMs: number): void {
    const intervalMs = Math.max(5, Math.min(250, quietPeriodMs / 4));
    this.timer = this.options.clock.setInterval(() => void this.sweep(), intervalMs);
  }

  /** Stops the timer and waits for a sweep in progress; pending traces stay stored for the next start. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) this.options.clock.clearInterval(this.timer);
    this.timer = undefined;
    while (this.sweeping) await this.sweeping;
  }

  /**
   * Analyses and stores every pending trace now, whether its quiet period has passed or not (on
   * shutdown, so no trace waits for the next start). A span arriving later re-opens its trace.
   */
  async flush(): Promise<void> {
    this.flushing = true;
    try {
      // A sweep already running may have passed its last look; the second one starts afresh.
      await this.sweep();
      await this.sweep();
    } finally {
      this.flushing = false;
    }
  }

  /** Analyses and stores every trace whose quiet period has passed. Runs one sweep at a time. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepDue().finally(() => {
      this.sweeping = undefined;
      this.options.assembler.sweepEnded();
    });
    return this.sweeping;
  }

  private async sweepDue(): Promise<void> {
    const { assembler } = this.options;
    let saving: Promise<void> = Promise.resolve();
    let next: Batch | undefined;
    this.throughput.begin(performance.now());
    try {
      for (;;) {
        const batch = next ?? this.takeBatch();
        next = undefined;
        if (!batch) {
          await saving;
          if (this.recovering) {
            await this.recovering;
            continue;
          }
          if (await assembler.takeBackSpilled(this.options.ingestBusy())) continue;
          return;
        }
        // Read the next spilled traces back (DuckDB works off the event loop) while this batch is analysed.
        this.recovering ??= assembler.takeBackSpilled(this.options.ingestBusy()).finally(() => {
          this.recovering = undefined;
        });
        let analysed: AnalysedTrace[];
        try {
          const results = await batch.results;
          await this.viewsForLateReader(
            batch.due.flatMap((trace, index) => {
              const analysed = results[index];
              return analysed ? [{ traceId: trace.traceId, analysedSpanCount: trace.storedSpanCount, analysed }] : [];
            }),
          );
          // With analysis threads, they start on the next batch while this one's findings run here.
          if (this.options.pool) next = this.takeBatch();
          analysed = await this.slicer.map(
            batch.due.map((trace, index) => ({ trace, result: results[index] })),
            ({ trace, result }) => this.withFindings(trace, result),
          );
        } catch (error) {
          // The spans are durable: the traces are taken back from the store at the next sweep.
          console.error('threshold: reading back trace spans failed:', error);
          assembler.finished(batch.due, false);
          continue;
        }
        saving = this.save(saving, batch.due, analysed);
      }
    } finally {
      await saving;
      await this.recovering;
      this.throughput.end();
    }
  }

  /**
   * Takes the traces due now (fewer while ingest has work queued: a batch's save is DuckDB and
   * event-loop work that ingest commits wait behind) and starts their analysis: completed from the
   * store where needed, then the analyse stage, on the threads or in slices here.
   */
  private takeBatch(): Batch | undefined {
    const { pool } = this.options;
    const largest = pool ? Math.min(POOL_BATCH_TRACES, this.options.maxBatchTraces) : this.options.maxBatchTraces;
    const maxTraces = this.options.ingestBusy() ? Math.min(BUSY_BATCH_TRACES, largest) : largest;
    const due = this.options.assembler.takeDue(maxTraces, this.flushing);
    if (due.length === 0) return undefined;
    const settings = this.threadSettings();
    const results = this.options.assembler
      .completeFromStore(due)
      .then(() => (pool ? pool.analyse(due, settings) : this.slicer.map(due, (trace) => [this.analyseHere(trace)])));
    // Awaited by the sweep; this keeps a failure from counting as unhandled meanwhile.
    results.catch(() => undefined);
    return { due, results };
  }

  /**
   * The settings the threads analyse a batch with: when the store derives span views and a reader
   * on the event loop reads spans, the threads render them for it. Decided as the batch is taken:
   * for a reader that comes later, this batch's are derived from the stored spans (`viewsForLateReader`).
   */
  private threadSettings(): AnalyseSettings {
    const { settings } = this.options;
    return settings.spanViews === 'none' && this.options.readsSpans() ? { ...settings, spanViews: 'json' } : settings;
  }

  /** The save stage, after the previous batch's save: one transaction, then notify. */
  private async save(previous: Promise<void>, due: readonly DueTrace[], analysed: AnalysedTrace[]): Promise<void> {
    await previous;
    let saved = false;
    try {
      await this.options.store.saveAnalyses(analysed);
      saved = true;
      this.throughput.record(spanCount(due), performance.now());
    } catch (error) {
      // The spans are durable: the traces are taken back from the store at the next sweep.
      console.error('threshold: storing trace analyses failed:', error);
    }
    this.options.assembler.finished(due, saved);
    if (!saved) return;
    // A listener that reads spans may have come since the findings ran.
    try {
      await this.viewsForLateReader(
        analysed.map((trace) => ({ traceId: trace.analysis.summary.traceId, analysedSpanCount: trace.analysedSpanCount, analysed: trace })),
      );
    } catch (error) {
      console.error('threshold: reading back span views for a listener failed:', error);
    }
    const readsSpans = this.options.readsSpans();
    for (const trace of analysed) {
      if (readsSpans) restoreViews(trace);
      this.options.notify.analysed(trace.analysis);
    }
  }

  /**
   * Span views for analyses the threads left them out of (the store derives them, and no reader
   * on the event loop wanted them when the batch was taken), once a reader has come: derived from
   * the stored spans as the store derives them for a trace's detail, before the reader sees them.
   */
  private async viewsForLateReader(
    traces: ReadonlyArray<{ traceId: string; analysedSpanCount: number; analysed: Pick<TraceAnalysed, 'spansJson' | 'viewsOmitted'> }>,
  ): Promise<void> {
    const missing = this.options.readsSpans() ? traces.filter(({ analysed }) => analysed.viewsOmitted) : [];
    if (missing.length === 0) return;
    const stored = await this.options.store.loadTraceSpans(missing.map(({ traceId }) => traceId));
    for (const { traceId, analysedSpanCount, analysed } of missing) {
      analysed.spansJson = JSON.stringify(spanViewsOf(stored.get(traceId) ?? [], analysedSpanCount, this.options.settings));
      delete analysed.viewsOmitted;
    }
  }

  private analyseHere(trace: DueTrace): TraceAnalysed | undefined {
    try {
      return analyseTrace(trace.spans(), this.options.settings);
    } catch (error) {
      console.error(`threshold: analysing trace ${trace.traceId} failed:`, error);
      return undefined;
    }
  }

  /** The trace as saved: its analysis (none when it failed) with the findings of the rules. */
  private withFindings(trace: DueTrace, result: TraceAnalysed | undefined): AnalysedTrace[] {
    if (!result) return [];
    if (this.options.readsSpans()) restoreViews(result);
    if (result.spansOverCap > 0) this.options.onSpansOverCap?.(result.spansOverCap);
    let findings: Finding[] = [];
    try {
      findings = this.options.findings(result.analysis);
    } catch (error) {
      console.error(`threshold: findings for trace ${trace.traceId} failed:`, error);
    }
    const analysed: AnalysedTrace = {
      analysis: result.analysis,
      findings,
      analysedSpanCount: trace.storedSpanCount,
      replacesStored: trace.replacesStored,
    };
    if (result.spansJson !== undefined) analysed.spansJson = result.spansJson;
    if (result.compressedSpans !== undefined) analysed.compressedSpans = result.compressedSpans;
    if (result.viewsOmitted) analysed.viewsOmitted = true;
    if (trace.requests) analysed.requests = trace.requests;
    return [analysed];
  }
}

/** Spans a batch of traces held (what its analysis got through). */
function spanCount(due: readonly DueTrace[]): number {
  let spans = 0;
  for (const trace of due) spans += trace.storedSpanCount;
  return spans;
}
