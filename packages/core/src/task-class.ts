import type { MappingRules } from './classify/mapping-rules.js';
/**
 * Task classes and their P99 budgets. A task's class comes from `threshold.task.class` on its
 * span, else a configured mapping by task name, else `simple` when it makes at most
 * `simpleMaxLlmCalls` llm calls and `simpleMaxToolCalls` tool calls, `complex` otherwise.
 * Default budgets follow what interactive agents target: P99 < 2 s simple, < 5 s complex.
 */
export interface TaskClassConfig {
  /** P99 budget per class, ms. Classes without an entry use `defaultBudgetMs`. */
  budgetsMs: Record<string, number>;
  /** Budget for a class not in `budgetsMs`. */
  defaultBudgetMs: number;
  /** Task name → class. */
  classByTaskName: Record<string, string>;
  simpleMaxLlmCalls: number;
  simpleMaxToolCalls: number;
  /**
   * Mapping rules for in-house frameworks (`--mapping FILE`), carried with the task classes
   * because both are the collector's analysis settings and reach every place a trace is analysed.
   */
  mapping?: MappingRules;
}

export const DEFAULT_TASK_CLASS_CONFIG: Readonly<TaskClassConfig> = {
  budgetsMs: { simple: 2_000, complex: 5_000 },
  defaultBudgetMs: 5_000,
  classByTaskName: {},
  simpleMaxLlmCalls: 5,
  simpleMaxToolCalls: 5,
};

export interface TaskClassInput {
  /** `threshold.task.class` from the task span. */
  explicitClass?: string;
  /** `threshold.task.budget_ms` from the task span. */
  explicitBudgetMs?: number;
  taskName: string;
  llmCalls: number;
  toolCalls: number;
}

export interface TaskClassResult {
  taskClass: string;
  budgetMs: number;
}

export function resolveTaskClass(input: TaskClassInput, config: TaskClassConfig = DEFAULT_TASK_CLASS_CONFIG): TaskClassResult {
  // Own entries only: a task named "constructor" or "toString" must not find Object.prototype's.
  const mapped = Object.hasOwn(config.classByTaskName, input.taskName) ? config.classByTaskName[input.taskName] : undefined;
  const taskClass =
    input.explicitClass ||
    mapped ||
    (input.llmCalls <= config.simpleMaxLlmCalls && input.toolCalls <= config.simpleMaxToolCalls ? 'simple' : 'complex');
  const configured = Object.hasOwn(config.budgetsMs, taskClass) ? config.budgetsMs[taskClass] : undefined;
  const budgetMs =
    input.explicitBudgetMs !== undefined && input.explicitBudgetMs > 0 ? input.explicitBudgetMs : (configured ?? config.defaultBudgetMs);
  return { taskClass, budgetMs };
}
