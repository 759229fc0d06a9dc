import type { SpanRecord, SpanView } from '@threshold/core';
import { decodeByTrace, type HeldBody } from '../assembly/deferred-spans.js';
import { decodeTraceRequestProtobuf } from '../otlp/index.js';
import { storedRequestBody } from '../store/raw-request-codec.js';
import { compressSpansPart, decompressSpansPart } from '../store/rows/stored-detail-json.js';
import { analyseTrace, type AnalyseSettings, type SpanViewsSent, type TraceAnalysed } from './analyse-stage.js';

/** One trace of a job: its spans in arrival order, each part either decoded spans or the index of a request body in `bodies`. */
export interface AnalysisJobTrace {
  traceId: string;
  parts: Array<SpanRecord[] | number>;
}

/**
 * What an analysis thread is given: traces, the bodies of the requests ingest only scanned (their
 * bytes moved to the thread, not copied; compressed as the store keeps them, or not), and the
 * settings of the collector they are analysed for (one pool serves every project's collector in a
 * process).
 */
export interface AnalysisJob {
  traces: AnalysisJobTrace[];
  bodies: Array<{ encoding: HeldBody['encoding']; bytes: ArrayBuffer }>;
  settings: AnalyseSettings;
}

/**
 * What comes back per trace: its analysis made light to send — the span views already rendered as
 * JSON (`spansJson`, what the stored detail holds) and the spans' attributes left out (nothing on
 * the collector's side of the analysis reads them), sent as JSON text or as the object
 * (`SentAnalysis`) — or why it failed.
 */
export type AnalysisJobResult = { traceId: string; sent: SentAnalysis } | { traceId: string; error: string };

/**
 * A light analysis on its way back to the event loop. Structured cloning (what `postMessage` does
 * with an object) rebuilds the object graph slowly on the receiving side: about 100 µs of the event
 * loop's CPU for a 20-span agent turn, against 27 µs to `JSON.parse` the same analysis as JSON text,
 * and the thread spends less on the JSON too (`node bench/analysis.mjs`; a string crosses threads
 * as one copy). So it travels as JSON text whenever JSON carries it exactly (`jsonCarriesExactly`),
 * the trace's start in ns (a BigInt) as decimal text, and the parts already rendered beside it; an
 * analysis JSON would change travels as the object.
 */
export type SentAnalysis = { json: string; spansJson?: string; compressedSpans?: Uint8Array } | { analysed: TraceAnalysed };

/** The light analysis as it is sent back (see SentAnalysis). */
export function sendAnalysed(analysed: TraceAnalysed): SentAnalysis {
  const { spansJson, compressedSpans, ...rest } = analysed;
  const plain = { ...rest, analysis: { ...rest.analysis, traceStartUnixNano: rest.analysis.traceStartUnixNano.toString() } };
  if (!jsonCarriesExactly(plain)) return { analysed };
  const sent: SentAnalysis = { json: JSON.stringify(plain) };
  if (spansJson !== undefined) sent.spansJson = spansJson;
  if (compressedSpans !== undefined) sent.compressedSpans = compressedSpans;
  return sent;
}

/** The light analysis as it was before it was sent. */
export function receiveAnalysed(sent: SentAnalysis): TraceAnalysed {
  if ('analysed' in sent) return sent.analysed;
  const analysed = JSON.parse(sent.json) as TraceAnalysed & { analysis: { traceStartUnixNano: string | bigint } };
  analysed.analysis.traceStartUnixNano = BigInt(analysed.analysis.traceStartUnixNano);
  if (sent.spansJson !== undefined) analysed.spansJson = sent.spansJson;
  if (sent.compressedSpans !== undefined) analysed.compressedSpans = sent.compressedSpans;
  return analysed;
}

/**
 * True when `JSON.parse(JSON.stringify(value))` reads the same everywhere: plain objects and arrays
 * of strings, booleans, null and finite numbers other than -0 (JSON writes NaN and ±Infinity as
 * null, and -0 as 0), no undefined in an array (written as null), and no BigInt, function, symbol
 * or object of a class. A property whose value is undefined is dropped, which reads the same. Shared
 * references come back as copies: nothing on the event loop compares the analysis's parts by identity.
 */
export function jsonCarriesExactly(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (item === undefined || !jsonCarriesExactly(item)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (item !== undefined && !jsonCarriesExactly(item)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * The spans of a held request body (protobuf that ingest scanned), decompressed first when it is
 * held as the store keeps it. The decoder applies the span caps itself (they cut nothing here: the
 * scan found nothing to cut), so these are the spans the stored request gives when read back.
 */
export function decodeHeldBody({ encoding, bytes }: HeldBody): SpanRecord[] {
  return decodeTraceRequestProtobuf(storedRequestBody(encoding, bytes)).spans;
}

/**
 * Runs a job: decompresses and decodes each body once, gathers every trace's spans in order,
 * analyses each trace (analyse stage) and lightens the result. Plain data in and out: it runs on
 * an analysis thread, or inline when the thread is lost.
 */
export function runAnalysisJob(job: AnalysisJob): AnalysisJobResult[] {
  const { settings } = job;
  const decoded = new Map<number, Map<string, SpanRecord[]>>();
  const spansOf = (body: number, traceId: string): SpanRecord[] => {
    let byTrace = decoded.get(body);
    if (!byTrace) {
      const { encoding, bytes } = job.bodies[body];
      byTrace = decodeByTrace({ encoding, bytes: new Uint8Array(bytes) }, decodeHeldBody);
      decoded.set(body, byTrace);
    }
    return byTrace.get(traceId) ?? [];
  };
  return job.traces.map(({ traceId, parts }) => {
    try {
      const records: SpanRecord[] = [];
      for (const part of parts) for (const span of typeof part === 'number' ? spansOf(part, traceId) : part) records.push(span);
      return { traceId, sent: sendAnalysed(lighten(analyseTrace(records, settings), settings.spanViews ?? 'json')) };
    } catch (error) {
      return { traceId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  });
}

/**
 * The analysis a thread sent back, made whole again (in place, once) for the event loop's readers
 * that may read spans (a findings provider or `onAnalysed` listener given through the API): its
 * span views and the spans' attributes are read from the rendered views the first time something
 * asks for them. The built-in path, which never reads them, does not call it at all.
 */
export function restoreViews(result: Pick<TraceAnalysed, 'analysis' | 'spansJson' | 'compressedSpans'>): void {
  const { analysis, spansJson, compressedSpans } = result;
  if ((spansJson === undefined && compressedSpans === undefined) || restored.has(analysis)) return;
  restored.add(analysis);
  let views: SpanView[] | undefined;
  const spans = (): SpanView[] =>
    (views ??= spansJson !== undefined ? (JSON.parse(spansJson) as SpanView[]) : decompressSpansPart(compressedSpans!).spans);
  let byId: Map<string, SpanView> | undefined;
  const attributesOf = (spanId: string) => (byId ??= new Map(spans().map((view) => [view.spanId, view]))).get(spanId)?.attributes ?? {};
  Object.defineProperty(analysis, 'spans', { get: spans, enumerable: true, configurable: true });
  for (const span of analysis.traceSpans) {
    Object.defineProperty(span, 'attributes', { get: () => attributesOf(span.spanId), enumerable: true, configurable: true });
  }
}

/** Analyses already made whole by `restoreViews`. */
const restored = new WeakSet<object>();

/**
 * The analysis as sent back: span views as JSON, or compressed with the warnings as DuckDB stores
 * them, or left out for a store that derives them (see SpanViewsSent); attributes dropped from the
 * spans (see AnalysisJobResult).
 */
export function lighten({ analysis, spansOverCap }: TraceAnalysed, views: SpanViewsSent): TraceAnalysed {
  const light = { ...analysis, spans: [], traceSpans: analysis.traceSpans.map((span) => ({ ...span, attributes: {} })) };
  if (views === 'none') return { analysis: light, spansOverCap, viewsOmitted: true };
  const spansJson = JSON.stringify(analysis.spans);
  return views === 'compressed'
    ? { analysis: light, spansOverCap, compressedSpans: compressSpansPart(spansJson, analysis.warnings) }
    : { analysis: light, spansOverCap, spansJson };
}
