import { criticalOperations, traceFacts, type Finding, type TraceSummary } from '@threshold/core';
import type { AnalysedTrace } from '../analysis-store.js';
import { storedDetailJson } from '../rows/stored-detail-json.js';
import { SUMMARY_SELECT, summaryFromRow } from '../rows/summary-row.js';

const flag = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/** One `traces` row as JSONEachRow inserts it: summary columns, detail, core's facts as arrays, findings. */
export function toTraceRow(trace: AnalysedTrace): Record<string, unknown> {
  const summary = trace.analysis.summary;
  const stored = traceFacts(trace.analysis);
  const facts = stored.spans;
  const critical = criticalOperations(trace.analysis);
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
    turn: stored.turn,
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
    input_tokens: stored.inputTokens,
    analysed_span_count: trace.analysedSpanCount,
    detail: storedDetailJson(trace),
    fact_service: facts.map((span) => span.service),
    fact_category: facts.map((span) => span.category),
    fact_name: facts.map((span) => span.name),
    fact_model: facts.map((span) => span.model),
    fact_provider: facts.map((span) => span.provider),
    fact_streaming: facts.map((span) => flag(span.streaming)),
    fact_ttft_ms: facts.map((span) => span.ttftMs),
    fact_tpot_ms: facts.map((span) => span.tpotMs),
    fact_input_tokens: facts.map((span) => span.inputTokens),
    fact_output_tokens: facts.map((span) => span.outputTokens),
    fact_duration_ms: facts.map((span) => span.durationMs),
    fact_cache_hit: facts.map((span) => flag(span.cacheHit)),
    fact_cold_start: facts.map((span) => flag(span.coldStart)),
    fact_error: facts.map((span) => (span.error ? 1 : 0)),
    fact_aggregate: facts.map((span) => (span.aggregate ? 1 : 0)),
    fact_max_chunk_gap_ms: facts.map((span) => span.maxChunkGapMs),
    fact_llm_call: facts.map((span) => (span.llmCall ? 1 : 0)),
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
