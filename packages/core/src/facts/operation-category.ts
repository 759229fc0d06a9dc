import type { SpanCategory } from '../category.js';

/**
 * The categories whose spans are operations the agent runs (not calls to a model, not its own
 * code): what `/api/operations` lists and its `category` filter accepts. One list, so the route,
 * the stores' queries and the dashboard cannot disagree on it.
 */
export type OperationCategory = 'tool' | 'state' | 'orchestration';

export const OPERATION_CATEGORIES: readonly OperationCategory[] = ['tool', 'state', 'orchestration'];

/** The categories a span is stored as a fact for: llm spans and operations. */
export type FactCategory = 'llm' | OperationCategory;

const FACT_CATEGORIES: ReadonlySet<SpanCategory> = new Set<SpanCategory>(['llm', ...OPERATION_CATEGORIES]);

export function isFactCategory(category: SpanCategory): category is FactCategory {
  return FACT_CATEGORIES.has(category);
}
