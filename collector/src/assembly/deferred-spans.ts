import type { SpanRecord } from '@threshold/core';
import type { DecodeRequest, IngestBatch } from '../store/store.js';

/**
 * A committed request that ingest checked and counted but did not decode. The pending traces it
 * holds spans of share it; the first one analysed decodes it, the others take their spans from
 * that decoding, and the last one lets the body and the spans go.
 */
export class DeferredSpans {
  private source: { format: IngestBatch['request']['format']; body: Uint8Array } | undefined;
  private byTrace: Map<string, SpanRecord[]> | undefined;
  private holders = 0;

  constructor(
    batch: IngestBatch,
    private readonly decodeRequest: DecodeRequest,
  ) {
    this.source = { format: batch.request.format, body: batch.body };
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

  /** A holder no longer needs its spans from here. */
  release(): void {
    if (--this.holders > 0) return;
    this.source = undefined;
    this.byTrace = undefined;
  }

  private decoded(): Map<string, SpanRecord[]> {
    if (this.byTrace) return this.byTrace;
    const byTrace = new Map<string, SpanRecord[]>();
    const source = this.source;
    if (source) {
      try {
        for (const span of this.decodeRequest(source.format, source.body)) {
          const spans = byTrace.get(span.traceId);
          if (spans) spans.push(span);
          else byTrace.set(span.traceId, [span]);
        }
      } catch (error) {
        // Ingest checked the request by the decoder's own rules, so this is a bug, not bad input:
        // reported, and the traces are analysed from the spans they hold otherwise.
        console.error('threshold: decoding a committed request failed:', error);
      }
    }
    this.source = undefined;
    this.byTrace = byTrace;
    return byTrace;
  }
}
