import type { SortDirection, TraceSortKey } from '@threshold/core';

/**
 * The ORDER BY of a trace list, shared by the SQL engines (their `traces` tables name these columns
 * alike). Only whitelisted column names reach the SQL; ties fall back to newest first, then trace id,
 * so pages never overlap.
 */
const COLUMN: Readonly<Record<TraceSortKey, string>> = {
  startTimeMs: 'start_ms',
  name: 'name',
  service: 'service',
  taskClass: 'task_class',
  durationMs: 'duration_ms',
  perceivedMs: 'perceived_ms',
  band: 'duration_ms', // bands follow duration, so ordering by duration orders them
  overBudget: 'over_budget',
  llmCalls: 'llm_calls',
  toolCalls: 'tool_calls',
  sessionId: 'session_id',
};

export function traceOrderBy(sort: TraceSortKey = 'startTimeMs', order: SortDirection = 'desc'): string {
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const column = COLUMN[sort] ?? COLUMN.startTimeMs;
  // NULL session ids sort as the empty string would: first ascending, last descending.
  const key = sort === 'sessionId' ? `coalesce(${column}, '')` : column;
  return sort === 'startTimeMs' ? `ORDER BY start_ms ${direction}, trace_id` : `ORDER BY ${key} ${direction}, start_ms DESC, trace_id`;
}
