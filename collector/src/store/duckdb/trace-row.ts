import { BOOLEAN, DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';
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

const summary = (trace: AnalysedTrace): TraceSummary => trace.analysis.summary;

/** `traces` columns in table order. */
export const TRACE_COLUMNS: readonly ColumnSpec<AnalysedTrace>[] = [
  { name: 'trace_id', type: VARCHAR, value: (t) => summary(t).traceId },
  { name: 'start_ms', type: DOUBLE, value: (t) => summary(t).startTimeMs },
  { name: 'duration_ms', type: DOUBLE, value: (t) => summary(t).durationMs },
  { name: 'perceived_ms', type: DOUBLE, value: (t) => summary(t).perceivedMs },
  { name: 'service', type: VARCHAR, value: (t) => summary(t).service },
  { name: 'name', type: VARCHAR, value: (t) => summary(t).name },
  { name: 'task_class', type: VARCHAR, value: (t) => summary(t).taskClass },
  { name: 'session_id', type: VARCHAR, value: (t) => summary(t).sessionId ?? null },
  { name: 'turn', type: INTEGER, value: (t) => traceTurn(t) },
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
  { name: 'input_tokens', type: DOUBLE, value: traceInputTokens },
  { name: 'analysed_span_count', type: INTEGER, value: (t) => t.analysedSpanCount },
  {
    name: 'detail',
    type: VARCHAR,
    value: (t) =>
      JSON.stringify({ spans: t.analysis.spans, findings: t.findings, warnings: t.analysis.warnings } satisfies StoredDetail),
  },
];

export { SUMMARY_SELECT };

/** Converts a row selected with `SUMMARY_SELECT` back into the API's TraceSummary. */
export function traceRowToSummary(row: readonly unknown[]): TraceSummary {
  return summaryFromRow(row, (value) => value === true);
}
