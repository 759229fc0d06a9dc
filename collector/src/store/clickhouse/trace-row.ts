import { criticalOperations, type Finding, type TraceSpan, type TraceSummary } from '@threshold/core';
import { traceInputTokens, traceTurn, type StoredDetail } from '../duckdb/trace-row.js';
import type { AnalysedTrace } from '../store.js';
import { SUMMARY_SELECT, summaryFromRow } from '../summary-row.js';

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
  const critical = criticalOperations(trace.analysis);
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
    fact_max_chunk_gap_ms: facts.map((span) => span.llm?.maxChunkGapMs ?? null),
    finding_json: trace.findings.map((finding: Finding) => JSON.stringify(finding)),
    critical_path_stored: 1,
    critical_category: critical.map((operation) => operation.category),
    critical_name: critical.map((operation) => operation.name),
    critical_ms: critical.map((operation) => operation.criticalMs),
  };
}

export { SUMMARY_SELECT };

/** Converts a row selected with `SUMMARY_SELECT` back into the API's TraceSummary. */
export function traceRowToSummary(row: readonly unknown[]): TraceSummary {
  return summaryFromRow(row, (value) => value === 1);
}
