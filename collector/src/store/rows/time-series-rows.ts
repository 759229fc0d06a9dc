import { budgetOfClass, type TaskClassConfig, type TimeSeriesResponse } from '@threshold/core';
import type { TimeSeriesQuery } from '../trace-queries.js';

/** One (group, bucket) of `/api/timeseries` as both engines select it. */
export interface TimeSeriesRow {
  key: string;
  /** Bucket start, epoch ms. */
  t: number;
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  perceivedP99Ms: number;
  /** The budget of the bucket's latest trace. */
  latestBudgetMs: number;
}

/**
 * The series of `/api/timeseries` from rows ordered by group and bucket. A class's series carries
 * the budget `/api/stats` shows for it over the same window (core's `budgetOfClass` of its latest
 * trace, which is in its last bucket), and a point is over budget when its P99 exceeds it.
 */
export function timeSeriesFromRows(rows: readonly TimeSeriesRow[], config: TaskClassConfig, query: TimeSeriesQuery): TimeSeriesResponse {
  const groups = new Map<string, TimeSeriesRow[]>();
  for (const row of rows) groups.set(row.key, [...(groups.get(row.key) ?? []), row]);
  const series = [...groups].map(([key, buckets]) => {
    const budgetMs = query.groupBy === 'taskClass' ? budgetOfClass(config, key, buckets[buckets.length - 1].latestBudgetMs) : null;
    const points = buckets.map(({ t, count, p50Ms, p95Ms, p99Ms, perceivedP99Ms }) => ({
      t,
      count,
      p50Ms,
      p95Ms,
      p99Ms,
      perceivedP99Ms,
      overBudget: budgetMs !== null && p99Ms > budgetMs,
    }));
    return { key, budgetMs, points };
  });
  return { bucketMs: query.bucketMs, series };
}
