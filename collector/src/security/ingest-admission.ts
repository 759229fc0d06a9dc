import type { IncomingMessage, ServerResponse } from 'node:http';
import { retryAfterSeconds as retryAfterFor } from '../ingest/retry-after.js';

export interface IngestAdmissionLimits {
  /** Most ingest requests being read, decoded or waiting for a commit at once. */
  maxRequests: number;
  /** Most body bytes (as declared by Content-Length) of those requests together. */
  maxBytes: number;
}

/** 64 requests and 64 MiB in flight: the memory of ingest stays bounded whatever the clients do. */
export const DEFAULT_INGEST_ADMISSION: IngestAdmissionLimits = { maxRequests: 64, maxBytes: 64 * 1024 * 1024 };

/** A body without Content-Length (chunked) is counted as this many bytes. */
const UNDECLARED_BODY_BYTES = 1024 * 1024;

/**
 * Bounds the ingest requests in flight before their bodies are read: beyond the limits a request
 * is answered 503 + Retry-After at once (its body discarded unread), so a flood of exporters can
 * neither hold the process's memory nor make requests hang.
 */
export class IngestAdmission {
  private requests = 0;
  private bytes = 0;
  refused = 0;
  private windowStartMs = 0;
  private refusedInWindow = 0;
  private refusedInLastWindow = 0;

  constructor(
    private readonly limits: IngestAdmissionLimits = DEFAULT_INGEST_ADMISSION,
    /** Seconds the collectors behind have had their ingest queue full (see CommitQueue.congestionSeconds). */
    private readonly congestionSeconds: () => number = () => 0,
  ) {}

  get inFlight(): { requests: number; bytes: number } {
    return { requests: this.requests, bytes: this.bytes };
  }

  /**
   * Seconds a refused client should wait: 1, plus one for every `maxRequests` refusals in the last
   * second, or plus the seconds the ingest queue has been full if longer (at most 30), so the
   * harder and the longer the collector is pushed, the further apart the retries.
   */
  retryAfterSeconds(): number {
    this.roll(performance.now());
    const pressure = Math.max(this.refusedInWindow, this.refusedInLastWindow);
    return retryAfterFor(Math.max(Math.floor(pressure / this.limits.maxRequests), this.congestionSeconds()));
  }

  private countRefusal(): void {
    this.roll(performance.now());
    this.refusedInWindow++;
  }

  private roll(nowMs: number): void {
    if (nowMs - this.windowStartMs < 1_000) return;
    this.refusedInLastWindow = nowMs - this.windowStartMs < 2_000 ? this.refusedInWindow : 0;
    this.refusedInWindow = 0;
    this.windowStartMs = nowMs;
  }

  /** True: admitted and released when the answer is done. False: the caller must refuse it. */
  admit(request: IncomingMessage, response: ServerResponse): boolean {
    const declared = Number(request.headers['content-length']);
    const bytes = Number.isFinite(declared) && declared >= 0 ? declared : UNDECLARED_BODY_BYTES;
    if (this.requests >= this.limits.maxRequests || (this.requests > 0 && this.bytes + bytes > this.limits.maxBytes)) {
      this.refused++;
      this.countRefusal();
      return false;
    }
    this.requests++;
    this.bytes += bytes;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.requests--;
      this.bytes -= bytes;
    };
    response.once('finish', release);
    response.once('close', release);
    return true;
  }
}
