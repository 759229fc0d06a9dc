import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import type { SpanView } from '@threshold/core';
import type { AnalysedTrace } from '../analysis-store.js';

/**
 * Brotli at quality 1: the detail is most of what a trace writes (the span views repeat every
 * attribute: 13 KB for a 20-span agent turn); compressed it is about a sixth, which costs less to
 * compress than the bytes saved cost to store. Measured per 20-span detail: 40 µs and 2.2 KB,
 * reading back 19 µs; deflate level 1 was 180 µs.
 */
export const DETAIL_BROTLI_OPTIONS = { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1, [zlibConstants.BROTLI_PARAM_LGWIN]: 18 } };

/** The span views and warnings of a detail, compressed apart from its findings (which the event loop adds). */
export interface CompressedSpans {
  /** Brotli of `{"spans":[…],"warnings":[…]}`. */
  compressedSpans: Uint8Array;
}

/**
 * What an analysis thread compresses: the part of the detail that does not depend on the findings.
 * A copy of exactly its bytes: zlib's result views a 16 KiB chunk, which posting it back to the
 * event loop would copy whole (8 MiB held for a 500-trace batch instead of about 1).
 */
export function compressSpansPart(spansJson: string, warnings: readonly string[]): Uint8Array {
  const compressed = brotliCompressSync(`{"spans":${spansJson},"warnings":${JSON.stringify(warnings)}}`, DETAIL_BROTLI_OPTIONS);
  return Uint8Array.prototype.slice.call(compressed);
}

/** Reads a compressed spans part back. */
export function decompressSpansPart(compressed: Uint8Array): { spans: SpanView[]; warnings: string[] } {
  return JSON.parse(brotliDecompressSync(compressed).toString('utf8')) as { spans: SpanView[]; warnings: string[] };
}

/**
 * The JSON of a trace's stored detail (`{ spans, findings, warnings }`: what the detail view
 * shows), as both engines store it. When an analysis thread already rendered the span views
 * (`spansJson`), they are put in as they are: the same text `JSON.stringify` gives for the whole.
 */
export function storedDetailJson(trace: AnalysedTrace): string {
  let spans = trace.spansJson;
  if (spans === undefined && trace.compressedSpans) spans = JSON.stringify(decompressSpansPart(trace.compressedSpans).spans);
  spans ??= JSON.stringify(trace.analysis.spans);
  return `{"spans":${spans},"findings":${JSON.stringify(trace.findings)},"warnings":${JSON.stringify(trace.analysis.warnings)}}`;
}
