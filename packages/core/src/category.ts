/**
 * What a span spends its time on. Every span gets exactly one category; the breakdown of a task's
 * wall time is keyed by the same names (with `task` time counted as `other`).
 */
export type SpanCategory = 'task' | 'llm' | 'tool' | 'state' | 'orchestration' | 'other';

/** The buckets a task's wall time is split into; they sum to the task's duration. */
export type BreakdownCategory = 'llm' | 'tool' | 'state' | 'orchestration' | 'other';

export const SPAN_CATEGORIES: readonly SpanCategory[] = ['task', 'llm', 'tool', 'state', 'orchestration', 'other'];

export const BREAKDOWN_CATEGORIES: readonly BreakdownCategory[] = ['llm', 'tool', 'state', 'orchestration', 'other'];

/**
 * The categories whose spans are operations the agent runs (not model calls, not its own code):
 * what `/api/operations` lists and its `category` filter accepts. One list, so the route, the
 * stores' queries and the dashboard cannot disagree on it.
 */
export type OperationCategory = 'tool' | 'state' | 'orchestration';

export const OPERATION_CATEGORIES: readonly OperationCategory[] = ['tool', 'state', 'orchestration'];

/** Milliseconds per breakdown bucket. */
export type Breakdown = Record<BreakdownCategory, number>;

/** Display metadata for a category: one definition, used by the collector and the dashboard. */
export interface CategoryStyle {
  /** Human label. */
  label: string;
  /** Colour for bars and charts (hex). */
  color: string;
}

export const CATEGORY_STYLES: Readonly<Record<SpanCategory, CategoryStyle>> = {
  task: { label: 'Task', color: '#64748b' },
  llm: { label: 'LLM', color: '#7c3aed' },
  tool: { label: 'Tool', color: '#0891b2' },
  state: { label: 'State', color: '#ca8a04' },
  orchestration: { label: 'Orchestration', color: '#db2777' },
  other: { label: 'Other', color: '#94a3b8' },
};

/** The bucket a span's own time lands in: task time is the agent's own code, counted as `other`. */
export function breakdownCategoryOf(category: SpanCategory): BreakdownCategory {
  return category === 'task' ? 'other' : category;
}

export function emptyBreakdown(): Breakdown {
  return { llm: 0, tool: 0, state: 0, orchestration: 0, other: 0 };
}
