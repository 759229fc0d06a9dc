import type { TaskClassConfig } from '../task-class.js';

/**
 * The budget a task class is shown with (`/api/stats`, `/api/timeseries`, `/api/filters`): the
 * budget its latest trace in view was held to, else the class's configured budget, else the default.
 *
 * That keeps core's precedence for a trace (`resolveTaskClass`: the task span's
 * `threshold.task.budget_ms`, else the configured budget, else the default), because a stored
 * trace's budget is that resolution: a class whose traces state 1,500 ms is shown with 1,500 ms
 * even when 2,000 ms is configured for it, as each of those traces was judged against 1,500 ms.
 * The class's budget and its over-budget rate then speak of the same traces. A class with no
 * trace in view has only its configuration to go by.
 *
 * @param latestTraceBudgetMs the budget of the class's latest trace in view, null when none
 */
export function budgetOfClass(config: TaskClassConfig, taskClass: string, latestTraceBudgetMs: number | null): number {
  if (latestTraceBudgetMs !== null && latestTraceBudgetMs > 0) return latestTraceBudgetMs;
  return Object.hasOwn(config.budgetsMs, taskClass) ? config.budgetsMs[taskClass] : config.defaultBudgetMs;
}
