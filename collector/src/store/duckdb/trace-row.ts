import { BLOB, BOOLEAN, DOUBLE, INTEGER, VARCHAR, blobValue } from '@duckdb/node-api';
import type { Finding, SpanView, TraceSummary } from '@threshold/core';
import type { AnalysedTrace } from '../store.js';
import type { ColumnSpec } from './append-columns.js';
import { SUMMARY_SELECT, summaryFromRow } from '../summary-row.js';

/** What `traces.detail` holds: the parts of the analysis the detail view shows. */
export interface StoredDetail {
  spans: SpanView[];
  findings: Finding[];
  warnings: string[];
}

/** Input tokens of a trace, counting each llm call once (aggregate wrappers repeat their children). */
export function traceInputTokens(trace: AnalysedTrace): number {
  let tokens = 0;
  for (const span of trace.analysis.traceSpans) {
    if (span.llm && !span.llm.aggregate) tokens += span.llm.inputTokens ?? 0;
  }
  return tokens;
}

/** The turn number of the task, when the task span says it. */
export function traceTurn(trace: AnalysedTrace): number | null {
  for (const span of trace.analysis.traceSpans) {
    if (span.task?.turn !== undefined) return span.task.turn;
  }
  return null;
}

/**
 * A trace ready to be appended: its analysis and the stored detail as UTF-8 JSON bytes. A BLOB
 * takes the bytes as they are (a VARCHAR re-validates 13 KB of text per 20-span trace), and
 * DuckDB compresses the column itself when it checkpoints, off the event loop. Deflating each
 * detail here was measured: it tripled the cost of storing a trace (zlib sets up a stream per
 * call), so it is not done.
 */
export interface TraceRowInput {
  trace: AnalysedTrace;
  detail: Uint8Array;
}

export function toTraceRowInputs(analyses: readonly AnalysedTrace[]): TraceRowInput[] {
  return analyses.map((trace) => {
    const detail: StoredDetail = { spans: trace.analysis.spans, findings: trace.findings, warnings: trace.analysis.warnings };
    return { trace, detail: Buffer.from(JSON.stringify(detail)) };
  });
}

/** The stored detail back from its column's JSON bytes. */
export function parseStoredDetail(value: unknown): StoredDetail {
  const bytes = value as Uint8Array;
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as StoredDetail;
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
  { name: 'turn', type: INTEGER, value: (t) => traceTurn(t.trace) },
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
  { name: 'input_tokens', type: DOUBLE, value: (t) => traceInputTokens(t.trace) },
  { name: 'analysed_span_count', type: INTEGER, value: (t) => t.trace.analysedSpanCount },
  { name: 'detail', type: BLOB, value: (t) => blobValue(t.detail) },
];

export { SUMMARY_SELECT };

/** Converts a row selected with `SUMMARY_SELECT` back into the API's TraceSummary. */
export function traceRowToSummary(row: readonly unknown[]): TraceSummary {
  return summaryFromRow(row, (value) => value === true);
}
