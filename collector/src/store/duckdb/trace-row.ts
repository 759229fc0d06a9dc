import { BIGINT, BLOB, BOOLEAN, DOUBLE, INTEGER, VARCHAR, blobValue } from '@duckdb/node-api';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { traceFacts, type TraceFacts, type TraceSummary } from '@threshold/core';
import type { AnalysedTrace } from '../analysis-store.js';
import type { ColumnSpec } from './append-columns.js';
import { SUMMARY_SELECT, summaryFromRow } from '../rows/summary-row.js';
import { decompressSpansPart, DETAIL_BROTLI_OPTIONS, storedDetailJson } from '../rows/stored-detail-json.js';
import type { BlobRef } from '../blob-log/blob-log.js';
import type { StoredDetail } from '../rows/stored-detail.js';
import type { RequestRange } from '../span-log.js';

/**
 * A trace ready to be appended: its analysis and the stored detail, JSON compressed with Brotli
 * at quality 1 behind a one-byte format mark. The detail is most of what a trace writes (the span
 * views repeat every attribute: 13 KB for a 20-span agent turn) and DuckDB takes large values
 * slowly; compressed it is about a sixth, which costs less to compress than the bytes saved cost
 * to append, commit and checkpoint (and to hold in memory until a checkpoint). Measured per
 * 20-span detail: Brotli q1 40 µs and 2.2 KB, reading back 19 µs; deflate level 1 was 180 µs.
 */
export interface TraceRowInput {
  trace: AnalysedTrace;
  /** What core says is stored of the trace beyond its summary (tokens, turn). */
  facts: TraceFacts;
  detail: Uint8Array;
  /** Where the detail was written in the blob log (set before the row is appended). */
  detailRef?: BlobRef;
}

/** The inline `detail` of rows whose detail is in the blob log. */
const IN_LOG = new Uint8Array(0);

/** First byte of a Brotli-compressed detail (a detail stored as plain JSON starts with `{`). */
const BROTLI_DETAIL = 0x01;
/** First byte of a detail whose findings are JSON and whose span views and warnings were compressed apart (by an analysis thread). */
const SPLIT_DETAIL = 0x02;
/**
 * First byte of a detail that keeps no span views (a store opened with `spanViews` derives them
 * from the stored spans when the trace is read): the findings' JSON (length first), then
 * `{"warnings":[…],"settings":"<key>","requests":[first,last]}`, the key naming the analysis
 * settings in `analysis_settings`, the requests (when known) those holding the analysed spans.
 * The spans are then stored once, in the span log.
 */
const DERIVED_DETAIL = 0x03;
const MARK = Buffer.from([BROTLI_DETAIL]);

/**
 * The rows of analysed traces, their details encoded: without span views when the store derives
 * them (`settingsKey` names the settings the traces were analysed with), else compressed whole (on
 * the event loop: 40 µs a 20-span turn) unless an analysis thread compressed the views already.
 */
export function toTraceRowInputs(analyses: readonly AnalysedTrace[], settingsKey: string | undefined): TraceRowInput[] {
  return analyses.map((trace) => {
    return { trace, facts: traceFacts(trace.analysis), detail: encodeDetail(trace, settingsKey) };
  });
}

/**
 * The detail's bytes: the findings' and warnings' JSON when the views are derived; Brotli-compressed
 * JSON behind its mark; or, when an analysis thread already compressed the span views and
 * warnings, the findings' JSON (length first) and that part as it is.
 */
function encodeDetail(trace: AnalysedTrace, settingsKey: string | undefined): Buffer {
  if (settingsKey !== undefined) {
    const rest: DerivedDetailRest = { warnings: trace.analysis.warnings, settings: settingsKey };
    if (trace.requests) rest.requests = [trace.requests.first, trace.requests.last];
    return withFindings(DERIVED_DETAIL, trace, Buffer.from(JSON.stringify(rest), 'utf8'));
  }
  if (!trace.compressedSpans) return Buffer.concat([MARK, brotliCompressSync(storedDetailJson(trace), DETAIL_BROTLI_OPTIONS)]);
  return withFindings(SPLIT_DETAIL, trace, trace.compressedSpans);
}

/** What a detail without span views holds after its findings (see DERIVED_DETAIL). */
interface DerivedDetailRest {
  warnings: string[];
  settings: string;
  requests?: [number, number];
}

/** The mark, the findings' JSON (length first), then the rest as it is. */
function withFindings(mark: number, trace: AnalysedTrace, rest: Uint8Array): Buffer {
  const findings = Buffer.from(JSON.stringify(trace.findings), 'utf8');
  const head = Buffer.alloc(5);
  head[0] = mark;
  head.writeUInt32LE(findings.length, 1);
  return Buffer.concat([head, findings, rest]);
}

/**
 * The stored detail back from its column: either compressed form, or JSON text (rows of databases
 * written before); or, for a detail that keeps no span views (they are derived), no `spans` and
 * the key of the settings it was analysed with.
 */
export function parseStoredDetail(
  value: unknown,
): StoredDetail | (Omit<StoredDetail, 'spans'> & { spans: undefined; settingsKey: string; requests: RequestRange | undefined }) {
  const bytes = Buffer.from((value as Uint8Array).buffer, (value as Uint8Array).byteOffset, (value as Uint8Array).byteLength);
  if (bytes[0] === SPLIT_DETAIL || bytes[0] === DERIVED_DETAIL) {
    const findingsEnd = 5 + bytes.readUInt32LE(1);
    const findings = JSON.parse(bytes.subarray(5, findingsEnd).toString('utf8')) as StoredDetail['findings'];
    if (bytes[0] === DERIVED_DETAIL) {
      const { warnings, settings, requests } = JSON.parse(bytes.subarray(findingsEnd).toString('utf8')) as DerivedDetailRest;
      const range = requests?.every(Number.isSafeInteger) ? { first: requests[0], last: requests[1] } : undefined;
      return { spans: undefined, findings, warnings, settingsKey: settings, requests: range };
    }
    const { spans, warnings } = decompressSpansPart(bytes.subarray(findingsEnd));
    return { spans, findings, warnings };
  }
  const json = bytes[0] === BROTLI_DETAIL ? brotliDecompressSync(bytes.subarray(1)) : bytes;
  return JSON.parse(json.toString('utf8')) as StoredDetail;
}

const summary = (row: TraceRowInput): TraceSummary => row.trace.analysis.summary;

/** `traces` columns in table order. */
export const TRACE_COLUMNS: readonly ColumnSpec<TraceRowInput>[] = [
  { name: 'trace_id', type: VARCHAR, value: (t) => summary(t).traceId },
  { name: 'start_ms', type: DOUBLE, value: (t) => summary(t).startTimeMs },
  { name: 'duration_ms', type: DOUBLE, value: (t) => summary(t).durationMs },
  { name: 'perceived_ms', type: DOUBLE, value: (t) => summary(t).perceivedMs },
  { name: 'service', type: VARCHAR, value: (t) => summary(t).service },
  { name: 'name', type: VARCHAR, value: (t) => summary(t).name },
  { name: 'task_class', type: VARCHAR, value: (t) => summary(t).taskClass },
  { name: 'session_id', type: VARCHAR, value: (t) => summary(t).sessionId ?? null },
  { name: 'turn', type: INTEGER, value: (t) => t.facts.turn },
  { name: 'band', type: VARCHAR, value: (t) => summary(t).band },
  { name: 'perceived_band', type: VARCHAR, value: (t) => summary(t).perceivedBand },
  { name: 'budget_ms', type: DOUBLE, value: (t) => summary(t).budgetMs },
  { name: 'over_budget', type: BOOLEAN, value: (t) => summary(t).overBudget },
  { name: 'span_count', type: INTEGER, value: (t) => summary(t).spanCount },
  { name: 'llm_calls', type: INTEGER, value: (t) => summary(t).llmCalls },
  { name: 'tool_calls', type: INTEGER, value: (t) => summary(t).toolCalls },
  { name: 'first_ttft_ms', type: DOUBLE, value: (t) => summary(t).firstTtftMs ?? null },
  { name: 'error', type: BOOLEAN, value: (t) => summary(t).error },
  { name: 'llm_ms', type: DOUBLE, value: (t) => summary(t).breakdown.llm },
  { name: 'tool_ms', type: DOUBLE, value: (t) => summary(t).breakdown.tool },
  { name: 'state_ms', type: DOUBLE, value: (t) => summary(t).breakdown.state },
  { name: 'orchestration_ms', type: DOUBLE, value: (t) => summary(t).breakdown.orchestration },
  { name: 'other_ms', type: DOUBLE, value: (t) => summary(t).breakdown.other },
  { name: 'input_tokens', type: DOUBLE, value: (t) => t.facts.inputTokens },
  { name: 'analysed_span_count', type: INTEGER, value: (t) => t.trace.analysedSpanCount },
  { name: 'detail', type: BLOB, value: (t) => blobValue(t.detailRef ? IN_LOG : t.detail) },
  { name: 'detail_segment', type: INTEGER, value: (t) => t.detailRef?.segment ?? null },
  { name: 'detail_offset', type: BIGINT, value: (t) => (t.detailRef ? BigInt(t.detailRef.offset) : null) },
  { name: 'detail_length', type: INTEGER, value: (t) => t.detailRef?.length ?? null },
];

/** Columns that locate a stored value: inline bytes, or a reference into the blob log. */
export function storedValueRef(segment: unknown, offset: unknown, length: unknown): BlobRef | undefined {
  if (segment === null || segment === undefined) return undefined;
  return { segment: Number(segment), offset: Number(offset), length: Number(length) };
}

export { SUMMARY_SELECT };

/** Converts a row selected with `SUMMARY_SELECT` back into the API's TraceSummary. */
export function traceRowToSummary(row: readonly unknown[]): TraceSummary {
  return summaryFromRow(row, (value) => value === true);
}
