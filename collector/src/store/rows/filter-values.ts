import { budgetOfClass, type FiltersResponse, type TaskClassConfig } from '@threshold/core';

/**
 * `/api/filters` lists the values a filter can take, and services and task classes come from
 * spans, so a sender can invent any number of them, of any length: the answer once grew to 38 MB.
 * It lists the 100 services and the 100 task classes with most traces (configured task classes
 * always), none longer than 256 characters, and says when more exist. A longer value is left out
 * rather than cut: a cut value would name nothing stored and filter everything away.
 */
export const FILTER_VALUES_LISTED = 100;
export const FILTER_VALUE_MAX_LENGTH = 256;

/** Most frequent first, at most `FILTER_VALUES_LISTED + 1` (one more tells that more exist). */
export interface FilterValueRows {
  /** `[value, latest budget_ms (task classes only)]`, values no longer than `FILTER_VALUE_MAX_LENGTH`. */
  rows: unknown[][];
  /** Whether a value longer than `FILTER_VALUE_MAX_LENGTH` is stored. */
  anyTooLong: boolean;
}

export function filtersResponse(config: TaskClassConfig, services: FilterValueRows, taskClasses: FilterValueRows): FiltersResponse {
  const budgetsMs: Record<string, number> = { ...config.budgetsMs };
  for (const [taskClass, latest] of taskClasses.rows.slice(0, FILTER_VALUES_LISTED)) {
    budgetsMs[taskClass as string] = budgetOfClass(config, taskClass as string, latest as number | null);
  }
  return {
    services: services.rows
      .slice(0, FILTER_VALUES_LISTED)
      .map((row) => row[0] as string)
      .sort(),
    taskClasses: Object.keys(budgetsMs).sort(),
    budgetsMs,
    moreServices: services.anyTooLong || services.rows.length > FILTER_VALUES_LISTED,
    moreTaskClasses: taskClasses.anyTooLong || taskClasses.rows.length > FILTER_VALUES_LISTED,
  };
}
