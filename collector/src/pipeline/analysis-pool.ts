import { Worker } from 'node:worker_threads';
import type { SpanRecord } from '@threshold/core';
import type { DueTrace } from '../assembly/trace-assembler.js';
import { workerScriptUrl } from '../worker-script-url.js';
import type { AnalyseSettings, TraceAnalysed } from './analyse-stage.js';
import { runAnalysisJob, type AnalysisJob, type AnalysisJobResult } from './analysis-job.js';

const WORKER_URL = workerScriptUrl(import.meta.url, 'analysis-worker');

/** One thread and the job it is running. */
interface Thread {
  worker: Worker;
  running: { job: AnalysisJob; resolve: (results: AnalysisJobResult[]) => void } | undefined;
}

/**
 * The analyse stage on worker threads (`--workers N`): a batch of due traces is cut into one job
 * per thread, in arrival order (the traces of one request stay together, so its body is decoded
 * once), and the threads decode, analyse and render span views in parallel while the event loop
 * serves ingest, saves and queries. Findings stay on the event loop: their rules keep history
 * across traces. A thread that dies has its job run inline, and is replaced.
 */
export class AnalysisPool {
  private readonly threads: Thread[] = [];
  private closed = false;
  private jobsOnThreads = 0;
  private jobsInline = 0;

  constructor(
    private readonly size: number,
    private readonly settings: AnalyseSettings,
  ) {}

  /** Jobs answered by a thread, and jobs run inline because their thread was lost. */
  get jobs(): { onThreads: number; inline: number } {
    return { onThreads: this.jobsOnThreads, inline: this.jobsInline };
  }

  /** Analyses the traces (undefined where a trace's analysis failed, the failure logged), in their order. */
  async analyse(due: readonly DueTrace[]): Promise<Array<TraceAnalysed | undefined>> {
    const chunks = cut(due, Math.min(this.size, due.length));
    const results = await Promise.all(chunks.map((chunk, index) => this.run(this.thread(index), toJob(chunk))));
    return results.flat().map((result) => {
      if ('analysed' in result) return result.analysed;
      console.error(`threshold: analysing trace ${result.traceId} failed:`, result.error);
      return undefined;
    });
  }

  /** Stops the threads (idle ones keep nothing alive; this ends them at once). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.splice(0).filter(Boolean).map((thread) => thread.worker.terminate()));
  }

  private thread(index: number): Thread {
    let thread = this.threads[index];
    if (!thread) {
      const worker = new Worker(WORKER_URL, { workerData: this.settings });
      worker.unref();
      thread = { worker, running: undefined };
      const started = thread;
      worker.on('message', (results: AnalysisJobResult[]) => {
        const running = started.running;
        started.running = undefined;
        worker.unref();
        if (!running) return;
        this.jobsOnThreads++;
        running.resolve(results);
      });
      const lost = (reason: string) => this.lost(started, reason);
      worker.on('error', (error) => lost(`failed: ${error.message}`));
      worker.on('exit', (code) => lost(`exited with code ${code}`));
      this.threads[index] = thread;
    }
    return thread;
  }

  private run(thread: Thread, job: AnalysisJob): Promise<AnalysisJobResult[]> {
    return new Promise((resolve) => {
      thread.running = { job, resolve };
      thread.worker.ref(); // a job in flight keeps the process alive until it is answered
      // The bodies are posted as copies: the job is run inline from them if the thread is lost.
      thread.worker.postMessage(job);
    });
  }

  /** A thread died (out of memory, a crash): its job runs inline, and a new thread takes the next one. */
  private lost(thread: Thread, reason: string): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) delete this.threads[at];
    const running = thread.running;
    thread.running = undefined;
    if (!running) return;
    if (!this.closed) console.error(`threshold: an analysis thread ${reason}; its traces are analysed on the main thread`);
    this.jobsInline++;
    running.resolve(runAnalysisJob(running.job, this.settings));
  }
}

/** `due` in `parts` runs of consecutive traces of about equal span counts. */
function cut(due: readonly DueTrace[], parts: number): DueTrace[][] {
  if (parts <= 1) return [due.slice()];
  let total = 0;
  for (const trace of due) total += trace.storedSpanCount;
  const chunks: DueTrace[][] = [[]];
  let filled = 0;
  for (const trace of due) {
    const current = chunks[chunks.length - 1];
    if (current.length > 0 && filled >= (total * chunks.length) / parts && chunks.length < parts) chunks.push([trace]);
    else current.push(trace);
    filled += trace.storedSpanCount;
  }
  return chunks;
}

/** The job for a run of traces: their decoded spans as they are, each request body once. */
function toJob(due: readonly DueTrace[]): AnalysisJob {
  const bodies: ArrayBuffer[] = [];
  const bodyIndex = new Map<Uint8Array, number>();
  const traces = due.map((trace) => ({
    traceId: trace.traceId,
    parts: trace.sources().map((source): SpanRecord[] | number => {
      if (Array.isArray(source)) return source;
      let index = bodyIndex.get(source);
      if (index === undefined) {
        index = bodies.length;
        bodies.push(Uint8Array.prototype.slice.call(source).buffer as ArrayBuffer);
        bodyIndex.set(source, index);
      }
      return index;
    }),
  }));
  return { traces, bodies };
}
