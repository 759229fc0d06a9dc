import type { Finding, TraceSpan, TraceSummary, UxBand } from '@threshold/core';
import { traceInputTokens, traceTurn, type StoredDetail } from '../duckdb/trace-row.js';
import type { AnalysedTrace } from '../store.js';

const FACT_CATEGORIES = new Set(['llm', 'tool', 'state', 'orchestration']);

const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);

/** The name an operation is grouped by: the tool's name for tools, the span name otherwise. */
function operationName(span: TraceSpan): string {
  return span.category === 'tool' && span.tool?.name ? span.tool.name : span.name;
}

/** One `traces` row as JSONEachRow inserts it: summary columns, detail, fact and finding arrays. */
export function toTraceRow(trace: AnalysedTrace): Record<string, unknown> {
  const summary = trace.analysis.summary;
  const facts = trace.analysis.traceSpans.filter((span) => FACT_CATEGORIES.has(span.category));
  const detail: StoredDetail = { spans: trace.analysis.spans, findings: trace.findings, warnings: trace.analysis.warnings };
  return {
    trace_id: summary.traceId,
    version: trace.analysedSpanCount,
    start_ms: summary.startTimeMs,
    duration_ms: summary.durationMs,
    perceived_ms: summary.perceivedMs,
    service: summary.service,
    name: summary.name,
    task_class: summary.taskClass,
    session_id: summary.sessionId ?? null,
    turn: traceTurn(trace),
    band: summary.band,
    perceived_band: summary.perceivedBand,
    budget_ms: summary.budgetMs,
    over_budget: summary.overBudget ? 1 : 0,
    span_count: summary.spanCount,
    llm_calls: summary.llmCalls,
    tool_calls: summary.toolCalls,
    first_ttft_ms: summary.firstTtftMs ?? null,
    error: summary.error ? 1 : 0,
    llm_ms: summary.breakdown.llm,
    tool_ms: summary.breakdown.tool,
    state_ms: summary.breakdown.state,
    orchestration_ms: summary.breakdown.orchestration,
    other_ms: summary.breakdown.other,
    input_tokens: traceInputTokens(trace),
    analysed_span_count: trace.analysedSpanCount,
    detail: JSON.stringify(detail),
    fact_service: facts.map((span) => span.service),
    fact_category: facts.map((span) => span.category),
    fact_name: facts.map(operationName),
    fact_model: facts.map((span) => span.llm?.model ?? null),
    fact_provider: facts.map((span) => span.llm?.provider ?? null),
    fact_streaming: facts.map((span) => flag(span.llm?.streaming)),
    fact_ttft_ms: facts.map((span) => span.llm?.ttftMs ?? null),
    fact_tpot_ms: facts.map((span) => span.llm?.tpotMs ?? null),
    fact_input_tokens: facts.map((span) => span.llm?.inputTokens ?? null),
    fact_output_tokens: facts.map((span) => span.llm?.outputTokens ?? null),
    fact_duration_ms: facts.map((span) => (span.endNs - span.startNs) / 1e6),
    fact_cache_hit: facts.map((span) => flag(span.tool?.cacheHit)),
    fact_cold_start: facts.map((span) => flag(span.tool?.coldStart)),
    fact_error: facts.map((span) => (span.status === 'error' ? 1 : 0)),
    fact_aggregate: facts.map((span) => (span.llm?.aggregate === true ? 1 : 0)),
    finding_json: trace.findings.map((finding: Finding) => JSON.stringify(finding)),
  };
}

/** The summary columns, in the order `traceRowToSummary` reads them. */
export const SUMMARY_SELECT = `trace_id, service, name, task_class, session_id, start_ms, duration_ms, perceived_ms,
  band, perceived_band, budget_ms, over_budget, span_count, llm_calls, tool_calls, first_ttft_ms, error,
  llm_ms, tool_ms, state_ms, orchestration_ms, other_ms`;

/** Converts a row selected with `SUMMARY_SELECT` back into the API's TraceSummary. */
export function traceRowToSummary(row: readonly unknown[]): TraceSummary {
  const summary: TraceSummary = {
    traceId: row[0] as string,
    service: row[1] as string,
    name: row[2] as string,
    taskClass: row[3] as string,
    startTimeMs: row[5] as number,
    durationMs: row[6] as number,
    perceivedMs: row[7] as number,
    band: row[8] as UxBand,
    perceivedBand: row[9] as UxBand,
    budgetMs: row[10] as number,
    overBudget: row[11] === 1,
    spanCount: row[12] as number,
    llmCalls: row[13] as number,
    toolCalls: row[14] as number,
    error: row[16] === 1,
    breakdown: {
      llm: row[17] as number,
      tool: row[18] as number,
      state: row[19] as number,
      orchestration: row[20] as number,
      other: row[21] as number,
    },
  };
  if (row[4] !== null) summary.sessionId = row[4] as string;
  if (row[15] !== null) summary.firstTtftMs = row[15] as number;
  return summary;
}
