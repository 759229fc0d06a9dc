import type { TraceSummary, UxBand } from '@threshold/core';
import { breakdownColumns } from './row-columns.js';

/**
 * The `traces` summary columns both SQL engines keep under the same names, in the order
 * `summaryFromRow` reads them: one place for the row → TraceSummary conversion.
 */
export const SUMMARY_SELECT = `trace_id, service, name, task_class, session_id, start_ms, duration_ms, perceived_ms,
  band, perceived_band, budget_ms, over_budget, span_count, llm_calls, tool_calls, first_ttft_ms, error,
  llm_ms, tool_ms, state_ms, orchestration_ms, other_ms`;

/** Converts a row selected with `SUMMARY_SELECT`; `flag` reads the engine's booleans (DuckDB BOOLEAN, ClickHouse UInt8). */
export function summaryFromRow(row: readonly unknown[], flag: (value: unknown) => boolean): TraceSummary {
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
    overBudget: flag(row[11]),
    spanCount: row[12] as number,
    llmCalls: row[13] as number,
    toolCalls: row[14] as number,
    error: flag(row[16]),
    breakdown: breakdownColumns(row, 17),
  };
  if (row[4] !== null) summary.sessionId = row[4] as string;
  if (row[15] !== null) summary.firstTtftMs = row[15] as number;
  return summary;
}
