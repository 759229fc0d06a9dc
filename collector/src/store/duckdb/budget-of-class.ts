import type { TaskClassConfig } from '@threshold/core';

/**
 * The budget a task class is held to: the configured one, else the budget its latest trace
 * carried (`threshold.task.budget_ms`), else the configured default.
 */
export function budgetOfClass(config: TaskClassConfig, taskClass: string, latestStoredMs: number | null): number {
  if (Object.prototype.hasOwnProperty.call(config.budgetsMs, taskClass)) return config.budgetsMs[taskClass];
  return latestStoredMs ?? config.defaultBudgetMs;
}
