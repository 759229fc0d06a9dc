import type { SpanRecord } from '@threshold/core';
import type { RawRequest } from '../store/span-log.js';

/**
 * The body of a committed request as trace assembly holds it until its traces are analysed: as the
 * store keeps it (compressed: Brotli, or the gzip it came in, about a ninth of the protobuf), where
 * analysis threads decompress it, or decompressed (`identity`) where the event loop decodes it.
 */
export interface HeldBody {
  encoding: RawRequest['encoding'];
  bytes: Uint8Array;
}

/** Decodes a held body of a request ingest scanned (protobuf, with nothing the span caps would cut). */
export type DecodeScanned = (body: HeldBody) => SpanRecord[];

const NO_BODY: HeldBody = { encoding: 'identity', bytes: new Uint8Array(0) };

/**
 * A committed request's spans by trace, in request order. Ingest checked the request by the
 * decoder's own rules, so a failure is a bug, not bad input: reported, and the traces are analysed
 * from the spans they hold otherwise.
 */
export function decodeByTrace(body: HeldBody, decodeScanned: DecodeScanned): Map<string, SpanRecord[]> {
  const byTrace = new Map<string, SpanRecord[]>();
  try {
    for (const span of decodeScanned(body)) {
      const spans = byTrace.get(span.traceId);
      if (spans) spans.push(span);
      else byTrace.set(span.traceId, [span]);
    }
  } catch (error) {
    console.error('threshold: decoding a committed request failed:', error);
  }
  return byTrace;
}

/**
 * A committed request that ingest checked and counted but did not decode. The pending traces it
 * holds spans of share it; the first one analysed decodes it, the others take their spans from
 * that decoding, and the last one lets the body and the spans go.
 */
export class DeferredSpans {
  private byTrace: Map<string, SpanRecord[]> | undefined;
  private holders = 0;

  constructor(
    private body: HeldBody | undefined,
    private readonly decodeScanned: DecodeScanned,
  ) {}

  /**
   * One part of a trace's spans as an analysis thread was given it (see `source`): a request body
   * still to decode, or that trace's spans already decoded. A trace kept for late spans is re-opened
   * from its parts in their order.
   */
  static ofSource(traceId: string, source: SpanRecord[] | HeldBody, decodeScanned: DecodeScanned): DeferredSpans {
    if (!Array.isArray(source)) return new DeferredSpans(source, decodeScanned);
    const deferred = new DeferredSpans(undefined, decodeScanned);
    deferred.byTrace = new Map([[traceId, source]]);
    return deferred;
  }

  /** One more pending trace holds spans of this request. */
  hold(): void {
    this.holders++;
  }

  /** The trace's spans in this request, in request order (decoding it the first time). */
  take(traceId: string): SpanRecord[] {
    const spans = this.decoded().get(traceId) ?? [];
    this.release();
    return spans;
  }

  /**
   * What the trace's spans in this request are, without decoding on this thread: the spans, when
   * another holder had the request decoded here, or else the request's body (an analysis thread
   * decodes it). The holder lets go of the request.
   */
  source(traceId: string): SpanRecord[] | HeldBody {
    const source = this.byTrace ? (this.byTrace.get(traceId) ?? []) : (this.body ?? NO_BODY);
    this.release();
    return source;
  }

  /** A holder no longer needs its spans from here. */
  release(): void {
    if (--this.holders > 0) return;
    this.body = undefined;
    this.byTrace = undefined;
  }

  private decoded(): Map<string, SpanRecord[]> {
    if (this.byTrace) return this.byTrace;
    const byTrace = this.body ? decodeByTrace(this.body, this.decodeScanned) : new Map<string, SpanRecord[]>();
    this.body = undefined;
    this.byTrace = byTrace;
    return byTrace;
  }
}
