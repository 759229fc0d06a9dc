import { UX_BAND_NAMES, type StatsResponse, type TaskClassConfig, type TimeSeriesResponse } from '@threshold/core';
import type { StatsQuery, TimeSeriesQuery } from '../trace-queries.js';
import { statsGroupFromRow } from '../rows/stats-row.js';
import { timeSeriesFromRows } from '../rows/time-series-rows.js';
import { ClickHouseWhere } from './clickhouse-where.js';
import { r7PercentileSql, r7TripleSql } from './r7-percentile-sql.js';
import { sqlLiteral } from './sql-literal.js';
import type { ReadRows } from './trace-queries.js';

const GROUP_COLUMN = { taskClass: 'task_class', service: 'service', name: 'name' } as const;

/** Latency statistics per group in one scan of the summary columns; percentiles are R-7. */
export async function stats(read: ReadRows, config: TaskClassConfig, query: StatsQuery): Promise<StatsResponse> {
  const where = new ClickHouseWhere().window(query).add('task_class = ?', query.taskClass);
  const bandCounts = UX_BAND_NAMES.map((band) => `toFloat64(countIf(band = ${sqlLiteral(band)}))`).join(', ');
  const perceivedBandCounts = UX_BAND_NAMES.map((band) => `toFloat64(countIf(perceived_band = ${sqlLiteral(band)}))`).join(', ');
  const rows = await read(
    `WITH arraySort(groupArray(duration_ms)) AS durations, arraySort(groupArray(perceived_ms)) AS perceived
     SELECT ${GROUP_COLUMN[query.groupBy]} AS key, toFloat64(count()) AS n,
       ${r7TripleSql('durations')}, ${r7PercentileSql('perceived', 0.99)},
       ${bandCounts},
       avg(llm_ms), avg(tool_ms), avg(state_ms), avg(orchestration_ms), avg(other_ms),
       argMax(budget_ms, start_ms), avg(over_budget),
       ${perceivedBandCounts}
     FROM traces FINAL ${where} GROUP BY key ORDER BY n DESC, key`,
  );
  return { groups: rows.map((row) => statsGroupFromRow(row, config, query.groupBy)) };
}

/** Percentiles per time bucket and group; a point is over budget when its P99 exceeds the class budget. */
export async function timeseries(read: ReadRows, config: TaskClassConfig, query: TimeSeriesQuery): Promise<TimeSeriesResponse> {
  const where = new ClickHouseWhere().window(query).add('task_class = ?', query.taskClass);
  const bucket = sqlLiteral(query.bucketMs);
  const rows = await read(
    `WITH arraySort(groupArray(duration_ms)) AS durations, arraySort(groupArray(perceived_ms)) AS perceived
     SELECT ${GROUP_COLUMN[query.groupBy]} AS key, floor(start_ms / ${bucket}) * ${bucket} AS t,
       toFloat64(count()), ${r7TripleSql('durations')}, ${r7PercentileSql('perceived', 0.99)}, argMax(budget_ms, start_ms)
     FROM traces FINAL ${where} GROUP BY key, t ORDER BY key, t`,
  );
  const buckets = rows.map((row) => ({
    key: row[0] as string,
    t: row[1] as number,
    count: row[2] as number,
    p50Ms: row[3] as number,
    p95Ms: row[4] as number,
    p99Ms: row[5] as number,
    perceivedP99Ms: row[6] as number,
    latestBudgetMs: row[7] as number,
  }));
  return timeSeriesFromRows(buckets, config, query);
}
