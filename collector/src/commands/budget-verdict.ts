/**
 * The judgement behind `threshold check`: each task class's latency at the chosen percentile
 * against its budget. Budgets given on the command line are the ones checked (a class named
 * there with no traces is reported, not silently passed); without any, each class is checked
 * against the budget the collector (or the default configuration) holds for it.
 */
import { formatCount, formatWholeMs, renderTable } from './terminal-table.js';

export interface ClassLatency {
  taskClass: string;
  count: number;
  /** Latency at the percentile checked, ms (undefined without traces). */
  latencyMs?: number;
  /** The budget configured for the class where the data came from, ms. */
  configuredBudgetMs?: number | null;
}

export type BudgetStatus = 'within' | 'over' | 'no-data' | 'no-budget';

export interface BudgetVerdict {
  taskClass: string;
  count: number;
  latencyMs?: number;
  budgetMs?: number;
  status: BudgetStatus;
}

/** Verdicts, classes with a command-line budget first (in the order given), then the rest by name. */
export function judgeBudgets(classes: readonly ClassLatency[], budgetsMs: ReadonlyMap<string, number>): BudgetVerdict[] {
  const byClass = new Map(classes.map((entry) => [entry.taskClass, entry]));
  const explicit = budgetsMs.size > 0;
  const order = [...budgetsMs.keys(), ...[...byClass.keys()].filter((name) => !budgetsMs.has(name)).sort()];
  return order.map((taskClass) => {
    const entry = byClass.get(taskClass);
    const budgetMs = explicit ? budgetsMs.get(taskClass) : (entry?.configuredBudgetMs ?? undefined);
    const count = entry?.count ?? 0;
    const latencyMs = entry?.latencyMs;
    const verdict: BudgetVerdict = { taskClass, count, status: 'no-budget' };
    if (latencyMs !== undefined) verdict.latencyMs = latencyMs;
    if (budgetMs !== undefined) verdict.budgetMs = budgetMs;
    if (budgetMs === undefined) verdict.status = 'no-budget';
    else if (latencyMs === undefined || count === 0) verdict.status = 'no-data';
    else verdict.status = latencyMs > budgetMs ? 'over' : 'within';
    return verdict;
  });
}

/** `P99`, `P99.9`, `P50`. */
export function percentileLabel(percentile: number): string {
  return `P${Number(percentile.toFixed(3))}`;
}

const STATUS_TEXT: Record<BudgetStatus, (verdict: BudgetVerdict) => string> = {
  within: (verdict) => `ok (${formatWholeMs(verdict.budgetMs! - verdict.latencyMs!)} to spare)`,
  over: (verdict) => `OVER by ${formatWholeMs(verdict.latencyMs! - verdict.budgetMs!)}`,
  'no-data': () => 'no traces',
  'no-budget': () => 'not checked (no budget)',
};

/** The table and the closing line `threshold check` prints. */
export function renderBudgetVerdicts(verdicts: readonly BudgetVerdict[], percentile: number): string {
  const label = percentileLabel(percentile);
  const table = renderTable(
    [
      { header: 'task class', align: 'left' },
      { header: 'traces', align: 'right' },
      { header: label, align: 'right' },
      { header: 'budget', align: 'right' },
      { header: 'result', align: 'left' },
    ],
    verdicts.map((verdict) => [
      verdict.taskClass,
      formatCount(verdict.count),
      verdict.latencyMs === undefined ? '–' : formatWholeMs(verdict.latencyMs),
      verdict.budgetMs === undefined ? '–' : formatWholeMs(verdict.budgetMs),
      STATUS_TEXT[verdict.status](verdict),
    ]),
  );
  const over = verdicts.filter((verdict) => verdict.status === 'over');
  const checked = verdicts.filter((verdict) => verdict.status === 'over' || verdict.status === 'within');
  const closing =
    over.length > 0
      ? `${over.length} of ${checked.length} task class${checked.length === 1 ? '' : 'es'} over budget at ${label}: ${over.map((verdict) => verdict.taskClass).join(', ')}.`
      : `All ${checked.length} task class${checked.length === 1 ? '' : 'es'} within budget at ${label}.`;
  return `${table}\n\n${closing}`;
}
