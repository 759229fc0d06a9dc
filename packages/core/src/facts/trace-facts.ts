import type { TraceAnalysis } from '../analysis-types.js';
import { countCalls } from '../analysis/count-calls.js';
import { spanFactsOf, type SpanFacts } from './span-facts.js';

/**
 * What is stored per trace beyond its summary, decided here once: the stores write these values
 * and aggregate over them, never re-deriving them in SQL or in their own row code.
 *
 * - Tokens count each llm call once, and a wrapper's usage only when none of its calls reported
 *   any (Mastra's generation carries the loop's usage, its steps none): core's `countCalls`.
 * - The turn is the task's `threshold.turn`, read from the task spans as analysis reads it.
 * - Task class and budget are the summary's: core resolved them (the task span's own budget,
 *   else the class's configured one, else the default).
 */
export interface TraceFacts {
  inputTokens: number;
  outputTokens: number;
  /** The task's place in its session, when stated. */
  turn: number | null;
  taskClass: string;
  budgetMs: number;
  /** One per llm, tool, state and orchestration span, parents before children. */
  spans: readonly SpanFacts[];
}

export function traceFacts(analysis: TraceAnalysis): TraceFacts {
  // An analysis built by analyseTrace carries its tokens; one built otherwise is counted the same way.
  const tokens = analysis.tokens ?? countCalls(analysis.traceSpans);
  return {
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokens,
    turn: analysis.turn ?? null,
    taskClass: analysis.summary.taskClass,
    budgetMs: analysis.summary.budgetMs,
    spans: spanFactsOf(analysis.traceSpans),
  };
}
