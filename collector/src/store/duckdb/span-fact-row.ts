import { BOOLEAN, DOUBLE, VARCHAR } from '@duckdb/node-api';
import type { SpanFacts } from '@threshold/core';
import type { ColumnSpec } from './append-columns.js';
import type { TraceRowInput } from './trace-row.js';

/** A `span_facts` row: one llm/tool/state/orchestration span of an analysed trace, as core's facts say it. */
export interface SpanFactRow {
  traceId: string;
  traceStartMs: number;
  facts: SpanFacts;
}

/** The span rows of a trace row: the span facts core gave it. */
export function toSpanFactRows({ trace, facts }: TraceRowInput): SpanFactRow[] {
  const { traceId, startTimeMs } = trace.analysis.summary;
  return facts.spans.map((span) => ({ traceId, traceStartMs: startTimeMs, facts: span }));
}

/** `span_facts` columns in table order (`llm_call` last: the column a migration added). */
export const SPAN_FACT_COLUMNS: readonly ColumnSpec<SpanFactRow>[] = [
  { name: 'trace_id', type: VARCHAR, value: (row) => row.traceId },
  { name: 'start_ms', type: DOUBLE, value: (row) => row.traceStartMs },
  { name: 'service', type: VARCHAR, value: (row) => row.facts.service },
  { name: 'category', type: VARCHAR, value: (row) => row.facts.category },
  { name: 'name', type: VARCHAR, value: (row) => row.facts.name },
  { name: 'model', type: VARCHAR, value: (row) => row.facts.model },
  { name: 'provider', type: VARCHAR, value: (row) => row.facts.provider },
  { name: 'streaming', type: BOOLEAN, value: (row) => row.facts.streaming },
  { name: 'ttft_ms', type: DOUBLE, value: (row) => row.facts.ttftMs },
  { name: 'tpot_ms', type: DOUBLE, value: (row) => row.facts.tpotMs },
  { name: 'input_tokens', type: DOUBLE, value: (row) => row.facts.inputTokens },
  { name: 'output_tokens', type: DOUBLE, value: (row) => row.facts.outputTokens },
  { name: 'duration_ms', type: DOUBLE, value: (row) => row.facts.durationMs },
  { name: 'cache_hit', type: BOOLEAN, value: (row) => row.facts.cacheHit },
  { name: 'cold_start', type: BOOLEAN, value: (row) => row.facts.coldStart },
  { name: 'error', type: BOOLEAN, value: (row) => row.facts.error },
  { name: 'aggregate', type: BOOLEAN, value: (row) => row.facts.aggregate },
  { name: 'max_chunk_gap_ms', type: DOUBLE, value: (row) => row.facts.maxChunkGapMs },
  { name: 'llm_call', type: BOOLEAN, value: (row) => row.facts.llmCall },
];
