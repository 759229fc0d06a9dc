import { BOOLEAN, DOUBLE, VARCHAR } from '@duckdb/node-api';
import type { TraceSpan } from '@threshold/core';
import type { AnalysedTrace } from '../store.js';
import type { ColumnSpec } from './append-columns.js';

/** A `span_facts` row: one llm/tool/state/orchestration span of an analysed trace. */
export interface SpanFactRow {
  traceId: string;
  traceStartMs: number;
  service: string;
  span: TraceSpan;
}

const FACT_CATEGORIES = new Set(['llm', 'tool', 'state', 'orchestration']);

export function toSpanFactRows(trace: AnalysedTrace): SpanFactRow[] {
  const { summary, traceSpans } = trace.analysis;
  return traceSpans
    .filter((span) => FACT_CATEGORIES.has(span.category))
    .map((span) => ({ traceId: summary.traceId, traceStartMs: summary.startTimeMs, service: span.service, span }));
}

/** The name an operation is grouped by: the tool's name for tools, the span name otherwise. */
function operationName(span: TraceSpan): string {
  return span.category === 'tool' && span.tool?.name ? span.tool.name : span.name;
}

export const SPAN_FACT_COLUMNS: readonly ColumnSpec<SpanFactRow>[] = [
  { name: 'trace_id', type: VARCHAR, value: (row) => row.traceId },
  { name: 'start_ms', type: DOUBLE, value: (row) => row.traceStartMs },
  { name: 'service', type: VARCHAR, value: (row) => row.service },
  { name: 'category', type: VARCHAR, value: (row) => row.span.category },
  { name: 'name', type: VARCHAR, value: (row) => operationName(row.span) },
  { name: 'model', type: VARCHAR, value: (row) => row.span.llm?.model ?? null },
  { name: 'provider', type: VARCHAR, value: (row) => row.span.llm?.provider ?? null },
  { name: 'streaming', type: BOOLEAN, value: (row) => row.span.llm?.streaming ?? null },
  { name: 'ttft_ms', type: DOUBLE, value: (row) => row.span.llm?.ttftMs ?? null },
  { name: 'tpot_ms', type: DOUBLE, value: (row) => row.span.llm?.tpotMs ?? null },
  { name: 'input_tokens', type: DOUBLE, value: (row) => row.span.llm?.inputTokens ?? null },
  { name: 'output_tokens', type: DOUBLE, value: (row) => row.span.llm?.outputTokens ?? null },
  { name: 'duration_ms', type: DOUBLE, value: (row) => (row.span.endNs - row.span.startNs) / 1e6 },
  { name: 'cache_hit', type: BOOLEAN, value: (row) => row.span.tool?.cacheHit ?? null },
  { name: 'cold_start', type: BOOLEAN, value: (row) => row.span.tool?.coldStart ?? null },
  { name: 'error', type: BOOLEAN, value: (row) => row.span.status === 'error' },
  { name: 'aggregate', type: BOOLEAN, value: (row) => row.span.llm?.aggregate === true },
  { name: 'max_chunk_gap_ms', type: DOUBLE, value: (row) => row.span.llm?.maxChunkGapMs ?? null },
];
