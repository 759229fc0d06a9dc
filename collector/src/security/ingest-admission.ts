import type { IncomingMessage, ServerResponse } from 'node:http';
import { retryAfterSeconds as retryAfterFor } from '../ingest/retry-after.js';

export interface IngestAdmissionLimits {
  /** Most ingest requests being read, decoded or waiting for a commit at once. */
  maxRequests: number;
  /** Most body bytes (as declared by Content-Length) of those requests together. */
  maxBytes: number;
  /** Most of those requests one project may hold (default: all of them). */
  maxRequestsPerProject?: number;
  /** Most of those bytes one project may hold (default: all of them). */
  maxBytesPerProject?: number;
}

/** 64 requests and 64 MiB in flight: the memory of ingest stays bounded whatever the clients do. */
export const DEFAULT_INGEST_ADMISSION: IngestAdmissionLimits = { maxRequests: 64, maxBytes: 64 * 1024 * 1024 };

/**
 * The limits for `projectCount` projects: with two or more, one project may hold at most half the
 * requests and bytes, so one project's slow or stalled bodies never take every slot from the others.
 */
export function perProjectLimits(limits: IngestAdmissionLimits, projectCount: number): IngestAdmissionLimits {
  if (projectCount < 2) return limits;
  return {
    maxRequestsPerProject: Math.max(1, Math.ceil(limits.maxRequests / 2)),
    maxBytesPerProject: Math.max(1, Math.ceil(limits.maxBytes / 2)),
    ...limits,
  };
}

export type Admission = { admitted: true } | { admitted: false; reason: string };

/** A slot taken with `acquire`, or the reason none was given. */
export type IngestSlot = { admitted: true; release: () => void } | { admitted: false; reason: string };

/** A body without Content-Length (chunked) is counted as this many bytes. */
export const UNDECLARED_BODY_BYTES = 1024 * 1024;

/**
 * Bounds the ingest requests in flight before their bodies are read, in all and per project:
 * beyond the limits a request is answered 503 + Retry-After at once (its body discarded unread),
 * so a flood of exporters can neither hold the process's memory nor make requests hang, and one
 * project's flood leaves the other projects their share.
 */
export class IngestAdmission {
  private requests = 0;
  private bytes = 0;
  private readonly byProject = new Map<string, { requests: number; bytes: number }>();
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

  /** Requests and bytes one project holds now. */
  inFlightOf(project: string): { requests: number; bytes: number } {
    return { ...(this.byProject.get(project) ?? { requests: 0, bytes: 0 }) };
  }

  /**
   * Admitted (released when the answer is done, or the connection closes), or the reason to
   * refuse. The body counts as its Content-Length, or UNDECLARED_BODY_BYTES when it has none.
   */
  admit(request: IncomingMessage, response: ServerResponse, project: string): Admission {
    const declared = Number(request.headers['content-length']);
    const slot = this.acquire(project, Number.isFinite(declared) && declared >= 0 ? declared : UNDECLARED_BODY_BYTES);
    if (!slot.admitted) return slot;
    response.once('finish', slot.release);
    response.once('close', slot.release);
    return { admitted: true };
  }

  /**
   * Takes a slot of `bytes` for `project` whatever the transport (an OTLP/gRPC call takes one
   * before its message is read, as UNDECLARED_BODY_BYTES): a `release` to call when the request
   * is answered or gone (calling it again does nothing), or the reason to refuse.
   */
  acquire(project: string, bytes: number = UNDECLARED_BODY_BYTES): IngestSlot {
    const held = this.byProject.get(project) ?? { requests: 0, bytes: 0 };
    const { maxRequests, maxBytes, maxRequestsPerProject = maxRequests, maxBytesPerProject = maxBytes } = this.limits;
    let reason: string | undefined;
    if (this.requests >= maxRequests || (this.requests > 0 && this.bytes + bytes > maxBytes)) {
      reason = 'collector is overloaded: too many ingest requests in flight';
    } else if (held.requests >= maxRequestsPerProject || (held.requests > 0 && held.bytes + bytes > maxBytesPerProject)) {
      reason = `project ${project} has too many ingest requests in flight (its share is ${maxRequestsPerProject} requests, ${maxBytesPerProject} bytes)`;
    }
    if (reason !== undefined) {
      this.refused++;
      this.countRefusal();
      return { admitted: false, reason };
    }
    this.requests++;
    this.bytes += bytes;
    held.requests++;
    held.bytes += bytes;
    this.byProject.set(project, held);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.requests--;
      this.bytes -= bytes;
      held.requests--;
      held.bytes -= bytes;
      if (held.requests === 0) this.byProject.delete(project);
    };
    return { admitted: true, release };
  }
}
