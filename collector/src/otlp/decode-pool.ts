import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SpanRecord } from '@threshold/core';
import type { DecodeResult } from './decode-result.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { workerScriptUrl } from '../worker-script-url.js';

/** One body to decode, as posted to a pool thread (the bytes are moved, not copied); `{ kind: 'next' }` then asks for each further chunk. */
export interface DecodeJob {
  format: 'protobuf' | 'json';
  body: ArrayBuffer;
}

/** What a pool thread posts back for a job: chunks of spans, then the account, or a failure. */
export type DecodeWorkerMessage =
  | { kind: 'spans'; spans: SpanRecord[] }
  | { kind: 'done'; rejectedSpans: number; rejectionMessage?: string; truncation?: string }
  | { kind: 'failed'; malformed: boolean; message: string };

/** A pool thread died or failed other than on malformed input: the request was not decoded, through no fault of its own. */
export class DecodeWorkerError extends Error {
  override readonly name = 'DecodeWorkerError';
}

/** A job waiting for, or on, a thread. */
interface PendingJob {
  job: DecodeJob;
  resolve: (result: DecodeResult) => void;
  reject: (error: Error) => void;
}

/**
 * Decodes request bodies on a few worker threads, so a large body (a 16 MiB OTLP/JSON export is
 * some 900 ms of JSON.parse and decoding) never holds the event loop that acknowledges ingest and
 * answers queries. Jobs wait in arrival order for a free thread; threads start on first use and
 * are released (unref) while idle, so an unused pool keeps no process alive and needs no closing.
 * A thread that dies fails its job with DecodeWorkerError and is replaced on the next job.
 */
export class DecodePool {
  private readonly idle: Worker[] = [];
  private readonly queue: PendingJob[] = [];
  /** Each live thread and the job it is decoding (undefined while idle), with the spans received so far. */
  private readonly running = new Map<Worker, { pending: PendingJob; spans: SpanRecord[] } | undefined>();
  private jobsDone = 0;

  constructor(private readonly size = defaultPoolSize()) {}

  /** Jobs finished (decoded, or refused as malformed) by the pool's threads. */
  get completedJobs(): number {
    return this.jobsDone;
  }

  /** Decodes `body` on a pool thread: the result `decodeTraceRequest*` gives inline, or its OtlpDecodeError. */
  decode(format: DecodeJob['format'], body: Uint8Array): Promise<DecodeResult> {
    // A copy of exactly the body's bytes, moved to the thread (a Buffer may view a larger pool).
    const bytes = Uint8Array.prototype.slice.call(body);
    return new Promise<DecodeResult>((resolve, reject) => {
      this.queue.push({ job: { format, body: bytes.buffer as ArrayBuffer }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.running.size < this.size ? this.startWorker() : undefined);
      if (!worker) return;
      const pending = this.queue.shift()!;
      this.running.set(worker, { pending, spans: [] });
      worker.ref(); // a job in flight keeps the process alive until it is answered
      worker.postMessage(pending.job, [pending.job.body]);
    }
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_URL);
    this.running.set(worker, undefined);
    worker.on('message', (message: DecodeWorkerMessage) => this.received(worker, message));
    worker.on('error', (error) => this.lost(worker, `failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(worker, `exited with code ${code}`));
    return worker;
  }

  private received(worker: Worker, message: DecodeWorkerMessage): void {
    const current = this.running.get(worker);
    if (!current) return;
    if (message.kind === 'spans') {
      for (const span of message.spans) current.spans.push(span);
      // The next chunk once this turn is over: one chunk per turn of the event loop.
      setImmediate(() => {
        if (this.running.get(worker) === current) worker.postMessage({ kind: 'next' });
      });
      return;
    }
    this.jobsDone++;
    this.running.set(worker, undefined);
    worker.unref();
    this.idle.push(worker);
    const { pending, spans } = current;
    if (message.kind === 'done') {
      const { kind: _kind, ...account } = message;
      pending.resolve({ spans, ...account });
    } else if (message.malformed) pending.reject(new OtlpDecodeError(message.message));
    else pending.reject(new DecodeWorkerError(`decoding failed: ${message.message}`));
    this.dispatch();
  }

  /** Stops every thread; jobs not answered yet fail with DecodeWorkerError. (An idle pool needs no closing.) */
  async close(): Promise<void> {
    const workers = [...this.running.keys()];
    for (const pending of this.queue.splice(0)) pending.reject(new DecodeWorkerError('the decode pool was closed'));
    for (const worker of workers) this.lost(worker, 'was stopped');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** A thread died (out of memory, a crash): its job fails, and a new thread takes the next one. */
  private lost(worker: Worker, reason: string): void {
    if (!this.running.has(worker)) return;
    const current = this.running.get(worker);
    this.running.delete(worker);
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    void worker.terminate();
    current?.pending.reject(new DecodeWorkerError(`the decode thread ${reason}`));
    this.dispatch();
  }
}

/** One thread per spare core, at most two: decoding large bodies is rare, and it competes with the event loop. */
function defaultPoolSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

/** The thread's script beside this module (decode-worker.ts / .js). */
const WORKER_URL = workerScriptUrl(import.meta.url, 'decode-worker');
