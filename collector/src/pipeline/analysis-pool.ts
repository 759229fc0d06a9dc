import { Worker } from 'node:worker_threads';
import type { SpanRecord } from '@threshold/core';
import type { HeldBody } from '../assembly/deferred-spans.js';
import type { DueTrace } from '../assembly/trace-assembler.js';
import { workerScriptUrl } from '../worker-script-url.js';
import type { AnalyseSettings, TraceAnalysed } from './analyse-stage.js';
import { receiveAnalysed, runAnalysisJob, type AnalysisJob, type AnalysisJobResult } from './analysis-job.js';

const WORKER_URL = workerScriptUrl(import.meta.url, 'analysis-worker');

/**
 * Most traces in one job. A thread's answer is read back on the event loop in one piece (about a
 * fifth of what analysing them took), so jobs are kept small enough that reading one is a short
 * turn of the loop, and many enough that every thread has the next one queued.
 */
const JOB_TRACES = 100;

/**
 * Young generation of an analysis thread, in MiB (V8's default here is 48: two 16 MiB semi-spaces
 * and room for large objects). A job's garbage dies young whatever the size, so a smaller one
 * costs scavenges, not promotions: in a 5-minute soak each thread's new space fell from 32 to
 * 8 MiB resident.
 */
const THREAD_YOUNG_GENERATION_MB = 12;

/** A job waiting for a thread, or running on one. */
interface PendingJob {
  job: AnalysisJob;
  /** The request bodies the job's copies were made from: the job is run inline from them if its thread is lost (its own were moved). */
  originals: HeldBody[];
  resolve: (results: AnalysisJobResult[]) => void;
}

/** One thread and the job it is running. */
interface Thread {
  worker: Worker;
  running: PendingJob | undefined;
}

/**
 * The analyse stage on worker threads (`--workers N`): a batch of due traces is cut into jobs of
 * consecutive traces (the traces of one request stay together, so its body is decoded once), which
 * the threads take in order; they decode, analyse and render span views while the event loop
 * serves ingest, saves and queries. Findings stay on the event loop: their rules keep history
 * across traces. A thread that dies has its job run inline, and is replaced.
 */
export class AnalysisPool {
  private readonly threads: Array<Thread | undefined> = [];
  private readonly queue: PendingJob[] = [];
  private closed = false;
  private jobsOnThreads = 0;
  private jobsInline = 0;

  constructor(private readonly size: number) {}

  /** Jobs answered by a thread, and jobs run inline because their thread was lost. */
  get jobs(): { onThreads: number; inline: number } {
    return { onThreads: this.jobsOnThreads, inline: this.jobsInline };
  }

  /**
   * Analyses the traces (undefined where a trace's analysis failed, the failure logged), in their
   * order. The analyses come back light (span views rendered, attributes left out: see
   * `AnalysisJobResult`); `restoreViews` makes one whole for a reader that needs it.
   */
  async analyse(due: readonly DueTrace[], settings: AnalyseSettings): Promise<Array<TraceAnalysed | undefined>> {
    const jobs: Array<Omit<PendingJob, 'resolve'>> = [];
    for (let start = 0; start < due.length; start += JOB_TRACES) jobs.push(toJob(due.slice(start, start + JOB_TRACES), settings));
    const results = await Promise.all(jobs.map((job) => this.submit(job)));
    return results.flat().map((result) => {
      if ('sent' in result) return receiveAnalysed(result.sent);
      console.error(`threshold: analysing trace ${result.traceId} failed:`, result.error);
      return undefined;
    });
  }

  /** Stops the threads; jobs still waiting run inline. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.resolve(runInline(pending));
    const threads = this.threads.splice(0).filter((thread): thread is Thread => thread !== undefined);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private submit(job: Omit<PendingJob, 'resolve'>): Promise<AnalysisJobResult[]> {
    return new Promise((resolve) => {
      this.queue.push({ ...job, resolve });
      this.dispatch();
    });
  }

  /** Gives queued jobs to idle threads, starting threads up to the pool's size. */
  private dispatch(): void {
    for (let index = 0; index < this.size && this.queue.length > 0; index++) {
      const thread = this.thread(index);
      if (thread.running) continue;
      const pending = this.queue.shift()!;
      thread.running = pending;
      thread.worker.ref(); // a job in flight keeps the process alive until it is answered
      thread.worker.postMessage(
        pending.job,
        pending.job.bodies.map((body) => body.bytes),
      );
    }
  }

  private thread(index: number): Thread {
    const existing = this.threads[index];
    if (existing) return existing;
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } });
    worker.unref();
    const thread: Thread = { worker, running: undefined };
    worker.on('message', (results: AnalysisJobResult[]) => {
      const running = thread.running;
      thread.running = undefined;
      worker.unref();
      if (running) {
        this.jobsOnThreads++;
        running.resolve(results);
      }
      this.dispatch();
    });
    worker.on('error', (error) => this.lost(thread, `failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(thread, `exited with code ${code}`));
    this.threads[index] = thread;
    return thread;
  }

  /** A thread died (out of memory, a crash): its job runs inline, and a new thread takes the next one. */
  private lost(thread: Thread, reason: string): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads[at] = undefined;
    const running = thread.running;
    thread.running = undefined;
    if (running) {
      if (!this.closed) console.error(`threshold: an analysis thread ${reason}; its traces are analysed on the main thread`);
      this.jobsInline++;
      running.resolve(runInline(running));
    }
    if (!this.closed) this.dispatch();
  }
}

/** A job whose thread was lost, run here from copies of its request bodies. */
function runInline(pending: PendingJob): AnalysisJobResult[] {
  return runAnalysisJob({ ...pending.job, bodies: pending.originals.map(copyOf) });
}

/** A copy of exactly the body's bytes (a Buffer may view a larger pool), to move to a thread. */
function copyOf({ encoding, bytes }: HeldBody): AnalysisJob['bodies'][number] {
  return { encoding, bytes: Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer };
}

/** The job for a run of traces: their decoded spans as they are, each request body once. */
function toJob(due: readonly DueTrace[], settings: AnalyseSettings): Omit<PendingJob, 'resolve'> {
  const originals: HeldBody[] = [];
  const bodyIndex = new Map<HeldBody, number>();
  const traces = due.map((trace) => ({
    traceId: trace.traceId,
    parts: trace.sources().map((source): SpanRecord[] | number => {
      if (Array.isArray(source)) return source;
      let index = bodyIndex.get(source);
      if (index === undefined) {
        index = originals.length;
        originals.push(source);
        bodyIndex.set(source, index);
      }
      return index;
    }),
  }));
  return { job: { traces, bodies: originals.map(copyOf), settings }, originals };
}

/** The process's pools by size, and how many collectors use each. */
const shared = new Map<number, { pool: AnalysisPool; users: number }>();

/**
 * The process's analysis pool of `size` threads, shared by every collector in it (one per
 * project): `--workers N` means N threads whatever the number of projects. `release` when done;
 * the last user closes it.
 */
export function acquireAnalysisPool(size: number): { pool: AnalysisPool; release: () => Promise<void> } {
  let entry = shared.get(size);
  if (!entry) {
    entry = { pool: new AnalysisPool(size), users: 0 };
    shared.set(size, entry);
  }
  entry.users++;
  const held = entry;
  let released = false;
  return {
    pool: held.pool,
    release: async () => {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      if (shared.get(size) === held) shared.delete(size);
      await held.pool.close();
    },
  };
}
