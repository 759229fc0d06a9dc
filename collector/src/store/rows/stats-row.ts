import { budgetOfClass, type StatsGroup, type TaskClassConfig } from '@threshold/core';
import { bandCounts, breakdownColumns } from './row-columns.js';
import type { StatsGroupBy } from '../trace-queries.js';

/**
 * One `/api/stats` group from a SQL row laid out alike by both engines: key, count, P50, P95, P99,
 * perceived P99, six band counts, five breakdown means (llm, tool, state, orchestration, other),
 * latest budget, over-budget rate, six perceived band counts.
 */
export function statsGroupFromRow(row: readonly unknown[], config: TaskClassConfig, groupBy: StatsGroupBy): StatsGroup {
  const key = row[0] as string;
  return {
    key,
    count: row[1] as number,
    p50Ms: row[2] as number,
    p95Ms: row[3] as number,
    p99Ms: row[4] as number,
    perceivedP99Ms: row[5] as number,
    bands: bandCounts(row, 6),
    perceivedBands: bandCounts(row, 19),
    breakdownMeanMs: breakdownColumns(row, 12),
    budgetMs: groupBy === 'taskClass' ? budgetOfClass(config, key, row[17] as number) : null,
    overBudgetRate: row[18] as number,
  };
}
