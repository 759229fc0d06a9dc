import { UX_BAND_NAMES, type StatsResponse, type TaskClassConfig, type TimeSeriesResponse } from '@threshold/core';
import type { StatsQuery, TimeSeriesQuery } from '../trace-queries.js';
import { statsGroupFromRow } from '../rows/stats-row.js';
import { timeSeriesFromRows } from '../rows/time-series-rows.js';
import { SqlWhere, type ReadRows } from './sql-where.js';

const GROUP_COLUMN = { taskClass: 'task_class', service: 'service', name: 'name' } as const;

/**
 * Latency statistics per group, computed in one scan of the `traces` summary columns.
 * Percentiles are `quantile_cont`, the same definition as core's `percentile`.
 */
export async function stats(read: ReadRows, config: TaskClassConfig, query: StatsQuery): Promise<StatsResponse> {
  const where = new SqlWhere().window(query).add('task_class = ?', query.taskClass);
  const bandCounts = UX_BAND_NAMES.map((band) => `count(*) FILTER (WHERE band = '${band}')::DOUBLE`).join(', ');
  const perceivedBandCounts = UX_BAND_NAMES.map((band) => `count(*) FILTER (WHERE perceived_band = '${band}')::DOUBLE`).join(', ');
  const rows = await read(
    `SELECT ${GROUP_COLUMN[query.groupBy]} AS key, count(*)::DOUBLE AS n,
       quantile_cont(duration_ms, [0.5, 0.95, 0.99]), quantile_cont(perceived_ms, 0.99),
       ${bandCounts},
       avg(llm_ms), avg(tool_ms), avg(state_ms), avg(orchestration_ms), avg(other_ms),
       arg_max(budget_ms, start_ms), avg(over_budget::DOUBLE),
       ${perceivedBandCounts}
     FROM traces ${where} GROUP BY key ORDER BY n DESC, key`,
    where.params,
  );
  // quantile_cont over a list answers [P50, P95, P99] in one column: spread it to the shared layout.
  return {
    groups: rows.map((row) => statsGroupFromRow([row[0], row[1], ...(row[2] as number[]), ...row.slice(3)], config, query.groupBy)),
  };
}

/** Percentiles per time bucket and group; a point is over budget when its P99 exceeds the class budget. */
export async function timeseries(read: ReadRows, config: TaskClassConfig, query: TimeSeriesQuery): Promise<TimeSeriesResponse> {
  const where = new SqlWhere().window(query).add('task_class = ?', query.taskClass);
  const rows = await read(
    `SELECT ${GROUP_COLUMN[query.groupBy]} AS key, floor(start_ms / ${query.bucketMs}) * ${query.bucketMs} AS t,
       count(*)::DOUBLE, quantile_cont(duration_ms, [0.5, 0.95, 0.99]), quantile_cont(perceived_ms, 0.99),
       arg_max(budget_ms, start_ms)
     FROM traces ${where} GROUP BY key, t ORDER BY key, t`,
    where.params,
  );
  // quantile_cont over a list answers [P50, P95, P99] in one column.
  const buckets = rows.map((row) => {
    const [p50Ms, p95Ms, p99Ms] = row[3] as number[];
    return {
      key: row[0] as string,
      t: row[1] as number,
      count: row[2] as number,
      p50Ms,
      p95Ms,
      p99Ms,
      perceivedP99Ms: row[4] as number,
      latestBudgetMs: row[5] as number,
    };
  });
  return timeSeriesFromRows(buckets, config, query);
}
