import type { SpanRecord } from '@threshold/core';

/** What a decoded OTLP trace request yields: the spans kept, and an account of those dropped. */
export interface DecodeResult {
  /** Valid spans, in request order. */
  spans: SpanRecord[];
  /** Spans dropped individually (bad ids, end before start, …); the rest of the request is kept. */
  rejectedSpans: number;
  /** Short reason(s) for the rejections, e.g. "2 spans rejected: invalid span id (1), end before start (1)". */
  rejectionMessage?: string;
  /**
   * What the span caps cut from the spans kept, e.g. "truncated: 1 values longer than 16384
   * characters"; absent when nothing was cut. Cut spans are kept, so this is no rejection.
   */
  truncation?: string;
}
